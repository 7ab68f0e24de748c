import { ExotelError, ExotelErrorDetails } from "./ExotelError";

/**
 * An operation gave up because its deadline (`exotel:operationTimeoutSeconds`) would pass before the next
 * attempt. `cause` is the last error; `attempts` the attempts made. (When the retry budget runs out
 * first, the last error itself is thrown, with `attempts` set: see `withRetry`.)
 */
export class ExotelTimeoutError extends ExotelError {
    readonly cause?: ExotelError;

    constructor(details: ExotelErrorDetails, summary?: string, cause?: ExotelError) {
        super(details, summary, "ExotelTimeoutError");
        this.cause = cause;
    }
}
