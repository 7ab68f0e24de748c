/**
 * Shapes of the trunk: what users write, what `check` normalizes it to, what state holds. Every shape is
 * derived from the field table (trunkFields.ts); nothing here restates a property.
 */
import type * as pulumi from "@pulumi/pulumi";
import {
    FieldInputs,
    FieldOutputs,
    INPUT_NAMES,
    NULLABLE_NAMES,
    ObjectValue,
    OUTPUT_NAMES,
    OutputName,
    REPLACE_NAMES,
    STABLE_NAMES,
} from "./trunkFields";
import { Unknown } from "./unknown";

export type NumberMode = NonNullable<ObjectValue<"PhoneNumber">["mode"]>;
export type PhoneNumberInput = ObjectValue<"PhoneNumber">;
export type WhitelistedIpInput = ObjectValue<"WhitelistedIp">;
export type CredentialInput = ObjectValue<"Credential">;

/**
 * An Exotel account, instead of the stack's `exotel:*` config: the same settings as
 * `exotel:accountSid/apiKey/apiToken/region/baseUrl`. The one public shape of an account, taken by
 * ExotelTrunk, the lookups (plain async forms take it with plain values) and `trunksFromFile`.
 */
export type ExotelConnection = {
    [K in keyof ConnectionSettings]: pulumi.Input<NonNullable<ConnectionSettings[K]>>;
};

/** An account as the provider uses it: ExotelConnection with its values resolved (internal). */
export type ConnectionSettings = ObjectValue<"Connection">;

/** Inputs after `check`: defaults filled in (numbers' `mode`, IPs' `mask`, `nsoCode`, `domainName`, empty lists). */
export type NormalizedInputs = Omit<FieldInputs, "nsoCode" | "domainName" | "phoneNumbers" | "whitelistedIps" | "destinationUris"> & {
    nsoCode: string;
    domainName: string;
    phoneNumbers: Required<PhoneNumberInput>[];
    whitelistedIps: Required<WhitelistedIpInput>[];
    destinationUris: string[];
};

/** Checked inputs as a preview may have them: any property may be not known yet. */
export type CheckedInputs = { [K in keyof NormalizedInputs]: NormalizedInputs[K] | Unknown };

export type PhoneNumberOutput = ObjectValue<"MappedPhoneNumber">;
export type WhitelistedIpOutput = ObjectValue<"MappedWhitelistedIp">;
export type CredentialOutput = ObjectValue<"MappedCredential">;
export type DestinationOutput = ObjectValue<"Destination">;

/** Everything the resource exposes, plus the inputs kept in state as written; also the state the provider works from. */
export type TrunkOutputs = FieldOutputs & { adoptTrunkSid?: string; adoptByName?: boolean; connection?: ConnectionSettings };

/** Inputs as the provider hooks receive them: normalized by `check`, plus the serialized proxy. */
export type ProviderInputs = NormalizedInputs & { __provider?: string };

/** State as the provider hooks receive it: the outputs, plus the serialized proxy. */
export type ProviderState = TrunkOutputs & { __provider?: string };

/** The hooks both the proxy stored in state and the implementation it loads serve, with the same types. */
export type TrunkResourceProvider = pulumi.dynamic.ResourceProvider<ProviderInputs, ProviderState>;

/** Every output of the trunk (the field table's order). */
export const OUTPUT_KEYS = OUTPUT_NAMES;
export type OutputKey = OutputName;
/** Outputs that are `null` when Exotel's answer has no value. */
export const NULLABLE_OUTPUTS = NULLABLE_NAMES;
/** Outputs an in-place update never changes (the trunk itself; only attachments and caller ID move). */
export const STABLE_ON_UPDATE = STABLE_NAMES;
/** Input property names; anything else is rejected by `check` and never sent to Exotel. */
export const INPUT_PROPERTIES = INPUT_NAMES;
/** Inputs whose change replaces the trunk (names are unique at Exotel, so delete first). */
export const REPLACE_PROPERTIES = REPLACE_NAMES;

/** What a trunk has attached at Exotel, as the outputs record it (planning, applying and errors share it). */
export interface CurrentAttachments {
    phoneNumbers: PhoneNumberOutput[];
    whitelistedIps: WhitelistedIpOutput[];
    destinations: DestinationOutput[];
    callerId?: string;
    credentials: CredentialOutput[];
}
