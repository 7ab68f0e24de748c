import { ExotelError, ExotelErrorDetails } from "./ExotelError";

/**
 * An answer arrived, but not one Exotel's API gives: a redirect (never followed, so the credentials
 * only ever go to the configured host), a success status without an Exotel JSON envelope (a proxy or
 * captive page, an empty body), or a content type that is not JSON. Never retried: asking again gets
 * the same answer, and a wrong base URL should fail at once, not after minutes of backoff.
 */
export class ExotelProtocolError extends ExotelError {
    constructor(details: ExotelErrorDetails, summary: string) {
        super(details, summary, "ExotelProtocolError");
    }
}
