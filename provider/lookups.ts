/**
 * Read-only lookups (data sources): one trunk by sid or by name, or every trunk of an account, with its
 * numbers, IPs, destinations, caller ID and credentials as Exotel lists them (never a password). They
 * use the stack's `exotel:*` config (and EXOTEL_* variables), or a `connection`, like ExotelTrunk.
 *
 * Plain async functions (`getTrunk`, `listTrunks`) for scripts and tests, and Output forms
 * (`getTrunkOutput`, `listTrunksOutput`) for programs. They run in the program's process, also during
 * `pulumi preview` (GET requests only).
 */
import * as pulumi from "@pulumi/pulumi";
import { readAttachments } from "./engine/attachments";
import { resolveConfig } from "./config";
import { ExotelClient } from "./exotel/client";
import { TrunkData } from "./exotel/types";
import { trunkOutputs } from "./engine/outputs";
import { CredentialOutput, ExotelConnection, OutputKey, TrunkOutputs } from "./trunkTypes";

/** What a lookup returns: the trunk's outputs, with credentials as listed (no passwords). */
export type TrunkInfo = Omit<Pick<TrunkOutputs, OutputKey>, "credentials"> & {
    credentials: Omit<CredentialOutput, "password">[];
};

export type TrunkLookup = { trunkSid: string; trunkName?: never } | { trunkName: string; trunkSid?: never };

export interface LookupOptions {
    /** Another account than the stack's (the same shape as ExotelTrunk's `connection`). */
    connection?: pulumi.Unwrap<ExotelConnection>;
    /** For `listTrunks`: read each trunk's attachments too (5 GETs per trunk). Default true. */
    withAttachments?: boolean;
    /** For `listTrunks`: called after each trunk is read (large accounts take a while at Exotel's rate limit). */
    onProgress?: (done: number, total: number) => void;
}

function clientFor(opts: LookupOptions | undefined): { client: ExotelClient; region: string; deadline: () => number } {
    const s = resolveConfig((k) => pulumi.runtime.getConfig(k), process.env, opts?.connection);
    if (!s.client) throw new Error(`Exotel lookup is not configured: ${s.problems.join("; ")}`);
    // One operation deadline per trunk read (a whole large account takes longer than one operation may).
    return { client: new ExotelClient(s.client), region: s.region, deadline: () => Date.now() + s.operationTimeoutMs };
}

/** A trunk as a lookup returns it; without `deadline`, its attachments are not read (left empty). */
async function describe(c: ExotelClient, region: string, trunk: TrunkData, deadline?: () => number): Promise<TrunkInfo> {
    const a = deadline
        ? await readAttachments(c, trunk.trunk_sid, { deadline: deadline() }, undefined, [], { list: true })
        : { phoneNumbers: [], whitelistedIps: [], destinations: [], credentials: [] };
    const { credentials, ...outs } = trunkOutputs(trunk, a, {
        accountSid: c.accountSid,
        region,
        known: { trunkName: trunk.trunk_name, nsoCode: trunk.nso_code ?? "", domainName: trunk.domain_name ?? "" },
        kept: {},
    });
    return { ...outs, credentials: credentials.map(({ password: _never, ...rest }) => rest) };
}

/** One trunk, by sid or by name, in the stack's account (or `opts.connection`'s). Fails clearly when there is none. */
export async function getTrunk(lookup: TrunkLookup, opts?: LookupOptions): Promise<TrunkInfo> {
    const { client, region, deadline } = clientFor(opts);
    try {
        const what = lookup.trunkSid !== undefined ? `trunk ${lookup.trunkSid}` : `trunk named "${lookup.trunkName}"`;
        const trunk =
            lookup.trunkSid !== undefined
                ? await client.getTrunk(lookup.trunkSid, { deadline: deadline() })
                : await client.findTrunkByName(lookup.trunkName, { deadline: deadline() });
        if (!trunk) throw new Error(`getTrunk: Exotel account ${client.accountSid} has no ${what}`);
        return await describe(client, region, trunk, deadline);
    } finally {
        client.close();
    }
}

/** Every trunk of the stack's account (or `opts.connection`'s), in the order Exotel lists them. */
export async function listTrunks(opts?: LookupOptions): Promise<TrunkInfo[]> {
    const { client, region, deadline } = clientFor(opts);
    try {
        const trunks = await client.listTrunks({ deadline: deadline() });
        if (opts?.withAttachments === false) return Promise.all(trunks.map((t) => describe(client, region, t)));
        const out: TrunkInfo[] = [];
        for (const t of trunks) {
            out.push(await describe(client, region, t, deadline));
            opts?.onProgress?.(out.length, trunks.length);
        }
        return out;
    } finally {
        client.close();
    }
}

/** A connection whose fields may be Outputs (e.g. a token from `config.requireSecret`). */

/** `getTrunk` for programs: resolves when its inputs do. The result holds no secret, so it is not marked one. */
export function getTrunkOutput(lookup: pulumi.Input<TrunkLookup>, opts?: { connection?: ExotelConnection }): pulumi.Output<TrunkInfo> {
    return pulumi.unsecret(
        pulumi.all([pulumi.output(lookup), pulumi.output(opts?.connection)]).apply(([l, connection]) => getTrunk(l, { connection })),
    );
}

/** `listTrunks` for programs. */
export function listTrunksOutput(opts?: { connection?: ExotelConnection; withAttachments?: boolean }): pulumi.Output<TrunkInfo[]> {
    return pulumi.unsecret(
        pulumi.output(opts?.connection).apply((connection) => listTrunks({ connection, withAttachments: opts?.withAttachments })),
    );
}
