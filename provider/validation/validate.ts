/**
 * Input validation for ExotelTrunk: pure functions, no I/O. `validateInputs` returns one failure per
 * problem, naming the property (e.g. `phoneNumbers[1].phoneNumber`), and the normalized inputs.
 *
 * Rules come from ../shared/exotel-api.md; where Exotel's sources disagree the stricter documented
 * rule is used and said so:
 * - trunkName `[A-Za-z0-9_]{1,16}` (Exotel accepted "" once; we do not).
 * - nsoCode: `ANY-ANY` is the only documented value; other upper-case `XXX-XXX` codes are let through
 *   for accounts that support issued them; "any any" is rejected (Exotel rejects it live).
 * - domainName must end with `.pstn.exotel.com`.
 * - E.164: `+` then 2..15 digits, first digit 1-9.
 * - mask 16..32 (the server's own error text; other docs say 1..32).
 * - destination `<ipv4|fqdn>:<port>;transport=<tls|tcp|udp>`; an IPv4 destination must fall inside a
 *   whitelisted IP/mask of the same trunk (Exotel: "Destination not whitelisted").
 * - Lists: no duplicates; at most MAX_LIST_ITEMS entries (our own bound, keeps one update bounded).
 */
import { checkConnection } from "./connection";
import { checkFqdn, destinationKey, ipInCidr, parseDestination, parseIpv4, show } from "./destination";
import { checkCredentials } from "./credentials";
import { INPUT_PROPERTIES, NormalizedInputs, NumberMode } from "../trunkTypes";

export interface Failure {
    property: string;
    reason: string;
}

export const MAX_LIST_ITEMS = 200;
/** Pulumi's placeholder for a value not known during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const TRUNK_NAME = /^[A-Za-z0-9_]{1,16}$/;
const NSO_CODE = /^[A-Z0-9]{2,10}-[A-Z0-9]{2,10}$/;
const E164 = /^\+[1-9]\d{1,14}$/;
const TRUNK_SID = /^[A-Za-z0-9]{6,64}$/;

export function isUnknown(v: unknown): boolean {
    return v === UNKNOWN;
}

export function checkTrunkName(v: unknown): string | undefined {
    if (typeof v !== "string") return `must be a string of 1-16 letters, digits or underscores; got ${typeof v}`;
    if (v === "") return "must not be empty";
    if (v.length > 16) return `must be at most 16 characters (Exotel's limit); got ${v.length}`;
    if (!TRUNK_NAME.test(v)) return `may contain only letters A-Z/a-z, digits and underscores; got ${show(v)}`;
    return undefined;
}

export function checkNsoCode(v: unknown): string | undefined {
    if (typeof v !== "string") return `must be a string such as "ANY-ANY"; got ${typeof v}`;
    if (!NSO_CODE.test(v)) return `must look like "ANY-ANY" (upper case, one hyphen); got ${show(v)}`;
    return undefined;
}

export function checkDomainName(v: unknown): string | undefined {
    if (typeof v !== "string") return `must be a string ending with ".pstn.exotel.com"; got ${typeof v}`;
    if (!v.endsWith(".pstn.exotel.com")) return `must end with ".pstn.exotel.com"; got ${show(v)}`;
    // The label before the suffix is the account SID in Exotel's default (`<accountSid>.pstn.exotel.com`), and an
    // account SID may hold `_` (CONFIG_TABLE.accountSid): that label is checked as one, every other as a host label.
    const labels = v.slice(0, -".pstn.exotel.com".length).split(".");
    const account = labels[labels.length - 1];
    const rest = [...labels.slice(0, -1), "x"].join(".") + ".pstn.exotel.com";
    if (!/^[A-Za-z0-9_-]{1,63}$/.test(account) || !checkFqdn(rest)) return `is not a valid host name; got ${show(v)}`;
    return undefined;
}

export function checkE164(v: unknown): string | undefined {
    if (typeof v !== "string") return `must be an E.164 string such as "+919876543210"; got ${typeof v}`;
    if (!E164.test(v)) return `must be E.164: "+", country code and number, 2-15 digits in all, no spaces; got ${show(v)}`;
    return undefined;
}

export function checkIp(v: unknown): string | undefined {
    if (typeof v !== "string") return `must be an IPv4 address string such as "203.0.113.10"; got ${typeof v}`;
    if (parseIpv4(v) === undefined) return `must be an IPv4 dotted quad (IPv6 and host names are not accepted by Exotel); got ${show(v)}`;
    return undefined;
}

export function checkMask(v: unknown): string | undefined {
    if (typeof v !== "number" || !Number.isInteger(v)) return `must be a whole number from 16 to 32; got ${show(v)}`;
    if (v < 16 || v > 32) return `must be from 16 to 32 (Exotel: "mask should be in-between 16 and 32"); got ${v}`;
    return undefined;
}

export interface ValidationContext {
    /** For the default domain name; undefined when exotel:accountSid is not configured. */
    accountSid?: string;
}

export interface ValidationResult {
    failures: Failure[];
    inputs: NormalizedInputs;
}

function checkList(property: string, v: unknown, failures: Failure[]): unknown[] {
    if (v === undefined || v === null) return [];
    if (isUnknown(v)) return [];
    if (!Array.isArray(v)) {
        failures.push({ property, reason: `must be a list; got ${typeof v}` });
        return [];
    }
    if (v.length > MAX_LIST_ITEMS) {
        failures.push({ property, reason: `has ${v.length} entries; at most ${MAX_LIST_ITEMS} are allowed per trunk` });
        return [];
    }
    return v;
}

function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Validates and normalizes raw resource inputs (the `news` of `check`). */
export function validateInputs(raw: Record<string, unknown>, ctx: ValidationContext = {}): ValidationResult {
    const failures: Failure[] = [];
    const add = (property: string, reason: string | undefined) => {
        if (reason) failures.push({ property, reason });
    };

    for (const key of Object.keys(raw)) {
        if (key === "__provider" || raw[key] === undefined || raw[key] === null) continue;
        if (!(INPUT_PROPERTIES as readonly string[]).includes(key)) {
            failures.push({ property: key, reason: `is not an ExotelTrunk property (known: ${INPUT_PROPERTIES.join(", ")})` });
        }
    }

    const trunkName = raw.trunkName;
    if (trunkName === undefined || trunkName === null) add("trunkName", "is required");
    else if (!isUnknown(trunkName)) add("trunkName", checkTrunkName(trunkName));

    const nsoCode = raw.nsoCode ?? "ANY-ANY";
    if (!isUnknown(nsoCode)) add("nsoCode", checkNsoCode(nsoCode));

    const connection = checkConnection(raw.connection, isUnknown, add);
    const accountSid = connection?.accountSid ?? ctx.accountSid;
    let domainName = raw.domainName;
    if (domainName === undefined || domainName === null) {
        if (accountSid) domainName = `${accountSid}.pstn.exotel.com`;
        else add("domainName", "has no default: set exotel:accountSid (or EXOTEL_ACCOUNT_SID), or set domainName");
    } else if (!isUnknown(domainName)) add("domainName", checkDomainName(domainName));

    const phoneNumbers: { phoneNumber: string; mode: NumberMode }[] = [];
    const seenNumbers = new Map<string, number>();
    checkList("phoneNumbers", raw.phoneNumbers, failures).forEach((item, i) => {
        const at = `phoneNumbers[${i}]`;
        if (isUnknown(item)) return;
        if (!isRecord(item)) return add(at, `must be an object { phoneNumber, mode? }; got ${show(item)}`);
        for (const k of Object.keys(item)) {
            if (k !== "phoneNumber" && k !== "mode") add(`${at}.${k}`, "is not a phone-number property (phoneNumber, mode)");
        }
        const mode = item.mode ?? "pstn";
        if (!isUnknown(mode) && mode !== "pstn" && mode !== "flow")
            add(`${at}.mode`, `must be "pstn" or "flow" (lower case); got ${show(mode)}`);
        if (isUnknown(item.phoneNumber)) return;
        const bad = item.phoneNumber === undefined ? "is required" : checkE164(item.phoneNumber);
        if (bad) return add(`${at}.phoneNumber`, bad);
        const n = item.phoneNumber as string;
        if (seenNumbers.has(n)) return add(`${at}.phoneNumber`, `duplicates phoneNumbers[${seenNumbers.get(n)}] (${n})`);
        seenNumbers.set(n, i);
        phoneNumbers.push({ phoneNumber: n, mode: mode as NumberMode });
    });

    const whitelistedIps: { ip: string; mask: number }[] = [];
    const seenIps = new Map<string, number>();
    checkList("whitelistedIps", raw.whitelistedIps, failures).forEach((item, i) => {
        const at = `whitelistedIps[${i}]`;
        if (isUnknown(item)) return;
        if (!isRecord(item)) return add(at, `must be an object { ip, mask? }; got ${show(item)}`);
        for (const k of Object.keys(item)) {
            if (k !== "ip" && k !== "mask") add(`${at}.${k}`, "is not a whitelisted-IP property (ip, mask)");
        }
        const mask = item.mask ?? 32;
        const maskBad = isUnknown(mask) ? undefined : checkMask(mask);
        add(`${at}.mask`, maskBad);
        if (isUnknown(item.ip)) return;
        const bad = item.ip === undefined ? "is required" : checkIp(item.ip);
        if (bad) return add(`${at}.ip`, bad);
        const ip = item.ip as string;
        if (seenIps.has(ip)) return add(`${at}.ip`, `duplicates whitelistedIps[${seenIps.get(ip)}] (${ip}); Exotel keeps one entry per IP`);
        seenIps.set(ip, i);
        if (!maskBad) whitelistedIps.push({ ip, mask: mask as number });
    });

    const destinationUris: string[] = [];
    const seenDest = new Map<string, number>();
    const ipsKnown = !isUnknown(raw.whitelistedIps) && !(Array.isArray(raw.whitelistedIps) && raw.whitelistedIps.some(isUnknownDeep));
    checkList("destinationUris", raw.destinationUris, failures).forEach((item, i) => {
        const at = `destinationUris[${i}]`;
        if (isUnknown(item)) return;
        if (typeof item !== "string") return add(at, `must be a string "<ip-or-fqdn>:<port>;transport=<tls|tcp|udp>"; got ${show(item)}`);
        const p = parseDestination(item);
        if (typeof p === "string") return add(at, p);
        const key = destinationKey(item);
        if (seenDest.has(key)) return add(at, `duplicates destinationUris[${seenDest.get(key)}] (${item})`);
        seenDest.set(key, i);
        if (p.isIp && ipsKnown && !whitelistedIps.some((w) => ipInCidr(p.host, w.ip, w.mask))) {
            if (!failures.some((f) => f.property.startsWith("whitelistedIps"))) {
                return add(
                    at,
                    `points at IP ${p.host}, which is not in this trunk's whitelistedIps (Exotel requires IP destinations to be whitelisted; FQDN destinations are not)`,
                );
            }
        }
        destinationUris.push(item);
    });

    const callerId = raw.callerId;
    if (callerId !== undefined && callerId !== null && !isUnknown(callerId)) add("callerId", checkE164(callerId));

    const adopt = raw.adoptTrunkSid;
    if (adopt !== undefined && adopt !== null && !isUnknown(adopt)) {
        if (typeof adopt !== "string" || !TRUNK_SID.test(adopt))
            add("adoptTrunkSid", `must be an Exotel trunk SID (letters and digits); got ${show(adopt)}`);
    }

    const credentials = checkCredentials(checkList("credentials", raw.credentials, failures), isUnknown, add);

    const byName = raw.adoptByName;
    if (byName !== undefined && byName !== null && !isUnknown(byName)) {
        if (typeof byName !== "boolean") add("adoptByName", `must be true or false; got ${show(byName)}`);
        else if (byName && adopt !== undefined && adopt !== null) {
            add("adoptByName", "cannot be combined with adoptTrunkSid: adopt by sid or by name, not both");
        }
    }

    const inputs: NormalizedInputs = {
        trunkName: trunkName as string,
        nsoCode: nsoCode as string,
        domainName: domainName as string,
        phoneNumbers: asGivenIfUnknown(raw.phoneNumbers, phoneNumbers),
        whitelistedIps: asGivenIfUnknown(raw.whitelistedIps, whitelistedIps),
        destinationUris: asGivenIfUnknown(raw.destinationUris, destinationUris),
    };
    // Credentials not given at all are not managed: whatever the trunk has is left alone.
    if (raw.credentials !== undefined && raw.credentials !== null) inputs.credentials = asGivenIfUnknown(raw.credentials, credentials);
    const conn = connection ?? asGivenIfUnknown(raw.connection, undefined);
    if (conn) inputs.connection = conn;
    if (callerId !== undefined && callerId !== null) inputs.callerId = callerId as string;
    if (adopt !== undefined && adopt !== null) inputs.adoptTrunkSid = adopt as string;
    if (byName !== undefined && byName !== null) inputs.adoptByName = byName as boolean;
    return { failures, inputs };
}

/** Whether a value, or an entry of a list, holds Pulumi's unknown marker. */
function holdsUnknown(v: unknown): boolean {
    return isUnknownDeep(v) || (Array.isArray(v) && v.some(isUnknownDeep));
}

/**
 * A value that is not known yet (a preview) is passed on as the program gave it, typed as what it will be
 * once known: the engine asks again with the real value before anything is sent. The one cast of this
 * kind in the validators.
 */
function asGivenIfUnknown<T>(raw: unknown, checked: T): T {
    return holdsUnknown(raw) ? (raw as T) : checked;
}

/** Whether a value holds Pulumi's unknown marker anywhere (a preview of values not yet known). */
export function isUnknownDeep(v: unknown): boolean {
    if (isUnknown(v)) return true;
    if (isRecord(v)) return Object.values(v).some(isUnknownDeep);
    return false;
}
