import { ExotelError, ExotelErrorDetails } from "./ExotelError";

/**
 * The operation was cancelled (Pulumi's `Cancel`, after Ctrl-C) before this request was sent: no request was
 * started after the cancellation. Never retried. Requests already in flight are answered, not abandoned, so
 * that what they did at Exotel is known and recorded.
 */
export class ExotelCancelledError extends ExotelError {
    constructor(details: ExotelErrorDetails, summary?: string) {
        super(details, summary ?? "not sent: the operation was cancelled", "ExotelCancelledError");
    }
}
