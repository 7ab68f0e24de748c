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
        let root = Object.getPrototypeOf(self);
        while (Object.getPrototypeOf(root) && Object.getPrototypeOf(root) !== Object.prototype) root = Object.getPrototypeOf(root);
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
    /** Attempts made before giving up, when the retry policy ran out. */
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

/** 404 / code 1000: the trunk or sub-resource does not exist (or, with 403/1003, is not visible to this account). */
export class ExotelNotFoundError extends ExotelError {
    constructor(details: ExotelErrorDetails, summary?: string) {
        super(details, summary, "ExotelNotFoundError");
    }
}
/** 401 / 1010 (bad key, token or regional host) and 403 / 1003 (trunk of another account, or anti-enumeration). */
export class ExotelAuthError extends ExotelError {
    constructor(details: ExotelErrorDetails, summary?: string) {
        super(details, summary, "ExotelAuthError");
    }
}
/** 409 / 1008 duplicate resource, whether it came as HTTP 409 or as HTTP 200 with a 409 body. */
export class ExotelConflictError extends ExotelError {
    constructor(details: ExotelErrorDetails, summary?: string) {
        super(details, summary, "ExotelConflictError");
    }
}
/** 400 / 1001, 1002, 1007; 415 / 1011; 422 / 1020. Deterministic: never retried. */
export class ExotelValidationError extends ExotelError {
    constructor(details: ExotelErrorDetails, summary?: string) {
        super(details, summary, "ExotelValidationError");
    }
}
/** 429 / 1030. */
export class ExotelRateLimitError extends ExotelError {
    constructor(details: ExotelErrorDetails, summary?: string) {
        super(details, summary, "ExotelRateLimitError");
    }
}
/** 5xx. */
export class ExotelServerError extends ExotelError {
    constructor(details: ExotelErrorDetails, summary?: string) {
        super(details, summary, "ExotelServerError");
    }
}
/** No usable answer: connection refused or reset, DNS, timeout, unparseable body. */
export class ExotelNetworkError extends ExotelError {
    /** Node's error code (ECONNRESET, ECONNABORTED, ETIMEDOUT, ...), never the URL. */
    readonly causeCode?: string;
    constructor(details: ExotelErrorDetails, summary: string, causeCode?: string) {
        super(details, summary, "ExotelNetworkError");
        this.causeCode = causeCode;
    }
}
/** An operation gave up: its deadline passed or its attempts ran out. Wraps the last error. */
export class ExotelTimeoutError extends ExotelError {
    constructor(details: ExotelErrorDetails, summary?: string) {
        super(details, summary, "ExotelTimeoutError");
    }
}

/** One failed item of a batch (207) call, e.g. one destination URI. */
export interface ExotelItemFailure {
    index: number;
    item: string;
    code?: number;
    exotelCode?: number;
    message?: string;
    description?: string;
}

/** A batch call (destination URIs, settings) where some or all items failed. */
export class ExotelPartialFailureError extends ExotelError {
    readonly failures: ExotelItemFailure[];
    /** Data of the items that did succeed (already created at Exotel). */
    readonly succeeded: unknown[];
    constructor(details: ExotelErrorDetails, failures: ExotelItemFailure[], succeeded: unknown[]) {
        const list = failures
            .map((f) => `${f.item}: ${[f.message, f.description].filter(Boolean).join(": ")} (code ${f.exotelCode ?? f.code})`)
            .join("; ");
        super(details, `failed for ${failures.length} of ${failures.length + succeeded.length} item(s): ${list}`, "ExotelPartialFailureError");
        this.failures = failures;
        this.succeeded = succeeded;
    }
}

/** Chooses the error class for an Exotel failure from the body's code first, then the HTTP status. */
export function classifyFailure(d: ExotelErrorDetails): ExotelError {
    const code = d.responseCode ?? d.httpStatus;
    const e = d.exotelCode;
    if (e === 1010 || e === 1003 || code === 401 || code === 403) return new ExotelAuthError(d);
    if (e === 1000 || code === 404) return new ExotelNotFoundError(d);
    if (e === 1008 || code === 409) return new ExotelConflictError(d);
    if (e === 1030 || code === 429) return new ExotelRateLimitError(d);
    if (code >= 500) return new ExotelServerError(d);
    if (code >= 400) return new ExotelValidationError(d);
    return new ExotelError(d, "returned a failure");
}
