/**
 * The read-only lookups' core: one trunk by sid or by name, or every trunk of an account, as outputs
 * (credentials as listed, never a password). Shared by the program's lookups (lookups.ts) and the
 * provider plugin's functions `exotel:index:getTrunk` / `exotel:index:listTrunks`. GET requests only.
 */
import { ExotelClient } from "../exotel/client";
import { TrunkData } from "../exotel/types";
import { readAttachments } from "./attachments";
import { trunkOutputs } from "./outputs";
import { CredentialOutput, OutputKey, TrunkOutputs } from "../trunkTypes";

/** What a lookup returns: the trunk's outputs, with credentials as listed (no passwords). */
export type TrunkInfo = Omit<Pick<TrunkOutputs, OutputKey>, "credentials"> & {
    credentials: Omit<CredentialOutput, "password">[];
};

export type TrunkLookup = { trunkSid: string; trunkName?: never } | { trunkName: string; trunkSid?: never };

/** An account's client, its region (for the outputs) and a fresh operation deadline per trunk read. */
export interface LookupAccount {
    client: ExotelClient;
    region: string;
    deadline: () => number;
}

/** A trunk as a lookup returns it; with `withAttachments` false its attachments are not read (left empty). */
async function describe(a: LookupAccount, trunk: TrunkData, withAttachments: boolean): Promise<TrunkInfo> {
    const c = a.client;
    const attached = withAttachments
        ? await readAttachments(c, trunk.trunk_sid, { deadline: a.deadline() }, undefined, [], { list: true })
        : { phoneNumbers: [], whitelistedIps: [], destinations: [], credentials: [] };
    const { credentials, ...outs } = trunkOutputs(trunk, attached, {
        accountSid: c.accountSid,
        region: a.region,
        known: { trunkName: trunk.trunk_name, nsoCode: trunk.nso_code ?? "", domainName: trunk.domain_name ?? "" },
        kept: {},
    });
    return { ...outs, credentials: credentials.map(({ password: _never, ...rest }) => rest) };
}

/** One trunk, by sid or by name. Fails clearly when there is none. */
export async function lookupTrunk(a: LookupAccount, lookup: TrunkLookup): Promise<TrunkInfo> {
    const c = a.client;
    const what = lookup.trunkSid !== undefined ? `trunk ${lookup.trunkSid}` : `trunk named "${lookup.trunkName}"`;
    const trunk =
        lookup.trunkSid !== undefined
            ? await c.getTrunk(lookup.trunkSid, { deadline: a.deadline() })
            : await c.findTrunkByName(lookup.trunkName, { deadline: a.deadline() });
    if (!trunk) throw new Error(`getTrunk: Exotel account ${c.accountSid} has no ${what}`);
    return describe(a, trunk, true);
}

/** Every trunk of the account, in the order Exotel lists them; `onProgress` after each trunk read. */
export async function lookupTrunks(
    a: LookupAccount,
    withAttachments = true,
    onProgress?: (done: number, total: number) => void,
): Promise<TrunkInfo[]> {
    const trunks = await a.client.listTrunks({ deadline: a.deadline() });
    if (!withAttachments) return Promise.all(trunks.map((t) => describe(a, t, false)));
    const out: TrunkInfo[] = [];
    for (const t of trunks) {
        out.push(await describe(a, t, true));
        onProgress?.(out.length, trunks.length);
    }
    return out;
}
