/**
 * The ExotelTrunk dynamic provider: Pulumi's hooks (configure, check, diff, create, read, update,
 * delete) on top of ExotelClient.
 *
 * This object is serialized into state (`__provider`) and that stored copy is what `pulumi destroy`
 * runs, so: runtime state lives on `this` and is written only by `configure` inside the provider
 * process (the instance serialized by the program is never configured and holds no secret); nothing
 * reads module-level mutable state.
 */
import * as pulumi from "@pulumi/pulumi";
import { ExotelClient, CallOptions } from "./exotel/client";
import { ResolvedConfig, resolveConfig } from "./config";
import { ExotelAuthError, ExotelError, ExotelNotFoundError, initError, messageOf } from "./exotel/errors";
import { TrunkData } from "./exotel/types";
import { applyPlan, PlanStepError, readAttachments } from "./attachments";
import { CurrentAttachments, planAttachments, planDiff } from "./plan";
import { NormalizedInputs, OUTPUT_KEYS, STABLE_ON_UPDATE, TrunkOutputs } from "./trunkTypes";
import { validateInputs } from "./validate";
import { PROXY_PROTOCOL } from "./protocol";

const LINK_FIELDS: Record<string, keyof TrunkOutputs["links"]> = {
    phone_numbers: "phoneNumbers",
    whitelisted_ips: "whitelistedIps",
    destination_uris: "destinationUris",
    credentials: "credentials",
};

function camel(s: string): string {
    return s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Every trunk field Exotel returns, camelCased; link fields go under `links`. */
export function trunkFields(t: TrunkData): Partial<TrunkOutputs> & { links: TrunkOutputs["links"] } {
    const out: Record<string, unknown> = {};
    const links: TrunkOutputs["links"] = {};
    for (const [k, v] of Object.entries(t)) {
        if (v === undefined) continue;
        if (k in LINK_FIELDS) links[LINK_FIELDS[k]] = v as string;
        else out[camel(k)] = v;
    }
    return { ...(out as Partial<TrunkOutputs>), links };
}

/** Keeps the order state had (Exotel lists newest first); new entries follow. */
function orderLike<T extends { id: string }>(fresh: T[], before: { id: string }[] | undefined): T[] {
    const rank = new Map((before ?? []).map((x, i) => [x.id, i]));
    const at = (x: T) => rank.get(x.id) ?? Number.MAX_SAFE_INTEGER;
    return fresh.map((x, i) => ({ x, i })).sort((a, b) => at(a.x) - at(b.x) || b.i - a.i).map(({ x }) => x);
}

function inStateOrder(a: CurrentAttachments, state: Partial<TrunkOutputs>): CurrentAttachments {
    return {
        ...a,
        phoneNumbers: orderLike(a.phoneNumbers, state.phoneNumbers),
        whitelistedIps: orderLike(a.whitelistedIps, state.whitelistedIps),
        destinations: orderLike(a.destinations, state.destinations),
    };
}

/** An error the engine turns into a partially created/updated resource: it keeps `id` and `properties` in state. */
export class ResourceStateError extends Error {
    constructor(
        message: string,
        readonly id: string,
        readonly properties: Record<string, unknown>,
        readonly reasons: string[],
    ) {
        super();
        initError(this, "ResourceStateError", message);
    }
}

export class ExotelTrunkProvider implements pulumi.dynamic.ResourceProvider {
    // Runtime-only state, set by configure() inside the provider process. Declared, never initialized,
    // so the serialized instance carries none of it.
    private settings?: ResolvedConfig;
    private exotel?: ExotelClient;

    /** The proxy stored in state says which contract it speaks; refuse one we do not know. */
    checkProtocol(n: number): void {
        if (n !== PROXY_PROTOCOL) throw new Error(`this pulumi-exotel cannot serve provider protocol ${n}; upgrade the pulumi-exotel package`);
    }

    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        // The host hands over whatever config the engine sent (possibly none): a getter that fails is "not set".
        const get = (k: string) => {
            try {
                return req?.config?.get(k);
            } catch {
                return undefined;
            }
        };
        this.settings = resolveConfig(get, process.env);
        this.exotel = undefined;
    }

    private config(): ResolvedConfig {
        if (!this.settings) this.settings = resolveConfig(() => undefined, process.env);
        return this.settings;
    }

    private log(level: "info" | "warn", message: string): void {
        const text = this.redact(`[exotel] ${message}`);
        if (level === "warn") pulumi.log.warn(text);
        else pulumi.log.info(text);
    }

    /** Removes the credentials from any text that leaves the provider (belt and braces). */
    redact(text: string): string {
        const c = this.settings?.client;
        if (!c) return text;
        let out = text;
        const basic = Buffer.from(`${c.apiKey}:${c.apiToken}`).toString("base64");
        for (const s of [c.apiToken, c.apiKey, basic, encodeURIComponent(c.apiToken)]) {
            if (s && s.length >= 4) out = out.split(s).join("[redacted]");
        }
        return out;
    }

    private client(): ExotelClient {
        const cfg = this.config();
        if (!cfg.client) {
            throw new Error(`Exotel provider is not configured: ${cfg.problems.join("; ")}`);
        }
        if (!this.exotel) {
            this.exotel = new ExotelClient({ ...cfg.client, log: (level, m) => this.log(level, m) });
        }
        return this.exotel;
    }

    private opts(): CallOptions {
        const ms = this.config().client?.timeouts?.operationDeadlineMs ?? 300_000;
        return { deadline: Date.now() + ms };
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

    async check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
        const { failures, inputs } = validateInputs(news ?? {}, { accountSid: this.config().accountSid });
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(inputs)) if (v !== undefined) out[k] = v;
        return { inputs: out, failures: failures.map((f) => ({ property: f.property, reason: this.redact(f.reason) })) };
    }

    async diff(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.DiffResult> {
        const cfg = this.config();
        const d = planDiff(olds, news as unknown as NormalizedInputs, { accountSid: cfg.accountSid, region: cfg.region });
        const providerChanged = olds.__provider !== undefined && olds.__provider !== news.__provider;
        const replacing = d.replaces.length > 0;
        return {
            changes: d.changed.length > 0 || providerChanged,
            replaces: d.replaces,
            // The outputs an in-place update cannot change, per Pulumi's provider contract (so previews
            // keep them known). Note: Pulumi's dynamic-provider host (3.139 to 3.276) does not pass
            // `stables` on to the engine; there the engine keeps an updated resource's old outputs in a
            // preview, which the consumer suite checks (trunkSid stays known).
            stables: replacing ? [] : [...STABLE_ON_UPDATE],
            deleteBeforeReplace: replacing,
        };
    }

    private outputs(trunk: TrunkData | Record<string, unknown>, inputs: NormalizedInputs, a: CurrentAttachments): TrunkOutputs {
        const cfg = this.config();
        let fields: Partial<TrunkOutputs>;
        if ("trunk_sid" in trunk) fields = trunkFields(trunk as TrunkData);
        else {
            const { __provider: _ignored, ...rest } = trunk as Record<string, unknown>;
            fields = rest as Partial<TrunkOutputs>;
        }
        const out: TrunkOutputs = {
            ...fields,
            links: (fields.links as TrunkOutputs["links"]) ?? {},
            trunkSid: (fields.trunkSid as string) ?? "",
            trunkName: (fields.trunkName as string) ?? inputs.trunkName,
            nsoCode: (fields.nsoCode as string) ?? inputs.nsoCode,
            domainName: (fields.domainName as string) ?? inputs.domainName,
            accountSid: (fields.accountSid as string) ?? cfg.accountSid ?? "",
            region: (fields.region as string) ?? cfg.region,
            phoneNumbers: a.phoneNumbers,
            whitelistedIps: a.whitelistedIps,
            destinationUris: a.destinations.map((d) => d.uri),
            destinations: a.destinations,
        };
        out.callerId = a.callerId ?? null;
        if (inputs.adoptTrunkSid !== undefined) out.adoptTrunkSid = inputs.adoptTrunkSid;
        else delete out.adoptTrunkSid;
        // Every output is present, null when Exotel has no value: a key missing from state reads as
        // unknown in every later preview ("+ callerId: [unknown]" on an unchanged trunk).
        for (const k of OUTPUT_KEYS) if (out[k] === undefined) (out as Record<string, unknown>)[k] = null;
        return out;
    }

    async create(raw: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult> {
        try {
            return await this.doCreate(raw as unknown as NormalizedInputs & { __provider?: string });
        } catch (err) {
            throw this.scrubbed(err);
        }
    }

    private async doCreate(inputs: NormalizedInputs & { __provider?: string }): Promise<pulumi.dynamic.CreateResult> {
        const c = this.client();
        const opts = this.opts();
        if (inputs.adoptTrunkSid) return this.adopt(c, inputs, opts);

        const trunk = await c.createTrunk(inputs, opts);
        const sid = trunk.trunk_sid;
        const empty: CurrentAttachments = { phoneNumbers: [], whitelistedIps: [], destinations: [] };
        try {
            const attached = await applyPlan(c, sid, empty, planAttachments(empty, inputs), opts);
            return { id: sid, outs: this.outputs(trunk, inputs, attached) };
        } catch (err) {
            const applied = err instanceof PlanStepError ? err.applied : empty;
            const why = messageOf(err);
            // Roll back: delete the trunk (which removes whatever was attached), with its own deadline.
            try {
                await c.deleteTrunk(sid, { deadline: Date.now() + 120_000 });
            } catch (cleanupErr) {
                if (!(cleanupErr instanceof ExotelNotFoundError)) {
                    const msg =
                        `creating Exotel trunk ${inputs.trunkName} (${sid}): ${why}; deleting it again also failed: ${messageOf(cleanupErr)}. ` +
                        `The trunk is recorded in the stack state, so \`pulumi up\` will finish it and \`pulumi destroy\` will delete it.`;
                    throw new ResourceStateError(msg, sid, { ...this.outputs(trunk, inputs, applied), __provider: inputs.__provider }, [msg]);
                }
            }
            throw new Error(`creating Exotel trunk ${inputs.trunkName} failed: ${why}. The new trunk ${sid} was deleted again; nothing was left behind.`);
        }
    }

    /** Takes over an existing trunk (our replacement for `pulumi import`) and reconciles its attachments. */
    private async adopt(c: ExotelClient, inputs: NormalizedInputs & { __provider?: string }, opts: CallOptions) {
        const sid = inputs.adoptTrunkSid as string;
        const trunk = await c.getTrunk(sid, opts);
        if (!trunk) {
            throw new Error(`adoptTrunkSid: trunk ${sid} does not exist in Exotel account ${c.accountSid}`);
        }
        const mismatch: string[] = [];
        if (trunk.trunk_name !== inputs.trunkName) mismatch.push(`trunkName is "${inputs.trunkName}" but the trunk is named "${trunk.trunk_name}"`);
        if (trunk.nso_code && trunk.nso_code !== inputs.nsoCode) mismatch.push(`nsoCode is "${inputs.nsoCode}" but the trunk has "${trunk.nso_code}"`);
        if (trunk.domain_name && trunk.domain_name !== inputs.domainName) mismatch.push(`domainName is "${inputs.domainName}" but the trunk has "${trunk.domain_name}"`);
        if (mismatch.length) {
            throw new Error(`adoptTrunkSid ${sid}: ${mismatch.join("; ")}. Set these inputs to the trunk's values to adopt it (they cannot be changed in place).`);
        }
        const current = await readAttachments(c, sid, opts, undefined, inputs.destinationUris);
        try {
            const attached = await applyPlan(c, sid, current, planAttachments(current, inputs), opts);
            this.log("info", `adopted existing trunk ${sid} (${trunk.trunk_name})`);
            return { id: sid, outs: this.outputs(trunk, inputs, attached) };
        } catch (err) {
            const applied = err instanceof PlanStepError ? err.applied : current;
            const msg = `adopting Exotel trunk ${sid}: ${messageOf(err)}. The trunk is now managed by this stack; run \`pulumi up\` again to finish.`;
            throw new ResourceStateError(msg, sid, { ...this.outputs(trunk, inputs, applied), __provider: inputs.__provider }, [msg]);
        }
    }

    async read(id: string, props: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult> {
        try {
            const c = this.client();
            const opts = this.opts();
            const sid = (props?.trunkSid as string) || id;
            this.guardAccount(props ?? {}, "refresh");
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
            const state = (props ?? {}) as Partial<TrunkOutputs>;
            const current = inStateOrder(await readAttachments(c, sid, opts, state.callerId ?? undefined, state.destinationUris ?? []), state);
            const inputs: NormalizedInputs = {
                trunkName: trunk.trunk_name,
                nsoCode: trunk.nso_code ?? (state.nsoCode as string),
                domainName: trunk.domain_name ?? (state.domainName as string),
                phoneNumbers: [],
                whitelistedIps: [],
                destinationUris: [],
                adoptTrunkSid: state.adoptTrunkSid,
            };
            const outs = this.outputs(trunk, inputs, current);
            outs.accountSid = (state.accountSid as string) ?? outs.accountSid;
            outs.region = (state.region as string) ?? outs.region;
            return { id: sid, props: outs };
        } catch (err) {
            throw this.scrubbed(err);
        }
    }

    async update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.UpdateResult> {
        const inputs = news as unknown as NormalizedInputs & { __provider?: string };
        const state = olds as unknown as TrunkOutputs;
        const sid = state.trunkSid || id;
        const current: CurrentAttachments = {
            phoneNumbers: state.phoneNumbers ?? [],
            whitelistedIps: state.whitelistedIps ?? [],
            destinations: state.destinations ?? [],
            callerId: state.callerId ?? undefined,
        };
        try {
            const c = this.client();
            this.guardAccount(olds, "update");
            const attached = await applyPlan(c, sid, current, planAttachments(current, inputs), this.opts());
            return { outs: this.outputs(state, inputs, attached) };
        } catch (err) {
            if (err instanceof PlanStepError) {
                const msg = this.redact(`updating Exotel trunk ${sid}: ${err.message}. State records what was applied; run \`pulumi up\` again to finish.`);
                throw new ResourceStateError(msg, sid, { ...this.outputs(state, inputs, err.applied), __provider: inputs.__provider }, [msg]);
            }
            throw this.scrubbed(err);
        }
    }

    /**
     * Exactly one request on the happy path: `DELETE /v2/accounts/<sid>/trunks?trunk_sid=<trunk_sid>`,
     * which also removes every phone number, whitelisted IP and destination URI of the trunk.
     */
    async delete(id: string, props: Record<string, unknown>): Promise<void> {
        try {
            const c = this.client();
            const opts = this.opts();
            const sid = (props?.trunkSid as string) || id;
            this.guardAccount(props ?? {}, "delete");
            try {
                await c.deleteTrunk(sid, opts);
                this.log("info", `deleted trunk ${sid} and everything attached to it`);
            } catch (err) {
                if (await this.isGone(c, sid, err, opts)) {
                    this.log("info", `trunk ${sid} was already gone at Exotel (${(err as ExotelError).httpStatus}/${(err as ExotelError).exotelCode ?? "-"}); treating the delete as done`);
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
    private guardAccount(props: Record<string, unknown>, what: string): void {
        const cfg = this.config();
        const was = props.accountSid as string | undefined;
        if (was && cfg.accountSid && was !== cfg.accountSid) {
            throw new Error(
                `cannot ${what} trunk ${props.trunkSid}: it belongs to Exotel account ${was}, but the provider is configured for ${cfg.accountSid}. ` +
                    `Set exotel:accountSid (and its key/token) back to that account to manage it, or forget it with \`pulumi state delete\`.`,
            );
        }
        const region = props.region as string | undefined;
        if (region && region !== "custom" && cfg.region !== "custom" && region !== cfg.region) {
            throw new Error(`cannot ${what} trunk ${props.trunkSid}: it lives in region ${region}, but exotel:region is ${cfg.region}.`);
        }
    }
}
