import { ExotelAuthError } from "./ExotelAuthError";
import { ExotelConflictError } from "./ExotelConflictError";
import { ExotelError, ExotelErrorDetails } from "./ExotelError";
import { ExotelNotFoundError } from "./ExotelNotFoundError";
import { ExotelRateLimitError } from "./ExotelRateLimitError";
import { ExotelServerError } from "./ExotelServerError";
import { ExotelValidationError } from "./ExotelValidationError";

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
