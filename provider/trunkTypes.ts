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
    callerId?: string;
    adoptTrunkSid?: string;
    /** Any other trunk field Exotel returns, camelCased. */
    [extra: string]: unknown;
}

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
] as const;

/** Inputs whose change replaces the trunk (names are unique at Exotel, so delete first). */
export const REPLACE_PROPERTIES = ["trunkName", "nsoCode", "domainName"] as const;
