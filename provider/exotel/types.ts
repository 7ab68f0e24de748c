/** Exotel v2 SIP-trunking resource shapes, as returned in an envelope's `data` (snake_case, as on the wire). */

export interface TrunkData {
    trunk_sid: string;
    trunk_name: string;
    status?: string;
    domain_name?: string;
    auth_type?: string;
    registration_enabled?: string;
    edge_preference?: string;
    nso_code?: string;
    secure_trunking?: string;
    date_created?: string;
    date_updated?: string;
    destination_uris?: string;
    whitelisted_ips?: string;
    credentials?: string;
    phone_numbers?: string;
    [field: string]: unknown;
}

export interface PhoneNumberData {
    id: string;
    phone_number: string;
    trunk_sid?: string;
    /** `null` when created without a mode; behaves as "pstn". */
    mode: "pstn" | "flow" | null;
    date_created?: string;
    date_updated?: string;
}

export interface WhitelistedIpData {
    id: string;
    ip: string;
    mask: number;
    trunk_sid?: string;
    friendly_name?: string | null;
    date_created?: string;
    date_updated?: string;
}

export interface DestinationUriData {
    id: string;
    /** Stored with a `sip:` prefix. */
    destination: string;
    type?: string;
    priority?: number;
    weight?: number;
    trunk_sid?: string;
    date_created?: string;
    date_updated?: string;
}

export interface SettingData {
    name: string;
    value: string;
    trunk_sid?: string;
    date_created?: string;
    date_updated?: string;
}

/** [EXO2] §3: a SIP digest credential. The password is never returned. */
export interface CredentialData {
    id: string;
    trunk_sid?: string;
    user_name: string;
    friendly_name?: string | null;
    date_created?: string;
    date_updated?: string;
}

export interface ErrorData {
    code: number;
    message?: string;
    description?: string;
}

export interface ItemEnvelope<T = unknown> {
    code?: number;
    /** "success" or "failure" (other strings are tolerated). */
    status?: string;
    error_data?: ErrorData | null;
    data?: T | null;
}

export interface Envelope<T = unknown> {
    request_id?: string;
    method?: string;
    http_code?: number;
    metadata?: Record<string, unknown> | null;
    response?: ItemEnvelope<T> | ItemEnvelope<T>[];
}

export const TRUNK_EXTERNAL_ALIAS = "trunk_external_alias";
