/**
 * The Pulumi CLI for tests, the demo and the benchmark: which lane runs (CLI and `@pulumi/pulumi`
 * versions), and the CLI directory scripts/ensure-pulumi builds or finds. No side effects on import.
 */
import { execFileSync } from "child_process";
import * as path from "path";

/** The checkout (this file runs from `testing/` under ts-jest, from `.build/testing/` once compiled). */
export const ROOT = path.resolve(__dirname, [".build", "dist"].includes(path.basename(path.dirname(__dirname))) ? "../.." : "..");
export const PASSPHRASE = "pulumi-exotel-local-passphrase";

/**
 * The environment of a CLI kept to itself: this process's, without any EXOTEL_* or PULUMI_* setting, then its own
 * PULUMI_HOME, a file:// backend in `state`, the passphrase, no update check, no plugin download, no prompts.
 */
export function isolatedCliEnv(o: { path: string[]; home: string; state: string }): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of Object.keys(env)) if (k.startsWith("EXOTEL_") || k.startsWith("PULUMI_")) delete env[k];
    return {
        ...env,
        PATH: o.path.join(path.delimiter),
        PULUMI_HOME: o.home,
        PULUMI_BACKEND_URL: `file://${o.state}`,
        PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_SKIP_CONFIRMATIONS: "true",
        NO_COLOR: "1",
    };
}

/** A test lane: which CLI runs and which `@pulumi/pulumi` the consumer projects install. */
export interface Lane {
    name: "floor" | "current";
    /** Pulumi CLI (and language host) version, built by scripts/ensure-pulumi when not installed. */
    cliVersion: string;
    /** The `@pulumi/pulumi` version (or tag) a consumer project installs. */
    pulumiSdk: string;
}

export const LANES: Record<Lane["name"], Lane> = {
    // The declared floor of the peer range (package.json), with the oldest CLI we build; Node 20.
    floor: { name: "floor", cliVersion: "3.248.0", pulumiSdk: "3.139.0" },
    // What users run today: the newest SDK, a current CLI; Node 24 LTS.
    current: { name: "current", cliVersion: "3.259.0", pulumiSdk: "latest" },
};

/** The lane named by PULUMI_EXOTEL_LANE (default: floor). */
export function laneFromEnv(env: NodeJS.ProcessEnv = process.env): Lane {
    const name = env.PULUMI_EXOTEL_LANE ?? "floor";
    const lane = LANES[name as Lane["name"]];
    if (!lane) throw new Error(`PULUMI_EXOTEL_LANE must be one of ${Object.keys(LANES).join(", ")}, not "${name}"`);
    return lane;
}

const cliDirs = new Map<string, string>();

/** Directory holding `pulumi` and `pulumi-language-nodejs` for `version` (built once, then cached). */
export function ensurePulumi(version: string = laneFromEnv().cliVersion): string {
    let dir = cliDirs.get(version);
    if (!dir) {
        const out = execFileSync("bash", [path.join(ROOT, "scripts/ensure-pulumi")], {
            encoding: "utf8",
            env: { ...process.env, PULUMI_VERSION: version },
            stdio: ["ignore", "pipe", "inherit"],
        });
        dir = out.trim().split("\n").pop()!;
        cliDirs.set(version, dir);
    }
    return dir;
}
