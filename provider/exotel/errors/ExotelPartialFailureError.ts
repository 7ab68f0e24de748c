import { ExotelError, ExotelErrorDetails } from "./ExotelError";

/** One failed item of a batch (207) call, e.g. one destination URI. */
export interface ExotelItemFailure {
    index: number;
    item: string;
    code?: number;
    exotelCode?: number;
    message?: string;
    description?: string;
}

/** A batch call (destination URIs, settings) where some or all items failed. */
export class ExotelPartialFailureError extends ExotelError {
    readonly failures: ExotelItemFailure[];
    /** Data of the items that did succeed (already created at Exotel). */
    readonly succeeded: unknown[];
    constructor(details: ExotelErrorDetails, failures: ExotelItemFailure[], succeeded: unknown[]) {
        const list = failures
            .map((f) => `${f.item}: ${[f.message, f.description].filter(Boolean).join(": ")} (code ${f.exotelCode ?? f.code})`)
            .join("; ");
        super(
            details,
            `failed for ${failures.length} of ${failures.length + succeeded.length} item(s): ${list}`,
            "ExotelPartialFailureError",
        );
        this.failures = failures;
        this.succeeded = succeeded;
    }
}
