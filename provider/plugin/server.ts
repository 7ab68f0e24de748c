/**
 * The `exotel` provider plugin's gRPC service (pulumirpc.ResourceProvider), served with @grpc/grpc-js on
 * the SDK's generated protos, as Pulumi's own Node.js provider server is, but answering what that stock
 * server does not: explicit-provider config (`Configure` args), `CheckConfig`/`DiffConfig`, secrets
 * unwrapped and re-marked (`acceptSecrets`), previews (`supportsPreview`), a detailed diff with
 * `stables`, and `Read` without state (`pulumi import`).
 *
 * The work is ExotelTrunkProvider's, the same core as the dynamic ExotelTrunk: one instance per plugin
 * process (the engine starts one process per provider, default or explicit).
 */
import * as grpc from "@grpc/grpc-js";
import * as anyproto from "google-protobuf/google/protobuf/any_pb";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as pluginproto from "@pulumi/pulumi/proto/plugin_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";

import { resolveConfig } from "../config";
import { ExotelTrunkProvider, LogSink } from "../engine/trunkProvider";
import { lookupTrunk, lookupTrunks, TrunkLookup } from "../engine/trunkLookup";
import { ResourceStateError } from "../errors/ResourceStateError";
import { NormalizedInputs, ProviderInputs, TrunkOutputs } from "../trunkTypes";
import { buildSchema, GET_TRUNK, LIST_TRUNKS, TRUNK_TYPE } from "./schema";
import { detailedDiff, dynamicOnlyFailures, inputsOf, previewCreate, previewUpdate } from "./trunkHooks";
import { isUnknownDeep, Json, unwrapProperties, wrapProperties } from "./wire";

/** Outputs and inputs the plugin always marks secret (whatever the program did). */
const SECRET_PROPERTIES = ["credentials"];

type Unary<Req, Res> = grpc.handleUnaryCall<Req, Res>;
type Props = Record<string, unknown>;

const toJs = (s: structproto.Struct | undefined): Props => (s ? s.toJavaScript() : {});
const toStruct = (v: Record<string, Json>) => structproto.Struct.fromJavaScript(v);

/** Stack/provider config value as text (the config table parses text; `Configure` args may be typed). */
function asText(v: Json | undefined): string | undefined {
    if (v === undefined || v === null) return undefined;
    return typeof v === "string" ? v : JSON.stringify(v);
}

export interface PluginOptions {
    version: string;
    log: LogSink;
}

export class ExotelPluginServer {
    private readonly engine: ExotelTrunkProvider;

    constructor(private readonly opts: PluginOptions) {
        this.engine = new ExotelTrunkProvider(opts.log);
    }

    /** The service implementation handed to grpc-js. */
    service(): Partial<provrpc.IResourceProviderServer> {
        return {
            getPluginInfo: this.unary(async () => new pluginproto.PluginInfo().setVersion(this.opts.version)),
            getSchema: this.unary(async () => new provproto.GetSchemaResponse().setSchema(JSON.stringify(buildSchema(this.opts.version)))),
            checkConfig: this.unary((req: provproto.CheckRequest) => this.checkConfig(req)),
            diffConfig: this.unary((req: provproto.DiffRequest) => this.diffConfig(req)),
            configure: this.unary((req: provproto.ConfigureRequest) => this.configure(req)),
            check: this.unary((req: provproto.CheckRequest) => this.check(req)),
            diff: this.unary((req: provproto.DiffRequest) => this.diff(req)),
            create: this.unary((req: provproto.CreateRequest) => this.create(req)),
            read: this.unary((req: provproto.ReadRequest) => this.read(req)),
            update: this.unary((req: provproto.UpdateRequest) => this.update(req)),
            delete: this.unary((req: provproto.DeleteRequest) => this.delete(req)),
            invoke: this.unary((req: provproto.InvokeRequest) => this.invoke(req)),
            cancel: this.unary(async () => new emptyproto.Empty()),
            attach: this.unary(async () => new emptyproto.Empty()),
            getMapping: this.unary(async () => new provproto.GetMappingResponse()),
        };
    }

    /** A handler that turns a thrown error into a gRPC error (with partial state when there is some), scrubbed of credentials. */
    private unary<Req, Res>(fn: (req: Req) => Promise<Res>): Unary<Req, Res> {
        return (call, callback) => {
            fn(call.request).then(
                (res) => callback(null, res),
                (err: unknown) => callback(this.grpcError(err)),
            );
        };
    }

    private grpcError(err: unknown): Partial<grpc.StatusObject> {
        const message = this.engine.redact(err instanceof Error ? err.message : String(err));
        const metadata = new grpc.Metadata();
        if (err instanceof ResourceStateError) {
            // The trunk exists and state must record it: Pulumi's ErrorResourceInitFailed detail.
            const detail = new provproto.ErrorResourceInitFailed();
            detail.setId(err.id);
            const { __provider: _p, ...outs } = err.properties;
            detail.setProperties(toStruct(this.outputs(outs)));
            detail.setReasonsList(err.reasons.map((r) => this.engine.redact(r)));
            const any = new anyproto.Any();
            any.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
            const status = new statusproto.Status();
            status.setCode(grpc.status.UNKNOWN);
            status.setMessage(message);
            status.addDetails(any);
            metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
        }
        return { code: grpc.status.UNKNOWN, details: message, metadata };
    }

    /** Outputs for the engine: secrets marked. */
    private outputs(outs: Props): Record<string, Json> {
        return wrapProperties(outs, SECRET_PROPERTIES);
    }

    // ---- provider configuration ----

    private async checkConfig(req: provproto.CheckRequest): Promise<provproto.CheckResponse> {
        const news = toJs(req.getNews());
        const { values } = unwrapProperties(news);
        const resp = new provproto.CheckResponse().setInputs(req.getNews());
        if (Object.values(values).some(isUnknownDeep)) return resp; // a preview with config from another resource
        const s = resolveConfig((k) => asText(values[k.replace(/^exotel:/, "")]), process.env);
        // Missing settings fail where they are used (a provider may serve only lookups with env settings); bad ones fail here.
        const bad = s.problems.filter((p) => !/ is not set|required/.test(p));
        resp.setFailuresList(bad.map((p) => new provproto.CheckFailure().setProperty("").setReason(this.engine.redact(p))));
        return resp;
    }

    private async diffConfig(req: provproto.DiffRequest): Promise<provproto.DiffResponse> {
        const olds = unwrapProperties(toJs(req.getOldInputs() ?? req.getOlds())).values;
        const news = unwrapProperties(toJs(req.getNews())).values;
        const resp = new provproto.DiffResponse();
        const changed = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter(
            (k) => k !== "version" && JSON.stringify(olds[k]) !== JSON.stringify(news[k]),
        );
        // No setting replaces the provider: a trunk whose account or region changes is replaced by its own diff.
        resp.setChanges(changed.length ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE);
        resp.setDiffsList(changed);
        resp.setHasdetaileddiff(true);
        for (const k of changed) {
            const kind =
                olds[k] === undefined
                    ? provproto.PropertyDiff.Kind.ADD
                    : news[k] === undefined
                      ? provproto.PropertyDiff.Kind.DELETE
                      : provproto.PropertyDiff.Kind.UPDATE;
            resp.getDetaileddiffMap().set(k, new provproto.PropertyDiff().setKind(kind).setInputdiff(true));
        }
        return resp;
    }

    private async configure(req: provproto.ConfigureRequest): Promise<provproto.ConfigureResponse> {
        // An explicit provider's arguments, and the stack's `exotel:*` config for the default provider, both arrive
        // as `args`; older engines send only `variables` ("exotel:config:<name>").
        const args = unwrapProperties(toJs(req.getArgs())).values;
        const vars = req.getVariablesMap();
        await this.engine.configure({
            config: {
                get: (key: string) => {
                    const name = key.replace(/^exotel:/, "");
                    return asText(args[name]) ?? vars.get(`exotel:config:${name}`);
                },
            },
        } as never);
        const resp = new provproto.ConfigureResponse();
        resp.setAcceptsecrets(true);
        resp.setSupportspreview(true);
        resp.setAcceptresources(false);
        resp.setAcceptoutputs(false);
        return resp;
    }

    // ---- exotel:index:Trunk ----

    private checkType(urn: string): void {
        const type = urn.split("::")[2]?.split("$").pop();
        if (type !== TRUNK_TYPE) throw new Error(`the exotel provider has no resource type ${type}`);
    }

    private async check(req: provproto.CheckRequest): Promise<provproto.CheckResponse> {
        this.checkType(req.getUrn());
        const news = unwrapProperties(toJs(req.getNews())).values;
        const only = dynamicOnlyFailures(news);
        const checked = await this.engine.check({} as ProviderInputs, news as unknown as ProviderInputs);
        const failures = [...only, ...(checked.failures ?? [])];
        const checkedInputs = (checked.inputs ?? {}) as unknown as Props;
        const resp = new provproto.CheckResponse().setInputs(toStruct(wrapProperties(checkedInputs, SECRET_PROPERTIES)));
        resp.setFailuresList(failures.map((f) => new provproto.CheckFailure().setProperty(f.property).setReason(f.reason)));
        return resp;
    }

    private async diff(req: provproto.DiffRequest): Promise<provproto.DiffResponse> {
        const olds = unwrapProperties(toJs(req.getOlds())).values as unknown as TrunkOutputs;
        const news = unwrapProperties(toJs(req.getNews())).values as unknown as ProviderInputs;
        const d = this.engine.diffProperties(req.getId(), olds, news);
        const resp = new provproto.DiffResponse();
        resp.setChanges(d.changes ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE);
        resp.setReplacesList(d.replaces ?? []);
        resp.setStablesList(d.stables ?? []);
        resp.setDeletebeforereplace(d.deleteBeforeReplace ?? false);
        resp.setDiffsList(d.changed);
        resp.setHasdetaileddiff(true);
        const details = detailedDiff(olds, news, d.changed, d.replaces ?? []);
        for (const [k, v] of Object.entries(details)) {
            resp.getDetaileddiffMap().set(
                k,
                new provproto.PropertyDiff().setKind(provproto.PropertyDiff.Kind[v.kind]).setInputdiff(v.inputDiff),
            );
        }
        return resp;
    }

    private async create(req: provproto.CreateRequest): Promise<provproto.CreateResponse> {
        this.checkType(req.getUrn());
        const inputs = unwrapProperties(toJs(req.getProperties())).values as unknown as NormalizedInputs;
        const resp = new provproto.CreateResponse();
        if (req.getPreview()) {
            const at = this.engine.lookupPlacement();
            return resp.setId("").setProperties(toStruct(this.outputs(previewCreate(inputs, at))));
        }
        const { id, outs } = await this.engine.create(inputs);
        return resp.setId(id).setProperties(toStruct(this.outputs(outs as unknown as Props)));
    }

    private async update(req: provproto.UpdateRequest): Promise<provproto.UpdateResponse> {
        const olds = unwrapProperties(toJs(req.getOlds())).values as unknown as TrunkOutputs;
        const news = unwrapProperties(toJs(req.getNews())).values as unknown as NormalizedInputs;
        const resp = new provproto.UpdateResponse();
        if (req.getPreview()) {
            const { changed } = this.engine.diffProperties(req.getId(), olds, news);
            return resp.setProperties(toStruct(this.outputs(previewUpdate(olds, news, changed))));
        }
        const { outs } = await this.engine.update(req.getId(), olds, news);
        return resp.setProperties(toStruct(this.outputs((outs ?? {}) as Props)));
    }

    /**
     * Refresh (state given) and `pulumi import` (only the id): the trunk as Exotel has it now. Gone -> an
     * empty id, which removes it from state. The inputs returned are those of the trunk as read, with the
     * credentials the program manages kept (Exotel never returns a password).
     */
    private async read(req: provproto.ReadRequest): Promise<provproto.ReadResponse> {
        this.checkType(req.getUrn());
        const state = unwrapProperties(toJs(req.getProperties())).values;
        const oldInputs = unwrapProperties(toJs(req.getInputs())).values;
        const importing = Object.keys(state).length === 0;
        const result = await this.engine.read(req.getId(), importing ? undefined : (state as unknown as TrunkOutputs));
        const resp = new provproto.ReadResponse();
        if (!result.id || !result.props) return resp.setId("");
        const outs = result.props;
        const inputs: Record<string, Json> = inputsOf(outs);
        if (!importing && oldInputs.credentials !== undefined) inputs.credentials = oldInputs.credentials;
        return resp
            .setId(result.id)
            .setProperties(toStruct(this.outputs(outs as unknown as Props)))
            .setInputs(toStruct(wrapProperties(inputs, SECRET_PROPERTIES)));
    }

    /** Exactly the seed's single `DELETE /v2/accounts/<sid>/trunks?trunk_sid=<sid>` on the happy path. */
    private async delete(req: provproto.DeleteRequest): Promise<emptyproto.Empty> {
        const props = unwrapProperties(toJs(req.getProperties())).values as unknown as TrunkOutputs;
        await this.engine.delete(req.getId(), props);
        return new emptyproto.Empty();
    }

    // ---- functions ----

    private async invoke(req: provproto.InvokeRequest): Promise<provproto.InvokeResponse> {
        const args = unwrapProperties(toJs(req.getArgs())).values;
        const resp = new provproto.InvokeResponse();
        const fail = (property: string, reason: string) =>
            resp.setFailuresList([new provproto.CheckFailure().setProperty(property).setReason(reason)]);
        switch (req.getTok()) {
            case GET_TRUNK: {
                const bySid = typeof args.trunkSid === "string" && args.trunkSid !== "";
                const byName = typeof args.trunkName === "string" && args.trunkName !== "";
                if (bySid === byName) return fail(bySid ? "trunkName" : "trunkSid", "getTrunk takes exactly one of trunkSid and trunkName");
                const lookup = (bySid ? { trunkSid: args.trunkSid } : { trunkName: args.trunkName }) as TrunkLookup;
                const info = await lookupTrunk(this.engine.lookupAccount(), lookup).catch((e: unknown) => {
                    throw new Error(this.engine.redact(e instanceof Error ? e.message : String(e)));
                });
                return resp.setReturn(toStruct(info as unknown as Record<string, Json>));
            }
            case LIST_TRUNKS: {
                const trunks = await lookupTrunks(this.engine.lookupAccount(), args.withAttachments !== false);
                return resp.setReturn(toStruct({ trunks: trunks as unknown as Json }));
            }
            default:
                throw new Error(`the exotel provider has no function ${req.getTok()}`);
        }
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
