import { ExotelError, ExotelErrorDetails } from "./ExotelError";

/**
 * No answer arrived: connection refused or reset, DNS failure, request timeout. Retried (the request may
 * not have reached Exotel, or its answer was lost).
 */
export class ExotelNetworkError extends ExotelError {
    /** Node's error code (ECONNRESET, ECONNABORTED, ETIMEDOUT, ...), never the URL. */
    readonly causeCode?: string;
    constructor(details: ExotelErrorDetails, summary: string, causeCode?: string) {
        super(details, summary, "ExotelNetworkError");
        this.causeCode = causeCode;
    }
}
