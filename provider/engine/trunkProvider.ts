/**
 * The ExotelTrunk dynamic provider: Pulumi's hooks (configure, check, diff, create, read, update,
 * delete) on top of the Exotel client.
 *
 * Loaded inside the provider process through `pulumi-exotel/runtime` by the proxy stored in state
 * (providerProxy.ts). Runtime state lives on `this` and is written only by `configure`; nothing reads
 * module-level mutable state.
 */
import type * as pulumi from "@pulumi/pulumi";
import { applyPlan, readAttachments } from "./attachments";
// The error classes by file: the errors index also holds TrunksFileError, which loads the Pulumi SDK.
import { PlanStepError } from "../errors/PlanStepError";
import { ResourceStateError } from "../errors/ResourceStateError";
import { ConfigGetter, ResolvedConfig, resolveConfig } from "../config";
import { CallOptions, ExotelClient } from "../exotel/client";
import { ExotelAuthError, ExotelError, ExotelNotFoundError, messageOf } from "../exotel/errors";
import { TrunkData } from "../exotel/types";
import { attachmentsOf, inStateOrder, Kept, OutputContext, trunkOutputs, withAttachments } from "./outputs";
import { planAttachments, planDiff } from "./plan";
import { PROXY_PROTOCOL } from "./protocol";
import { LookupAccount } from "./trunkLookup";
import {
    ConnectionSettings,
    CurrentAttachments,
    ProviderInputs,
    ProviderState,
    STABLE_ON_UPDATE,
    TrunkOutputs,
    TrunkResourceProvider,
} from "../trunkTypes";
import { isUnknownDeep, validateInputs } from "../validation/validate";

/** Deadline for deleting a trunk again after its create failed half-way. */
const ROLLBACK_DEADLINE_MS = 120_000;

/** The trunk is at Exotel and state must record it as `outs`, although the operation failed with `message`. */
function partialState(message: string, id: string, outs: TrunkOutputs, inputs: ProviderInputs): ResourceStateError {
    return new ResourceStateError(message, id, { ...outs, __provider: inputs.__provider }, [message]);
}

/** Where the provider's log lines go: Pulumi's diagnostics, as the process that runs the hooks reaches them. */
export type LogSink = (level: "info" | "warn", text: string) => void;

/**
 * In the dynamic-provider host: `pulumi.log`. Loaded when first used, so that this module does not load
 * the Pulumi SDK itself (the provider plugin bundles the engine without it and passes its own sink).
 */
const pulumiLog: LogSink = (level, text) => {
    const { log } = require("@pulumi/pulumi") as typeof pulumi;
    // Fire and forget: the engine orders log messages itself; a failed log must not fail the operation.
    void (level === "warn" ? log.warn(text) : log.info(text));
};

export class ExotelTrunkProvider implements TrunkResourceProvider {
    /** `sink`: where log lines go (default: Pulumi's log, as the dynamic-provider host serves it). */
    constructor(private readonly sink: LogSink = pulumiLog) {}

    // Runtime-only state, set by configure() inside the provider process. Declared, never initialized,
    // so an instance carries none of it.
    private getConfig: ConfigGetter = () => undefined;
    private stackSettings?: ResolvedConfig;
    private readonly perConnection = new Map<string, ResolvedConfig>();
    private readonly clients = new Map<string, ExotelClient>();
    /** Every credential this process has seen, to scrub from any text that leaves it. */
    private readonly secrets = new Set<string>();

    /** The proxy stored in state says which contract it speaks; refuse one we do not know. */
    checkProtocol(n: number): void {
        if (n !== PROXY_PROTOCOL)
            throw new Error(`this pulumi-exotel cannot serve provider protocol ${n}; upgrade the pulumi-exotel package`);
    }

    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        // The host hands over whatever config the engine sent (possibly none): a getter that fails is "not set".
        this.getConfig = (k: string) => {
            try {
                return req?.config?.get(k);
            } catch {
                return undefined;
            }
        };
        this.stackSettings = undefined;
        this.perConnection.clear();
        this.clients.clear();
        for (const w of this.settingsFor().warnings) this.log("warn", w);
    }

    /** The stack's settings, or those of a resource's own `connection` (its account over the stack's other settings). */
    private settingsFor(connection?: ConnectionSettings | null): ResolvedConfig {
        let s: ResolvedConfig | undefined;
        if (!connection) {
            s = this.stackSettings ??= resolveConfig(this.getConfig, process.env);
        } else {
            this.remember(connection.apiKey, connection.apiToken);
            const key = JSON.stringify([
                connection.accountSid,
                connection.apiKey,
                connection.apiToken,
                connection.region,
                connection.baseUrl,
            ]);
            s = this.perConnection.get(key);
            if (!s) this.perConnection.set(key, (s = resolveConfig(this.getConfig, process.env, connection)));
        }
        if (s.client) this.remember(s.client.apiKey, s.client.apiToken);
        return s;
    }

    private remember(apiKey: string, apiToken: string): void {
        const basic = Buffer.from(`${apiKey}:${apiToken}`).toString("base64");
        for (const v of [apiToken, apiKey, basic, encodeURIComponent(apiToken)]) if (v && v.length >= 4) this.secrets.add(v);
    }

    private log(level: "info" | "warn", message: string): void {
        this.sink(level, this.redact(`[exotel] ${message}`));
    }

    /** Removes every credential this process knows from any text that leaves the provider (belt and braces). */
    redact(text: string): string {
        let out = text;
        for (const s of this.secrets) out = out.split(s).join("[redacted]");
        return out;
    }

    /** One client per account and credentials (each with its own rate limiter and retry budget). */
    private client(s: ResolvedConfig): ExotelClient {
        if (!s.client) {
            throw new Error(`Exotel provider is not configured: ${s.problems.join("; ")}`);
        }
        const c = s.client;
        const key = JSON.stringify([c.baseUrl, c.accountSid, c.apiKey, c.apiToken]);
        let client = this.clients.get(key);
        if (!client) this.clients.set(key, (client = new ExotelClient({ ...c, log: (level, m) => this.log(level, m) })));
        return client;
    }

    private opts(s: ResolvedConfig): CallOptions {
        return { deadline: Date.now() + s.operationTimeoutMs };
    }

    /** Where outputs say the trunk lives, and what to fall back on when Exotel's answer leaves a field out. */
    private context(s: ResolvedConfig, known: OutputContext["known"], kept: Kept, state?: Partial<TrunkOutputs>): OutputContext {
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

    private scrubbed(err: unknown): Error {
        if (err && typeof err === "object" && typeof (err as Error).message === "string") {
            const e = err as Error;
            const msg = this.redact(e.message);
            if (msg !== e.message) e.message = msg;
            if (e.stack) e.stack = this.redact(e.stack);
            return e;
        }
        return new Error(this.redact(String(err)));
    }

    async check(_olds: ProviderInputs, news: ProviderInputs): Promise<pulumi.dynamic.CheckResult<ProviderInputs>> {
        const raw: Record<string, unknown> = { ...news };
        const { failures, inputs } = validateInputs(raw, { accountSid: this.settingsFor().accountSid });
        // (The provider host puts `__provider` back into the checked inputs itself.)
        const out: ProviderInputs = { ...inputs };
        for (const k of Object.keys(out) as (keyof ProviderInputs)[]) if (out[k] === undefined) delete out[k];
        return { inputs: out, failures: failures.map((f) => ({ property: f.property, reason: this.redact(f.reason) })) };
    }

    async diff(id: string, olds: ProviderState, news: ProviderInputs): Promise<pulumi.dynamic.DiffResult> {
        const { changed: _changed, ...result } = this.diffProperties(id, olds, news);
        return result;
    }

    /** The diff, with the properties that change (the provider plugin's detailed diff names them). */
    diffProperties(_id: string, olds: ProviderState, news: ProviderInputs): pulumi.dynamic.DiffResult & { changed: string[] } {
        // The account the trunk will be in: its own connection's, else the stack's. A connection still unknown
        // in a preview (e.g. a token from another resource) cannot be compared: it replaces nothing.
        const unknownConnection = isUnknownDeep(news.connection);
        const s = this.settingsFor(unknownConnection ? undefined : news.connection);
        const d = planDiff(olds, news, unknownConnection ? undefined : { accountSid: s.accountSid, region: s.region });
        const providerChanged = olds.__provider !== undefined && olds.__provider !== news.__provider;
        const replacing = d.replaces.length > 0;
        return {
            changes: d.changed.length > 0 || providerChanged,
            changed: d.changed,
            replaces: d.replaces,
            // The outputs an in-place update cannot change, per Pulumi's provider contract (so previews
            // keep them known). Note: Pulumi's dynamic-provider host (3.139 to 3.276) does not pass
            // `stables` on to the engine; there the engine keeps an updated resource's old outputs in a
            // preview, which the consumer suite checks (trunkSid stays known).
            stables: replacing ? [] : [...STABLE_ON_UPDATE],
            deleteBeforeReplace: replacing,
        };
    }

    /** Where a trunk created now would live (its outputs `accountSid` and `region`), as configured. */
    lookupPlacement(): { accountSid: string; region: string } {
        const s = this.settingsFor();
        return { accountSid: s.accountSid ?? "", region: s.region };
    }

    /** The stack's account for the lookups (`getTrunk`, `listTrunks`), with this process's client for it. */
    lookupAccount(): LookupAccount {
        const s = this.settingsFor();
        return { client: this.client(s), region: s.region, deadline: () => Date.now() + s.operationTimeoutMs };
    }

    async create(inputs: ProviderInputs): Promise<pulumi.dynamic.CreateResult<TrunkOutputs>> {
        try {
            return await this.doCreate(inputs);
        } catch (err) {
            throw this.scrubbed(err);
        }
    }

    private async doCreate(inputs: ProviderInputs): Promise<pulumi.dynamic.CreateResult<TrunkOutputs>> {
        const s = this.settingsFor(inputs.connection);
        const c = this.client(s);
        const opts = this.opts(s);
        if (inputs.adoptTrunkSid) return this.adopt(s, c, inputs, inputs.adoptTrunkSid, opts);
        if (inputs.adoptByName) {
            const found = await c.findTrunkByName(inputs.trunkName, opts);
            if (!found) {
                throw new Error(
                    `adoptByName: Exotel account ${c.accountSid} has no trunk named "${inputs.trunkName}"; nothing was created. ` +
                        `Check the name and exotel:accountSid, or remove adoptByName to create the trunk.`,
                );
            }
            return this.adopt(s, c, inputs, found.trunk_sid, opts);
        }

        const trunk = await c.createTrunk(inputs, opts);
        const sid = trunk.trunk_sid;
        const ctx = this.context(s, inputs, inputs);
        const empty: CurrentAttachments = { phoneNumbers: [], whitelistedIps: [], destinations: [], credentials: [] };
        try {
            const attached = await applyPlan(c, sid, empty, planAttachments(empty, inputs), opts);
            return { id: sid, outs: trunkOutputs(trunk, attached, ctx) };
        } catch (err) {
            const applied = err instanceof PlanStepError ? err.applied : empty;
            const why = messageOf(err);
            // Roll back: delete the trunk (which removes whatever was attached), with its own deadline.
            try {
                await c.deleteTrunk(sid, { deadline: Date.now() + ROLLBACK_DEADLINE_MS });
            } catch (cleanupErr) {
                if (!(cleanupErr instanceof ExotelNotFoundError)) {
                    const msg =
                        `creating Exotel trunk ${inputs.trunkName} (${sid}): ${why}; deleting it again also failed: ${messageOf(cleanupErr)}. ` +
                        `The trunk is recorded in the stack state, so \`pulumi up\` will finish it and \`pulumi destroy\` will delete it.`;
                    throw partialState(msg, sid, trunkOutputs(trunk, applied, ctx), inputs);
                }
            }
            throw new Error(
                `creating Exotel trunk ${inputs.trunkName} failed: ${why}. The new trunk ${sid} was deleted again; nothing was left behind.`,
            );
        }
    }

    /** Takes over an existing trunk (our replacement for `pulumi import`) and reconciles its attachments. */
    private async adopt(
        s: ResolvedConfig,
        c: ExotelClient,
        inputs: ProviderInputs,
        sid: string,
        opts: CallOptions,
    ): Promise<pulumi.dynamic.CreateResult<TrunkOutputs>> {
        const how = inputs.adoptTrunkSid ? "adoptTrunkSid" : "adoptByName";
        const trunk = await c.getTrunk(sid, opts);
        if (!trunk) {
            throw new Error(`${how}: trunk ${sid} does not exist in Exotel account ${c.accountSid}`);
        }
        const mismatch = adoptionMismatch(trunk, inputs);
        if (mismatch.length) {
            throw new Error(
                `${how} ${sid}: ${mismatch.join("; ")}. Set these inputs to the trunk's values to adopt it (they cannot be changed in place).`,
            );
        }
        const ctx = this.context(s, inputs, inputs);
        // The trunk's credentials are listed only when the args manage them (else they are left alone).
        const creds = inputs.credentials !== undefined ? ({ list: true } as const) : { keep: [] };
        const current = await readAttachments(c, sid, opts, undefined, inputs.destinationUris, creds);
        try {
            const attached = await applyPlan(c, sid, current, planAttachments(current, inputs), opts);
            const took = `${attached.phoneNumbers.length} number(s), ${attached.whitelistedIps.length} IP(s), ${attached.destinations.length} destination(s)`;
            this.log(
                "info",
                `adopted existing trunk ${sid} (${trunk.trunk_name}) of account ${c.accountSid} by ${how === "adoptTrunkSid" ? "sid" : "name"}; it now has ${took}`,
            );
            return { id: sid, outs: trunkOutputs(trunk, attached, ctx) };
        } catch (err) {
            const applied = err instanceof PlanStepError ? err.applied : current;
            const msg = `adopting Exotel trunk ${sid}: ${messageOf(err)}. The trunk is now managed by this stack; run \`pulumi up\` again to finish.`;
            throw partialState(msg, sid, trunkOutputs(trunk, applied, ctx), inputs);
        }
    }

    async read(id: string, props?: ProviderState): Promise<pulumi.dynamic.ReadResult<TrunkOutputs>> {
        try {
            const state: Partial<ProviderState> = props ?? {};
            const s = this.settingsFor(state.connection);
            const c = this.client(s);
            const opts = this.opts(s);
            const sid = state.trunkSid || id;
            this.guardAccount(s, state, "refresh");
            let trunk: TrunkData | undefined;
            try {
                trunk = await c.getTrunk(sid, opts);
            } catch (err) {
                if (!(await this.isGone(c, sid, err, opts))) throw err;
            }
            if (!trunk) {
                this.log("info", `trunk ${sid} no longer exists at Exotel; removing it from the stack`);
                return {};
            }
            const keep = { keep: state.credentials ?? [] };
            const read = await readAttachments(c, sid, opts, state.callerId ?? undefined, state.destinationUris ?? [], keep);
            const known = { trunkName: trunk.trunk_name, nsoCode: state.nsoCode ?? "", domainName: state.domainName ?? "" };
            return { id: sid, props: trunkOutputs(trunk, inStateOrder(read, state), this.context(s, known, state, state)) };
        } catch (err) {
            throw this.scrubbed(err);
        }
    }

    async update(id: string, olds: ProviderState, news: ProviderInputs): Promise<pulumi.dynamic.UpdateResult<TrunkOutputs>> {
        const sid = olds.trunkSid || id;
        const current = attachmentsOf(olds);
        try {
            const s = this.settingsFor(news.connection);
            const c = this.client(s);
            this.guardAccount(s, olds, "update");
            const attached = await applyPlan(c, sid, current, planAttachments(current, news), this.opts(s));
            return { outs: withAttachments(olds, attached, news) };
        } catch (err) {
            if (err instanceof PlanStepError) {
                const msg = this.redact(
                    `updating Exotel trunk ${sid}: ${err.message}. State records what was applied; run \`pulumi up\` again to finish.`,
                );
                throw partialState(msg, sid, withAttachments(olds, err.applied, news), news);
            }
            throw this.scrubbed(err);
        }
    }

    /**
     * Exactly one request on the happy path: `DELETE /v2/accounts/<sid>/trunks?trunk_sid=<trunk_sid>`,
     * which also removes every phone number, whitelisted IP and destination URI of the trunk.
     */
    async delete(id: string, props: ProviderState): Promise<void> {
        try {
            const s = this.settingsFor(props.connection);
            const c = this.client(s);
            const opts = this.opts(s);
            const sid = props.trunkSid || id;
            this.guardAccount(s, props, "delete");
            try {
                await c.deleteTrunk(sid, opts);
                this.log("info", `deleted trunk ${sid} and everything attached to it`);
            } catch (err) {
                if (await this.isGone(c, sid, err, opts)) {
                    const e = err instanceof ExotelError ? `${err.httpStatus}/${err.exotelCode ?? "-"}` : "gone";
                    this.log("info", `trunk ${sid} was already gone at Exotel (${e}); treating the delete as done`);
                    return;
                }
                if (err instanceof ExotelAuthError) {
                    throw new Error(
                        `Exotel refused the credentials while deleting trunk ${sid}: ${err.message}. ` +
                            `Check exotel:apiKey / exotel:apiToken (EXOTEL_API_KEY / EXOTEL_API_TOKEN) and that exotel:region matches the account. The trunk was NOT deleted.`,
                    );
                }
                throw err;
            }
        } catch (err) {
            throw this.scrubbed(err);
        }
    }

    /**
     * Whether an error means the trunk does not exist: 404/1000 always; 403/1003 only once listing the
     * account's trunks proves the credentials and account are valid and the trunk is not among them.
     */
    private async isGone(c: ExotelClient, sid: string, err: unknown, opts: CallOptions): Promise<boolean> {
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
    private guardAccount(cfg: ResolvedConfig, props: Partial<TrunkOutputs>, what: string): void {
        const was = props.accountSid ?? undefined;
        if (was && cfg.accountSid && was !== cfg.accountSid) {
            throw new Error(
                `cannot ${what} trunk ${props.trunkSid}: it belongs to Exotel account ${was}, but the provider is configured for ${cfg.accountSid}. ` +
                    `Set exotel:accountSid (and its key/token) back to that account to manage it, or forget it with \`pulumi state delete\`.`,
            );
        }
        const region = props.region ?? undefined;
        if (region && region !== "custom" && cfg.region !== "custom" && region !== cfg.region) {
            throw new Error(`cannot ${what} trunk ${props.trunkSid}: it lives in region ${region}, but exotel:region is ${cfg.region}.`);
        }
    }
}

/** Why a trunk cannot be adopted with these inputs (its replace-only fields differ); empty when it can. */
function adoptionMismatch(trunk: TrunkData, inputs: ProviderInputs): string[] {
    const mismatch: string[] = [];
    if (trunk.trunk_name !== inputs.trunkName)
        mismatch.push(`trunkName is "${inputs.trunkName}" but the trunk is named "${trunk.trunk_name}"`);
    if (trunk.nso_code && trunk.nso_code !== inputs.nsoCode)
        mismatch.push(`nsoCode is "${inputs.nsoCode}" but the trunk has "${trunk.nso_code}"`);
    if (trunk.domain_name && trunk.domain_name !== inputs.domainName)
        mismatch.push(`domainName is "${inputs.domainName}" but the trunk has "${trunk.domain_name}"`);
    return mismatch;
}
