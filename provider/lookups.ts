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
import { resolveConfig } from "./config";
import { ExotelClient } from "./exotel/client";
import { LookupAccount, lookupTrunk, lookupTrunks, TrunkInfo, TrunkLookup } from "./engine/trunkLookup";
import { ExotelConnection } from "./trunkTypes";

export type { TrunkInfo, TrunkLookup } from "./engine/trunkLookup";

export interface LookupOptions {
    /** Another account than the stack's (the same shape as ExotelTrunk's `connection`). */
    connection?: pulumi.Unwrap<ExotelConnection>;
    /** For `listTrunks`: read each trunk's attachments too (5 GETs per trunk). Default true. */
    withAttachments?: boolean;
    /** For `listTrunks`: called after each trunk is read (large accounts take a while at Exotel's rate limit). */
    onProgress?: (done: number, total: number) => void;
}

function accountFor(opts: LookupOptions | undefined): LookupAccount {
    const s = resolveConfig((k) => pulumi.runtime.getConfig(k), process.env, opts?.connection);
    if (!s.client) throw new Error(`Exotel lookup is not configured: ${s.problems.join("; ")}`);
    // One operation deadline per trunk read (a whole large account takes longer than one operation may).
    return { client: new ExotelClient(s.client), region: s.region, deadline: () => Date.now() + s.operationTimeoutMs };
}

/** One trunk, by sid or by name, in the stack's account (or `opts.connection`'s). Fails clearly when there is none. */
export async function getTrunk(lookup: TrunkLookup, opts?: LookupOptions): Promise<TrunkInfo> {
    const a = accountFor(opts);
    try {
        return await lookupTrunk(a, lookup);
    } finally {
        a.client.close();
    }
}

/** Every trunk of the stack's account (or `opts.connection`'s), in the order Exotel lists them. */
export async function listTrunks(opts?: LookupOptions): Promise<TrunkInfo[]> {
    const a = accountFor(opts);
    try {
        return await lookupTrunks(a, opts?.withAttachments !== false, opts?.onProgress);
    } finally {
        a.client.close();
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
