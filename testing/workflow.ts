/**
 * Runs a job of a GitHub Actions workflow the way a GitHub-hosted Linux runner does, for the features the
 * examples' workflows use, and refuses anything else (so a workflow edit the runner here cannot model
 * fails the suite instead of being skipped):
 *
 * - each `run:` step's script is written to a file and run with the shell GitHub picks, by its documented
 *   rules (workflow syntax, `jobs.<job_id>.steps[*].shell`): the step's `shell:`, else the job's
 *   `defaults.run.shell`, else the workflow's `defaults.run.shell`, else `bash -e {0}` (no pipefail);
 *   `shell: bash` is `bash --noprofile --norc -eo pipefail {0}`, `sh` is `sh -e {0}`;
 * - `if:` of jobs and steps is evaluated (`success()` is implied when no status function is named);
 *   a failed step fails the job, later steps run only when their condition allows;
 * - `env:` of the workflow, the job and the step, with `${{ vars.X }}` / `${{ secrets.X }}` / `${{ inputs.X }}`;
 * - `uses:` of actions/checkout, actions/setup-node and pulumi/actions are what the test environment
 *   already provides (the project directory, Node.js and the CLI on PATH); `actions/github-script` runs its
 *   `script` with a `github` client that records the comments it posts;
 * - with an `InstallReuse` in the options, a `run: npm ci` step whose inputs did not change since the last
 *   one in the same checkout keeps what that one installed (see `InstallReuse`).
 */
import { spawn } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";

type Env = Record<string, string>;

export interface WorkflowStep {
    id?: string;
    name?: string;
    if?: string | boolean;
    run?: string;
    uses?: string;
    shell?: string;
    with?: Record<string, string>;
    env?: Env;
    "continue-on-error"?: boolean;
}

interface RunDefaults {
    defaults?: { run?: { shell?: string } };
}

export interface WorkflowJob extends RunDefaults {
    if?: string | boolean;
    env?: Env;
    steps: WorkflowStep[];
}

export interface Workflow extends RunDefaults {
    env?: Env;
    jobs: Record<string, WorkflowJob>;
}

export function loadWorkflow(file: string): Workflow {
    return parse(fs.readFileSync(file, "utf8")) as Workflow;
}

/** The shell command template (with `{0}` for the script file) GitHub uses for a `run:` step. */
export function shellCommand(workflow: Workflow, jobId: string, step: WorkflowStep): string {
    const job = workflow.jobs[jobId];
    const shell = step.shell ?? job.defaults?.run?.shell ?? workflow.defaults?.run?.shell;
    if (shell === undefined) return "bash -e {0}";
    if (shell === "bash") return "bash --noprofile --norc -eo pipefail {0}";
    if (shell === "sh") return "sh -e {0}";
    if (shell.includes("{0}")) return shell;
    throw new Error(`shell "${shell}" is not modelled here`);
}

// ---- expressions: the subset of GitHub's expression language the workflows use ----------------------

type Value = string | number | boolean | null | Record<string, unknown>;
export interface ExpressionContext {
    contexts: Record<string, Record<string, unknown>>;
    /** Whether an earlier step of the job failed (for success()/failure()). */
    failed: boolean;
}
const STATUS_FUNCTIONS = ["success", "failure", "always", "cancelled"];

function tokenize(source: string): string[] {
    const expr = source.trim();
    const re = /\s*(\|\||&&|==|!=|!|\(|\)|,|'(?:[^']|'')*'|[A-Za-z_][\w.-]*|\d+(?:\.\d+)?)/y;
    const out: string[] = [];
    let m: RegExpExecArray | null;
    let at = 0;
    while (at < expr.length) {
        re.lastIndex = at;
        if (!(m = re.exec(expr))) throw new Error(`cannot parse the expression "${expr}" at ${at}`);
        out.push(m[1]);
        at = re.lastIndex;
    }
    return out;
}

const truthy = (v: Value): boolean => !(v === null || v === false || v === 0 || v === "");
function equal(a: Value, b: Value): boolean {
    if (typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
    if (typeof a === "boolean" || typeof b === "boolean" || typeof a === "number" || typeof b === "number") return Number(a) === Number(b);
    return a === b;
}

/** Evaluates an expression (without `${{ }}`) by GitHub's rules for the operators it supports. */
export function evaluate(expr: string, ctx: ExpressionContext): Value {
    const tokens = tokenize(expr);
    let i = 0;
    const peek = () => tokens[i];
    const take = (t?: string) => {
        const tok = tokens[i++];
        if (t !== undefined && tok !== t) throw new Error(`expected "${t}" in "${expr}", got "${tok}"`);
        return tok;
    };
    const primary = (): Value => {
        const t = take();
        if (t === undefined) throw new Error(`unexpected end of "${expr}"`);
        if (t === "(") {
            const v = or();
            take(")");
            return v;
        }
        if (t === "!") return !truthy(primary());
        if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
        if (/^\d/.test(t)) return Number(t);
        if (t === "true" || t === "false") return t === "true";
        if (t === "null") return null;
        if (peek() === "(") {
            take("(");
            take(")");
            if (t === "success") return !ctx.failed;
            if (t === "failure") return ctx.failed;
            if (t === "always") return true;
            if (t === "cancelled") return false;
            throw new Error(`function ${t}() is not modelled here`);
        }
        const [head, ...rest] = t.split(".");
        if (!(head in ctx.contexts)) throw new Error(`context "${head}" is not modelled here (in "${expr}")`);
        let v: unknown = ctx.contexts[head];
        for (const k of rest) v = v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined;
        return (v ?? null) as Value;
    };
    const comparison = (): Value => {
        let v = primary();
        while (peek() === "==" || peek() === "!=") {
            const op = take();
            const r = primary();
            v = op === "==" ? equal(v, r) : !equal(v, r);
        }
        return v;
    };
    const and = (): Value => {
        let v = comparison();
        while (peek() === "&&") {
            take();
            const r = comparison();
            v = truthy(v) ? r : v;
        }
        return v;
    };
    const or = (): Value => {
        let v = and();
        while (peek() === "||") {
            take();
            const r = and();
            v = truthy(v) ? v : r;
        }
        return v;
    };
    const v = or();
    if (i !== tokens.length) throw new Error(`unexpected "${tokens[i]}" in "${expr}"`);
    return v;
}

/** An `if:` condition: `success() && (…)` unless it names a status function, as GitHub does. */
export function condition(cond: string | boolean | undefined, ctx: ExpressionContext): boolean {
    if (cond === undefined) return !ctx.failed;
    if (typeof cond === "boolean") return cond && !ctx.failed;
    const expr = cond.replace(/^\s*\$\{\{([\s\S]*)\}\}\s*$/, "$1");
    const named = STATUS_FUNCTIONS.some((f) => new RegExp(`\\b${f}\\s*\\(`).test(expr));
    return truthy(evaluate(named ? expr : `success() && (${expr})`, ctx));
}

/** `${{ expr }}` inside a string, replaced by its value (null = ""). */
export function interpolate(text: string, ctx: ExpressionContext): string {
    return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, e: string) => {
        const v = evaluate(e, ctx);
        return v === null ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
    });
}

// ---- running a job ---------------------------------------------------------------------------------

/**
 * `npm ci` deletes node_modules and installs exactly what package-lock.json names: with the same package.json,
 * lockfile and Node.js/npm on PATH, it installs the same tree again. A GitHub runner's jobs each start from a
 * fresh checkout and run it; here a suite's jobs share one checkout, so a suite may pass one of these: the first
 * `npm ci` of a checkout runs, and so does any after package.json, package-lock.json, PATH, an `npm_config_*`
 * setting or node_modules itself changed (npm rewrites `node_modules/.package-lock.json` whenever it changes the
 * tree; the packages at its top are compared too); a later one
 * with all of those unchanged keeps the tree the last run installed and says so in the step's output.
 * Measured in the GitOps suite: each repeated `npm ci` took 10-12 s, 40% of the suite's time.
 */
export class InstallReuse {
    private installed = new Map<string, { key: string; by: string }>();
    /** How many `npm ci` steps ran, and how many kept the last install. */
    readonly counts = { ran: 0, reused: 0 };

    private static key(cwd: string, env: NodeJS.ProcessEnv): string {
        const npmEnv = Object.entries(env).filter(([k]) => k === "PATH" || k.toLowerCase().startsWith("npm_config_"));
        const hash = createHash("sha256").update(JSON.stringify(npmEnv.sort()));
        for (const f of ["package.json", "package-lock.json", "node_modules/.package-lock.json"]) {
            const file = path.join(cwd, f);
            hash.update(`\0${f}\0`).update(fs.existsSync(file) ? fs.readFileSync(file) : "(none)");
        }
        // The packages at the top of the tree (a package removed by hand leaves npm's hidden lockfile as it was).
        const modules = path.join(cwd, "node_modules");
        const top = fs.existsSync(modules) ? fs.readdirSync(modules) : [];
        for (const d of top.sort()) {
            const sub = d.startsWith("@") ? fs.readdirSync(path.join(modules, d)).map((s) => `${d}/${s}`) : [d];
            hash.update(`\0${sub.sort().join("\0")}`);
        }
        return hash.digest("hex");
    }
    /** The job whose `npm ci` left this checkout's node_modules as they are now, when nothing changed since. */
    reusable(cwd: string, env: NodeJS.ProcessEnv): string | undefined {
        const last = this.installed.get(cwd);
        return last && last.key === InstallReuse.key(cwd, env) ? last.by : undefined;
    }
    ran(cwd: string, env: NodeJS.ProcessEnv, by: string, ok: boolean) {
        this.counts.ran++;
        if (ok) this.installed.set(cwd, { key: InstallReuse.key(cwd, env), by });
        else this.installed.delete(cwd);
    }
    reused() {
        this.counts.reused++;
    }
}

export interface RunnerOptions {
    /** The checkout: where steps run. */
    cwd: string;
    /** The machine's environment (PATH with node and pulumi, PULUMI_HOME …) before the workflow's env. */
    baseEnv: NodeJS.ProcessEnv;
    event: { name: string; inputs?: Record<string, unknown> };
    vars?: Record<string, string>;
    secrets?: Record<string, string>;
    /** Keep node_modules between jobs' `npm ci` steps whose inputs did not change (see `InstallReuse`). */
    installs?: InstallReuse;
}

export interface StepResult {
    id?: string;
    name: string;
    outcome: "success" | "failure" | "skipped";
    shell?: string;
    exitCode?: number;
    output: string;
    /** Wall time of a step that ran, in seconds. */
    seconds?: number;
}

export interface JobResult {
    job: string;
    conclusion: "success" | "failure" | "skipped";
    steps: StepResult[];
    /** Bodies of the pull-request comments github-script posted. */
    comments: string[];
}

function runScript(command: string, script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gh-step-"));
    const file = path.join(dir, "step.sh");
    fs.writeFileSync(file, script);
    const [cmd, ...args] = command.split(/\s+/).map((a) => a.replace("{0}", file));
    return new Promise((resolve) => {
        const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        child.stdout.on("data", (d) => (output += d));
        child.stderr.on("data", (d) => (output += d));
        const done = (code: number) => {
            fs.rmSync(dir, { recursive: true, force: true });
            resolve({ code, output });
        };
        child.on("error", (e) => {
            output += String(e);
            done(127);
        });
        child.on("close", (code) => done(code ?? 1));
    });
}

async function runAction(step: WorkflowStep, opts: RunnerOptions, comments: string[]): Promise<{ ok: boolean; output: string }> {
    const action = (step.uses ?? "").split("@")[0];
    if (["actions/checkout", "actions/setup-node", "pulumi/actions"].includes(action)) return { ok: true, output: `(${action}: provided)` };
    if (action === "actions/github-script") {
        const github = {
            rest: { issues: { createComment: async ({ body }: { body: string }) => void comments.push(body) } },
        };
        const context = { repo: { owner: "team", repo: "trunks" }, issue: { number: 1 } };
        const AsyncFunction = (Object.getPrototypeOf(async () => undefined) as { constructor: unknown }).constructor as new (
            ...a: string[]
        ) => (...v: unknown[]) => Promise<unknown>;
        const script = new AsyncFunction("require", "github", "context", step.with?.script ?? "");
        const cwd = process.cwd();
        try {
            process.chdir(opts.cwd);
            await script(require, github, context);
            return { ok: true, output: "" };
        } catch (e) {
            return { ok: false, output: String(e) };
        } finally {
            process.chdir(cwd);
        }
    }
    throw new Error(`action ${step.uses} is not modelled here`);
}

/** Runs one job for an event, as the runner would; a job whose `if:` is false is skipped. */
export async function runJob(workflow: Workflow, jobId: string, opts: RunnerOptions): Promise<JobResult> {
    const job = workflow.jobs[jobId];
    if (!job) throw new Error(`the workflow has no job ${jobId}`);
    const steps: Record<string, { outcome: string; conclusion: string }> = {};
    const ctx: ExpressionContext = {
        contexts: {
            github: { event_name: opts.event.name },
            inputs: opts.event.inputs ?? {},
            vars: opts.vars ?? {},
            secrets: opts.secrets ?? {},
            steps,
        },
        failed: false,
    };
    const result: JobResult = { job: jobId, conclusion: "skipped", steps: [], comments: [] };
    if (!condition(job.if, ctx)) return result;
    const scoped = (e?: Env) => Object.fromEntries(Object.entries(e ?? {}).map(([k, v]) => [k, interpolate(String(v), ctx)]));
    const jobEnv = { ...scoped(workflow.env), ...scoped(job.env) };
    for (const [n, step] of job.steps.entries()) {
        const name = step.name ?? step.run ?? step.uses ?? `step ${n}`;
        if (!condition(step.if, ctx)) {
            result.steps.push({ id: step.id, name, outcome: "skipped", output: "" });
            if (step.id) steps[step.id] = { outcome: "skipped", conclusion: "skipped" };
            continue;
        }
        let ok: boolean;
        let res: StepResult;
        const started = Date.now();
        if (step.run !== undefined) {
            const shell = shellCommand(workflow, jobId, step);
            const env = { ...opts.baseEnv, CI: "true", GITHUB_ACTIONS: "true", ...jobEnv, ...scoped(step.env) };
            const npmCi = opts.installs && step.run.trim() === "npm ci" ? opts.installs : undefined;
            const keptFrom = npmCi?.reusable(opts.cwd, env);
            let r: { code: number; output: string };
            if (keptFrom !== undefined) {
                npmCi!.reused();
                r = {
                    code: 0,
                    output: `(runner: node_modules as ${keptFrom}'s npm ci installed them; package.json, package-lock.json, PATH and node_modules unchanged since)`,
                };
            } else {
                r = await runScript(shell, step.run, opts.cwd, env);
                npmCi?.ran(opts.cwd, env, `job ${jobId} (${opts.event.name})`, r.code === 0);
            }
            ok = r.code === 0;
            res = { id: step.id, name, outcome: ok ? "success" : "failure", shell, exitCode: r.code, output: r.output };
        } else {
            const r = await runAction(step, opts, result.comments);
            ok = r.ok;
            res = { id: step.id, name, outcome: ok ? "success" : "failure", output: r.output };
        }
        res.seconds = (Date.now() - started) / 1000;
        result.steps.push(res);
        const conclusion = ok || step["continue-on-error"] ? "success" : "failure";
        if (step.id) steps[step.id] = { outcome: res.outcome, conclusion };
        if (conclusion === "failure") ctx.failed = true;
    }
    result.conclusion = ctx.failed ? "failure" : "success";
    return result;
}
