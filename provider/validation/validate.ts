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
import { destinationKey, ipInCidr, parseDestination, show } from "./destination";
import { checkCredentials } from "./credentials";
import { checkE164, checkIp, checkMask } from "./scalars";
import { INPUT_NAMES, OBJECT_TYPES, TRUNK_FIELDS } from "../trunkFields";
import { CheckedInputs, NumberMode } from "../trunkTypes";
import { hasUnknown, isUnknown, UNKNOWN } from "../unknown";

export { checkDomainName, checkE164, checkIp, checkMask, checkNsoCode, checkTrunkName, checkTrunkSid } from "./scalars";

export interface Failure {
    property: string;
    reason: string;
}

export const MAX_LIST_ITEMS = 200;
/** The list entries' properties, from the field table's object types. */
const NUMBER_KEYS = Object.keys(OBJECT_TYPES.PhoneNumber.properties);
const IP_KEYS = Object.keys(OBJECT_TYPES.WhitelistedIp.properties);

export interface ValidationContext {
    /** For the default domain name; undefined when exotel:accountSid is not configured. */
    accountSid?: string;
}

export interface ValidationResult {
    failures: Failure[];
    /** Defaults filled in; a property that holds an unknown anywhere is `UNKNOWN` as a whole (known once the engine asks again). */
    inputs: CheckedInputs;
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
        if (!(INPUT_NAMES as readonly string[]).includes(key)) {
            failures.push({ property: key, reason: `is not an ExotelTrunk property (known: ${INPUT_NAMES.join(", ")})` });
        }
    }

    const trunkName = raw.trunkName;
    if (trunkName === undefined || trunkName === null) add("trunkName", "is required");
    else if (!isUnknown(trunkName)) add("trunkName", TRUNK_FIELDS.trunkName.check(trunkName));

    const nsoCode = raw.nsoCode ?? "ANY-ANY";
    if (!isUnknown(nsoCode)) add("nsoCode", TRUNK_FIELDS.nsoCode.check(nsoCode));

    const connection = checkConnection(raw.connection, isUnknown, add);
    const accountSid = connection?.accountSid ?? ctx.accountSid;
    let domainName = raw.domainName;
    if (domainName === undefined || domainName === null) {
        if (accountSid) domainName = `${accountSid}.pstn.exotel.com`;
        else if (hasUnknown(raw.connection)) domainName = UNKNOWN;
        else add("domainName", "has no default: set exotel:accountSid (or EXOTEL_ACCOUNT_SID), or set domainName");
    } else if (!isUnknown(domainName)) add("domainName", TRUNK_FIELDS.domainName.check(domainName));

    const phoneNumbers: { phoneNumber: string; mode: NumberMode }[] = [];
    const seenNumbers = new Map<string, number>();
    checkList("phoneNumbers", raw.phoneNumbers, failures).forEach((item, i) => {
        const at = `phoneNumbers[${i}]`;
        if (isUnknown(item)) return;
        if (!isRecord(item)) return add(at, `must be an object { phoneNumber, mode? }; got ${show(item)}`);
        for (const k of Object.keys(item)) {
            if (!NUMBER_KEYS.includes(k)) add(`${at}.${k}`, `is not a phone-number property (${NUMBER_KEYS.join(", ")})`);
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
            if (!IP_KEYS.includes(k)) add(`${at}.${k}`, `is not a whitelisted-IP property (${IP_KEYS.join(", ")})`);
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
    const ipsKnown = !hasUnknown(raw.whitelistedIps);
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
    if (callerId !== undefined && callerId !== null && !isUnknown(callerId)) add("callerId", TRUNK_FIELDS.callerId.check(callerId));

    const adopt = raw.adoptTrunkSid;
    if (adopt !== undefined && adopt !== null && !isUnknown(adopt)) add("adoptTrunkSid", TRUNK_FIELDS.adoptTrunkSid.check(adopt));

    const credentials = checkCredentials(checkList("credentials", raw.credentials, failures), isUnknown, add);

    const byName = raw.adoptByName;
    if (byName !== undefined && byName !== null && !isUnknown(byName)) {
        if (typeof byName !== "boolean") add("adoptByName", `must be true or false; got ${show(byName)}`);
        else if (byName && adopt !== undefined && adopt !== null) {
            add("adoptByName", "cannot be combined with adoptTrunkSid: adopt by sid or by name, not both");
        }
    }

    const inputs: CheckedInputs = {
        trunkName: known(trunkName, trunkName as string),
        nsoCode: known(nsoCode, nsoCode as string),
        domainName: known(domainName, domainName as string),
        phoneNumbers: known(raw.phoneNumbers, phoneNumbers),
        whitelistedIps: known(raw.whitelistedIps, whitelistedIps),
        destinationUris: known(raw.destinationUris, destinationUris),
    };
    // Credentials not given at all are not managed: whatever the trunk has is left alone.
    if (raw.credentials !== undefined && raw.credentials !== null) inputs.credentials = known(raw.credentials, credentials);
    if (hasUnknown(raw.connection)) inputs.connection = UNKNOWN;
    else if (connection) inputs.connection = connection;
    if (callerId !== undefined && callerId !== null) inputs.callerId = known(callerId, callerId as string);
    if (adopt !== undefined && adopt !== null) inputs.adoptTrunkSid = known(adopt, adopt as string);
    if (byName !== undefined && byName !== null) inputs.adoptByName = known(byName, byName as boolean);
    return { failures, inputs };
}

/**
 * The checked value of a property, or `UNKNOWN` when the program's value holds an unknown anywhere: the
 * engine asks again with the real value before anything is sent, and a partly known list is no list to plan.
 */
function known<T>(raw: unknown, checked: T): T | typeof UNKNOWN {
    return hasUnknown(raw) ? UNKNOWN : checked;
}
