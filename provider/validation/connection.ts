/**
 * A per-resource Exotel account (`connection`): validated by `check` like the stack's `exotel:*` config,
 * with the same parsers (CONFIG_TABLE), and overlaid on it. The token never appears in a reason.
 */
import { CONFIG_TABLE } from "../config";
import { OBJECT_TYPES } from "../trunkFields";
import { ConnectionSettings } from "../trunkTypes";

/** The connection's properties, from the field table's object type. */
const KEYS = Object.keys(OBJECT_TYPES.Connection.properties) as (keyof typeof OBJECT_TYPES.Connection.properties)[];

export function checkConnection(
    raw: unknown,
    isUnknown: (v: unknown) => boolean,
    add: (property: string, reason: string) => void,
): ConnectionSettings | undefined {
    if (raw === undefined || raw === null || isUnknown(raw)) return undefined;
    if (typeof raw !== "object" || Array.isArray(raw)) {
        add("connection", "must be an object { accountSid, apiKey, apiToken, region? | baseUrl? }");
        return undefined;
    }
    const c = raw as Record<string, unknown>;
    let ok = true;
    const fail = (k: string, reason: string) => {
        ok = false;
        add(`connection.${k}`, reason);
    };
    for (const k of Object.keys(c))
        if (!(KEYS as readonly string[]).includes(k)) fail(k, `is not a connection property (${KEYS.join(", ")})`);
    for (const k of ["accountSid", "apiKey", "apiToken"] as const) {
        if (isUnknown(c[k])) continue;
        if (typeof c[k] !== "string" || c[k] === "") fail(k, "is required (a non-empty string)");
    }
    const parse = (k: "accountSid" | "region" | "baseUrl") => {
        const v = c[k];
        if (v === undefined || v === null || isUnknown(v) || typeof v !== "string") return;
        try {
            CONFIG_TABLE[k].parse(v);
        } catch (e) {
            fail(k, (e as Error).message);
        }
    };
    parse("accountSid");
    parse("region");
    parse("baseUrl");
    if ((c.region === undefined || c.region === null) && (c.baseUrl === undefined || c.baseUrl === null)) {
        fail("region", 'is required unless baseUrl is set ("mumbai" or "singapore")');
    }
    if (!ok || KEYS.some((k) => isUnknown(c[k]))) return undefined;
    const out: ConnectionSettings = { accountSid: c.accountSid as string, apiKey: c.apiKey as string, apiToken: c.apiToken as string };
    if (typeof c.region === "string") out.region = c.region.toLowerCase();
    if (typeof c.baseUrl === "string") out.baseUrl = c.baseUrl;
    return out;
}
