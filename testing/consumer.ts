/**
 * Runs pulumi-exotel the way its users get it: the package packed with `npm pack`, installed with
 * `npm install` into a copy of one of `examples/` (a standalone Pulumi project) in a temporary
 * directory outside this checkout, and driven by the real `pulumi` CLI with the real Node.js language
 * host — no Automation API, so TypeScript compilation, module resolution and the closure serializer's
 * `require`s all happen as they do for a user. Fully offline: a `file://` backend, a passphrase secrets
 * provider, a private PULUMI_HOME, no update checks, no plugin downloads.
 *
 * Used by the consumer acceptance suite (tests/consumer.test.ts) and the demo (scripts/demo.ts).
 */
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { isolatedCliEnv, Lane, ROOT } from "./cli";

export { ensurePulumi, laneFromEnv, LANES, ROOT } from "./cli";
export type { Lane } from "./cli";

/** `npm pack` of this checkout (already built) into `dir`; returns the tarball's path. */
export function packPackage(dir: string): string {
    const out = execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], { cwd: ROOT, encoding: "utf8" });
    const [info] = JSON.parse(out) as { filename: string }[];
    return path.join(dir, info.filename);
}

/** Installed `node_modules` by dependencies (see {@link ConsumerProject.install}), kept until this process exits. */
const WARM_INSTALLS = new Map<string, string>();

export interface RunResult {
    code: number;
    stdout: string;
    stderr: string;
    /** The command line as a user would type it. */
    command: string;
    seconds: number;
}

export interface ConsumerOptions {
    example: string;
    tarball: string;
    lane: Lane;
    cliDir: string;
    /** Where the copy goes (default: a new temporary directory). */
    baseDir?: string;
    /** The project's directory name under the base (default: the example's name). */
    dirName?: string;
    log?: (line: string) => void;
}

/** One example project copied outside the checkout, with the packed package installed. */
export class ConsumerProject {
    readonly dir: string;
    readonly env: NodeJS.ProcessEnv;
    readonly history: RunResult[] = [];

    private constructor(
        readonly base: string,
        readonly opts: ConsumerOptions,
    ) {
        this.dir = path.join(base, opts.dirName ?? opts.example);
        const home = path.join(base, "pulumi-home");
        const state = path.join(base, "state");
        fs.mkdirSync(home, { recursive: true });
        fs.mkdirSync(state, { recursive: true });
        this.env = isolatedCliEnv({ path: [opts.cliDir, path.dirname(process.execPath), process.env.PATH ?? ""], home, state });
    }

    /** Copies `examples/<example>` to a fresh directory outside the checkout and installs the tarball there. */
    static create(opts: ConsumerOptions): ConsumerProject {
        const base = opts.baseDir ?? fs.mkdtempSync(path.join(os.tmpdir(), `pulumi-exotel-${opts.example}-`));
        if (path.resolve(base).startsWith(ROOT + path.sep)) throw new Error(`${base} is inside the checkout`);
        const p = new ConsumerProject(base, opts);
        fs.cpSync(path.join(ROOT, "examples", opts.example), p.dir, { recursive: true });
        return p;
    }

    /**
     * A project that `pulumi new <examples/<example>> --dir <dirName>` will start in an empty base directory
     * outside the checkout, as a team starts its repository from the template (see {@link ConsumerProject.inBase}).
     */
    static empty(opts: ConsumerOptions): ConsumerProject {
        const base = opts.baseDir ?? fs.mkdtempSync(path.join(os.tmpdir(), `pulumi-exotel-new-${opts.example}-`));
        return new ConsumerProject(base, opts);
    }

    /** Runs a bash script in the base directory (where `pulumi new --dir` creates the project), with this project's environment. */
    inBase(script: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<RunResult> {
        return this.run("bash", ["--noprofile", "--norc", "-euo", "pipefail", "-c", script], extraEnv, this.base);
    }

    /** The template directory `pulumi new` takes (the example in this checkout). */
    get template(): string {
        return path.join(ROOT, "examples", this.opts.example);
    }

    /**
     * `npm install <tarball> @pulumi/pulumi@<lane's version>`, as a user adds the package to a project. The
     * examples share their dependencies: a project whose dependencies, tarball and SDK version equal those of
     * one installed before in this process starts from a hard-linked copy of that install's `node_modules`,
     * and the same `npm install` then checks and completes it (measured: ~4 s instead of 25-34 s; npm still
     * writes this project's package.json and lockfile and resolves its tree).
     */
    async install(): Promise<RunResult> {
        const manifest = JSON.parse(fs.readFileSync(path.join(this.dir, "package.json"), "utf8")) as Record<string, unknown>;
        const key = JSON.stringify([manifest.dependencies, manifest.devDependencies, this.opts.tarball, this.opts.lane.pulumiSdk]);
        const modules = path.join(this.dir, "node_modules");
        const warm = WARM_INSTALLS.get(key);
        if (warm && fs.existsSync(warm) && !fs.existsSync(modules)) {
            execFileSync("cp", ["-al", warm, modules]);
            this.opts.log?.(`    (node_modules starts as a hard-linked copy of the first install with these dependencies)`);
        }
        const r = await this.must("npm", [
            "install",
            "--no-audit",
            "--no-fund",
            this.opts.tarball,
            `@pulumi/pulumi@${this.opts.lane.pulumiSdk}`,
        ]);
        if (!warm) {
            const keep = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-exotel-installed-"));
            execFileSync("cp", ["-al", modules, path.join(keep, "node_modules")]);
            WARM_INSTALLS.set(key, path.join(keep, "node_modules"));
            process.once("exit", () => fs.rmSync(keep, { recursive: true, force: true }));
        }
        return r;
    }

    /**
     * Runs a command in the project. Asynchronous on purpose: the emulator may live in this very process,
     * and a synchronous child would block the event loop that answers the CLI's requests.
     */
    run(cmd: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}, cwd = this.dir): Promise<RunResult> {
        const start = Date.now();
        const shown = [cmd, ...args.map((a) => (a === this.opts.tarball ? path.basename(a) : /[\s;$]/.test(a) ? `'${a}'` : a))].join(" ");
        return new Promise((resolve) => {
            const child = spawn(cmd, args, { cwd, env: { ...this.env, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
            let stdout = "";
            let stderr = "";
            child.stdout.on("data", (d) => (stdout += d));
            child.stderr.on("data", (d) => (stderr += d));
            const done = (code: number, extra = "") => {
                const res: RunResult = { code, stdout, stderr: stderr + extra, command: shown, seconds: (Date.now() - start) / 1000 };
                this.history.push(res);
                this.opts.log?.(`$ ${shown}  # exit ${res.code}, ${res.seconds.toFixed(1)} s`);
                resolve(res);
            };
            child.on("error", (err) => done(-1, String(err)));
            child.on("close", (code) => done(code ?? -1));
        });
    }

    /** Runs and fails with the command's output when it exits non-zero. */
    async must(cmd: string, args: string[]): Promise<RunResult> {
        const r = await this.run(cmd, args);
        if (r.code !== 0) throw new Error(`${r.command} exited ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
        return r;
    }

    pulumi(...args: string[]): Promise<RunResult> {
        return this.must("pulumi", args);
    }

    /** `pulumi stack init` plus the Exotel connection in stack config (the token as a secret). */
    async initStack(stack: string, exotel: { baseUrl: string; accountSid: string; apiKey: string; apiToken: string }): Promise<void> {
        await this.pulumi("stack", "init", stack);
        await this.pulumi("config", "set", "exotel:baseUrl", exotel.baseUrl);
        await this.pulumi("config", "set", "exotel:accountSid", exotel.accountSid);
        await this.pulumi("config", "set", "exotel:apiKey", exotel.apiKey);
        await this.pulumi("config", "set", "--secret", "exotel:apiToken", exotel.apiToken);
    }

    async outputs(): Promise<Record<string, unknown>> {
        return JSON.parse((await this.pulumi("stack", "output", "--json")).stdout) as Record<string, unknown>;
    }

    /** Every file the project and its state backend hold (for secret scans), excluding node_modules. */
    files(): string[] {
        const out: string[] = [];
        const walk = (d: string) => {
            for (const e of fs.readdirSync(d, { withFileTypes: true })) {
                const p = path.join(d, e.name);
                if (e.isDirectory()) {
                    if (e.name !== "node_modules" && e.name !== "plugins") walk(p);
                } else if (e.isFile()) out.push(p);
            }
        };
        walk(this.base);
        return out;
    }

    remove(): void {
        fs.rmSync(this.base, { recursive: true, force: true });
    }
}
