/**
 * Drives the real dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`) over gRPC, as the
 * engine does, with the `__provider` text Pulumi serializes for an ExotelTrunk.
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";

const grpc = require("@grpc/grpc-js");
const provrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const provproto = require("@pulumi/pulumi/proto/provider_pb");
const structproto = require("google-protobuf/google/protobuf/struct_pb");

export const ROOT = path.resolve(__dirname, "..", "..");
export const URN = "urn:pulumi:test::test::pulumi-nodejs:dynamic/exotel:ExotelTrunk::trunk";

export { serializedProvider } from "../../testing/serializeProvider";

/** What Pulumi stores for one ExotelTrunk: its serialized provider (`__provider`) and its other inputs. */
export interface StoredTrunk {
    providerText: string;
    inputs: Record<string, unknown>;
}

/**
 * The `__provider` text and inputs Pulumi stores for an ExotelTrunk made in a program whose stack config holds
 * `config` (`secretKeys` as `pulumi config set --secret` marks them) and whose trunk has `args`: obtained the way
 * the engine gets them, under Pulumi's mocks. With the credentials in the program, a provider that captured config
 * or arguments when it was serialized would show them in its text. Call it once per jest test file (it installs
 * Pulumi's mocks and loads the program's modules after them).
 */
export async function storedTrunk(
    config: Record<string, string>,
    secretKeys: string[],
    args: Record<string, unknown>,
): Promise<StoredTrunk> {
    const pulumi = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
    pulumi.runtime.setAllConfig(config, secretKeys);
    let captured: Record<string, unknown> | undefined;
    await pulumi.runtime.setMocks(
        {
            newResource: (a: import("@pulumi/pulumi").runtime.MockResourceArgs) => {
                captured = a.inputs as Record<string, unknown>;
                return { id: "mock-id", state: a.inputs as Record<string, unknown> };
            },
            call: () => ({}),
        },
        "serialize",
        "serialize",
        false,
    );
    // Loaded after the config and the mocks are in place: a module that read config on load would see it.
    const { ExotelTrunk } = require("../../provider") as typeof import("../../provider");
    const t = new ExotelTrunk("probe", { trunkName: "probe", ...args });
    await new Promise<void>((resolve) => t.urn.apply(() => resolve()));
    for (let i = 0; i < 50 && captured === undefined; i++) await new Promise((r) => setTimeout(r, 20));
    const inputs = captured;
    if (!inputs || typeof inputs.__provider !== "string") throw new Error("the serialized provider was not captured");
    const { __provider, ...rest } = inputs;
    return { providerText: __provider, inputs: rest };
}

export interface Host {
    client: any;
    proc: ChildProcess;
    stderr: () => string;
    stdout: () => string;
    call<T = any>(method: string, req: unknown): Promise<T>;
    stop(): Promise<void>;
}

/** Starts the host in a project directory laid out as `npm install pulumi-exotel` leaves it. */
export async function startHost(env: Record<string, string | undefined> = {}, cwd?: string): Promise<Host> {
    const { engineDirs } = require("../../testing/engine");
    const dir: string = cwd ?? engineDirs().workDir;
    const script = require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [dir] });
    const proc = spawn(process.execPath, [script, "127.0.0.1:1"], {
        cwd: dir,
        env: { ...process.env, PULUMI_NODEJS_PROJECT: "test", PULUMI_NODEJS_STACK: "test", ...env },
        stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    proc.stderr.on("data", (d) => (err += d));
    const port: string = await new Promise((resolve, reject) => {
        proc.stdout.on("data", (d) => {
            out += d;
            const m = /^(\d+)\s*$/m.exec(out);
            if (m) resolve(m[1]);
        });
        proc.on("exit", (code) => reject(new Error(`provider host exited ${code}: ${err}`)));
    });
    // The engine (Go gRPC) accepts up to 16 MiB of response headers; error details travel there.
    const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
        "grpc.max_metadata_size": 16 * 1024 * 1024,
    });
    return {
        client,
        proc,
        stderr: () => err,
        stdout: () => out,
        call: (method, req) =>
            new Promise((resolve, reject) =>
                client[method](req, { deadline: Date.now() + 60_000 }, (e: Error | null, res: any) => (e ? reject(e) : resolve(res))),
            ),
        stop: async () => {
            client.close();
            proc.kill("SIGKILL");
        },
    };
}

export const toStruct = (o: Record<string, unknown>) => structproto.Struct.fromJavaScript(JSON.parse(JSON.stringify(o)));

type Props = Record<string, unknown>;

/** A provider request with the URN and whichever of id/olds/news/properties it carries. */
function build(Ctor: any, f: { id?: string; olds?: Props; news?: Props; properties?: Props }) {
    const r = new Ctor();
    r.setUrn(URN);
    if (f.id !== undefined) r.setId(f.id);
    if (f.olds) r.setOlds(toStruct(f.olds));
    if (f.news) r.setNews(toStruct(f.news));
    if (f.properties) r.setProperties(toStruct(f.properties));
    return r;
}

export const req = {
    configure(args: Props) {
        const r = new provproto.ConfigureRequest();
        r.setArgs(toStruct(args));
        return r;
    },
    check: (olds: Props, news: Props) => build(provproto.CheckRequest, { olds, news }),
    diff: (id: string, olds: Props, news: Props) => build(provproto.DiffRequest, { id, olds, news }),
    create: (properties: Props) => build(provproto.CreateRequest, { properties }),
    read: (id: string, properties: Props) => build(provproto.ReadRequest, { id, properties }),
    update: (id: string, olds: Props, news: Props) => build(provproto.UpdateRequest, { id, olds, news }),
    delete: (id: string, properties: Props) => build(provproto.DeleteRequest, { id, properties }),
};

export const DIFF = provproto.DiffResponse.DiffChanges;
