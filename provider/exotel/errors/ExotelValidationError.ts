import { ExotelError, ExotelErrorDetails } from "./ExotelError";

/** 400 / 1001, 1002, 1007; 415 / 1011; 422 / 1020. Deterministic: never retried. */
export class ExotelValidationError extends ExotelError {
    constructor(details: ExotelErrorDetails, summary?: string) {
        super(details, summary, "ExotelValidationError");
    }
}
