import { initError } from "../exotel/errors";
import { ProviderState } from "../trunkTypes";

/** An error the engine turns into a partially created/updated resource: it keeps `id` and `properties` in state. */
export class ResourceStateError extends Error {
    constructor(
        message: string,
        readonly id: string,
        readonly properties: ProviderState,
        readonly reasons: string[],
    ) {
        super();
        initError(this, "ResourceStateError", message);
    }
}
