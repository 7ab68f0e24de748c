/**
 * The policy pack (policy/, docs/policy.md) as users run it: `pulumi preview --policy-pack <dir>
 * [--policy-pack-config <file>]` with the real CLI, the pack taken from the packed package installed in a
 * project (node_modules/pulumi-exotel/policy), and what the CLI printed parsed into violations.
 * Used by tests/policy.engine.test.ts and the Python and Go plugin suites.
 */
import * as fs from "fs";
import * as path from "path";
import { ConsumerProject, RunResult } from "./consumer";

/** The pack's directory inside a project that installed pulumi-exotel. */
export function installedPack(p: ConsumerProject): string {
    return path.join(p.dir, "node_modules", "pulumi-exotel", "policy");
}

/**
 * The pack as a YAML, Python or Go user gets it (README, "Policy pack"): `npm install --prefix <dir> <pulumi-exotel
 * tarball> @pulumi/pulumi@<version>`, run from project `p`; returns the pack's directory.
 */
export async function installPackInto(p: ConsumerProject, dir: string, tarball: string, pulumiSdk: string): Promise<string> {
    // npm from this process's PATH: a project's own PATH may hold only what its program needs (plugin.install).
    const r = await p.run("npm", ["install", "--prefix", dir, "--no-audit", "--no-fund", tarball, `@pulumi/pulumi@${pulumiSdk}`], {
        PATH: process.env.PATH,
    });
    if (r.code !== 0) throw new Error(`npm install of the policy pack failed (${r.code}): ${r.stderr}`);
    return path.join(dir, "node_modules", "pulumi-exotel", "policy");
}

/** One violation as the CLI lists it under "Policies:". */
export interface Violation {
    level: "mandatory" | "advisory";
    rule: string;
    /** The resource's type token and name, e.g. "exotel:index:Trunk", "primary". */
    type: string;
    resource: string;
    /** The violation's message (the policy's description is the line before it). */
    message: string;
}

/**
 * The violations in a CLI run's output. Both CLIs (3.248, 3.259) print each as
 *     - [mandatory]  <policy>  (<type>: <name>)
 *       <policy description>
 *       <message>
 */
export function violations(out: string): Violation[] {
    const re = /^\s+- \[(mandatory|advisory)\]\s+(\S+)\s+\((\S+): ([^)]+)\)\n[^\n]*\n\s+([^\n]*)$/gm;
    return [...out.matchAll(re)].map((m) => ({ level: m[1] as Violation["level"], rule: m[2], type: m[3], resource: m[4], message: m[5] }));
}

/** `<level> <rule> <resource>` of each violation, sorted: what a test compares. */
export function summary(vs: Violation[]): string[] {
    return vs.map((v) => `${v.level} ${v.rule} ${v.resource}`).sort();
}

/**
 * `pulumi <op> --policy-pack <pack>` (op: preview, or `up --yes`), with the pack's config written to a file
 * when given (`--policy-pack-config`). Returns the run and its violations (from stdout and stderr).
 */
export async function withPolicy(
    p: ConsumerProject,
    pack: string,
    op: string[] = ["preview"],
    config?: Record<string, unknown>,
): Promise<{ run: RunResult; violations: Violation[] }> {
    const args = [...op, "--policy-pack", pack];
    if (config) {
        const file = path.join(p.base, `policy-config-${Date.now()}.json`);
        fs.writeFileSync(file, JSON.stringify(config, null, 2));
        args.push("--policy-pack-config", file);
    }
    const run = await p.run("pulumi", args);
    return { run, violations: violations(run.stdout + "\n" + run.stderr) };
}
