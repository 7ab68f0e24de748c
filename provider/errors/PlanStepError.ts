import { initError, messageOf } from "../exotel/errors";
import { CurrentAttachments } from "../trunkTypes";

/** Thrown when a plan fails half-way: `applied` is what Exotel now holds, `step` what failed. */
export class PlanStepError extends Error {
    constructor(
        readonly step: string,
        readonly cause: unknown,
        readonly applied: CurrentAttachments,
    ) {
        super();
        initError(this, "PlanStepError", `${step} failed: ${messageOf(cause)}`);
    }
}
