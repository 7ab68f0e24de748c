import { ExotelError, ExotelErrorDetails } from "./ExotelError";

/** 429 / 1030. */
export class ExotelRateLimitError extends ExotelError {
    constructor(details: ExotelErrorDetails, summary?: string) {
        super(details, summary, "ExotelRateLimitError");
    }
}
