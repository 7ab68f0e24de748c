/** Typed errors of the Exotel client, one class per file (after sindresorhus/ky's `errors/`). */
export { ExotelError, formatError, initError, messageOf } from "./ExotelError";
export type { ExotelErrorDetails } from "./ExotelError";
export { ExotelAuthError } from "./ExotelAuthError";
export { ExotelCancelledError } from "./ExotelCancelledError";
export { ExotelConflictError } from "./ExotelConflictError";
export { ExotelNetworkError } from "./ExotelNetworkError";
export { ExotelNotFoundError } from "./ExotelNotFoundError";
export { ExotelPartialFailureError } from "./ExotelPartialFailureError";
export type { ExotelItemFailure } from "./ExotelPartialFailureError";
export { ExotelProtocolError } from "./ExotelProtocolError";
export { ExotelRateLimitError } from "./ExotelRateLimitError";
export { ExotelServerError } from "./ExotelServerError";
export { ExotelTimeoutError } from "./ExotelTimeoutError";
export { ExotelValidationError } from "./ExotelValidationError";
export { classifyFailure } from "./classify";
