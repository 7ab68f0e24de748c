/**
 * End-to-end harness: inline Pulumi programs of ExotelTrunks (compiled provider from dist/, as users
 * get it) run by the real engine against the emulator.
 */
import * as pulumi from "@pulumi/pulumi";
import { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { DEMO_ACCOUNT, Emulator } from "../../emulator";
import { ExotelTrunk, ExotelTrunkArgs } from "../../provider";
import { EngineDirs, engineDirs, engineEnv, ensurePulumi, openStack } from "../../testing/engine";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

export interface TrunkSpec {
    args: ExotelTrunkArgs;
    opts?: pulumi.CustomResourceOptions;
}

/**
 * The provider's own pacing lifted: the emulator answers at any rate unless a test sets a limit, and these
 * suites are about what is sent, not when. At Exotel's default (200 a minute, bursts of 10) a suite's few hundred
 * requests waited ~3 minutes (measured). The limiter is tested where it is the subject: the unit suites,
 * `rateLimit.engine.test.ts`, the shared-account suites and the benchmark.
 */
export const UNTHROTTLED = { "exotel:rateLimitRequestsPerWindow": "100000" };

/** A stack whose program declares `spec` (mutable between runs: edit it and run `up` again). */
export class TrunkStack {
    spec: Record<string, TrunkSpec> = {};
    stack!: Stack;
    dirs!: EngineDirs;
    output = "";

    constructor(
        /** The emulator (in this process, or in its own: only its address is used). */
        readonly emu: Pick<Emulator, "baseUrl">,
        readonly name: string,
    ) {}

    async open(
        opts: { config?: Record<string, string>; secrets?: Record<string, string>; env?: Record<string, string>; dirs?: EngineDirs } = {},
    ) {
        this.dirs = opts.dirs ?? engineDirs();
        this.stack = await openStack({
            stackName: this.name,
            dirs: this.dirs,
            program: async () => {
                const outs: Record<string, pulumi.Output<string>> = {};
                for (const [name, s] of Object.entries(this.spec)) outs[name] = new ExotelTrunk(name, s.args, s.opts).trunkSid;
                return outs;
            },
            config: opts.config ?? {
                "exotel:accountSid": DEMO_ACCOUNT.accountSid,
                "exotel:apiKey": DEMO_ACCOUNT.apiKey,
                "exotel:baseUrl": this.emu.baseUrl,
                "exotel:retryBaseDelayMs": "10",
                ...UNTHROTTLED,
            },
            secrets: opts.secrets ?? { "exotel:apiToken": DEMO_ACCOUNT.apiToken },
            env: opts.env,
        });
        return this;
    }

    private log = (s: string) => {
        this.output += s;
    };
    /** Every error diagnostic of the runs so far, by the resource's logical name (the engine's own, under ""). */
    errors: Record<string, string[]> = {};
    private event = (e: EngineEvent) => {
        const d = e.diagnosticEvent;
        if (!d || d.severity !== "error") return;
        const name = d.urn ? d.urn.slice(d.urn.lastIndexOf("::") + 2) : "";
        (this.errors[name] ??= []).push(d.message);
    };

    /** `pulumi up`; `continueOnError`: every resource is tried even after one fails (`--continue-on-error`). */
    up(opts: { continueOnError?: boolean } = {}) {
        return this.stack.up({ onOutput: this.log, onEvent: this.event, ...opts });
    }
    preview() {
        return this.stack.preview({ onOutput: this.log, diff: true });
    }
    refresh() {
        return this.stack.refresh({ onOutput: this.log });
    }
    destroy() {
        return this.stack.destroy({ onOutput: this.log });
    }
    async outputs(): Promise<Record<string, string>> {
        const o = await this.stack.outputs();
        return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v.value]));
    }
    /** `pulumi stack export` as a user runs it (secrets not shown). */
    cliExport(): string {
        return execFileSync(path.join(ensurePulumi(), "pulumi"), ["stack", "export", "--stack", this.name], {
            cwd: this.dirs.workDir,
            env: { ...process.env, ...engineEnv(this.dirs) },
            encoding: "utf8",
        });
    }

    /** Every file of the file:// backend, concatenated (state, history, backups). */
    rawBackend(): string {
        const out: string[] = [];
        const walk = (d: string) => {
            for (const e of fs.readdirSync(d, { withFileTypes: true })) {
                const p = path.join(d, e.name);
                if (e.isDirectory()) walk(p);
                else out.push(fs.readFileSync(p).toString("latin1"));
            }
        };
        walk(this.dirs.stateDir);
        return out.join("\n");
    }

    /** Resources of our type in state, with their outputs. */
    async resources(): Promise<{ urn: string; id: string; outputs: Record<string, any>; inputs: Record<string, any> }[]> {
        const dep = await this.stack.exportStack();
        return ((dep.deployment.resources ?? []) as any[]).filter((r) => r.type === "pulumi-nodejs:dynamic/exotel:ExotelTrunk");
    }
}

/** Every trunk in the emulator (all accounts) vs every trunk in these stacks' states. */
export async function inventoryMatchesState(emu: Emulator, stacks: TrunkStack[]): Promise<{ atExotel: string[]; inState: string[] }> {
    const atExotel = Object.values(emu.inventory())
        .flatMap((a) => a.trunks.map((t) => t.trunk_sid))
        .sort();
    const inState: string[] = [];
    for (const s of stacks) for (const r of await s.resources()) inState.push(r.id);
    return { atExotel, inState: inState.sort() };
}
