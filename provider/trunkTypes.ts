/** Shapes of the ExotelTrunk resource: what users write, what `check` normalizes it to, what state holds. */

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

/** An Exotel account to manage a trunk in, instead of the stack's `exotel:*` config. */
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
    status?: string;
    authType?: string;
    registrationEnabled?: string;
    edgePreference?: string;
    secureTrunking?: string;
    dateCreated?: string;
    dateUpdated?: string;
    /** Exotel's relative links to the trunk's sub-collections. */
    links: { phoneNumbers?: string; whitelistedIps?: string; destinationUris?: string; credentials?: string };
    phoneNumbers: PhoneNumberOutput[];
    whitelistedIps: WhitelistedIpOutput[];
    destinationUris: string[];
    destinations: DestinationOutput[];
    /** null when the trunk has no caller ID. */
    callerId?: string | null;
    /** A secret output (it holds the passwords). */
    credentials: CredentialOutput[];
    adoptTrunkSid?: string;
    adoptByName?: boolean;
    /** Kept so that refresh, update and destroy reach the same account; a secret output. */
    connection?: ConnectionSettings;
    /** Any other trunk field Exotel returns, camelCased. */
    [extra: string]: unknown;
}

/** Inputs as the provider hooks receive them: normalized by `check`, plus the serialized proxy. */
export type ProviderInputs = NormalizedInputs & { __provider?: string };

/** State as the provider hooks receive it: the outputs, plus the serialized proxy. */
export type ProviderState = TrunkOutputs & { __provider?: string };

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
