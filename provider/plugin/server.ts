/**
 * The `exotel` provider plugin's gRPC service (pulumirpc.ResourceProvider), served with @grpc/grpc-js on
 * the SDK's generated protos: protobuf in and out around the trunk's wire adapter (trunkWire.ts: codec +
 * controller), the provider's own configuration (providerConfig.ts) and the functions (functions.ts).
 * Timeouts (`customTimeouts`) become the operation's deadline; `Cancel` aborts every operation of the
 * process (no request starts afterwards; requests in flight are answered and recorded).
 */
import * as grpc from "@grpc/grpc-js";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as pluginproto from "@pulumi/pulumi/proto/plugin_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import { Accounts, LogSink } from "../engine/accounts";
import { OpContext, TrunkController } from "../engine/trunkController";
import { decode, encode } from "./codec";
import { invoke } from "./functions";
import { grpcError } from "./grpcErrors";
import { checkResponse, diffResponse, failure } from "./responses";
import { checkConfig, configGetter, diffConfig } from "./providerConfig";
import { buildSchema, TRUNK_TYPE } from "./schema";
import { TrunkWire } from "./trunkWire";

type Unary<Req, Res> = grpc.handleUnaryCall<Req, Res>;
const struct = (v: Record<string, unknown>) => structproto.Struct.fromJavaScript(encode(v, []));
const js = (s: structproto.Struct | undefined) => s?.toJavaScript();
const decoded = (s: structproto.Struct | undefined) => decode(js(s));

export interface PluginOptions {
    version: string;
    log: LogSink;
}

export class ExotelPluginServer {
    private readonly accounts: Accounts;
    private readonly trunks: TrunkWire;
    private readonly cancelled = new AbortController();
    /** Resource operations in progress (the engine also calls Cancel as a run ends, with none). */
    private running = 0;

    constructor(private readonly opts: PluginOptions) {
        this.accounts = new Accounts(opts.log);
        this.trunks = new TrunkWire(new TrunkController(this.accounts, "plugin"));
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
                return diffResponse({ ...d, deleteBeforeReplace: false, stables: [] });
            }),
            configure: this.unary(async (req: provproto.ConfigureRequest) => {
                this.accounts.configure(configGetter(decoded(req.getArgs()).values, req.getVariablesMap()));
                return new provproto.ConfigureResponse().setAcceptsecrets(true).setSupportspreview(true);
            }),
            check: this.unary(async (req: provproto.CheckRequest) => {
                this.checkType(req.getUrn());
                const { inputs, failures } = this.trunks.check(js(req.getNews()));
                return this.checkResponse(structproto.Struct.fromJavaScript(inputs), failures);
            }),
            diff: this.unary(async (req: provproto.DiffRequest) => diffResponse(this.trunks.diff(js(req.getOlds()), js(req.getNews())))),
            create: this.operation(async (req: provproto.CreateRequest) => {
                this.checkType(req.getUrn());
                const ctx = this.context(req.getUrn(), req.getTimeout(), req.getPreview());
                const { id, properties } = await this.trunks.create(js(req.getProperties()), ctx);
                return new provproto.CreateResponse().setId(id).setProperties(structproto.Struct.fromJavaScript(properties));
            }),
            update: this.operation(async (req: provproto.UpdateRequest) => {
                const ctx = this.context(req.getUrn(), req.getTimeout(), req.getPreview());
                const properties = await this.trunks.update(req.getId(), js(req.getOlds()), js(req.getNews()), ctx);
                return new provproto.UpdateResponse().setProperties(structproto.Struct.fromJavaScript(properties));
            }),
            read: this.operation(async (req: provproto.ReadRequest) => {
                this.checkType(req.getUrn());
                const ctx = this.context(req.getUrn(), 0, false);
                const found = await this.trunks.read(req.getId(), js(req.getProperties()), js(req.getInputs()), ctx);
                if (!found) return new provproto.ReadResponse().setId("");
                return new provproto.ReadResponse()
                    .setId(found.id)
                    .setProperties(structproto.Struct.fromJavaScript(found.properties))
                    .setInputs(structproto.Struct.fromJavaScript(found.inputs));
            }),
            delete: this.operation(async (req: provproto.DeleteRequest) => {
                await this.trunks.delete(req.getId(), js(req.getProperties()), this.context(req.getUrn(), req.getTimeout(), false));
                return new emptyproto.Empty();
            }),
            invoke: this.unary(async (req: provproto.InvokeRequest) => {
                const r = await invoke(this.accounts, req.getTok(), decoded(req.getArgs()).values);
                const resp = new provproto.InvokeResponse();
                if ("failures" in r) return resp.setFailuresList(r.failures.map((f) => failure(f, (t) => t)));
                return resp.setReturn(struct(r.result));
            }),
            cancel: this.unary(async () => {
                this.cancelled.abort();
                if (this.running > 0) {
                    this.accounts.log("warn", "cancelled: no further request is started; requests in flight are answered and recorded");
                }
                return new emptyproto.Empty();
            }),
            attach: this.unary(async () => new emptyproto.Empty()),
            getMapping: this.unary(async () => new provproto.GetMappingResponse()),
        };
    }

    /** `customTimeouts` (seconds; 0: none given) as the operation's deadline; the process's cancel signal. */
    private context(urn: string, timeoutSeconds: number, preview: boolean): OpContext {
        const deadline = timeoutSeconds > 0 ? Date.now() + timeoutSeconds * 1000 : undefined;
        return { urn, deadline, preview, signal: this.cancelled.signal };
    }

    private checkType(urn: string): void {
        const type = urn.split("::")[2]?.split("$").pop();
        if (type !== TRUNK_TYPE) throw new Error(`the exotel provider has no resource type ${type}`);
    }

    private checkResponse(inputs: structproto.Struct | undefined, failures: { property: string; reason: string }[]) {
        return checkResponse(inputs, failures, (t) => this.accounts.redact(t));
    }

    /** A resource operation: counted while it runs. */
    private operation<Req, Res>(fn: (req: Req) => Promise<Res>): Unary<Req, Res> {
        return this.unary(async (req: Req) => {
            this.running++;
            try {
                return await fn(req);
            } finally {
                this.running--;
            }
        });
    }

    /** A handler that turns a thrown error into a gRPC error (with partial state when there is some), scrubbed of credentials. */
    private unary<Req, Res>(fn: (req: Req) => Promise<Res>): Unary<Req, Res> {
        return (call, callback) => {
            fn(call.request).then(
                (res) => callback(null, res),
                (err: unknown) =>
                    callback(
                        grpcError(
                            err,
                            (t) => this.accounts.redact(t),
                            (outs) => this.trunks.failedOutputs(err, outs),
                        ),
                    ),
            );
        };
    }
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
