import { ExotelError, ExotelErrorDetails } from "./ExotelError";

/** 401 / 1010 (bad key, token or regional host) and 403 / 1003 (trunk of another account, or anti-enumeration). */
export class ExotelAuthError extends ExotelError {
    constructor(details: ExotelErrorDetails, summary?: string) {
        super(details, summary, "ExotelAuthError");
    }
}
