/**
 * The single-value validators of the trunk's scalar inputs (the field table names each property's own):
 * pure, no I/O; each returns the reason a value is refused, or undefined.
 */
import { parseIpv4, show } from "./destination";
import { checkFqdn } from "./destination";

const TRUNK_NAME = /^[A-Za-z0-9_]{1,16}$/;
const NSO_CODE = /^[A-Z0-9]{2,10}-[A-Z0-9]{2,10}$/;
const E164 = /^\+[1-9]\d{1,14}$/;
const TRUNK_SID = /^[A-Za-z0-9]{6,64}$/;

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

export function checkTrunkSid(v: unknown): string | undefined {
    if (typeof v !== "string" || !TRUNK_SID.test(v)) return `must be an Exotel trunk SID (letters and digits); got ${show(v)}`;
    return undefined;
}
