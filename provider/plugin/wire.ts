/**
 * Property values as the engine sends them to a provider plugin that answers `acceptSecrets`: plain
 * JSON, where a secret is `{ [SIG]: SECRET_SIG, value }` and a value not known yet (a preview) is the
 * string UNKNOWN. Pure functions, no gRPC: the server converts protobuf Structs to JSON and back.
 */

/** Pulumi's signature key for special values in a property map (sdk/go/common/resource/plugin/rpc.go). */
export const SIG = "4dabf18193072939515e22adb298388d";
/** The signature of a secret value. */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** A computed value, not known until the resource it depends on exists (the same sentinel the dynamic host passes). */
export { UNKNOWN, isUnknownDeep } from "../validation/validate";

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isSecret(v: unknown): v is { value: Json } {
    return typeof v === "object" && v !== null && !Array.isArray(v) && (v as Record<string, unknown>)[SIG] === SECRET_SIG;
}

/** Wraps a value as a secret for the engine (already-wrapped values stay as they are). */
export function secret(value: Json): Json {
    return isSecret(value) ? value : { [SIG]: SECRET_SIG, value };
}

/** The value with every secret wrapper removed, and whether any part of it was secret. */
export function unwrap(v: unknown): { value: Json; secret: boolean } {
    if (isSecret(v)) return { value: unwrap(v.value).value, secret: true };
    if (Array.isArray(v)) {
        let any = false;
        const value = v.map((x) => {
            const u = unwrap(x);
            any ||= u.secret;
            return u.value;
        });
        return { value, secret: any };
    }
    if (typeof v === "object" && v !== null) {
        let any = false;
        const value: Record<string, Json> = {};
        for (const [k, x] of Object.entries(v)) {
            const u = unwrap(x);
            any ||= u.secret;
            value[k] = u.value;
        }
        return { value, secret: any };
    }
    return { value: v as Json, secret: false };
}

/** The top-level properties of a property map with secrets unwrapped, and the names of those that held one. */
export function unwrapProperties(props: Record<string, unknown> | undefined): { values: Record<string, Json>; secrets: Set<string> } {
    const values: Record<string, Json> = {};
    const secrets = new Set<string>();
    for (const [k, v] of Object.entries(props ?? {})) {
        const u = unwrap(v);
        values[k] = u.value;
        if (u.secret) secrets.add(k);
    }
    return { values, secrets };
}

/** The property map with the named top-level properties wrapped as secrets (absent and null ones left as they are). */
export function wrapProperties(values: Record<string, unknown>, secrets: Iterable<string>): Record<string, Json> {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(values)) if (v !== undefined) out[k] = v as Json;
    for (const k of secrets) if (out[k] !== undefined && out[k] !== null) out[k] = secret(out[k]);
    return out;
}
