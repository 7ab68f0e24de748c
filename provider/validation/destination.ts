/**
 * SIP destinations and IPv4 addresses: parsing, the comparable key of a destination, CIDR membership, and
 * how a bad value is quoted in a reason. Pure; used by validation (`check`) and by planning and applying
 * (matching what Exotel lists to what the program asks for).
 */

const HOST_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

/** A value as a reason quotes it: JSON, cut to 60 characters. */
export function show(v: unknown): string {
    const s = typeof v === "string" ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
    return s.length > 60 ? s.slice(0, 57) + "..." : s;
}

export function checkFqdn(v: string): boolean {
    if (v.length > 253 || !v.includes(".")) return false;
    const labels = v.split(".");
    if (!labels.every((l) => HOST_LABEL.test(l))) return false;
    return /[A-Za-z]/.test(labels[labels.length - 1]); // the top-level label is not all digits
}

/** Returns the 32-bit value of a dotted-quad IPv4 address, or undefined. */
export function parseIpv4(v: string): number | undefined {
    const parts = v.split(".");
    if (parts.length !== 4) return undefined;
    let n = 0;
    for (const p of parts) {
        if (!/^(0|[1-9]\d{0,2})$/.test(p)) return undefined;
        const o = Number(p);
        if (o > 255) return undefined;
        n = n * 256 + o;
    }
    return n;
}

export interface ParsedDestination {
    host: string;
    isIp: boolean;
    port: number;
    transport: "tls" | "tcp" | "udp";
}

/** Parses `<ipv4|fqdn>:<port>;transport=<tls|tcp|udp>` (an optional leading `sip:` is allowed). */
export function parseDestination(v: string): ParsedDestination | string {
    const m = /^(?:sip:)?([^:;\s]+):(\d{1,5});transport=([A-Za-z]+)$/.exec(v);
    if (!m) return `must be "<ip-or-fqdn>:<port>;transport=<tls|tcp|udp>", e.g. "203.0.113.10:5061;transport=tls"; got ${show(v)}`;
    const [, host, portText, transportRaw] = m;
    const port = Number(portText);
    if (port < 1 || port > 65535) return `has port ${port}, which is outside 1-65535`;
    const transport = transportRaw.toLowerCase();
    if (transport !== transportRaw) return `transport must be lower case ("tls", "tcp" or "udp"); got ${show(transportRaw)}`;
    if (transport !== "tls" && transport !== "tcp" && transport !== "udp") {
        return `transport must be "tls", "tcp" or "udp"; got ${show(transportRaw)}`;
    }
    const looksNumeric = /^[\d.]+$/.test(host);
    if (looksNumeric) {
        if (parseIpv4(host) === undefined) return `has host ${show(host)}, which is not a valid IPv4 address`;
        return { host, isIp: true, port, transport };
    }
    if (!checkFqdn(host)) return `has host ${show(host)}, which is neither an IPv4 address nor a fully qualified domain name`;
    return { host: host.toLowerCase(), isIp: false, port, transport };
}

/** Comparable key of a destination: no `sip:`, host lower-cased. */
export function destinationKey(v: string): string {
    const p = parseDestination(v);
    if (typeof p === "string") return v.replace(/^sip:/, "");
    return `${p.host}:${p.port};transport=${p.transport}`;
}

export function ipInCidr(ip: string, net: string, mask: number): boolean {
    const a = parseIpv4(ip);
    const b = parseIpv4(net);
    if (a === undefined || b === undefined) return false;
    const size = 2 ** (32 - mask);
    return Math.floor(a / size) === Math.floor(b / size);
}
