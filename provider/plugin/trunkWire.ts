/**
 * `exotel:index:Trunk` on the plugin's wire: each operation takes the engine's property maps (as plain JSON,
 * secrets wrapped, unknowns as the sentinel), decodes them with the codec, runs the controller and encodes
 * the answer with its secret paths. A secret anywhere in an input stays secret at its place in the checked
 * inputs and makes every output derived from it secret (the field table's `derives`), through create,
 * update, refresh and import; outputs secret in state stay secret. Pure of gRPC: server.ts converts
 * protobuf Structs to JSON and back.
 */
import { inputsOf } from "../engine/previews";
import { OpContext, TrunkController, TrunkDiff } from "../engine/trunkController";
import { SECRET_NAMES, secretOutputsOf } from "../trunkFields";
import { CheckedInputs, TrunkOutputs } from "../trunkTypes";
import { decode, Decoded, encode, Json, Path, topLevel } from "./codec";

type Js = Record<string, unknown>;
type Props = Record<string, Json>;

/** The inputs that are secret whatever the program did. */
const ALWAYS: Path[] = SECRET_NAMES.map((k) => [k]);
/** Top-level paths of the outputs that secret inputs, and secret properties of the state, make secret. */
const outputPaths = (inputSecrets: Path[], stateSecrets: Path[] = []): Path[] =>
    [...secretOutputsOf(topLevel(inputSecrets)), ...topLevel(stateSecrets)].map((k) => [k]);

export class TrunkWire {
    /** The secret paths of the outputs a failed operation carries (a partial state the engine records). */
    private readonly failed = new WeakMap<object, Path[]>();

    constructor(private readonly trunks: TrunkController) {}

    check(news: Js | undefined): { inputs: Props; failures: { property: string; reason: string }[] } {
        const n = this.remembered(decode(news));
        const { inputs, failures } = this.trunks.check(n.values);
        return { inputs: encode(inputs, [...n.secrets, ...ALWAYS]), failures };
    }

    diff(olds: Js | undefined, news: Js | undefined): TrunkDiff {
        return this.trunks.diff(decode(olds).values, decode(news).values as CheckedInputs);
    }

    async create(props: Js | undefined, ctx: OpContext): Promise<{ id: string; properties: Props }> {
        const inputs = this.remembered(decode(props));
        const secret = outputPaths(inputs.secrets);
        const { id, outs } = await this.op(secret, () => this.trunks.create(inputs.values as CheckedInputs, ctx));
        return { id, properties: encode(outs, secret) };
    }

    async update(id: string, olds: Js | undefined, news: Js | undefined, ctx: OpContext): Promise<Props> {
        const o = this.remembered(decode(olds));
        const n = this.remembered(decode(news));
        const secret = outputPaths(n.secrets, o.secrets);
        return encode(
            await this.op(secret, () => this.trunks.update(id, o.values as TrunkOutputs, n.values as CheckedInputs, ctx)),
            secret,
        );
    }

    /**
     * Refresh (state given) and `pulumi import` (only the id): the trunk as Exotel has it now, or undefined
     * when it is gone. Inputs are those of the trunk as read, with the credentials the program manages kept
     * (Exotel never returns a password) and the program's secret inputs still secret.
     */
    async read(id: string, props: Js | undefined, oldInputs: Js | undefined, ctx: OpContext) {
        const state = this.remembered(decode(props));
        const old = this.remembered(decode(oldInputs));
        const importing = Object.keys(state.values).length === 0;
        const found = await this.trunks.read(id, importing ? undefined : state.values, ctx);
        if (!found) return undefined;
        const inputs: Js = { ...inputsOf(found.outs) };
        if (!importing && old.values.credentials !== undefined) inputs.credentials = old.values.credentials;
        return {
            id: found.id,
            properties: encode(found.outs, outputPaths(old.secrets, state.secrets)),
            inputs: encode(inputs, [...old.secrets, ...ALWAYS]),
        };
    }

    async delete(id: string, props: Js | undefined, ctx: OpContext): Promise<void> {
        await this.trunks.delete(id, this.remembered(decode(props)).values, ctx);
    }

    /** The outputs of a partial state an operation failed with, encoded with that operation's secret paths. */
    failedOutputs(err: unknown, outs: Js): Props {
        const secret = (typeof err === "object" && err !== null ? this.failed.get(err) : undefined) ?? outputPaths([]);
        return encode(outs, secret);
    }

    /** Every string under a secret path is scrubbed from what leaves the process (a check failure quotes its value). */
    private remembered(d: Decoded): Decoded {
        const strings = (v: unknown): string[] =>
            typeof v === "string" ? [v] : v && typeof v === "object" ? Object.values(v).flatMap(strings) : [];
        for (const path of d.secrets) {
            const v = path.reduce<unknown>((x, k) => (x as Record<string | number, unknown> | undefined)?.[k], d.values);
            for (const s of strings(v)) this.trunks.accounts.rememberSecret(s);
        }
        return d;
    }

    private async op<T>(secret: Path[], fn: () => Promise<T>): Promise<T> {
        try {
            return await fn();
        } catch (err) {
            if (typeof err === "object" && err !== null) this.failed.set(err, secret);
            throw err;
        }
    }
}
