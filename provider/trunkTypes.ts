/** Shapes of the ExotelTrunk resource: what users write, what `check` normalizes it to, what state holds. */
import type * as pulumi from "@pulumi/pulumi";

export type NumberMode = "pstn" | "flow";

export interface PhoneNumberInput {
    /** E.164, e.g. +919876543210. */
    phoneNumber: string;
    /** Defaults to "pstn" (Exotel stores an omitted mode as null, which behaves as pstn). */
    mode?: NumberMode;
}

export interface WhitelistedIpInput {
    /** IPv4 dotted quad. */
    ip: string;
    /** CIDR prefix length 16..32, default 32. */
    mask?: number;
}

export interface CredentialInput {
    /** The SIP digest user name the PBX registers with; unique per trunk. */
    userName: string;
    /** A Pulumi secret (ExotelTrunk wraps a plain string in `pulumi.secret`). Never logged, never in an error. */
    password: string;
    /** At most 32 letters, digits or `_`. */
    friendlyName?: string;
}

/**
 * An Exotel account, instead of the stack's `exotel:*` config: the same settings as
 * `exotel:accountSid/apiKey/apiToken/region/baseUrl`. The one public shape of an account, taken by
 * ExotelTrunk, the lookups (plain async forms take it with plain values) and `trunksFromFile`.
 */
export type ExotelConnection = {
    [K in keyof ConnectionSettings]: pulumi.Input<NonNullable<ConnectionSettings[K]>>;
};

/** An account as the provider uses it: ExotelConnection with its values resolved (internal). */
export interface ConnectionSettings {
    accountSid: string;
    apiKey: string;
    /** A Pulumi secret (ExotelTrunk wraps a plain string in `pulumi.secret`). */
    apiToken: string;
    /** `mumbai` or `singapore`; or a `baseUrl` (the emulator). */
    region?: string;
    baseUrl?: string;
}

/** Inputs after `check`: defaults filled in. */
export interface NormalizedInputs {
    trunkName: string;
    nsoCode: string;
    domainName: string;
    phoneNumbers: { phoneNumber: string; mode: NumberMode }[];
    whitelistedIps: { ip: string; mask: number }[];
    destinationUris: string[];
    callerId?: string;
    adoptTrunkSid?: string;
    adoptByName?: boolean;
    /** Absent: the trunk's credentials are not managed (left as they are); `[]`: it has none. */
    credentials?: CredentialInput[];
    connection?: ConnectionSettings;
}

export interface PhoneNumberOutput {
    id: string;
    phoneNumber: string;
    mode: NumberMode;
}

export interface WhitelistedIpOutput {
    id: string;
    ip: string;
    mask: number;
}

export interface CredentialOutput {
    id: string;
    userName: string;
    friendlyName: string | null;
    /** As last written (Exotel never returns it); "" for a credential adopted from Exotel, so the next up sets it. */
    password: string;
}

export interface DestinationOutput {
    id: string;
    /** As the user wrote it (no `sip:` prefix unless the user wrote one). */
    uri: string;
    /** As Exotel stores it (with `sip:`). */
    sipUri: string;
    type?: string;
    priority?: number;
    weight?: number;
}

/** Everything the resource exposes; also the state the provider works from. */
export interface TrunkOutputs {
    trunkSid: string;
    trunkName: string;
    nsoCode: string;
    domainName: string;
    accountSid: string;
    region: string;
    /** Exotel's trunk fields (documented ones only); null when Exotel's answer has no value. */
    status: string | null;
    authType: string | null;
    registrationEnabled: string | null;
    edgePreference: string | null;
    secureTrunking: string | null;
    dateCreated: string | null;
    dateUpdated: string | null;
    /** Exotel's relative links to the trunk's sub-collections. */
    links: { phoneNumbers?: string; whitelistedIps?: string; destinationUris?: string; credentials?: string };
    phoneNumbers: PhoneNumberOutput[];
    whitelistedIps: WhitelistedIpOutput[];
    destinationUris: string[];
    destinations: DestinationOutput[];
    /** null when the trunk has no caller ID. */
    callerId: string | null;
    /** A secret output (it holds the passwords). */
    credentials: CredentialOutput[];
    adoptTrunkSid?: string;
    adoptByName?: boolean;
    /** Kept so that refresh, update and destroy reach the same account; a secret output. */
    connection?: ConnectionSettings;
}

/** Inputs as the provider hooks receive them: normalized by `check`, plus the serialized proxy. */
export type ProviderInputs = NormalizedInputs & { __provider?: string };

/** State as the provider hooks receive it: the outputs, plus the serialized proxy. */
export type ProviderState = TrunkOutputs & { __provider?: string };

/** The hooks both the proxy stored in state and the implementation it loads serve, with the same types. */
export type TrunkResourceProvider = pulumi.dynamic.ResourceProvider<ProviderInputs, ProviderState>;

/**
 * Every output of ExotelTrunk, declared once: the resource class creates an Output for each (Pulumi
 * makes Outputs only for keys passed to the resource), and the tests check the provider returns them.
 */
export const OUTPUT_KEYS = [
    "trunkSid",
    "trunkName",
    "nsoCode",
    "domainName",
    "accountSid",
    "region",
    "status",
    "authType",
    "registrationEnabled",
    "edgePreference",
    "secureTrunking",
    "dateCreated",
    "dateUpdated",
    "links",
    "phoneNumbers",
    "whitelistedIps",
    "destinationUris",
    "destinations",
    "callerId",
    "credentials",
] as const satisfies readonly (keyof TrunkOutputs)[];

export type OutputKey = (typeof OUTPUT_KEYS)[number];

/** Outputs that are `null` when Exotel's answer has no value (the trunk's own fields, and the caller ID); the rest always hold one. */
export const NULLABLE_OUTPUTS = [
    "status",
    "authType",
    "registrationEnabled",
    "edgePreference",
    "secureTrunking",
    "dateCreated",
    "dateUpdated",
    "callerId",
] as const satisfies readonly OutputKey[];
/** Outputs an in-place update never changes (the trunk itself; only attachments and caller ID move). */
export const STABLE_ON_UPDATE = OUTPUT_KEYS.filter(
    (k) => !["phoneNumbers", "whitelistedIps", "destinationUris", "destinations", "callerId", "credentials"].includes(k),
);

/** Input property names; anything else is rejected by `check` and never sent to Exotel. */
export const INPUT_PROPERTIES = [
    "trunkName",
    "nsoCode",
    "domainName",
    "phoneNumbers",
    "whitelistedIps",
    "destinationUris",
    "callerId",
    "adoptTrunkSid",
    "adoptByName",
    "credentials",
    "connection",
] as const;

/** Inputs whose change replaces the trunk (names are unique at Exotel, so delete first). */
export const REPLACE_PROPERTIES = ["trunkName", "nsoCode", "domainName"] as const;

/** What a trunk has attached at Exotel, as the outputs record it (planning, applying and errors share it). */
export interface CurrentAttachments {
    phoneNumbers: PhoneNumberOutput[];
    whitelistedIps: WhitelistedIpOutput[];
    destinations: DestinationOutput[];
    callerId?: string;
    credentials: CredentialOutput[];
}
