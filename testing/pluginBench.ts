/**
 * One stack of N trunks for the benchmark (bench/destroy-bench.ts) and the shared-account runs
 * (testing/sharedAccount.ts), in either form, behind one interface:
 *
 * - `dynamic`: `ExotelTrunk`s in an inline Automation API program (testing/engine.ts), the provider a
 *   `cmd/dynamic-provider` Node process;
 * - `plugin`: `exotel:index:Trunk`s in a Pulumi YAML program driven by the real `pulumi` CLI and YAML
 *   language host, the plugin `pulumi-resource-exotel` installed from its linux-amd64 release archive
 *   (`pulumi plugin install resource exotel <version> --file`), as a user gets it.
 *
 * Both run `--parallel 64` against a `file://` backend with the provider settings in stack config (the
 * plugin's as `exotel:*` provider config, the Redis URL included, as a YAML user sets them) and
 * `--skip-preview`, as the Automation API's `up`/`destroy` run.
 */
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ExotelTrunk } from "../provider";
import { DYNAMIC_TRUNK_TYPE, PLUGIN_TRUNK_TYPE } from "../provider/typeTokens";
import { ensurePulumi, isolatedCliEnv, ROOT } from "./cli";
import { engineDirs, openStack, pidsMatching, providerPids } from "./engine";
import { EmulatorProcess, startEmulatorProcess } from "./emulatorProcess";
import { buildRelease, ensureLanguageHost } from "./release";

/**
 * The package's build (dist/provider, dist/emulator, package.json) copied to a directory of its own, its
 * node_modules linked to the checkout's: a benchmark of an hour must not see `dist/` emptied by an
 * `npm run build` someone else starts meanwhile on the same checkout (it did: a refresh failed with
 * "Cannot find module …/dist/provider/runtime.js"). Dynamic stacks link `pulumi-exotel` here, and
 * {@link startSnapshotEmulator} runs this copy's emulator. Waits (up to 5 min) for a complete build.
 */
export function snapshotPackage(): string {
    const needed = ["dist/provider/index.js", "dist/provider/runtime.js", "dist/emulator/cli.js"];
    const deadline = Date.now() + 300_000;
    for (;;) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-exotel-bench-pkg-"));
        try {
            fs.cpSync(path.join(ROOT, "dist", "provider"), path.join(dir, "dist", "provider"), { recursive: true });
            fs.cpSync(path.join(ROOT, "dist", "emulator"), path.join(dir, "dist", "emulator"), { recursive: true });
            fs.copyFileSync(path.join(ROOT, "package.json"), path.join(dir, "package.json"));
            if (needed.every((f) => fs.existsSync(path.join(dir, f)))) {
                fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
                process.once("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
                return dir;
            }
        } catch {
            // dist/ changed while it was copied: again.
        }
        fs.rmSync(dir, { recursive: true, force: true });
        if (Date.now() > deadline) throw new Error("no complete dist/ to copy for 5 min (run npm run build)");
        execFileSync("sleep", ["5"]);
    }
}

/** testing/emulatorProcess.ts's emulator, from a {@link snapshotPackage} copy instead of the checkout's dist/. */
export function startSnapshotEmulator(pkg: string): Promise<EmulatorProcess> {
    return startEmulatorProcess([], pkg);
}

export type Form = "dynamic" | "plugin";

export interface BenchStack {
    form: Form;
    /** The trunks' resource type in state. */
    trunkType: string;
    up(): Promise<void>;
    /** Rejects (with the engine's output) when the destroy fails. */
    destroy(onOutput?: (text: string) => void): Promise<void>;
    refresh(): Promise<void>;
    /** The drift check: `pulumi preview --refresh`. */
    previewRefresh(): Promise<void>;
    /** `pulumi stack export`'s deployment. */
    exportDeployment(): Promise<{ resources?: { type: string; inputs?: Record<string, unknown> }[] }>;
    /** The provider processes this stack's engine started (dynamic-provider hosts, or `pulumi-resource-exotel`). */
    providerPids(): number[];
    remove(): void;
}

export interface BenchStackOptions {
    stackName: string;
    n: number;
    trunkName: (i: number) => string;
    config: Record<string, string>;
    secrets: Record<string, string>;
    /** The plugin form's release archive (see {@link pluginArchive}). */
    plugin?: PluginArchive;
    /** The dynamic form: a {@link snapshotPackage} copy the project's `pulumi-exotel` links to (default: the checkout). */
    pkg?: string;
}

export function openBenchStack(form: Form, o: BenchStackOptions): Promise<BenchStack> {
    return form === "dynamic" ? openDynamic(o) : openPlugin(o);
}

async function openDynamic(o: BenchStackOptions): Promise<BenchStack> {
    const dirs = engineDirs();
    if (o.pkg) {
        const link = path.join(dirs.workDir, "node_modules", "pulumi-exotel");
        fs.rmSync(link, { force: true });
        fs.symlinkSync(o.pkg, link, "dir");
    }
    const stack = await openStack({
        stackName: o.stackName,
        dirs,
        program: async () => {
            for (let i = 0; i < o.n; i++) new ExotelTrunk(`t${i}`, { trunkName: o.trunkName(i) });
        },
        config: o.config,
        secrets: o.secrets,
    });
    return {
        form: "dynamic",
        trunkType: DYNAMIC_TRUNK_TYPE,
        up: async () => void (await stack.up({ parallel: 64 })),
        destroy: async (onOutput) => void (await stack.destroy({ parallel: 64, onOutput })),
        refresh: async () => void (await stack.refresh({ parallel: 64 })),
        previewRefresh: async () => void (await stack.preview({ parallel: 64, refresh: true })),
        exportDeployment: async () => (await stack.exportStack()).deployment as Awaited<ReturnType<BenchStack["exportDeployment"]>>,
        providerPids: () => providerPids(dirs.workDir),
        remove: () => fs.rmSync(path.dirname(dirs.workDir), { recursive: true, force: true }),
    };
}

export interface PluginArchive {
    /** The .tar.gz `pulumi plugin install --file` takes. */
    file: string;
    /** The plugin's version (release.json's). */
    version: string;
    /** For the results' header: the archive's name, whether self-contained, its Node.js. */
    describe: string;
    /** Directories to put first on PATH: the CLI (3.259) and the YAML language host. */
    cliPath: string[];
}

/**
 * The plugin as users get it: the linux-amd64 release archive, made by `scripts/release.js --dry-run
 * --archives-only --platform linux-amd64` (a Node single executable; the tool cache keeps it by content,
 * so an unchanged plugin takes a second), and the CLI and YAML language host the plugin suites use.
 */
export function pluginArchive(cliVersion = "3.259.0"): PluginArchive {
    const release = buildRelease(fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-exotel-bench-release-")), ["linux-amd64"]);
    const a = release.archives.find((x) => x.platform === "linux-amd64")!;
    return {
        file: path.join(release.dir, a.archive),
        version: release.version,
        describe: `${a.archive} (${a.selfContained ? `self-contained, Node.js ${a.node}` : "launcher + bundle"}, ${(a.bytes / 2 ** 20).toFixed(0)} MiB)`,
        cliPath: [ensurePulumi(cliVersion), ensureLanguageHost("yaml")],
    };
}

interface Ran {
    code: number;
    /** stdout and stderr, as they came. */
    out: string;
    stdout: string;
}

async function openPlugin(o: BenchStackOptions): Promise<BenchStack> {
    if (!o.plugin) throw new Error("the plugin form needs its release archive (pluginArchive())");
    const base = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-exotel-bench-plugin-"));
    const dir = path.join(base, "project");
    const home = path.join(base, "home");
    const state = path.join(base, "state");
    for (const d of [dir, home, state]) fs.mkdirSync(d, { recursive: true });
    const env = isolatedCliEnv({ path: [...o.plugin.cliPath, process.env.PATH ?? ""], home, state });
    const program = [
        "name: exotel-bench",
        "runtime: yaml",
        "resources:",
        ...Array.from(
            { length: o.n },
            (_, i) => `    t${i}:\n        type: exotel:index:Trunk\n        properties:\n            trunkName: ${o.trunkName(i)}`,
        ),
        "",
    ].join("\n");
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), program);

    const run = (args: string[], onOutput?: (text: string) => void): Promise<Ran> =>
        new Promise((resolve) => {
            const child = spawn("pulumi", args, { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
            let out = "";
            let stdout = "";
            const take = (d: Buffer) => {
                const text = d.toString();
                out += text;
                onOutput?.(text);
            };
            child.stdout.on("data", (d: Buffer) => {
                stdout += d.toString();
                take(d);
            });
            child.stderr.on("data", take);
            child.on("error", (e) => resolve({ code: -1, out: out + String(e), stdout }));
            child.on("close", (code) => resolve({ code: code ?? -1, out, stdout }));
        });
    const must = async (args: string[], onOutput?: (text: string) => void): Promise<string> => {
        const r = await run(args, onOutput);
        if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${r.code}:\n${r.out.slice(-20_000)}`);
        return r.stdout;
    };

    await must(["plugin", "install", "resource", "exotel", o.plugin.version, "--file", o.plugin.file]);
    await must(["stack", "init", o.stackName, "--non-interactive"]);
    const settings = [
        ...Object.entries(o.config).flatMap(([k, v]) => ["--plaintext", `${k}=${v}`]),
        ...Object.entries(o.secrets).flatMap(([k, v]) => ["--secret", `${k}=${v}`]),
    ];
    await must(["config", "set-all", ...settings]);
    const pluginDir = path.join(home, "plugins") + path.sep;
    return {
        form: "plugin",
        trunkType: PLUGIN_TRUNK_TYPE,
        up: async () => void (await must(["up", "--yes", "--skip-preview", "--non-interactive", "--parallel", "64"])),
        destroy: async (onOutput) =>
            void (await must(["destroy", "--yes", "--skip-preview", "--non-interactive", "--parallel", "64"], onOutput)),
        refresh: async () => void (await must(["refresh", "--yes", "--skip-preview", "--non-interactive", "--parallel", "64"])),
        previewRefresh: async () => void (await must(["preview", "--refresh", "--non-interactive", "--parallel", "64"])),
        exportDeployment: async () =>
            (JSON.parse(await must(["stack", "export"])) as { deployment: Awaited<ReturnType<BenchStack["exportDeployment"]>> }).deployment,
        providerPids: () => pluginPids(pluginDir),
        remove: () => fs.rmSync(base, { recursive: true, force: true }),
    };
}

/** PIDs of the `pulumi-resource-exotel` processes started from the plugins installed under `pluginDir` (one PULUMI_HOME). */
export function pluginPids(pluginDir: string): number[] {
    return pidsMatching("pulumi-resource-exotel", (pid) => {
        const argv0 = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0];
        return argv0.startsWith(pluginDir) || fs.readlinkSync(`/proc/${pid}/exe`).startsWith(pluginDir);
    });
}
