/**
 * pulumi-exotel's public API, listed by hand: whatever is exported here, users will import, and it can
 * then not change without a major version. tests/publicApi.test.ts pins these names.
 *
 * Internal entries: `pulumi-exotel/runtime` (what the provider proxy stored in state loads; not for
 * programs) and `pulumi-exotel/emulator` (the offline Exotel emulator).
 */

/** The SIP trunk resource, with everything attached to it, its arguments and a credential. */
export { ExotelTrunk } from "./program/trunk";
export type { ExotelCredentialArgs, ExotelTrunkArgs } from "./program/trunk";

/** Trunks as data (GitOps): a checked YAML/JSON file of trunks, one ExotelTrunk per entry. */
export { loadTrunksFile, TRUNKS_FILE_SCHEMA, trunksFromFile } from "./gitops/trunksFile";
export type { TrunkEntry, TrunkSummary, TrunksFromFileOptions, TrunksFromFileResult } from "./gitops/trunksFile";
export { TrunksFileError } from "./errors";

/** Read-only lookups (data sources): plain async functions and Output forms for programs. */
export { getTrunk, getTrunkOutput, listTrunks, listTrunksOutput } from "./lookups";
export type { LookupOptions, TrunkInfo, TrunkLookup } from "./lookups";

/** Shapes of the resource's arguments and outputs, and of an Exotel account (`connection`). */
export type {
    CredentialOutput,
    DestinationOutput,
    ExotelConnection,
    NumberMode,
    PhoneNumberInput,
    PhoneNumberOutput,
    TrunkOutputs,
    WhitelistedIpInput,
    WhitelistedIpOutput,
} from "./trunkTypes";

/**
 * Errors of the Exotel client, for code that calls Exotel through this package (the emulator's users,
 * tests): the base class and one subclass per kind of failure. Each carries the HTTP status, Exotel's
 * error code and request id, and never a credential.
 */
export {
    ExotelAuthError,
    ExotelConflictError,
    ExotelError,
    ExotelNetworkError,
    ExotelNotFoundError,
    ExotelPartialFailureError,
    ExotelProtocolError,
    ExotelRateLimitError,
    ExotelServerError,
    ExotelTimeoutError,
    ExotelValidationError,
} from "./exotel/errors";
export type { ExotelErrorDetails, ExotelItemFailure } from "./exotel/errors";
