/** What the emulator stores per account (Exotel's wire shapes, snake_case) and its options. */

export interface ErrorData {
    code: number;
    message: string;
    description: string;
}

export interface Answer {
    status: number;
    body: Record<string, unknown>;
}

export interface TrunkRec {
    trunk_sid: string;
    trunk_name: string;
    status: string;
    domain_name: string;
    auth_type: string;
    registration_enabled: string;
    edge_preference: string;
    nso_code: string;
    secure_trunking: string;
    date_created: string;
    date_updated: string;
}

export interface NumberRec {
    id: string;
    phone_number: string;
    trunk_sid: string;
    mode: "pstn" | "flow" | null;
    date_created: string;
    date_updated: string;
}
export interface IpRec {
    id: string;
    ip: string;
    mask: number;
    trunk_sid: string;
    friendly_name: null;
    date_created: string;
    date_updated: string;
}
export interface DestRec {
    id: string;
    destination: string;
    type: string;
    priority: number;
    weight: number;
    trunk_sid: string;
    date_created: string;
    date_updated: string;
}
export interface SettingRec {
    name: string;
    value: string;
    trunk_sid: string;
    date_created: string;
    date_updated: string;
}
export interface CredentialRec {
    id: string;
    trunk_sid: string;
    user_name: string;
    friendly_name: string | null;
    date_created: string;
    date_updated: string;
}

export interface AccountData {
    trunks: TrunkRec[];
    numbers: NumberRec[];
    ips: IpRec[];
    destinations: DestRec[];
    settings: SettingRec[];
    credentials: CredentialRec[];
}

export interface StoreOptions {
    /** How an unknown trunk_sid is answered: Exotel's current docs (404/1000) or the Aug 2025 live tests (403/1003). */
    unknownTrunk: "404" | "403";
    /** HTTP status of a duplicate trunk name: 200 with a 409 body (measured live) or a real 409 (docs). */
    duplicateTrunkHttpStatus: 200 | 409;
    /** Whether deleting a trunk also removes its credentials (sources disagree). */
    cascadeCredentials: boolean;
    /**
     * `GET …/credentials`: "works" lists them; "empty" answers an empty list whatever exists, as captured
     * when the endpoint was withdrawn from Exotel's reference as "not working properly" (HIST E11).
     */
    credentialListing: "works" | "empty";
    /** trunk_sid prefix: `trmum1` (Mumbai, as captured). */
    sidPrefix: string;
    persistPath?: string;
}

export const DEFAULT_STORE_OPTIONS: StoreOptions = {
    unknownTrunk: "404",
    duplicateTrunkHttpStatus: 200,
    cascadeCredentials: true,
    credentialListing: "works",
    sidPrefix: "trmum1",
};
