/**
 * Property-based (fast-check): for random trunk inputs with values not known yet and secrets at any depth,
 * as the engine sends them, `check` then `diff` never throw, a previewed create or update sends nothing to
 * Exotel, and every secret input comes out secret (in the checked inputs at its place or above it, and in
 * every output derived from it). Both adapters: the plugin's gRPC handlers (its wire codec included) and the
 * dynamic provider's hooks (the dynamic-provider host's wire: the unknown sentinel, no secret wrappers).
 */
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import fc from "fast-check";
import { DEMO_ACCOUNT, Emulator, startEmulator } from "../emulator";
import { ExotelTrunkProvider } from "../provider/engine/trunkProvider";
import { decode, SECRET_SIG, SIG } from "../provider/plugin/codec";
import { TRUNK_TYPE } from "../provider/plugin/schema";
import { ExotelPluginServer } from "../provider/plugin/server";
import { TrunkWire } from "../provider/plugin/trunkWire";
import { Accounts } from "../provider/engine/accounts";
import { TrunkController } from "../provider/engine/trunkController";
import { configGetter } from "../provider/plugin/providerConfig";
import { TRUNK_FIELDS, TrunkField } from "../provider/trunkFields";
import { UNKNOWN_SENTINEL } from "../provider/unknown";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 10_000);
const URN = `urn:pulumi:dev::proj::${TRUNK_TYPE}::t`;
type Js = Record<string, unknown>;
type Path = (string | number)[];
const struct = (v: Js) => structproto.Struct.fromJavaScript(v as Record<string, structproto.JavaScriptValue>);
const isSecret = (v: unknown) => typeof v === "object" && v !== null && (v as Js)[SIG] === SECRET_SIG;

let emu: Emulator;
let handlers: ReturnType<ExotelPluginServer["service"]>;
let dynamic: ExotelTrunkProvider;
/** The plugin's trunk adapter without protobuf (codec + controller), configured as the server's. */
let wire: TrunkWire;
/** A trunk's state as the plugin recorded it after a real create (secrets unwrapped). */
let state: Js;

/** Calls one of the plugin's handlers in process, as grpc-js would. */
function rpc<Req, Res>(name: keyof typeof handlers, request: Req): Promise<Res> {
    const handler = handlers[name] as unknown as (
        call: { request: Req },
        cb: (err: { details?: string } | null, res?: Res) => void,
    ) => void;
    return new Promise((resolve, reject) =>
        handler({ request }, (err, res) => (err ? reject(new Error(err.details)) : resolve(res as Res))),
    );
}

beforeAll(async () => {
    emu = await startEmulator();
    const server = new ExotelPluginServer({ version: "0.0.0", log: () => undefined });
    handlers = server.service();
    const args = {
        accountSid: DEMO_ACCOUNT.accountSid,
        apiKey: DEMO_ACCOUNT.apiKey,
        apiToken: DEMO_ACCOUNT.apiToken,
        baseUrl: emu.baseUrl,
    };
    await rpc("configure", new provproto.ConfigureRequest().setArgs(struct(args)));
    const created = await rpc<provproto.CreateRequest, provproto.CreateResponse>(
        "create",
        new provproto.CreateRequest().setUrn(URN).setProperties(
            struct({
                trunkName: "prop_base",
                nsoCode: "ANY-ANY",
                domainName: `${DEMO_ACCOUNT.accountSid}.pstn.exotel.com`,
                phoneNumbers: [{ phoneNumber: "+919876543210", mode: "pstn" }],
                whitelistedIps: [{ ip: "203.0.113.10", mask: 32 }],
                destinationUris: ["sip.example.com:5061;transport=tls"],
                callerId: "+919876543210",
            }),
        ),
    );
    state = decode(created.getProperties()!.toJavaScript()).values;
    const accounts = new Accounts(() => undefined);
    accounts.configure(configGetter(args));
    wire = new TrunkWire(new TrunkController(accounts, "plugin"));
    dynamic = new ExotelTrunkProvider(() => undefined);
    await dynamic.configure({
        config: { get: (k: string) => ({ ...args, region: undefined })[k.replace(/^exotel:/, "") as keyof typeof args] },
    } as never);
    emu.clearLog();
});
afterAll(() => emu.close());

// ---- inputs: mostly valid trunks, so that most cases get past `check` to `diff` and the previews ----
const e164 = fc.constantFrom("+919876543210", "+919876543211", "+14155550100", "+442071838750");
const ip = fc.constantFrom("203.0.113.10", "203.0.113.11", "198.51.100.0", "192.0.2.5");
const trunk = fc.record(
    {
        trunkName: fc.constantFrom("prop_base", "prop_other", "t_1"),
        nsoCode: fc.constantFrom("ANY-ANY", "IND-ANY"),
        phoneNumbers: fc.uniqueArray(
            fc.record({ phoneNumber: e164, mode: fc.constantFrom("pstn", "flow") }, { requiredKeys: ["phoneNumber"] }),
            {
                selector: (n) => n.phoneNumber,
                maxLength: 3,
            },
        ),
        whitelistedIps: fc.uniqueArray(fc.record({ ip, mask: fc.integer({ min: 16, max: 32 }) }, { requiredKeys: ["ip"] }), {
            selector: (w) => w.ip,
            maxLength: 3,
        }),
        destinationUris: fc.uniqueArray(fc.constantFrom("sip.example.com:5061;transport=tls", "pbx.example.org:5060;transport=tcp"), {
            maxLength: 2,
        }),
        callerId: e164,
        credentials: fc.uniqueArray(
            fc.record(
                {
                    userName: fc.constantFrom("pbx1", "pbx2"),
                    password: fc.constantFrom("password_1234", "s3cret_pass_99"),
                    friendlyName: fc.constant("desk"),
                },
                { requiredKeys: ["userName", "password"] },
            ),
            { selector: (c) => c.userName, maxLength: 2 },
        ),
    },
    { requiredKeys: ["trunkName"] },
);
/** Where to put an unknown or a secret: the n-th path of the value (pre-order), n modulo their number. */
const marks = fc.array(fc.tuple(fc.nat(), fc.constantFrom<"secret" | "unknown">("secret", "unknown", "secret")), { maxLength: 4 });

function paths(v: unknown, at: Path = []): Path[] {
    const here = at.length ? [at] : [];
    if (Array.isArray(v)) return [...here, ...v.flatMap((x, i) => paths(x, [...at, i]))];
    if (typeof v === "object" && v !== null) return [...here, ...Object.entries(v).flatMap(([k, x]) => paths(x, [...at, k]))];
    return here;
}

function at(v: unknown, p: Path): unknown {
    return p.reduce<unknown>((x, k) => (x as Record<string | number, unknown>)?.[k], v);
}

function replace(v: unknown, p: Path, f: (x: unknown) => unknown): unknown {
    if (p.length === 0) return f(v);
    const [k, ...rest] = p;
    if (Array.isArray(v)) return v.map((x, i) => (i === k ? replace(x, rest, f) : x));
    return { ...(v as Js), [k]: replace((v as Js)[k], rest, f) };
}

/** `p` (a path of the plain value) as a path of the wire form, through its secret wrappers (`inner`: also through one at `p`). */
function wirePath(wire: unknown, p: Path, inner: boolean): Path {
    const out: Path = [];
    let cur = wire;
    const unwrap = () => {
        while (isSecret(cur)) {
            out.push("value");
            cur = (cur as Js).value;
        }
    };
    for (const k of p) {
        unwrap();
        out.push(k);
        cur = (cur as Record<string | number, unknown>)[k];
    }
    if (inner) unwrap();
    return out;
}

const under = (p: Path, q: Path) => q.length > p.length && p.every((k, i) => q[i] === k);

/** The input with its marks applied: the engine's wire form, the plain value, and the paths that are secret. */
function decorate(input: Js, m: [number, "secret" | "unknown"][]): { wire: Js; secretPaths: Path[]; plain: Js } {
    let wire: unknown = input;
    let plain: unknown = input;
    let secretPaths: Path[] = [];
    for (const [n, kind] of m) {
        const all = paths(plain);
        const p = all[n % all.length];
        if (kind === "unknown") {
            // An unknown (a secret one, where it was secret) replaces the value and whatever was marked inside it.
            wire = replace(wire, wirePath(wire, p, true), () => UNKNOWN_SENTINEL);
            plain = replace(plain, p, () => UNKNOWN_SENTINEL);
            secretPaths = secretPaths.filter((q) => !under(p, q));
        } else {
            wire = replace(wire, wirePath(wire, p, false), (x) => (isSecret(x) ? x : { [SIG]: SECRET_SIG, value: x }));
            secretPaths.push(p);
        }
    }
    return { wire: wire as Js, secretPaths, plain: plain as Js };
}

/** Whether the encoded value is secret at `p` or above it. */
function secretAtOrAbove(encoded: unknown, p: Path): boolean {
    let cur = encoded;
    for (const k of p) {
        if (isSecret(cur)) return true;
        if (typeof cur !== "object" || cur === null) return false;
        cur = (cur as Record<string | number, unknown>)[k];
    }
    return isSecret(cur);
}

/** A failed check as an Error (jest's `expect` is slow at 10,000 cases of several checks each). */
function ensure(ok: boolean, what: () => string): void {
    if (!ok) throw new Error(what());
}

/** Every secret input path is secret in the checked inputs (at its place or above it); returns the paths. */
function secretInputsKept(inputs: Js, secretPaths: Path[], plain: Js): void {
    for (const p of secretPaths) {
        if (at(plain, [p[0]]) === undefined || inputs[String(p[0])] === undefined) continue;
        ensure(secretAtOrAbove(inputs, p), () => `input ${p.join(".")} lost its secrecy: ${JSON.stringify(inputs)}`);
    }
}

/** Every output derived from a secret input is secret (a null one shows nothing). */
function derivedSecret(outs: Js, secretPaths: Path[]): void {
    for (const p of secretPaths) {
        for (const o of (TRUNK_FIELDS as Record<string, TrunkField>)[String(p[0])]?.derives ?? []) {
            if (outs[o] !== null && outs[o] !== undefined)
                ensure(isSecret(outs[o]), () => `output ${o} (from secret ${p.join(".")}) is not secret`);
        }
    }
}

const ctx = { preview: true };

test(`plugin: check then diff never throw, previews send nothing, secrets stay secret (${RUNS} cases)`, async () => {
    let diffed = 0;
    await fc.assert(
        fc.asyncProperty(trunk, marks, async (input, m) => {
            const { wire: news, secretPaths, plain } = decorate(input, m);
            const { inputs, failures } = wire.check(news);
            secretInputsKept(inputs, secretPaths, plain);
            if (failures.length > 0) return;
            diffed++;
            wire.diff(state, inputs);
            derivedSecret((await wire.create(inputs, ctx)).properties, secretPaths);
            derivedSecret(await wire.update(String(state.trunkSid), state, inputs, ctx), secretPaths);
        }),
        { numRuns: RUNS },
    );
    // Previews and diffs sent nothing at all.
    expect(emu.requests).toEqual([]);
    // Most cases reached diff and the previews (a generator that fails check would test little).
    expect(diffed).toBeGreaterThan(RUNS / 2);
});

test("plugin over its gRPC handlers (protobuf Structs): the same property, 300 cases", async () => {
    await fc.assert(
        fc.asyncProperty(trunk, marks, async (input, m) => {
            const { wire: news, secretPaths, plain } = decorate(input, m);
            const checked = await rpc<provproto.CheckRequest, provproto.CheckResponse>(
                "check",
                new provproto.CheckRequest().setUrn(URN).setNews(struct(news)),
            );
            secretInputsKept(checked.getInputs()!.toJavaScript(), secretPaths, plain);
            if (checked.getFailuresList().length > 0) return;
            await rpc(
                "diff",
                new provproto.DiffRequest().setUrn(URN).setId(String(state.trunkSid)).setOlds(struct(state)).setNews(checked.getInputs()),
            );
            const created = await rpc<provproto.CreateRequest, provproto.CreateResponse>(
                "create",
                new provproto.CreateRequest().setUrn(URN).setPreview(true).setProperties(checked.getInputs()),
            );
            derivedSecret(created.getProperties()!.toJavaScript(), secretPaths);
            const updated = await rpc<provproto.UpdateRequest, provproto.UpdateResponse>(
                "update",
                new provproto.UpdateRequest()
                    .setUrn(URN)
                    .setId(String(state.trunkSid))
                    .setPreview(true)
                    .setOlds(struct(state))
                    .setNews(checked.getInputs()),
            );
            derivedSecret(updated.getProperties()!.toJavaScript(), secretPaths);
        }),
        { numRuns: 300 },
    );
    expect(emu.requests).toEqual([]);
});

test(`dynamic provider: check then diff never throw with unknowns at any depth (${RUNS} cases)`, async () => {
    const olds = { ...state, __provider: "proxy" };
    await fc.assert(
        fc.asyncProperty(trunk, marks, async (input, m) => {
            const { plain } = decorate(input, m);
            const checked = await dynamic.check({} as never, { ...plain, __provider: "proxy" } as never);
            if ((checked.failures ?? []).length > 0) return;
            const d = await dynamic.diff(String(state.trunkSid), olds as never, { ...checked.inputs, __provider: "proxy" } as never);
            // A value not known yet may change: the diff says so.
            for (const [k, v] of Object.entries(plain)) {
                const unknown =
                    JSON.stringify(v).includes(UNKNOWN_SENTINEL) && (TRUNK_FIELDS as Record<string, TrunkField>)[k] !== undefined;
                ensure(!unknown || d.changes === true, () => `${k} holds an unknown, but the diff says nothing changes`);
            }
        }),
        { numRuns: RUNS },
    );
    expect(emu.requests).toEqual([]);
});
