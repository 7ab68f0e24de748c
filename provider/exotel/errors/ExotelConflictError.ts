import { ExotelError, ExotelErrorDetails } from "./ExotelError";

/** 409 / 1008 duplicate resource, whether it came as HTTP 409 or as HTTP 200 with a 409 body. */
export class ExotelConflictError extends ExotelError {
    constructor(details: ExotelErrorDetails, summary?: string) {
        super(details, summary, "ExotelConflictError");
    }
}
