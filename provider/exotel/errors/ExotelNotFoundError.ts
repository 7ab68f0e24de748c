import { ExotelError, ExotelErrorDetails } from "./ExotelError";

/** 404 / code 1000: the trunk or sub-resource does not exist (or, with 403/1003, is not visible to this account). */
export class ExotelNotFoundError extends ExotelError {
    constructor(details: ExotelErrorDetails, summary?: string) {
        super(details, summary, "ExotelNotFoundError");
    }
}
