import { ExotelError, ExotelErrorDetails } from "./ExotelError";

/** 5xx. */
export class ExotelServerError extends ExotelError {
    constructor(details: ExotelErrorDetails, summary?: string) {
        super(details, summary, "ExotelServerError");
    }
}
