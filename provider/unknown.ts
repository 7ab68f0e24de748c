/**
 * A value not known yet (a preview of an update whose inputs come from resources still being created), as a
 * type of its own: the controller and the planners see `UNKNOWN`, never the engine's string sentinel where
 * an entry or a string is expected. The adapters turn the wire's sentinel (the dynamic-provider host and the
 * plugin protocol both use Pulumi's UUID) into `UNKNOWN` on the way in and back on the way out.
 */

/** Pulumi's placeholder for a computed value on the wire (sdk/nodejs/runtime/rpc.ts `unknownValue`). */
export const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The one unknown value. A class so that `instanceof` and the type checker tell it from every known value. */
export class Unknown {
    private readonly unknown = true;
    toJSON(): string {
        return UNKNOWN_SENTINEL;
    }
}

export const UNKNOWN = new Unknown();

/** A value, or not known yet. */
export type MaybeUnknown<T> = T | Unknown;

export function isUnknown(v: unknown): v is Unknown {
    return v instanceof Unknown;
}

/** Whether `v` is unknown or holds an unknown at any depth. */
export function hasUnknown(v: unknown): boolean {
    if (isUnknown(v)) return true;
    if (Array.isArray(v)) return v.some(hasUnknown);
    if (typeof v === "object" && v !== null) return Object.values(v).some(hasUnknown);
    return false;
}

/** The wire's sentinel strings, at any depth, as `UNKNOWN`. */
export function unknownsFromWire(v: unknown): unknown {
    if (v === UNKNOWN_SENTINEL) return UNKNOWN;
    if (Array.isArray(v)) return v.map(unknownsFromWire);
    if (typeof v === "object" && v !== null && !isUnknown(v))
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unknownsFromWire(x)]));
    return v;
}

/** `UNKNOWN`, at any depth, as the wire's sentinel string. */
export function unknownsToWire(v: unknown): unknown {
    if (isUnknown(v)) return UNKNOWN_SENTINEL;
    if (Array.isArray(v)) return v.map(unknownsToWire);
    if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unknownsToWire(x)]));
    return v;
}
