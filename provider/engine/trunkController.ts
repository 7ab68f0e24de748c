/**
 * The trunk's controller, protocol-neutral: check, diff, create, read, update and delete over plain values
 * (an unknown is `UNKNOWN`, never the wire's sentinel), each operation with a context (deadline, abort
 * signal, the resource's URN for its log lines, preview or not). The dynamic provider
 * (trunkProvider.ts) and the plugin's gRPC service (plugin/server.ts) are thin adapters over it.
 */
import { PlanStepError } from "../errors/PlanStepError";
import { ResourceStateError } from "../errors/ResourceStateError";
import { ResolvedConfig } from "../config";
import { CallOptions, ExotelClient } from "../exotel/client";
import { ExotelAuthError, ExotelCancelledError, ExotelError, ExotelNotFoundError, messageOf } from "../exotel/errors";
import { TrunkData } from "../exotel/types";
import { DYNAMIC_ONLY_NAMES, STABLE_NAMES, TRUNK_FIELDS, TrunkField } from "../trunkFields";
import { CheckedInputs, ConnectionSettings, CurrentAttachments, NormalizedInputs, TrunkOutputs } from "../trunkTypes";
import { isUnknown, UNKNOWN } from "../unknown";
import { Failure, validateInputs } from "../validation/validate";
import { Accounts } from "./accounts";
import { applyPlan, readAttachments } from "./attachments";
import { attachmentsOf, inStateOrder, Kept, OutputContext, trunkOutputs, withAttachments } from "./outputs";
import { planAttachments, planDiff } from "./plan";
import { DetailedDiff, detailedDiff, previewCreate, PreviewOutputs, previewUpdate } from "./previews";

/** Deadline for deleting a trunk again after its create failed half-way. */
const ROLLBACK_DEADLINE_MS = 120_000;

/** What every operation is given. */
export interface OpContext {
    /** Absolute time (ms) by which the operation ends (Pulumi's `customTimeouts`); default: `exotel:operationTimeoutSeconds` from now. */
    deadline?: number;
    /** Cancels the operation (Pulumi's `Cancel`): no request starts afterwards. */
    signal?: AbortSignal;
    /** The resource's URN: its log lines show under it. */
    urn?: string;
    /** A preview: nothing is sent; outputs not known yet are `UNKNOWN`. */
    preview?: boolean;
}

export interface TrunkDiff {
    changes: boolean;
    changed: string[];
    replaces: string[];
    stables: string[];
    deleteBeforeReplace: boolean;
    detailed: DetailedDiff;
}

/** The form the controller serves: the plugin refuses the dynamic-only inputs; the dynamic form refuses an unreachable account move. */
export type Form = "dynamic" | "plugin";

/** Whether every input is known (outside a preview, the engine sends only known values). */
export function allKnown(inputs: CheckedInputs): inputs is NormalizedInputs {
    return !Object.values(inputs).some(isUnknown);
}

export class TrunkController {
    constructor(
        readonly accounts: Accounts,
        private readonly form: Form,
    ) {}

    check(news: Record<string, unknown>): { inputs: CheckedInputs; failures: Failure[] } {
        const dynamicOnly: Failure[] =
            this.form === "plugin"
                ? DYNAMIC_ONLY_NAMES.filter((k) => news[k] !== undefined && news[k] !== null).map((k) => ({
                      property: k,
                      reason: `${k} is an input of the dynamic ExotelTrunk only; with exotel:index:Trunk, ${(TRUNK_FIELDS[k] as TrunkField).pluginInstead}`,
                  }))
                : [];
        const { failures, inputs } = validateInputs(news, { accountSid: this.accounts.settingsFor().accountSid });
        for (const k of Object.keys(inputs) as (keyof CheckedInputs)[]) if (inputs[k] === undefined) delete inputs[k];
        return {
            inputs,
            failures: [...dynamicOnly, ...failures].map((f) => ({ property: f.property, reason: this.accounts.redact(f.reason) })),
        };
    }

    diff(olds: Partial<TrunkOutputs>, news: CheckedInputs): TrunkDiff {
        // The account the trunk will be in: its own connection's, else the configured one. A connection not known
        // yet cannot be compared: it is reported as a change, and replaces nothing until it is known.
        const connection = news.connection;
        const s = isUnknown(connection) ? undefined : this.accounts.settingsFor(connection);
        const d = planDiff(olds, news, s && { accountSid: s.accountSid, region: s.region });
        const replacing = d.replaces.length > 0;
        if (replacing && this.form === "dynamic") this.refuseUnreachableDelete(olds);
        return {
            changes: d.changed.length > 0,
            changed: d.changed,
            replaces: d.replaces,
            // The outputs an in-place update cannot change, per Pulumi's provider contract. Pulumi's dynamic-provider
            // host drops them (it never declares `supportsPreview`): there `trunkSid` stays known through the id.
            stables: replacing ? [] : [...STABLE_NAMES],
            deleteBeforeReplace: replacing,
            detailed: detailedDiff(olds, news, d.changed, d.replaces),
        };
    }

    /**
     * The dynamic form reaches a trunk only through the stack's current settings (or the trunk's own
     * `connection`, kept in state). When those now point at another account or region than the trunk's, its
     * replacement would have to delete it where this process has no credentials: refused in `diff`, so in
     * `preview` too, before any request.
     */
    private refuseUnreachableDelete(olds: Partial<TrunkOutputs>): void {
        const via = this.accounts.settingsFor(olds.connection);
        const account = olds.accountSid && via.accountSid && olds.accountSid !== via.accountSid;
        const region = olds.region && olds.region !== "custom" && via.region !== "custom" && olds.region !== via.region;
        if (!account && !region) return;
        const where = account ? `Exotel account ${olds.accountSid}` : `region ${olds.region}`;
        const now = account ? `exotel:accountSid is ${via.accountSid}` : `exotel:region is ${via.region}`;
        throw new Error(
            `trunk ${olds.trunkName} (${olds.trunkSid}) is in ${where}, but ${now}. The dynamic ExotelTrunk can only delete it with that ` +
                `account's credentials, which the stack no longer has, so nothing was sent. To move the stack's trunks: set ` +
                `exotel:accountSid, exotel:apiKey and exotel:apiToken (and exotel:region) back to ${olds.accountSid}'s, run \`pulumi up\` ` +
                `(it changes nothing and records those settings again) and then \`pulumi destroy\` (or remove the trunks from the program ` +
                `and run \`pulumi up\`); then set the new account's and run \`pulumi up\`. ` +
                `The exotel provider plugin (exotel:index:Trunk) does this in one \`pulumi up\`.`,
        );
    }

    async create(inputs: CheckedInputs, ctx: OpContext): Promise<{ id: string; outs: TrunkOutputs | PreviewOutputs }> {
        if (ctx.preview || !allKnown(inputs)) {
            if (!ctx.preview) throw new Error("exotel: create was called with inputs that are not known yet");
            const s = isUnknown(inputs.connection) ? undefined : this.accounts.settingsFor(inputs.connection);
            return {
                id: "",
                outs: previewCreate(inputs, { accountSid: s ? (s.accountSid ?? "") : UNKNOWN, region: s?.region ?? UNKNOWN }),
            };
        }
        return this.guarded(inputs.connection, "", () => this.doCreate(inputs, ctx));
    }

    private async doCreate(inputs: NormalizedInputs, ctx: OpContext): Promise<{ id: string; outs: TrunkOutputs }> {
        const s = this.accounts.settingsFor(inputs.connection);
        const c = this.accounts.client(s);
        const opts = this.opts(s, ctx);
        if (inputs.adoptTrunkSid) return this.adopt(s, c, inputs, inputs.adoptTrunkSid, opts, ctx);
        if (inputs.adoptByName) {
            const found = await c.findTrunkByName(inputs.trunkName, opts);
            if (!found) {
                throw new Error(
                    `adoptByName: Exotel account ${c.accountSid} has no trunk named "${inputs.trunkName}"; nothing was created. ` +
                        `Check the name and exotel:accountSid, or remove adoptByName to create the trunk.`,
                );
            }
            return this.adopt(s, c, inputs, found.trunk_sid, opts, ctx);
        }

        const trunk = await c.createTrunk(inputs, opts);
        const sid = trunk.trunk_sid;
        const octx = this.outputContext(s, inputs, inputs);
        const empty: CurrentAttachments = { phoneNumbers: [], whitelistedIps: [], destinations: [], credentials: [] };
        try {
            const attached = await applyPlan(c, sid, empty, planAttachments(empty, inputs), opts);
            return { id: sid, outs: trunkOutputs(trunk, attached, octx) };
        } catch (err) {
            const applied = err instanceof PlanStepError ? err.applied : empty;
            const why = messageOf(err);
            if (ctx.signal?.aborted) {
                // Cancelled: no new request (no rollback); state records the trunk as it is, and `pulumi up` finishes it.
                const msg = `creating Exotel trunk ${inputs.trunkName} (${sid}) was cancelled: ${why}. The trunk is recorded in the stack's state with what was attached; \`pulumi up\` finishes it, \`pulumi destroy\` deletes it.`;
                throw new ResourceStateError(msg, sid, trunkOutputs(trunk, applied, octx), [msg]);
            }
            // Roll back: delete the trunk (which removes whatever was attached), with its own deadline.
            try {
                await c.deleteTrunk(sid, { deadline: Date.now() + ROLLBACK_DEADLINE_MS });
            } catch (cleanupErr) {
                if (!(cleanupErr instanceof ExotelNotFoundError)) {
                    const msg =
                        `creating Exotel trunk ${inputs.trunkName} (${sid}): ${why}; deleting it again also failed: ${messageOf(cleanupErr)}. ` +
                        `The trunk is recorded in the stack state, so \`pulumi up\` will finish it and \`pulumi destroy\` will delete it.`;
                    throw new ResourceStateError(msg, sid, trunkOutputs(trunk, applied, octx), [msg]);
                }
            }
            throw new Error(
                `creating Exotel trunk ${inputs.trunkName} failed: ${why}. The new trunk ${sid} was deleted again; nothing was left behind.`,
            );
        }
    }

    /** Takes over an existing trunk (the dynamic form's replacement for `pulumi import`) and reconciles its attachments. */
    private async adopt(
        s: ResolvedConfig,
        c: ExotelClient,
        inputs: NormalizedInputs,
        sid: string,
        opts: CallOptions,
        ctx: OpContext,
    ): Promise<{ id: string; outs: TrunkOutputs }> {
        const how = inputs.adoptTrunkSid ? "adoptTrunkSid" : "adoptByName";
        const trunk = await c.getTrunk(sid, opts);
        if (!trunk) throw new Error(`${how}: trunk ${sid} does not exist in Exotel account ${c.accountSid}`);
        const mismatch = adoptionMismatch(trunk, inputs);
        if (mismatch.length) {
            throw new Error(
                `${how} ${sid}: ${mismatch.join("; ")}. Set these inputs to the trunk's values to adopt it (they cannot be changed in place).`,
            );
        }
        const octx = this.outputContext(s, inputs, inputs);
        // The trunk's credentials are listed only when the args manage them (else they are left alone).
        const creds = inputs.credentials !== undefined ? ({ list: true } as const) : { keep: [] };
        const current = await readAttachments(c, sid, opts, undefined, inputs.destinationUris, creds);
        try {
            const attached = await applyPlan(c, sid, current, planAttachments(current, inputs), opts);
            const took = `${attached.phoneNumbers.length} number(s), ${attached.whitelistedIps.length} IP(s), ${attached.destinations.length} destination(s)`;
            this.accounts.log(
                "info",
                `adopted existing trunk ${sid} (${trunk.trunk_name}) of account ${c.accountSid} by ${how === "adoptTrunkSid" ? "sid" : "name"}; it now has ${took}`,
                ctx.urn,
            );
            return { id: sid, outs: trunkOutputs(trunk, attached, octx) };
        } catch (err) {
            const applied = err instanceof PlanStepError ? err.applied : current;
            const msg = `adopting Exotel trunk ${sid}: ${messageOf(err)}. The trunk is now managed by this stack; run \`pulumi up\` again to finish.`;
            throw new ResourceStateError(msg, sid, trunkOutputs(trunk, applied, octx), [msg]);
        }
    }

    /** The trunk as Exotel has it now (`state` absent: `pulumi import`); undefined when it is gone. */
    async read(
        id: string,
        state: Partial<TrunkOutputs> | undefined,
        ctx: OpContext,
    ): Promise<{ id: string; outs: TrunkOutputs } | undefined> {
        const st: Partial<TrunkOutputs> = state ?? {};
        return this.guarded(st.connection, "", async () => {
            const s = this.accounts.settingsFor(st.connection);
            const c = this.accounts.client(s);
            const opts = this.opts(s, ctx);
            const sid = st.trunkSid || id;
            guardAccount(s, st, "refresh");
            let trunk: TrunkData | undefined;
            try {
                trunk = await c.getTrunk(sid, opts);
            } catch (err) {
                if (!(await isGone(c, sid, err, opts))) throw err;
            }
            if (!trunk) {
                this.accounts.log("info", `trunk ${sid} no longer exists at Exotel; removing it from the stack`, ctx.urn);
                return undefined;
            }
            const read = await readAttachments(c, sid, opts, st.callerId ?? undefined, st.destinationUris ?? [], {
                keep: st.credentials ?? [],
            });
            const known = { trunkName: trunk.trunk_name, nsoCode: st.nsoCode ?? "", domainName: st.domainName ?? "" };
            return { id: sid, outs: trunkOutputs(trunk, inStateOrder(read, st), this.outputContext(s, known, st, st)) };
        });
    }

    async update(id: string, olds: TrunkOutputs, news: CheckedInputs, ctx: OpContext): Promise<TrunkOutputs | PreviewOutputs> {
        if (ctx.preview || !allKnown(news)) {
            if (!ctx.preview) throw new Error("exotel: update was called with inputs that are not known yet");
            return previewUpdate(olds, news, this.diff(olds, news).changed);
        }
        const sid = olds.trunkSid || id;
        const current = attachmentsOf(olds);
        return this.guarded(news.connection, "", async () => {
            const s = this.accounts.settingsFor(news.connection);
            const c = this.accounts.client(s);
            guardAccount(s, olds, "update");
            const opts = this.opts(s, ctx);
            try {
                return withAttachments(olds, await applyPlan(c, sid, current, planAttachments(current, news), opts), news);
            } catch (err) {
                if (!(err instanceof PlanStepError)) throw err;
                if (
                    err.cause instanceof ExotelNotFoundError &&
                    !ctx.signal?.aborted &&
                    (await c.getTrunk(sid, opts).catch(() => "unknown")) === undefined
                ) {
                    throw new Error(
                        `updating Exotel trunk ${olds.trunkName} (${sid}): the trunk no longer exists at Exotel (deleted outside Pulumi?). ` +
                            `Run \`pulumi refresh\` (or \`pulumi up --refresh\`) so the stack forgets it; the next \`pulumi up\` creates it again.`,
                    );
                }
                const what = ctx.signal?.aborted ? "cancelled" : err.message;
                const msg = `updating Exotel trunk ${sid}: ${what}. State records what was applied; run \`pulumi up\` again to finish.`;
                throw new ResourceStateError(this.accounts.redact(msg), sid, withAttachments(olds, err.applied, news), [msg]);
            }
        });
    }

    /**
     * Exactly one request on the happy path: `DELETE /v2/accounts/<sid>/trunks?trunk_sid=<trunk_sid>`,
     * which also removes every phone number, whitelisted IP and destination URI of the trunk.
     */
    async delete(id: string, state: Partial<TrunkOutputs>, ctx: OpContext): Promise<void> {
        return this.guarded(state.connection, "The trunk was NOT deleted.", async () => {
            const s = this.accounts.settingsFor(state.connection);
            const c = this.accounts.client(s);
            const opts = this.opts(s, ctx);
            const sid = state.trunkSid || id;
            guardAccount(s, state, "delete");
            try {
                await c.deleteTrunk(sid, opts);
                this.accounts.log("info", `deleted trunk ${sid} and everything attached to it`, ctx.urn);
            } catch (err) {
                if (!(err instanceof ExotelCancelledError) && (await isGone(c, sid, err, opts))) {
                    const e = err instanceof ExotelError ? `${err.httpStatus}/${err.exotelCode ?? "-"}` : "gone";
                    this.accounts.log("info", `trunk ${sid} was already gone at Exotel (${e}); treating the delete as done`, ctx.urn);
                    return;
                }
                if (err instanceof ExotelError && !(err instanceof ExotelAuthError)) {
                    throw new Error(
                        `deleting Exotel trunk ${sid}: ${err.message}. The trunk was NOT deleted; it stays in the stack's state.`,
                    );
                }
                throw err;
            }
        });
    }

    /** Runs an operation: an authentication failure names the settings to fix (and `outcome`); every error leaves scrubbed. */
    private async guarded<T>(connection: ConnectionSettings | undefined, outcome: string, op: () => Promise<T>): Promise<T> {
        try {
            return await op();
        } catch (err) {
            if (err instanceof ExotelAuthError) {
                const where = connection
                    ? "Check the trunk's connection.apiKey / connection.apiToken and its region"
                    : "Check exotel:apiKey / exotel:apiToken (EXOTEL_API_KEY / EXOTEL_API_TOKEN) and that exotel:region matches the account";
                throw this.accounts.scrubbed(
                    new Error(
                        `Exotel refused the credentials: ${err.message}. ${where}. ${outcome || "Nothing was changed by that request."} ` +
                            `After a token rotation, \`pulumi destroy\` and \`pulumi refresh\` still use the settings recorded in the stack's state at the last update: ` +
                            `run \`pulumi up\` with the new token first (it records it), or \`pulumi destroy --run-program\` (settings from the current config), ` +
                            `then run the command again.`,
                    ),
                );
            }
            throw this.accounts.scrubbed(err);
        }
    }

    private opts(s: ResolvedConfig, ctx: OpContext): CallOptions {
        if (ctx.deadline !== undefined)
            return { deadline: ctx.deadline, signal: ctx.signal, deadlineSetting: "the resource's customTimeouts" };
        return { deadline: Date.now() + s.operationTimeoutMs, signal: ctx.signal, deadlineSetting: "exotel:operationTimeoutSeconds" };
    }

    /** Where outputs say the trunk lives, and what to fall back on when Exotel's answer leaves a field out. */
    private outputContext(s: ResolvedConfig, known: OutputContext["known"], kept: Kept, state?: Partial<TrunkOutputs>): OutputContext {
        return {
            accountSid: state?.accountSid ?? s.accountSid ?? "",
            region: state?.region ?? s.region,
            known,
            kept: {
                adoptTrunkSid: kept.adoptTrunkSid ?? undefined,
                adoptByName: kept.adoptByName ?? undefined,
                connection: kept.connection ?? undefined,
            },
        };
    }
}

/**
 * Whether an error means the trunk does not exist: 404/1000 always; 403/1003 only once listing the
 * account's trunks proves the credentials and account are valid and the trunk is not among them.
 */
async function isGone(c: ExotelClient, sid: string, err: unknown, opts: CallOptions): Promise<boolean> {
    if (err instanceof ExotelNotFoundError) return true;
    if (err instanceof ExotelAuthError && (err.exotelCode === 1003 || err.httpStatus === 403) && err.exotelCode !== 1010) {
        try {
            const trunks = await c.listTrunks(opts);
            return !trunks.some((t) => t.trunk_sid === sid);
        } catch {
            return false;
        }
    }
    return false;
}

/** A trunk is only touched with the account and region it was made in (else a 404 would look like "gone"). */
function guardAccount(cfg: ResolvedConfig, props: Partial<TrunkOutputs>, what: string): void {
    const was = props.accountSid ?? undefined;
    if (was && cfg.accountSid && was !== cfg.accountSid) {
        throw new Error(
            `cannot ${what} trunk ${props.trunkSid}: it belongs to Exotel account ${was}, but the provider is configured for ${cfg.accountSid}; ` +
                `nothing was sent. Set exotel:accountSid, exotel:apiKey and exotel:apiToken back to ${was}'s and run \`pulumi up\` ` +
                `(it changes nothing and records those settings again: \`pulumi destroy\` and \`pulumi refresh\` use the settings of the last update), ` +
                `then run this command again; or forget the trunk with \`pulumi state delete\`.`,
        );
    }
    const region = props.region ?? undefined;
    if (region && region !== "custom" && cfg.region !== "custom" && region !== cfg.region) {
        throw new Error(`cannot ${what} trunk ${props.trunkSid}: it lives in region ${region}, but exotel:region is ${cfg.region}.`);
    }
}

/** Why a trunk cannot be adopted with these inputs (its replace-only fields differ); empty when it can. */
function adoptionMismatch(trunk: TrunkData, inputs: NormalizedInputs): string[] {
    const mismatch: string[] = [];
    if (trunk.trunk_name !== inputs.trunkName)
        mismatch.push(`trunkName is "${inputs.trunkName}" but the trunk is named "${trunk.trunk_name}"`);
    if (trunk.nso_code && trunk.nso_code !== inputs.nsoCode)
        mismatch.push(`nsoCode is "${inputs.nsoCode}" but the trunk has "${trunk.nso_code}"`);
    if (trunk.domain_name && trunk.domain_name !== inputs.domainName)
        mismatch.push(`domainName is "${inputs.domainName}" but the trunk has "${trunk.domain_name}"`);
    return mismatch;
}
