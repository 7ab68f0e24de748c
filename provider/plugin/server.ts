/**
 * The `exotel` provider plugin's gRPC service (pulumirpc.ResourceProvider): a thin adapter over the trunk
 * controller, served with @grpc/grpc-js on the SDK's generated protos. Requests are decoded by the codec
 * (values, secret paths, unknowns); answers carry secretness on: a secret anywhere in an input marks it in
 * the checked inputs and every output derived from it (the field table's `derives`), through create,
 * update, refresh and import. Timeouts (`customTimeouts`) become the operation's deadline; `Cancel` aborts
 * every operation of the process (no request starts afterwards).
 */
import * as grpc from "@grpc/grpc-js";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as pluginproto from "@pulumi/pulumi/proto/plugin_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import { Accounts, LogSink } from "../engine/accounts";
import { DetailedDiff, inputsOf } from "../engine/previews";
import { OpContext, TrunkController } from "../engine/trunkController";
import { SECRET_NAMES, secretOutputsOf } from "../trunkFields";
import { CheckedInputs, TrunkOutputs } from "../trunkTypes";
import { decode, encode, Path, topLevel } from "./codec";
import { invoke } from "./functions";
import { grpcError } from "./grpcErrors";
import { checkConfig, configGetter, diffConfig } from "./providerConfig";
import { buildSchema, TRUNK_TYPE } from "./schema";

type Unary<Req, Res> = grpc.handleUnaryCall<Req, Res>;
const Kind = provproto.PropertyDiff.Kind;
const struct = (v: Record<string, unknown>) => structproto.Struct.fromJavaScript(encode(v, []));
const decoded = (s: structproto.Struct | undefined) => decode(s?.toJavaScript());
/** The inputs that are secret whatever the program did. */
const ALWAYS: Path[] = SECRET_NAMES.map((k) => [k]);
/** Top-level paths of the outputs a set of secret paths (inputs) and secret state properties make secret. */
const outputPaths = (inputSecrets: Path[], stateSecrets: Path[] = []): Path[] =>
    [...secretOutputsOf(topLevel(inputSecrets)), ...topLevel(stateSecrets)].map((k) => [k]);

export interface PluginOptions {
    version: string;
    log: LogSink;
}

export class ExotelPluginServer {
    private readonly accounts: Accounts;
    private readonly trunks: TrunkController;
    private readonly cancelled = new AbortController();
    /** The secret paths of the outputs a failed operation carries (a partial state the engine records). */
    private readonly failedOutputs = new WeakMap<object, Path[]>();

    constructor(private readonly opts: PluginOptions) {
        this.accounts = new Accounts(opts.log);
        this.trunks = new TrunkController(this.accounts, "plugin");
    }

    /** The service implementation handed to grpc-js. */
    service(): Partial<provrpc.IResourceProviderServer> {
        return {
            getPluginInfo: this.unary(async () => new pluginproto.PluginInfo().setVersion(this.opts.version)),
            getSchema: this.unary(async (req: provproto.GetSchemaRequest) => {
                if (req.getVersion() !== 0) throw new Error(`the exotel provider serves schema version 0, not ${req.getVersion()}`);
                return new provproto.GetSchemaResponse().setSchema(JSON.stringify(buildSchema(this.opts.version)));
            }),
            checkConfig: this.unary(async (req: provproto.CheckRequest) =>
                this.checkResponse(req.getNews(), checkConfig(decoded(req.getNews()).values)),
            ),
            diffConfig: this.unary(async (req: provproto.DiffRequest) => {
                const d = diffConfig(decoded(req.getOldInputs() ?? req.getOlds()).values, decoded(req.getNews()).values);
                return this.diffResponse({ ...d, deleteBeforeReplace: false, stables: [] });
            }),
            configure: this.unary(async (req: provproto.ConfigureRequest) => {
                this.accounts.configure(configGetter(decoded(req.getArgs()).values, req.getVariablesMap()));
                return new provproto.ConfigureResponse().setAcceptsecrets(true).setSupportspreview(true);
            }),
            check: this.unary(async (req: provproto.CheckRequest) => {
                this.checkType(req.getUrn());
                const news = decoded(req.getNews());
                const { inputs, failures } = this.trunks.check(news.values);
                return this.checkResponse(structproto.Struct.fromJavaScript(encode(inputs, [...news.secrets, ...ALWAYS])), failures);
            }),
            diff: this.unary(async (req: provproto.DiffRequest) =>
                this.diffResponse(this.trunks.diff(decoded(req.getOlds()).values, decoded(req.getNews()).values as CheckedInputs)),
            ),
            create: this.unary(async (req: provproto.CreateRequest) => {
                this.checkType(req.getUrn());
                const inputs = decoded(req.getProperties());
                const secret = outputPaths(inputs.secrets);
                const { id, outs } = await this.op(secret, () =>
                    this.trunks.create(inputs.values as CheckedInputs, this.context(req.getUrn(), req.getTimeout(), req.getPreview())),
                );
                return new provproto.CreateResponse().setId(id).setProperties(this.outputs(outs, secret));
            }),
            update: this.unary(async (req: provproto.UpdateRequest) => {
                const olds = decoded(req.getOlds());
                const news = decoded(req.getNews());
                const secret = outputPaths(news.secrets, olds.secrets);
                const ctx = this.context(req.getUrn(), req.getTimeout(), req.getPreview());
                const outs = await this.op(secret, () =>
                    this.trunks.update(req.getId(), olds.values as TrunkOutputs, news.values as CheckedInputs, ctx),
                );
                return new provproto.UpdateResponse().setProperties(this.outputs(outs, secret));
            }),
            read: this.unary((req: provproto.ReadRequest) => this.read(req)),
            delete: this.unary(async (req: provproto.DeleteRequest) => {
                const ctx = this.context(req.getUrn(), req.getTimeout(), false);
                await this.trunks.delete(req.getId(), decoded(req.getProperties()).values, ctx);
                return new emptyproto.Empty();
            }),
            invoke: this.unary(async (req: provproto.InvokeRequest) => {
                const r = await invoke(this.accounts, req.getTok(), decoded(req.getArgs()).values);
                const resp = new provproto.InvokeResponse();
                if ("failures" in r) return resp.setFailuresList(r.failures.map((f) => failure(f)));
                return resp.setReturn(struct(r.result));
            }),
            cancel: this.unary(async () => {
                this.cancelled.abort();
                this.accounts.log("warn", "cancelled: no further request is started; requests in flight are answered and recorded");
                return new emptyproto.Empty();
            }),
            attach: this.unary(async () => new emptyproto.Empty()),
            getMapping: this.unary(async () => new provproto.GetMappingResponse()),
        };
    }

    /**
     * Refresh (state given) and `pulumi import` (only the id): the trunk as Exotel has it now. Gone -> an
     * empty id, which removes it from state. Inputs are those of the trunk as read, with the credentials
     * the program manages kept (Exotel never returns a password) and the program's secret inputs still secret.
     */
    private async read(req: provproto.ReadRequest): Promise<provproto.ReadResponse> {
        this.checkType(req.getUrn());
        const state = decoded(req.getProperties());
        const oldInputs = decoded(req.getInputs());
        const importing = Object.keys(state.values).length === 0;
        const ctx = this.context(req.getUrn(), 0, false);
        const found = await this.trunks.read(req.getId(), importing ? undefined : state.values, ctx);
        const resp = new provproto.ReadResponse();
        if (!found) return resp.setId("");
        const inputs: Record<string, unknown> = { ...inputsOf(found.outs) };
        if (!importing && oldInputs.values.credentials !== undefined) inputs.credentials = oldInputs.values.credentials;
        const secret = outputPaths(oldInputs.secrets, state.secrets);
        return resp
            .setId(found.id)
            .setProperties(this.outputs(found.outs, secret))
            .setInputs(structproto.Struct.fromJavaScript(encode(inputs, [...oldInputs.secrets, ...ALWAYS])));
    }

    private context(urn: string, timeoutSeconds: number, preview: boolean): OpContext {
        const deadline = timeoutSeconds > 0 ? Date.now() + timeoutSeconds * 1000 : undefined;
        return { urn, deadline, preview, signal: this.cancelled.signal };
    }

    private outputs(outs: Record<string, unknown>, secret: Path[]): structproto.Struct {
        return structproto.Struct.fromJavaScript(encode(outs, secret));
    }

    /** Runs an operation; a partial state it fails with is sent with these secret paths. */
    private async op<T>(secret: Path[], fn: () => Promise<T>): Promise<T> {
        try {
            return await fn();
        } catch (err) {
            if (err && typeof err === "object") this.failedOutputs.set(err, secret);
            throw err;
        }
    }

    private checkType(urn: string): void {
        const type = urn.split("::")[2]?.split("$").pop();
        if (type !== TRUNK_TYPE) throw new Error(`the exotel provider has no resource type ${type}`);
    }

    private checkResponse(inputs: structproto.Struct | undefined, failures: { property: string; reason: string }[]) {
        const redact = (t: string) => this.accounts.redact(t);
        return new provproto.CheckResponse().setInputs(inputs).setFailuresList(failures.map((f) => failure(f, redact)));
    }

    private diffResponse(d: {
        changed: string[];
        replaces: string[];
        stables: string[];
        deleteBeforeReplace: boolean;
        detailed: DetailedDiff;
    }) {
        const resp = new provproto.DiffResponse()
            .setChanges(d.changed.length ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE)
            .setReplacesList(d.replaces)
            .setStablesList(d.stables)
            .setDeletebeforereplace(d.deleteBeforeReplace)
            .setDiffsList(d.changed)
            .setHasdetaileddiff(true);
        for (const [k, v] of Object.entries(d.detailed))
            resp.getDetaileddiffMap().set(k, new provproto.PropertyDiff().setKind(Kind[v.kind]).setInputdiff(v.inputDiff));
        return resp;
    }

    /** A handler that turns a thrown error into a gRPC error (with partial state when there is some), scrubbed of credentials. */
    private unary<Req, Res>(fn: (req: Req) => Promise<Res>): Unary<Req, Res> {
        return (call, callback) => {
            fn(call.request).then(
                (res) => callback(null, res),
                (err: unknown) => {
                    const secret = (typeof err === "object" && err !== null ? this.failedOutputs.get(err) : undefined) ?? outputPaths([]);
                    callback(
                        grpcError(
                            err,
                            (t) => this.accounts.redact(t),
                            (outs) => encode(outs, secret),
                        ),
                    );
                },
            );
        };
    }
}

function failure(f: { property: string; reason: string }, redact: (t: string) => string = (t) => t): provproto.CheckFailure {
    return new provproto.CheckFailure().setProperty(f.property).setReason(redact(f.reason));
}

/** Serves the plugin on a loopback port and returns it (the engine reads it from the first line of stdout). */
export async function serve(server: ExotelPluginServer): Promise<{ port: number; stop: () => void }> {
    const grpcServer = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
    grpcServer.addService(provrpc.ResourceProviderService, server.service() as provrpc.IResourceProviderServer);
    const port = await new Promise<number>((resolve, reject) =>
        grpcServer.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    return { port, stop: () => grpcServer.forceShutdown() };
}
