/**
 * The policy pack's rules as pure functions over a trunk's inputs (policy/index.ts wires them into
 * @pulumi/policy). A value the engine does not know yet (a preview whose inputs come from resources still
 * being created) arrives here as `UNKNOWN`: a rule never reports what it cannot see (an unknown mask, URI,
 * list or caller ID is skipped, never counted as a violation).
 *
 * Messages name the trunk and the property, and quote no value that could be a secret (a caller ID, an IP
 * or a URI may be `fn::secret`/`pulumi.secret`, and a policy pack sees secrets unwrapped): entries are
 * named by their index.
 */
import { isUnknown, UNKNOWN } from "../provider/unknown";
import { DYNAMIC_TRUNK_TYPE, PLUGIN_TRUNK_TYPE } from "../provider/typeTokens";
import { parseDestination } from "../provider/validation/destination";

/**
 * Whether a resource is an Exotel trunk: by its type token, which is also in its URN. The analyzer gets a
 * resource's inputs after its provider's Check (seen with a probe pack, CLI 3.248 and 3.259): for the dynamic form that is
 * ExotelTrunk's own check, whose result holds the program's arguments with their defaults filled in (nsoCode,
 * domainName) and not the serialized provider (`__provider`), so the type is the stable mark.
 */
export function isExotelTrunk(type: string): boolean {
    return type === PLUGIN_TRUNK_TYPE || type === DYNAMIC_TRUNK_TYPE;
}

/** One rule: its stable name, its default enforcement level, what it is about, its settings and check. */
export interface Rule<C> {
    name: string;
    enforcementLevel: "mandatory" | "advisory";
    description: string;
    /** JSON schema of the rule's settings (policy config), with their defaults. */
    config: Record<string, { type: string; default?: unknown; minimum?: number; maximum?: number; items?: unknown; description: string }>;
    defaults: C;
    /** The violations of a trunk (messages without the trunk's name; see {@link describeTrunk}). */
    check(t: TrunkInputs, c: C): string[];
}

/** A trunk's inputs as the rules read them; any value may be UNKNOWN. */
export type TrunkInputs = Record<string, unknown>;

const list = (v: unknown): unknown[] | undefined => (Array.isArray(v) ? v : undefined);
/**
 * A destination URI's transport: parsed as the provider parses it (validation/destination.ts); a URI the provider
 * would reject is still read for its `;transport=` parameter, lower-cased ("none" without one).
 */
const transportOf = (u: string): string => {
    const d = parseDestination(u);
    return typeof d === "string" ? (/;transport=([a-z]+)/i.exec(u)?.[1]?.toLowerCase() ?? "none") : d.transport;
};
const field = (entry: unknown, key: string): unknown =>
    entry !== null && typeof entry === "object" && !isUnknown(entry) ? (entry as Record<string, unknown>)[key] : UNKNOWN;

export const WHITELIST_TOO_WIDE: Rule<{ minMask: number }> = {
    name: "exotel-trunk-whitelist-too-wide",
    enforcementLevel: "mandatory",
    description:
        "A whitelisted IP range wider than the allowed prefix (default /24): every address in it can send calls through the trunk.",
    config: {
        minMask: {
            type: "integer",
            minimum: 16,
            maximum: 32,
            default: 24,
            description: "The widest allowed whitelisted range, as a prefix length (24: at most 256 addresses).",
        },
    },
    defaults: { minMask: 24 },
    check(t, c) {
        const out: string[] = [];
        (list(t.whitelistedIps) ?? []).forEach((e, i) => {
            const mask = field(e, "mask");
            if (isUnknown(mask) || isUnknown(e)) return;
            const m = mask === undefined || mask === null ? 32 : mask;
            if (typeof m === "number" && m < c.minMask) {
                out.push(
                    `whitelistedIps[${i}] has mask /${m} (${(2 ** (32 - m)).toLocaleString("en-US")} addresses), ` +
                        `wider than /${c.minMask} (policy config minMask); every address in it can place calls through the trunk`,
                );
            }
        });
        return out;
    },
};

export const DESTINATION_NOT_TLS: Rule<{ allowedTransports: string[] }> = {
    name: "exotel-trunk-destination-not-tls",
    enforcementLevel: "mandatory",
    description: "A destination URI without `transport=tls`: SIP signalling (and digest exchanges) in clear text.",
    config: {
        allowedTransports: {
            type: "array",
            items: { type: "string", enum: ["tls", "tcp", "udp"] },
            default: ["tls"],
            description: 'The transports a destination URI may use (default ["tls"]).',
        },
    },
    defaults: { allowedTransports: ["tls"] },
    check(t, c) {
        const out: string[] = [];
        (list(t.destinationUris) ?? []).forEach((u, i) => {
            if (typeof u !== "string") return; // unknown (or not a string: the provider's own check rejects it)
            const transport = transportOf(u);
            if (!c.allowedTransports.includes(transport)) {
                out.push(
                    `destinationUris[${i}] uses transport=${transport}, not ${c.allowedTransports.map((x) => `transport=${x}`).join(" or ")} ` +
                        `(policy config allowedTransports)`,
                );
            }
        });
        return out;
    },
};

export const NO_ACCESS_CONTROL: Rule<Record<string, never>> = {
    name: "exotel-trunk-no-access-control",
    enforcementLevel: "mandatory",
    description: "A trunk with neither whitelisted IPs nor SIP digest credentials: nothing says who may use it.",
    config: {},
    defaults: {},
    check(t) {
        const ips = t.whitelistedIps;
        const creds = t.credentials;
        if (isUnknown(ips) || isUnknown(creds)) return [];
        const none = (v: unknown) => v === undefined || v === null || (Array.isArray(v) && v.length === 0);
        if (!none(ips) || !none(creds)) return [];
        return ["has neither whitelistedIps nor credentials: declare the PBX's IP range or SIP digest credentials"];
    },
};

export const CALLER_ID_NOT_OWN: Rule<{ allowedCallerIds: string[] }> = {
    name: "exotel-trunk-caller-id-not-own-number",
    enforcementLevel: "advisory",
    description: "A caller ID that is not one of the trunk's own phone numbers (spoofed or borrowed caller IDs).",
    config: {
        allowedCallerIds: {
            type: "array",
            items: { type: "string" },
            default: [],
            description: "Caller IDs allowed although they are not among the trunk's phoneNumbers (e.g. a shared main line).",
        },
    },
    defaults: { allowedCallerIds: [] },
    check(t, c) {
        const id = t.callerId;
        if (typeof id !== "string" || id === "") return []; // none, or unknown
        const numbers = t.phoneNumbers;
        if (isUnknown(numbers)) return [];
        const own = (list(numbers) ?? []).map((n) => field(n, "phoneNumber"));
        if (own.some(isUnknown)) return []; // it may be the unknown one
        if (own.includes(id) || c.allowedCallerIds.includes(id)) return [];
        return ["callerId is not one of the trunk's phoneNumbers (nor in policy config allowedCallerIds)"];
    },
};

export const UDP_TRANSPORT: Rule<Record<string, never>> = {
    name: "exotel-trunk-udp-transport",
    enforcementLevel: "advisory",
    description: "A destination URI with `transport=udp`: unencrypted and easy to spoof.",
    config: {},
    defaults: {},
    check(t) {
        const out: string[] = [];
        (list(t.destinationUris) ?? []).forEach((u, i) => {
            if (typeof u === "string" && transportOf(u) === "udp") out.push(`destinationUris[${i}] uses transport=udp`);
        });
        return out;
    },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const RULES: readonly Rule<any>[] = [WHITELIST_TOO_WIDE, DESTINATION_NOT_TLS, NO_ACCESS_CONTROL, CALLER_ID_NOT_OWN, UDP_TRANSPORT];

/** How a message names the trunk: its trunkName (when known) and the Pulumi resource. */
export function describeTrunk(type: string, name: string, t: TrunkInputs): string {
    const trunkName = typeof t.trunkName === "string" ? `trunk "${t.trunkName}"` : "trunk";
    const form = type === PLUGIN_TRUNK_TYPE ? PLUGIN_TRUNK_TYPE : "ExotelTrunk";
    return `${trunkName} (${form} "${name}")`;
}
