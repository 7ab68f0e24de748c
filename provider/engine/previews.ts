/**
 * What the engine shows before anything is sent, and what `pulumi import` writes: a per-property diff, the
 * outputs of a previewed create or update (known where the inputs say what they will be, `UNKNOWN` where
 * Exotel decides), and the inputs of a trunk as read. Pure functions over the field table.
 */
import { OUTPUT_NAMES, OutputName, STABLE_NAMES, TRUNK_FIELDS, TrunkField } from "../trunkFields";
import { CheckedInputs, NormalizedInputs, TrunkOutputs } from "../trunkTypes";
import { isUnknown, UNKNOWN, Unknown } from "../unknown";

/** Pulumi's PropertyDiff kinds (pulumirpc.PropertyDiff.Kind). */
export type DiffKind = "ADD" | "ADD_REPLACE" | "DELETE" | "DELETE_REPLACE" | "UPDATE" | "UPDATE_REPLACE";
export type DetailedDiff = Record<string, { kind: DiffKind; inputDiff: boolean }>;

/** Outputs as a preview has them: any of them may be unknown. */
export type PreviewOutputs = { [K in OutputName]: TrunkOutputs[K] | Unknown };

const empty = (v: unknown) => v === undefined || v === null || (Array.isArray(v) && v.length === 0);

/**
 * One entry per changed property: added (nothing before), deleted (nothing now) or updated (also when not
 * known yet), `_REPLACE` when its change replaces the trunk. `inputDiff` is false for what is not an input
 * (the account or region the provider now points at).
 */
export function detailedDiff(
    olds: Partial<TrunkOutputs>,
    news: Partial<CheckedInputs>,
    changed: string[],
    replaces: string[],
): DetailedDiff {
    const out: DetailedDiff = {};
    for (const p of changed) {
        const was = (olds as Record<string, unknown>)[p];
        const now = (news as Record<string, unknown>)[p];
        const base = isUnknown(now) ? "UPDATE" : empty(was) && !empty(now) ? "ADD" : !empty(was) && empty(now) ? "DELETE" : "UPDATE";
        const isInput = (TRUNK_FIELDS as Record<string, TrunkField>)[p]?.input !== undefined;
        out[p] = { kind: replaces.includes(p) ? `${base}_REPLACE` : base, inputDiff: isInput };
    }
    return out;
}

/** Where the trunk will be, as the provider is configured. */
export interface Placement {
    accountSid: string | Unknown;
    region: string | Unknown;
}

/**
 * The outputs a preview shows for a create: what the inputs fix is known (name, codes, destination URIs as
 * written, caller ID, account, region); what Exotel assigns (the sid, ids, dates) is unknown.
 */
export function previewCreate(inputs: CheckedInputs, at: Placement): PreviewOutputs {
    const out = Object.fromEntries(OUTPUT_NAMES.map((k) => [k, UNKNOWN])) as PreviewOutputs;
    return {
        ...out,
        trunkName: inputs.trunkName,
        nsoCode: inputs.nsoCode,
        domainName: inputs.domainName,
        accountSid: at.accountSid,
        region: at.region,
        destinationUris: inputs.destinationUris,
        callerId: inputs.callerId ?? null,
    };
}

/**
 * The outputs a preview shows for an in-place update: the trunk's own (the field table's stable ones,
 * `trunkSid` first) as they are; an attachment list kept when it does not change, unknown when it does
 * (Exotel assigns the new ids); destination URIs and caller ID as the inputs say.
 */
export function previewUpdate(olds: TrunkOutputs, news: CheckedInputs, changed: string[]): PreviewOutputs {
    const kept = <K extends OutputName>(k: K, input: string = k) => (changed.includes(input) ? UNKNOWN : (olds[k] ?? null));
    const out = Object.fromEntries(STABLE_NAMES.map((k) => [k, olds[k] ?? null])) as Pick<PreviewOutputs, (typeof STABLE_NAMES)[number]>;
    return {
        ...out,
        phoneNumbers: kept("phoneNumbers"),
        whitelistedIps: kept("whitelistedIps"),
        destinations: kept("destinations", "destinationUris"),
        credentials: kept("credentials"),
        destinationUris: news.destinationUris,
        callerId: news.callerId ?? null,
    } as PreviewOutputs;
}

/**
 * The inputs that describe a trunk as read (what `pulumi import` writes into the generated program): name,
 * codes, numbers, IPs, destinations as written, caller ID. Credentials are left out (Exotel never returns a
 * password): an imported trunk's credentials stay unmanaged until the program lists them.
 */
export function inputsOf(outs: TrunkOutputs): Partial<NormalizedInputs> {
    const inputs: Partial<NormalizedInputs> = {
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
