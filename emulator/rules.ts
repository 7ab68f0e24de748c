/** Exotel's address rules, as the emulator enforces them. */

export function parseIpv4(v: string): boolean {
    const parts = v.split(".");
    return parts.length === 4 && parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

export function ipNum(v: string): number {
    return v.split(".").reduce((n, p) => n * 256 + Number(p), 0);
}

export function inCidr(ip: string, net: string, mask: number): boolean {
    const size = 2 ** (32 - mask);
    return Math.floor(ipNum(ip) / size) === Math.floor(ipNum(net) / size);
}

export function isFqdn(v: string): boolean {
    if (v.length > 253 || !v.includes(".")) return false;
    const labels = v.split(".");
    return labels.every((l) => /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/.test(l)) && /[A-Za-z]/.test(labels[labels.length - 1]);
}
