/**
 * The ExotelTrunk dynamic provider: Pulumi's dynamic-provider hooks as a thin adapter over the trunk
 * controller. The wire here is the dynamic-provider host's: plain values with Pulumi's unknown sentinel
 * (turned into `UNKNOWN` on the way in), `__provider` (the serialized proxy) beside the inputs and state.
 *
 * Loaded inside the provider process through `pulumi-exotel/runtime` by the proxy stored in state
 * (providerProxy.ts). Runtime state lives on `this` and is written only by `configure`; nothing reads
 * module-level mutable state.
 */
import type * as pulumi from "@pulumi/pulumi";
import { ResourceStateError } from "../errors/ResourceStateError";
import { CheckedInputs, ProviderInputs, ProviderState, TrunkOutputs } from "../trunkTypes";
import { unknownsFromWire, unknownsToWire } from "../unknown";
import { Accounts, LogSink } from "./accounts";
import { PROXY_PROTOCOL } from "./protocol";
import { TrunkController } from "./trunkController";

export type { LogSink } from "./accounts";

/**
 * In the dynamic-provider host: `pulumi.log`. Loaded when first used, so that this module does not load the
 * Pulumi SDK itself. (The host gives a provider no resource to log under: lines show under the stack.)
 */
const pulumiLog: LogSink = (level, text) => {
    const { log } = require("@pulumi/pulumi") as typeof pulumi;
    // Fire and forget: the engine orders log messages itself; a failed log must not fail the operation.
    void (level === "warn" ? log.warn(text) : log.info(text));
};

type Wire = Record<string, unknown>;

export class ExotelTrunkProvider {
    private readonly accounts: Accounts;
    private readonly trunks: TrunkController;

    /** `sink`: where log lines go (default: Pulumi's log, as the dynamic-provider host serves it). */
    constructor(sink: LogSink = pulumiLog) {
        this.accounts = new Accounts(sink);
        this.trunks = new TrunkController(this.accounts, "dynamic");
    }

    /** The proxy stored in state says which contract it speaks; refuse one we do not know. */
    checkProtocol(n: number): void {
        if (n !== PROXY_PROTOCOL)
            throw new Error(`this pulumi-exotel cannot serve provider protocol ${n}; upgrade the pulumi-exotel package`);
    }

    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        // The host hands over whatever config the engine sent (possibly none).
        this.accounts.configure((k) => req?.config?.get(k));
    }

    async check(_olds: ProviderInputs, news: ProviderInputs): Promise<pulumi.dynamic.CheckResult> {
        const { __provider: _p, ...raw } = news as Wire;
        const { inputs, failures } = this.trunks.check(unknownsFromWire(raw) as Wire);
        // (The provider host puts `__provider` back into the checked inputs itself.)
        return { inputs: unknownsToWire(inputs), failures };
    }

    async diff(_id: string, olds: ProviderState, news: ProviderInputs): Promise<pulumi.dynamic.DiffResult> {
        const { changes, replaces, stables, deleteBeforeReplace } = this.trunks.diff(state(olds), inputs(news));
        // A new proxy (a new package version) is a change: state then records the proxy that will delete the trunk.
        const providerChanged = olds.__provider !== undefined && olds.__provider !== news.__provider;
        return { changes: changes || providerChanged, replaces, stables, deleteBeforeReplace };
    }

    async create(news: ProviderInputs): Promise<pulumi.dynamic.CreateResult> {
        const { id, outs } = await withProxy(news.__provider, () => this.trunks.create(inputs(news), {}));
        return { id, outs: unknownsToWire(outs) };
    }

    async read(id: string, props?: ProviderState): Promise<pulumi.dynamic.ReadResult> {
        const found = await this.trunks.read(id, props && state(props), {});
        return found ? { id: found.id, props: found.outs } : {};
    }

    async update(id: string, olds: ProviderState, news: ProviderInputs): Promise<pulumi.dynamic.UpdateResult> {
        const outs = await withProxy(news.__provider, () => this.trunks.update(id, state(olds), inputs(news), {}));
        return { outs: unknownsToWire(outs) };
    }

    async delete(id: string, props: ProviderState): Promise<void> {
        await this.trunks.delete(id, state(props), {});
    }
}

/** Checked inputs as the host passes them back: unknowns are the wire's sentinel; `__provider` is not an input. */
function inputs(news: ProviderInputs) {
    const { __provider: _p, ...rest } = news;
    return unknownsFromWire(rest) as CheckedInputs;
}

function state(props: ProviderState): TrunkOutputs {
    const { __provider: _p, ...rest } = props;
    return rest;
}

/** A partial state the engine records must carry the proxy too (state without it could not be deleted). */
async function withProxy<T>(proxy: string | undefined, op: () => Promise<T>): Promise<T> {
    try {
        return await op();
    } catch (err) {
        if (err instanceof ResourceStateError && proxy !== undefined) {
            throw new ResourceStateError(err.message, err.id, { ...err.properties, __provider: proxy }, err.reasons);
        }
        throw err;
    }
}
