/**
 * The `exotel` provider plugin's gRPC service, called over real gRPC as the engine calls it, against the
 * emulator over HTTP: secrets in and out, previews, the detailed diff with `stables`, import's Read, the
 * functions, and the pure helpers behind them. The real CLI and language hosts drive it in
 * tests/plugin.yaml.test.ts, plugin.go.test.ts and plugin.protocol.test.ts.
 */
import * as fs from "fs";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import { DEMO_ACCOUNT, Emulator, startEmulator } from "../emulator";
import { buildSchema, TRUNK_TYPE } from "../provider/plugin/schema";
import { ExotelPluginServer, serve } from "../provider/plugin/server";
import { detailedDiff, inputsOf, previewUpdate } from "../provider/engine/previews";
import { decode, encode, SECRET_SIG, SIG } from "../provider/plugin/codec";
import { UNKNOWN as UNKNOWN_VALUE, UNKNOWN_SENTINEL as UNKNOWN } from "../provider/unknown";
import { PLUGIN_VERSION } from "../provider/plugin/version";
import { CONFIG_TABLE } from "../provider/config";
import { OUTPUT_KEYS, TrunkOutputs } from "../provider/trunkTypes";
import { apiCalls } from "./helpers/emulator";

const ACC = DEMO_ACCOUNT.accountSid;
const URN = `urn:pulumi:dev::proj::${TRUNK_TYPE}::t`;
const requests = () => emu.requests.map((r) => `${r.method} ${r.url}`);
const secretOf = (value: unknown) => ({ [SIG]: SECRET_SIG, value });

type Js = Record<string, unknown>;
const struct = (v: Js) => structproto.Struct.fromJavaScript(v as Record<string, structproto.JavaScriptValue>);

/** `v` with every secret-wrapped value (in a Struct's JavaScript form or a message's toObject() form) replaced by "[secret]". */
function withoutSecrets(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(withoutSecrets);
    if (!v || typeof v !== "object") return v;
    const o = v as Record<string, unknown>;
    if (o[SIG] === SECRET_SIG) return "[secret]";
    // toObject() of a Struct: fieldsMap is [[key, { stringValue, structValue, ... }], ...].
    if (Array.isArray(o.fieldsMap)) {
        const sig = (o.fieldsMap as [string, { stringValue?: string }][]).find(([k]) => k === SIG);
        if (sig && sig[1].stringValue === SECRET_SIG) return "[secret]";
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, withoutSecrets(x)]));
}

let emu: Emulator;
let stop: () => void;
let client: provrpc.ResourceProviderClient;
const logs: string[] = [];

function call<Req, Res>(method: string, req: Req): Promise<Res> {
    return new Promise((resolve, reject) =>
        (client as unknown as Record<string, (r: Req, cb: (e: grpc.ServiceError | null, r: Res) => void) => void>)[method](req, (e, r) =>
            e ? reject(e) : resolve(r),
        ),
    );
}

beforeAll(async () => {
    emu = await startEmulator();
    const server = await serve(new ExotelPluginServer({ version: PLUGIN_VERSION, log: (level, text) => logs.push(`${level}: ${text}`) }));
    stop = server.stop;
    client = new provrpc.ResourceProviderClient(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
    const conf = new provproto.ConfigureRequest();
    conf.setArgs(
        struct({
            accountSid: ACC,
            apiKey: DEMO_ACCOUNT.apiKey,
            apiToken: secretOf(DEMO_ACCOUNT.apiToken),
            baseUrl: emu.baseUrl,
            retryBaseDelayMs: 5,
        }),
    );
    const resp = await call<provproto.ConfigureRequest, provproto.ConfigureResponse>("configure", conf);
    expect([resp.getAcceptsecrets(), resp.getSupportspreview()]).toEqual([true, true]);
});
afterAll(async () => {
    client.close();
    stop();
    await emu.close();
});
beforeEach(() => {
    emu.store.reset();
    emu.clearLog();
});

const inputs = {
    trunkName: "plug_t",
    phoneNumbers: [{ phoneNumber: "+918047091234" }],
    whitelistedIps: [{ ip: "203.0.113.10" }],
    destinationUris: ["203.0.113.10:5061;transport=tls"],
    callerId: "+918047091234",
    credentials: secretOf([{ userName: "pbx", password: "pbx_password_1" }]),
};

async function check(news: Js): Promise<{ inputs: Js; failures: string[] }> {
    const req = new provproto.CheckRequest().setUrn(URN).setOlds(struct({})).setNews(struct(news));
    const resp = await call<provproto.CheckRequest, provproto.CheckResponse>("check", req);
    return {
        inputs: resp.getInputs()!.toJavaScript(),
        failures: resp.getFailuresList().map((f) => `${f.getProperty()}: ${f.getReason()}`),
    };
}

async function create(news: Js, preview = false): Promise<{ id: string; outs: Js }> {
    const checked = await check(news);
    const req = new provproto.CreateRequest().setUrn(URN).setProperties(struct(checked.inputs)).setPreview(preview);
    const resp = await call<provproto.CreateRequest, provproto.CreateResponse>("create", req);
    return { id: resp.getId(), outs: resp.getProperties()!.toJavaScript() };
}

describe("the gRPC service over the emulator", () => {
    test("GetPluginInfo and GetSchema give the package's version; the schema is the committed schema.json", async () => {
        const info = await call<emptyproto.Empty, { getVersion(): string }>("getPluginInfo", new emptyproto.Empty());
        expect(info.getVersion()).toBe(PLUGIN_VERSION);
        const schema = await call<provproto.GetSchemaRequest, provproto.GetSchemaResponse>("getSchema", new provproto.GetSchemaRequest());
        const served = JSON.parse(schema.getSchema()) as { version: string };
        expect(served.version).toBe(PLUGIN_VERSION);
        const committed = fs.readFileSync(path.join(__dirname, "../provider/plugin/schema.json"), "utf8");
        expect(`${JSON.stringify(served, null, 2)}\n`).toBe(committed);
    });

    test("GetSchema answers for the schema version it is asked: 0 gets the schema, an unsupported version an error naming it", async () => {
        const ask = (version: number) =>
            call<provproto.GetSchemaRequest, provproto.GetSchemaResponse>(
                "getSchema",
                new provproto.GetSchemaRequest().setVersion(version),
            );
        const zero = await ask(0);
        expect((JSON.parse(zero.getSchema()) as { name: string }).name).toBe("exotel");
        for (const v of [1, 2]) {
            const answer = await ask(v).then(
                (r) => `a schema of ${r.getSchema().length} characters`,
                (e: Error) => e.message,
            );
            expect(answer).toMatch(new RegExp(`version\\b.*\\b${v}\\b`));
        }
    });

    const cc = (news: Js) =>
        call<provproto.CheckRequest, provproto.CheckResponse>(
            "checkConfig",
            new provproto.CheckRequest().setUrn("urn:pulumi:dev::p::pulumi:providers:exotel::sg").setNews(struct(news)),
        );
    const dc = (olds: Js, news: Js) =>
        call<provproto.DiffRequest, provproto.DiffResponse>(
            "diffConfig",
            new provproto.DiffRequest()
                .setUrn("urn:pulumi:dev::p::pulumi:providers:exotel::sg")
                .setOlds(struct(olds))
                .setOldInputs(struct(olds))
                .setNews(struct(news)),
        );

    test("CheckConfig refuses a bad setting with its name, lets missing ones through (env may give them)", async () => {
        const bad = await cc({ accountSid: "acct", region: "tokyo", apiToken: secretOf("tok_never_shown") });
        expect(bad.getFailuresList().map((f) => f.getReason())).toEqual([
            expect.stringMatching(/exotel:region .*must be "mumbai" .* or "singapore"/),
        ]);
        expect((await cc({ region: "singapore" })).getFailuresList()).toEqual([]);
        expect(emu.requests).toHaveLength(0);
    });

    test("DiffConfig: a changed (or unknown) accountSid, region or baseUrl replaces the provider, naming them; a new key, token or timeout is a change without replace", async () => {
        const base = { accountSid: "a", apiKey: "k1", apiToken: secretOf("t1"), region: "mumbai", requestTimeoutSeconds: "30" };
        const diff = async (news: Js) => {
            const d = await dc(base, { ...base, ...news });
            return { changes: d.getChanges(), replaces: [...d.getReplacesList()].sort(), diffs: [...d.getDiffsList()].sort() };
        };
        const SOME = provproto.DiffResponse.DiffChanges.DIFF_SOME;
        expect(await diff({ accountSid: "b" })).toEqual({ changes: SOME, replaces: ["accountSid"], diffs: ["accountSid"] });
        expect(await diff({ region: "singapore" })).toEqual({ changes: SOME, replaces: ["region"], diffs: ["region"] });
        expect(await diff({ baseUrl: "http://127.0.0.1:1" })).toEqual({ changes: SOME, replaces: ["baseUrl"], diffs: ["baseUrl"] });
        expect(await diff({ accountSid: "b", apiKey: "k2", apiToken: secretOf("t2") })).toEqual({
            changes: SOME,
            replaces: ["accountSid"],
            diffs: ["accountSid", "apiKey", "apiToken"],
        });
        // Unknown in a preview (config from another resource's output): it may change, so it may replace.
        expect(await diff({ accountSid: UNKNOWN })).toMatchObject({ replaces: ["accountSid"] });
        expect(await diff({ region: UNKNOWN })).toMatchObject({ replaces: ["region"] });
        expect(await diff({ baseUrl: UNKNOWN })).toMatchObject({ replaces: ["baseUrl"] });
        for (const news of [
            { apiToken: secretOf("t2") },
            { apiKey: "k2" },
            { requestTimeoutSeconds: "60" },
            { operationTimeoutSeconds: "600" },
        ]) {
            expect(await diff(news)).toEqual({ changes: SOME, replaces: [], diffs: Object.keys(news) });
        }
        expect((await diff({})).changes).toBe(provproto.DiffResponse.DiffChanges.DIFF_NONE);
        expect(emu.requests).toHaveLength(0);
    });

    test("no response, log line or error of a whole run in which the plugin knows the token holds it outside a secret", async () => {
        const token = DEMO_ACCOUNT.apiToken;
        const seen: { what: string; text: string }[] = [];
        const logsBefore = logs.length;
        const note = (what: string, v: unknown) => seen.push({ what, text: JSON.stringify(withoutSecrets(v)) });
        const respond = async <Req, Res extends { toObject(): unknown }>(
            what: string,
            method: string,
            req: Req,
        ): Promise<Res | undefined> => {
            try {
                const r = await call<Req, Res>(method, req);
                note(what, r.toObject());
                return r;
            } catch (e) {
                const err = e as grpc.ServiceError;
                seen.push({ what: `${what} error`, text: `${err.message} ${err.details} ${JSON.stringify(err.metadata?.toJSON())}` });
                return undefined;
            }
        };
        // The token reaches the plugin in config: Configure (beforeAll), CheckConfig and DiffConfig.
        note("checkConfig", (await cc({ accountSid: ACC, apiToken: secretOf(token), baseUrl: emu.baseUrl })).toObject());
        note("diffConfig", (await dc({ apiToken: secretOf(token) }, { apiToken: secretOf(`${token}_2`) })).toObject());
        const checked = (await check(inputs)).inputs;
        await respond(
            "create preview",
            "create",
            new provproto.CreateRequest().setUrn(URN).setProperties(struct(checked)).setPreview(true),
        );
        const made = await respond<provproto.CreateRequest, provproto.CreateResponse>(
            "create",
            "create",
            new provproto.CreateRequest().setUrn(URN).setProperties(struct(checked)),
        );
        const id = made!.getId();
        const outs = made!.getProperties()!.toJavaScript();
        const news = (await check({ ...inputs, callerId: "+918047091200" })).inputs;
        await respond("diff", "diff", new provproto.DiffRequest().setId(id).setUrn(URN).setOlds(struct(outs)).setNews(struct(news)));
        const update = () => new provproto.UpdateRequest().setId(id).setUrn(URN).setOlds(struct(outs)).setNews(struct(news));
        await respond("update preview", "update", update().setPreview(true));
        // Exotel echoes the token in a failure (as a misbehaving proxy might): the error must not carry it.
        emu.faults.add({
            method: "POST",
            path: "/settings",
            times: 1,
            fault: { kind: "failureBody", code: 400, exotelCode: 1002, message: `token echoed: ${token}` },
        });
        await respond("update refused", "update", update());
        await respond("update", "update", update());
        await respond("read", "read", new provproto.ReadRequest().setId(id).setUrn(URN).setProperties(struct(outs)));
        await respond("import read", "read", new provproto.ReadRequest().setId(id).setUrn(URN));
        await respond(
            "getTrunk",
            "invoke",
            new provproto.InvokeRequest().setTok("exotel:index:getTrunk").setArgs(struct({ trunkSid: id })),
        );
        await respond("listTrunks", "invoke", new provproto.InvokeRequest().setTok("exotel:index:listTrunks").setArgs(struct({})));
        emu.faults.add({ method: "DELETE", path: "/trunks", times: 1, fault: { kind: "status", status: 401, exotelCode: 1010 } });
        await respond("delete refused", "delete", new provproto.DeleteRequest().setId(id).setUrn(URN).setProperties(struct(outs)));
        await respond("delete", "delete", new provproto.DeleteRequest().setId(id).setUrn(URN).setProperties(struct(outs)));
        for (const l of logs.slice(logsBefore)) seen.push({ what: "log", text: l });
        emu.faults.clear();

        // The net can catch a leak: the echoed failure and the run's own values are among what was seen.
        const all = seen.map((s) => s.text).join("\n");
        expect(all).toContain("token echoed");
        expect(all).toContain(id);
        expect(seen.filter((s) => s.what.endsWith("error")).map((s) => s.what)).toEqual(["update refused error", "delete refused error"]);
        expect(seen.filter((s) => s.text.includes(token)).map((s) => `${s.what}: ${s.text.slice(0, 300)}`)).toEqual([]);
    });

    test("Check: defaults filled, credentials kept secret, a dynamic-only input and a bad one refused, no request sent", async () => {
        const ok = await check(inputs);
        expect(ok.failures).toEqual([]);
        expect(ok.inputs).toMatchObject({
            nsoCode: "ANY-ANY",
            domainName: `${ACC}.pstn.exotel.com`,
            phoneNumbers: [{ phoneNumber: "+918047091234", mode: "pstn" }],
        });
        expect((ok.inputs.credentials as Js)[SIG]).toBe(SECRET_SIG);
        const bad = await check({ trunkName: "bad name!", adoptByName: true, connection: { accountSid: "x" } });
        expect(bad.failures.join("\n")).toMatch(/adoptByName: .*pulumi import exotel:index:Trunk/);
        expect(bad.failures.join("\n")).toMatch(/connection: .*explicit provider/);
        expect(bad.failures.join("\n")).toMatch(/trunkName/);
        expect(emu.requests).toHaveLength(0);
    });

    test("Create in a preview sends nothing and knows what the inputs fix; the real Create marks credentials secret", async () => {
        const pv = await create(inputs, true);
        expect(emu.requests).toHaveLength(0);
        expect(pv.outs).toMatchObject({
            trunkName: "plug_t",
            accountSid: ACC,
            callerId: "+918047091234",
            trunkSid: UNKNOWN,
            phoneNumbers: UNKNOWN,
        });
        const { id, outs } = await create(inputs);
        expect(id).toMatch(/^trmum1/);
        expect(outs.trunkSid).toBe(id);
        expect((outs.credentials as Js)[SIG]).toBe(SECRET_SIG);
        expect(JSON.stringify(outs)).not.toContain(DEMO_ACCOUNT.apiToken);
        expect(apiCalls(emu).filter((c) => c.startsWith("POST"))).toHaveLength(6);
    });

    test("Diff names the changed property, keeps the trunk's own outputs stable, replaces on a name change", async () => {
        const { id, outs } = await create(inputs);
        const news = (await check({ ...inputs, callerId: "+918047091200" })).inputs;
        const req = new provproto.DiffRequest().setId(id).setUrn(URN).setOlds(struct(outs)).setNews(struct(news));
        const d = await call<provproto.DiffRequest, provproto.DiffResponse>("diff", req);
        expect(d.getChanges()).toBe(provproto.DiffResponse.DiffChanges.DIFF_SOME);
        expect(d.getDiffsList()).toEqual(["callerId"]);
        expect(d.getDetaileddiffMap().get("callerId")!.getKind()).toBe(provproto.PropertyDiff.Kind.UPDATE);
        expect(d.getStablesList()).toContain("trunkSid");
        expect(d.getReplacesList()).toEqual([]);
        const renamed = (await check({ ...inputs, trunkName: "plug_t2" })).inputs;
        const r = await call<provproto.DiffRequest, provproto.DiffResponse>("diff", req.setNews(struct(renamed)));
        expect(r.getReplacesList()).toEqual(["trunkName"]);
        expect(r.getDetaileddiffMap().get("trunkName")!.getKind()).toBe(provproto.PropertyDiff.Kind.UPDATE_REPLACE);
        expect(r.getDeletebeforereplace()).toBe(true);
        const same = await call<provproto.DiffRequest, provproto.DiffResponse>("diff", req.setNews(struct((await check(inputs)).inputs)));
        expect(same.getChanges()).toBe(provproto.DiffResponse.DiffChanges.DIFF_NONE);
    });

    test("Update in a preview keeps trunkSid known and sends nothing; the real Update sends only the change", async () => {
        const { id, outs } = await create(inputs);
        const news = (await check({ ...inputs, callerId: "+918047091200" })).inputs;
        emu.clearLog();
        const req = new provproto.UpdateRequest().setId(id).setUrn(URN).setOlds(struct(outs)).setNews(struct(news)).setPreview(true);
        const pv = (await call<provproto.UpdateRequest, provproto.UpdateResponse>("update", req)).getProperties()!.toJavaScript() as Js;
        expect(pv).toMatchObject({ trunkSid: id, callerId: "+918047091200", phoneNumbers: outs.phoneNumbers });
        expect(emu.requests).toHaveLength(0);
        const real = (await call<provproto.UpdateRequest, provproto.UpdateResponse>("update", req.setPreview(false)))
            .getProperties()!
            .toJavaScript() as Js;
        expect(real.callerId).toBe("+918047091200");
        expect(requests()).toEqual([`POST /v2/accounts/${ACC}/trunks/${id}/settings`]);
    });

    test("Read with only an id (pulumi import) returns the trunk and inputs that describe it, without credentials", async () => {
        const { id } = await create(inputs);
        const req = new provproto.ReadRequest().setId(id).setUrn(URN);
        const resp = await call<provproto.ReadRequest, provproto.ReadResponse>("read", req);
        expect(resp.getId()).toBe(id);
        expect(resp.getInputs()!.toJavaScript()).toEqual({
            trunkName: "plug_t",
            nsoCode: "ANY-ANY",
            domainName: `${ACC}.pstn.exotel.com`,
            phoneNumbers: [{ phoneNumber: "+918047091234", mode: "pstn" }],
            whitelistedIps: [{ ip: "203.0.113.10", mask: 32 }],
            destinationUris: ["203.0.113.10:5061;transport=tls"],
            callerId: "+918047091234",
        });
        const gone = await call<provproto.ReadRequest, provproto.ReadResponse>(
            "read",
            new provproto.ReadRequest().setId("trmum1nosuchtrunk").setUrn(URN),
        );
        expect(gone.getId()).toBe("");
    });

    test("Delete sends exactly the seed's DELETE", async () => {
        const { id, outs } = await create(inputs);
        emu.clearLog();
        await call("delete", new provproto.DeleteRequest().setId(id).setUrn(URN).setProperties(struct(outs)));
        expect(requests()).toEqual([`DELETE /v2/accounts/${ACC}/trunks?trunk_sid=${id}`]);
    });

    test("Invoke getTrunk by name and listTrunks; a wrong call is a failure, not a request", async () => {
        const { id } = await create(inputs);
        const got = await call<provproto.InvokeRequest, provproto.InvokeResponse>(
            "invoke",
            new provproto.InvokeRequest().setTok("exotel:index:getTrunk").setArgs(struct({ trunkName: "plug_t" })),
        );
        expect(got.getReturn()!.toJavaScript()).toMatchObject({ trunkSid: id, callerId: "+918047091234" });
        const list = await call<provproto.InvokeRequest, provproto.InvokeResponse>(
            "invoke",
            new provproto.InvokeRequest().setTok("exotel:index:listTrunks").setArgs(struct({ withAttachments: false })),
        );
        expect((list.getReturn()!.toJavaScript() as { trunks: Js[] }).trunks.map((t) => t.trunkSid)).toEqual([id]);
        emu.clearLog();
        const both = await call<provproto.InvokeRequest, provproto.InvokeResponse>(
            "invoke",
            new provproto.InvokeRequest().setTok("exotel:index:getTrunk").setArgs(struct({ trunkName: "a", trunkSid: "b" })),
        );
        expect(both.getFailuresList().map((f) => f.getReason())).toEqual(["getTrunk takes exactly one of trunkSid and trunkName"]);
        expect(emu.requests).toHaveLength(0);
    });

    test("an error never carries the token: refused credentials on Delete", async () => {
        const { id, outs } = await create(inputs);
        emu.faults.add({ method: "DELETE", path: "/trunks", times: 1, fault: { kind: "status", status: 401, exotelCode: 1010 } });
        const err = (await call("delete", new provproto.DeleteRequest().setId(id).setUrn(URN).setProperties(struct(outs))).catch(
            (e: Error) => e,
        )) as Error;
        emu.faults.clear();
        expect(err.message).toMatch(/refused the credentials\b.* The trunk was NOT deleted/);
        expect(err.message).not.toContain(DEMO_ACCOUNT.apiToken);
    });
});

describe("pure helpers", () => {
    test.each([
        ["added", { callerId: null }, { callerId: "+91" }, ["callerId"], [], "ADD"],
        ["removed", { callerId: "+91" }, {}, ["callerId"], [], "DELETE"],
        ["changed", { callerId: "+91" }, { callerId: "+92" }, ["callerId"], [], "UPDATE"],
        ["renamed", { trunkName: "a" }, { trunkName: "b" }, ["trunkName"], ["trunkName"], "UPDATE_REPLACE"],
        ["numbers from none", { phoneNumbers: [] }, { phoneNumbers: [{}] }, ["phoneNumbers"], [], "ADD"],
    ])("detailedDiff: %s", (_l, olds, news, changed, replaces, kind) => {
        const d = detailedDiff(olds, news as never, changed, replaces);
        expect(d[changed[0]]).toEqual({ kind, inputDiff: true });
    });

    test("detailedDiff: an account change is not an input diff", () => {
        expect(detailedDiff({ accountSid: "a" }, {}, ["accountSid"], ["accountSid"]).accountSid).toEqual({
            kind: "DELETE_REPLACE",
            inputDiff: false,
        });
    });

    test("previewUpdate keeps unchanged attachment lists and every stable output", () => {
        const olds = Object.fromEntries(OUTPUT_KEYS.map((k) => [k, `old-${k}`])) as unknown as TrunkOutputs;
        const out = previewUpdate(olds, { destinationUris: ["x:1;transport=udp"] } as never, ["phoneNumbers"]);
        expect(out).toMatchObject({
            trunkSid: "old-trunkSid",
            whitelistedIps: "old-whitelistedIps",
            phoneNumbers: UNKNOWN_VALUE,
            callerId: null,
        });
    });

    test("inputsOf leaves credentials out and a missing caller ID out", () => {
        const outs = {
            trunkName: "t",
            nsoCode: "n",
            domainName: "d",
            phoneNumbers: [],
            whitelistedIps: [],
            destinationUris: [],
            callerId: null,
            credentials: [{ id: "1" }],
        };
        expect(inputsOf(outs as unknown as TrunkOutputs)).toEqual({
            trunkName: "t",
            nsoCode: "n",
            domainName: "d",
            phoneNumbers: [],
            whitelistedIps: [],
            destinationUris: [],
        });
    });

    test.each([
        ["plain", "x", "x", []],
        ["secret", secretOf("x"), "x", [["v"]]],
        ["nested", { a: [secretOf(1)] }, { a: [1] }, [["v", "a", 0]]],
        ["unknown", UNKNOWN, UNKNOWN_VALUE, []],
    ])("decode: %s", (_l, v, value, secrets) => {
        expect(decode({ v })).toEqual({ values: { v: value }, secrets });
    });

    test("encode marks the given paths at any depth, leaves null and absent ones", () => {
        expect(encode({ a: 1, b: null, c: undefined, d: { e: ["x", "y"] } }, [["a"], ["b"], ["c"], ["d", "e", 1]])).toEqual({
            a: secretOf(1),
            b: null,
            d: { e: ["x", secretOf("y")] },
        });
    });

    test("the schema's provider config is the config table, the token a secret, numbers typed", () => {
        const s = buildSchema("9.9.9");
        expect(Object.keys(s.config.variables)).toEqual(Object.keys(CONFIG_TABLE));
        expect(s.config.variables.apiToken).toMatchObject({ type: "string", secret: true });
        expect(s.config.variables.maxRetries).toMatchObject({ type: "number" });
        expect(Object.keys(s.resources[TRUNK_TYPE].properties)).toEqual([...OUTPUT_KEYS]);
    });
});
