/**
 * Runs ExotelTrunk programs through the real Pulumi engine, fully offline: the CLI from
 * `scripts/ensure-pulumi` (built from Go modules when none is installed), a `file://` backend, a
 * passphrase secrets provider, a private PULUMI_HOME, no update checks and no plugin downloads.
 *
 * Inline Automation API programs, for suites that change the program between runs (the engine and
 * fault suites, the benchmark); the consumer suite (testing/consumer.ts) runs real projects through
 * the CLI and the language host instead.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalWorkspace, PulumiCommand, PulumiFn, Stack } from "@pulumi/pulumi/automation";
import * as runtimeSettings from "@pulumi/pulumi/runtime/settings";

import { ensurePulumi, PASSPHRASE, ROOT } from "./cli";

export { ensurePulumi, PASSPHRASE, ROOT } from "./cli";

/**
 * One process runs many engine operations in a row (demo, tests, bench). Each CLI run listens on a
 * fresh ephemeral port, and the OS reuses ports: with grpc-js's shared subchannel pool a new client to a
 * reused port can inherit the backoff state of the previous, closed engine and fail its first call
 * ("UNAVAILABLE: No connection established"), which inline programs swallow as a gRPC error. A local
 * pool per client avoids that; set when the first stack is opened, not on import.
 */
function useLocalSubchannelPool(): void {
    (runtimeSettings as unknown as { grpcClientOptions: Record<string, unknown> }).grpcClientOptions["grpc.use_local_subchannel_pool"] = 1;
}

export interface EngineDirs {
    /** Project directory (node_modules linked in, so the provider host resolves its requires). */
    workDir: string;
    /** file:// backend. */
    stateDir: string;
    pulumiHome: string;
}

/** Fresh directories under `base` (default: a temp dir) for one isolated engine environment. */
export function engineDirs(base?: string): EngineDirs {
    const root = base ?? fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-exotel-"));
    const d = { workDir: path.join(root, "project"), stateDir: path.join(root, "state"), pulumiHome: path.join(root, "home") };
    for (const p of Object.values(d)) fs.mkdirSync(p, { recursive: true });
    // The project's node_modules, as `npm install pulumi-exotel` would leave it for what the provider
    // process needs: @pulumi/pulumi (the dynamic-provider host) and pulumi-exotel (the implementation).
    const nm = path.join(d.workDir, "node_modules");
    fs.mkdirSync(nm, { recursive: true });
    const links: [string, string][] = [
        ["@pulumi", path.join(ROOT, "node_modules", "@pulumi")],
        ["pulumi-exotel", ROOT],
    ];
    for (const [name, target] of links) {
        const at = path.join(nm, name);
        if (!fs.existsSync(at)) fs.symlinkSync(target, at, "dir");
    }
    return d;
}

export function engineEnv(d: EngineDirs, extra: Record<string, string> = {}): Record<string, string> {
    const bin = ensurePulumi();
    return {
        PATH: [bin, process.env.PATH ?? ""].join(path.delimiter),
        PULUMI_HOME: d.pulumiHome,
        PULUMI_BACKEND_URL: `file://${d.stateDir}`,
        PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
        PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
        ...extra,
    };
}

export interface StackOptions {
    stackName: string;
    projectName?: string;
    program: PulumiFn;
    dirs: EngineDirs;
    /** Plain config values. */
    config?: Record<string, string>;
    /** Secret config values (encrypted in state with the passphrase). */
    secrets?: Record<string, string>;
    /** Extra environment for the engine and the provider process. */
    env?: Record<string, string>;
    /** Use the Pulumi.yaml in `dirs.workDir` instead of generated project settings. */
    useProjectFile?: boolean;
}

/** Creates or selects a stack of an inline program in `dirs`, with config set. */
export async function openStack(o: StackOptions): Promise<Stack> {
    useLocalSubchannelPool();
    const envVars = engineEnv(o.dirs, o.env);
    const bin = ensurePulumi();
    // The Automation API reads these from process.env too (e.g. PATH for plugin lookup).
    const pulumiCommand = await PulumiCommand.get({ root: path.dirname(bin), skipVersionCheck: true });
    const ws = await LocalWorkspace.create({
        workDir: o.dirs.workDir,
        pulumiHome: o.dirs.pulumiHome,
        envVars,
        pulumiCommand,
        program: o.program,
        ...(o.useProjectFile
            ? {}
            : {
                  projectSettings: {
                      name: o.projectName ?? "exotel-e2e",
                      runtime: "nodejs",
                      backend: { url: `file://${o.dirs.stateDir}` },
                  },
              }),
        secretsProvider: "passphrase",
    });
    const stack = await Stack.createOrSelect(o.stackName, ws);
    const all: Record<string, { value: string; secret?: boolean }> = {};
    for (const [k, v] of Object.entries(o.config ?? {})) all[k] = { value: v };
    for (const [k, v] of Object.entries(o.secrets ?? {})) all[k] = { value: v, secret: true };
    if (Object.keys(all).length) await stack.setAllConfig(all);
    return stack;
}

/** PIDs of the processes whose command line matches `pattern` (pgrep -f) and that `keep` accepts (false if it throws: gone). */
export function pidsMatching(pattern: string, keep: (pid: number) => boolean): number[] {
    let out = "";
    try {
        out = execFileSync("pgrep", ["-f", pattern], { encoding: "utf8" });
    } catch {
        return [];
    }
    return out
        .split("\n")
        .filter(Boolean)
        .map(Number)
        .filter((pid) => {
            try {
                return keep(pid);
            } catch {
                return false;
            }
        });
}

/** PIDs of the dynamic-provider processes the engine started for the project in `workDir`. */
export function providerPids(workDir: string): number[] {
    return pidsMatching("cmd/dynamic-provider", (pid) => fs.realpathSync(`/proc/${pid}/cwd`) === fs.realpathSync(workDir));
}

/** Peak resident set size (VmHWM) of a process, in KiB; 0 once it is gone. */
export function peakRssKb(pid: number): number {
    try {
        const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
        return m ? Number(m[1]) : 0;
    } catch {
        return 0;
    }
}
