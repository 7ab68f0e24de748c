/**
 * The one mapping from what Exotel holds to ExotelTrunk's outputs. Every key of OUTPUT_KEYS is present
 * in the result, `null` when Exotel has no value: a key missing from state would read as unknown in
 * every later preview.
 */
import { TrunkData } from "../exotel/types";
import { ConnectionSettings, CurrentAttachments, OUTPUT_KEYS, TrunkOutputs } from "../trunkTypes";

const LINK_FIELDS: Record<string, keyof TrunkOutputs["links"]> = {
    phone_numbers: "phoneNumbers",
    whitelisted_ips: "whitelistedIps",
    destination_uris: "destinationUris",
    credentials: "credentials",
};

/** Where the trunk lives and what state knew of it, for fields Exotel's answer may leave out. */
export interface OutputContext {
    accountSid: string;
    region: string;
    /** Fallbacks for the trunk's own fields when Exotel's answer omits them. */
    known: { trunkName: string; nsoCode: string; domainName: string };
    kept: Kept;
}

/**
 * Input-only fields kept in state as the user wrote them: how the trunk came under the stack (only read
 * at create) and the account it lives in (read by refresh, update and destroy).
 */
export interface Kept {
    adoptTrunkSid?: string;
    adoptByName?: boolean;
    connection?: ConnectionSettings;
}

/** A trunk field as an output: Exotel's string, or null when its answer has none. */
const field = (v: unknown): string | null => (v === undefined || v === null ? null : typeof v === "string" ? v : JSON.stringify(v));

/** Exotel's trunk and its attachments -> every output (its documented fields camelCased; link fields under `links`). */
export function trunkOutputs(trunk: TrunkData, attached: CurrentAttachments, ctx: OutputContext): TrunkOutputs {
    const links: TrunkOutputs["links"] = {};
    for (const [k, name] of Object.entries(LINK_FIELDS)) {
        const link = field(trunk[k]);
        if (link !== null) links[name] = link;
    }
    const out: TrunkOutputs = {
        status: field(trunk.status),
        authType: field(trunk.auth_type),
        registrationEnabled: field(trunk.registration_enabled),
        edgePreference: field(trunk.edge_preference),
        secureTrunking: field(trunk.secure_trunking),
        dateCreated: field(trunk.date_created),
        dateUpdated: field(trunk.date_updated),
        trunkSid: trunk.trunk_sid,
        trunkName: trunk.trunk_name ?? ctx.known.trunkName,
        nsoCode: trunk.nso_code ?? ctx.known.nsoCode,
        domainName: trunk.domain_name ?? ctx.known.domainName,
        accountSid: ctx.accountSid,
        region: ctx.region,
        links,
        ...attachmentOutputs(attached),
    };
    return complete(out, ctx.kept);
}

/** State after an in-place update: the trunk's own fields are unchanged, the attachments are `attached`. */
export function withAttachments(state: TrunkOutputs, attached: CurrentAttachments, kept: Kept): TrunkOutputs {
    return complete({ ...state, ...attachmentOutputs(attached) }, kept);
}

/** The attachments as they are read back from state (null caller ID = none). */
export function attachmentsOf(state: Partial<TrunkOutputs>): CurrentAttachments {
    return {
        phoneNumbers: state.phoneNumbers ?? [],
        whitelistedIps: state.whitelistedIps ?? [],
        destinations: state.destinations ?? [],
        callerId: state.callerId ?? undefined,
        credentials: state.credentials ?? [],
    };
}

function attachmentOutputs(a: CurrentAttachments) {
    return {
        phoneNumbers: a.phoneNumbers,
        whitelistedIps: a.whitelistedIps,
        destinationUris: a.destinations.map((d) => d.uri),
        destinations: a.destinations,
        callerId: a.callerId ?? null,
        credentials: a.credentials,
    };
}

function complete(out: TrunkOutputs, kept: Kept): TrunkOutputs {
    const { __provider: _p, adoptTrunkSid: _s, adoptByName: _b, connection: _c, ...rest } = out as TrunkOutputs & { __provider?: string };
    const result: TrunkOutputs = { ...rest };
    if (kept.adoptTrunkSid !== undefined) result.adoptTrunkSid = kept.adoptTrunkSid;
    if (kept.adoptByName !== undefined) result.adoptByName = kept.adoptByName;
    if (kept.connection !== undefined) result.connection = kept.connection;
    // State written by older versions may lack a key: a key missing from state reads as unknown in previews.
    for (const k of OUTPUT_KEYS) if (result[k] === undefined) Object.assign(result, { [k]: null });
    return result;
}

/** Keeps the order state had (Exotel lists newest first); new entries follow. */
function orderLike<T extends { id: string }>(fresh: T[], before: { id: string }[] | null | undefined): T[] {
    const rank = new Map((before ?? []).map((x, i) => [x.id, i]));
    const at = (x: T) => rank.get(x.id) ?? Number.MAX_SAFE_INTEGER;
    return fresh
        .map((x, i) => ({ x, i }))
        .sort((a, b) => at(a.x) - at(b.x) || b.i - a.i)
        .map(({ x }) => x);
}

/** Attachments read from Exotel, in the order state had them (so a refresh shows no reordering). */
export function inStateOrder(a: CurrentAttachments, state: Partial<TrunkOutputs>): CurrentAttachments {
    return {
        ...a,
        phoneNumbers: orderLike(a.phoneNumbers, state.phoneNumbers),
        whitelistedIps: orderLike(a.whitelistedIps, state.whitelistedIps),
        destinations: orderLike(a.destinations, state.destinations),
    };
}
