import { ExotelError, ExotelErrorDetails } from "./ExotelError";

/** An operation gave up: its deadline passed or its attempts ran out. Wraps the last error. */
export class ExotelTimeoutError extends ExotelError {
    constructor(details: ExotelErrorDetails, summary?: string) {
        super(details, summary, "ExotelTimeoutError");
    }
}
