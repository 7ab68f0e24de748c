/**
 * What `exotel:index:Trunk` answers that a dynamic provider cannot: a per-property diff, outputs for
 * previews (known where the inputs say what they will be), and the inputs of a trunk read by
 * `pulumi import`. Pure functions over plain values; the gRPC server (server.ts) wraps them.
 */
import { NormalizedInputs, OUTPUT_KEYS, STABLE_ON_UPDATE, TrunkOutputs } from "../trunkTypes";
import { DYNAMIC_ONLY_INPUTS } from "./schema";
import { Json, UNKNOWN } from "./wire";

/** Pulumi's PropertyDiff kinds (pulumirpc.PropertyDiff.Kind). */
export type DiffKind = "ADD" | "ADD_REPLACE" | "DELETE" | "DELETE_REPLACE" | "UPDATE" | "UPDATE_REPLACE";

const empty = (v: unknown) => v === undefined || v === null || (Array.isArray(v) && v.length === 0);

/**
 * One entry per changed property, keyed by its name: added (nothing before), deleted (nothing now) or
 * updated, `_REPLACE` when its change replaces the trunk. `inputDiff` is false for what is not an input
 * (the account or region the provider now points at).
 */
export function detailedDiff(
    olds: Partial<TrunkOutputs>,
    news: Partial<NormalizedInputs>,
    changed: string[],
    replaces: string[],
): Record<string, { kind: DiffKind; inputDiff: boolean }> {
    const out: Record<string, { kind: DiffKind; inputDiff: boolean }> = {};
    for (const p of changed) {
        const was = (olds as Record<string, unknown>)[p];
        const now = (news as Record<string, unknown>)[p];
        const base = empty(was) && !empty(now) ? "ADD" : !empty(was) && empty(now) ? "DELETE" : "UPDATE";
        const isInput = p !== "accountSid" && p !== "region";
        out[p] = { kind: replaces.includes(p) ? `${base}_REPLACE` : base, inputDiff: isInput };
    }
    return out;
}

/** Where the trunk will be, as the provider is configured. */
export interface Placement {
    accountSid: string;
    region: string;
}

/**
 * The outputs a preview shows for a create: what the inputs fix is known (name, codes, destination
 * URIs as written, caller ID, account, region); what Exotel assigns (the sid, ids, dates) is unknown.
 */
export function previewCreate(inputs: NormalizedInputs, at: Placement): Record<string, Json> {
    const out: Record<string, Json> = {};
    for (const k of OUTPUT_KEYS) out[k] = UNKNOWN;
    Object.assign(out, {
        trunkName: inputs.trunkName,
        nsoCode: inputs.nsoCode,
        domainName: inputs.domainName,
        accountSid: at.accountSid,
        region: at.region,
        destinationUris: inputs.destinationUris,
        callerId: inputs.callerId ?? null,
    });
    return out;
}

/**
 * The outputs a preview shows for an in-place update: the trunk's own (STABLE_ON_UPDATE, `trunkSid`
 * first) as they are; an attachment list kept when it does not change, unknown when it does (Exotel
 * assigns the new ids); destination URIs and caller ID as the inputs say.
 */
export function previewUpdate(olds: TrunkOutputs, news: NormalizedInputs, changed: string[]): Record<string, Json> {
    const out: Record<string, Json> = {};
    for (const k of STABLE_ON_UPDATE) out[k] = (olds[k] ?? null) as Json;
    out.phoneNumbers = changed.includes("phoneNumbers") ? UNKNOWN : (olds.phoneNumbers as unknown as Json);
    out.whitelistedIps = changed.includes("whitelistedIps") ? UNKNOWN : (olds.whitelistedIps as unknown as Json);
    out.destinations = changed.includes("destinationUris") ? UNKNOWN : (olds.destinations as unknown as Json);
    out.credentials = changed.includes("credentials") ? UNKNOWN : (olds.credentials as unknown as Json);
    out.destinationUris = news.destinationUris;
    out.callerId = news.callerId ?? null;
    return out;
}

/**
 * The inputs that describe a trunk as read (what `pulumi import` writes into the generated program):
 * name, codes, numbers, IPs, destinations as written, caller ID. Credentials are left out (Exotel never
 * returns a password): an imported trunk's credentials stay unmanaged until the program lists them.
 */
export function inputsOf(outs: TrunkOutputs): Record<string, Json> {
    const inputs: Record<string, Json> = {
        trunkName: outs.trunkName,
        nsoCode: outs.nsoCode,
        domainName: outs.domainName,
        phoneNumbers: outs.phoneNumbers.map((n) => ({ phoneNumber: n.phoneNumber, mode: n.mode ?? "pstn" })),
        whitelistedIps: outs.whitelistedIps.map((w) => ({ ip: w.ip, mask: w.mask })),
        destinationUris: outs.destinationUris,
    };
    if (outs.callerId) inputs.callerId = outs.callerId;
    return inputs;
}

/** A check failure for each input only the dynamic ExotelTrunk takes, saying what the plugin offers instead. */
export function dynamicOnlyFailures(news: Record<string, unknown>): { property: string; reason: string }[] {
    const instead: Record<(typeof DYNAMIC_ONLY_INPUTS)[number], string> = {
        connection: "give the trunk an explicit provider (`new exotel.Provider(...)`, `options: provider:` in YAML) for another account",
        adoptTrunkSid: "bring an existing trunk under the stack with `pulumi import exotel:index:Trunk <name> <trunkSid>`",
        adoptByName: "bring an existing trunk under the stack with `pulumi import exotel:index:Trunk <name> <trunkSid>`",
    };
    return DYNAMIC_ONLY_INPUTS.filter((k) => news[k] !== undefined).map((k) => ({
        property: k,
        reason: `${k} is an input of the dynamic ExotelTrunk only; with exotel:index:Trunk, ${instead[k]}`,
    }));
}
