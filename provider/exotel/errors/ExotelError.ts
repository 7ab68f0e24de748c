/**
 * Note on the class shapes below: they are kept safe for Pulumi's closure serializer, for anyone who
 * serializes ExotelTrunkProvider itself (our ExotelTrunk stores a small proxy that `require`s this
 * code instead). The serializer rewrites `super(...)` into `Base.call(this, ...)`: calling the built-in
 * Error that way sets neither `message` nor `stack`, implicit subclass constructors lose their
 * arguments, `new.target` is undefined and the prototype chain loses Error.prototype. So every class
 * has an explicit constructor and `initError` sets name, message, stack and the chain by hand.
 *
 * Typed errors of the Exotel client. Every error carries what a user needs to act (HTTP status, Exotel
 * error code, description, request id, the method and path it came from) and never the credentials:
 * paths are stored without host or user-info, and nothing from the request headers is kept.
 */

export interface ExotelErrorDetails {
    /** HTTP status line of the answer (0 when no answer arrived). */
    httpStatus: number;
    /** `response.code` of Exotel's envelope: trusted over the HTTP status (a 200 may carry a 409). */
    responseCode?: number;
    /** `error_data.code`: Exotel's 1000-range error code. */
    exotelCode?: number;
    /** `error_data.message` / `error_data.description`. */
    exotelMessage?: string;
    description?: string;
    requestId?: string;
    method: string;
    /** Path and query only (never host, never user-info). */
    path: string;
    /** Seconds the server asked us to wait (Retry-After), when given. */
    retryAfterSeconds?: number;
}

/** Sets what `super(message)` would, in a way that survives serialization. */
export function initError(self: Error, name: string, message: string): void {
    if (!(self instanceof Error)) {
        // Serialized classes lose the link from their prototype to Error.prototype: restore it at
        // the root of the chain, so `instanceof Error` and Error's toString hold again.
        let root = Object.getPrototypeOf(self) as object;
        while (Object.getPrototypeOf(root) && Object.getPrototypeOf(root) !== Object.prototype)
            root = Object.getPrototypeOf(root) as object;
        Object.setPrototypeOf(root, Error.prototype);
    }
    self.name = name;
    self.message = message;
    if (typeof Error.captureStackTrace === "function") Error.captureStackTrace(self, self.constructor);
    else self.stack = `${name}: ${message}`;
}

/** The message of anything thrown (also when a serialized error class is not an `Error`). */
export function messageOf(err: unknown): string {
    if (err && typeof err === "object" && typeof (err as { message?: unknown }).message === "string") return (err as Error).message;
    return String(err);
}

export class ExotelError extends Error {
    readonly httpStatus: number;
    readonly responseCode?: number;
    readonly exotelCode?: number;
    readonly exotelMessage?: string;
    readonly description?: string;
    readonly requestId?: string;
    readonly method: string;
    readonly path: string;
    readonly retryAfterSeconds?: number;
    /**
     * Attempts made, set when the retry loop gave up on this error: the retry budget ran out (this error is
     * the last one, thrown as it was) or the deadline would pass (on the ExotelTimeoutError, whose `cause`
     * is the last error).
     */
    attempts?: number;

    constructor(details: ExotelErrorDetails, summary?: string, name = "ExotelError") {
        super();
        initError(this, name, formatError(details, summary));
        this.httpStatus = details.httpStatus;
        this.responseCode = details.responseCode;
        this.exotelCode = details.exotelCode;
        this.exotelMessage = details.exotelMessage;
        this.description = details.description;
        this.requestId = details.requestId;
        this.method = details.method;
        this.path = details.path;
        this.retryAfterSeconds = details.retryAfterSeconds;
    }
}

export function formatError(d: ExotelErrorDetails, summary?: string): string {
    const parts: string[] = [`Exotel ${d.method} ${d.path}`];
    parts.push(summary ?? "failed");
    const info: string[] = [];
    if (d.httpStatus) info.push(`HTTP ${d.httpStatus}`);
    if (d.responseCode !== undefined && d.responseCode !== d.httpStatus) info.push(`response.code ${d.responseCode}`);
    if (d.exotelCode !== undefined) info.push(`code ${d.exotelCode}`);
    if (d.requestId) info.push(`request_id ${d.requestId}`);
    let text = parts.join(" ");
    if (info.length) text += ` (${info.join(", ")})`;
    const why = [d.exotelMessage, d.description].filter((s, i, a) => s && a.indexOf(s) === i).join(": ");
    if (why) text += `: ${why}`;
    return text;
}
