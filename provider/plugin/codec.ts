/**
 * The plugin's wire codec. The engine sends a provider that answers `acceptSecrets` plain JSON (a protobuf
 * Struct) in which a secret is `{ [SIG]: SECRET_SIG, value }` at any depth and a value not known yet is
 * Pulumi's sentinel string. `decode` gives the values (secrets unwrapped, unknowns as `UNKNOWN`) and the
 * paths that were secret; `encode` writes values back with the given paths marked secret. Pure, no gRPC.
 */
import { UNKNOWN, unknownsToWire, UNKNOWN_SENTINEL } from "../unknown";

/** Pulumi's signature key for special values in a property map (sdk/go/common/resource/plugin/rpc.go). */
export const SIG = "4dabf18193072939515e22adb298388d";
/** The signature of a secret value. */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
/** Where a value sits in a property map: property names and list indexes. */
export type Path = readonly (string | number)[];

export interface Decoded {
    values: Record<string, unknown>;
    /** Every path that held a secret (outermost first). */
    secrets: Path[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isSecret = (v: unknown): v is { value: unknown } => isObject(v) && v[SIG] === SECRET_SIG;

export function decode(props: Record<string, unknown> | undefined): Decoded {
    const secrets: Path[] = [];
    const walk = (v: unknown, at: Path): unknown => {
        if (isSecret(v)) {
            secrets.push(at);
            return walk(v.value, at);
        }
        if (v === UNKNOWN_SENTINEL) return UNKNOWN;
        if (Array.isArray(v)) return v.map((x, i) => walk(x, [...at, i]));
        if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, [...at, k])]));
        return v;
    };
    const values: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(props ?? {})) values[k] = walk(v, [k]);
    return { values, secrets };
}

/** The top-level property names of these paths. */
export function topLevel(paths: Iterable<Path>): Set<string> {
    return new Set([...paths].map((p) => String(p[0])));
}

/**
 * The values as the engine takes them: unknowns as the sentinel, each path marked secret. A path that the
 * values no longer hold (an entry `check` dropped) marks the nearest value above it; an absent or null
 * top-level value is left as it is. Undefined values are left out.
 */
export function encode(values: Record<string, unknown>, secrets: Iterable<Path>): Record<string, Json> {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(values)) if (v !== undefined) out[k] = unknownsToWire(v) as Json;
    // Deepest first, so that wrapping an outer value keeps the inner marks inside it.
    const paths = [...secrets].sort((a, b) => b.length - a.length);
    for (const path of paths) {
        // The containers down the path as far as the values hold it (never into a value already marked).
        const chain: [Record<string | number, Json>, string | number][] = [];
        let cur: Json = out;
        for (const seg of path) {
            if (isSecret(cur) || !(Array.isArray(cur) || isObject(cur))) break;
            const container = cur as Record<string | number, Json>;
            if (container[seg] === undefined) break;
            chain.push([container, seg]);
            cur = container[seg];
        }
        const last = chain[chain.length - 1];
        if (!last) continue;
        const [container, key] = last;
        const v = container[key];
        if (isSecret(v) || (v === null && chain.length === 1)) continue;
        container[key] = { [SIG]: SECRET_SIG, value: v };
    }
    return out;
}
