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
 *   `script` with a `github` client that records the comments it posts.
 */
import { spawn } from "child_process";
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

export interface RunnerOptions {
    /** The checkout: where steps run. */
    cwd: string;
    /** The machine's environment (PATH with node and pulumi, PULUMI_HOME …) before the workflow's env. */
    baseEnv: NodeJS.ProcessEnv;
    event: { name: string; inputs?: Record<string, unknown> };
    vars?: Record<string, string>;
    secrets?: Record<string, string>;
}

export interface StepResult {
    id?: string;
    name: string;
    outcome: "success" | "failure" | "skipped";
    shell?: string;
    exitCode?: number;
    output: string;
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
        if (step.run !== undefined) {
            const shell = shellCommand(workflow, jobId, step);
            const env = { ...opts.baseEnv, CI: "true", GITHUB_ACTIONS: "true", ...jobEnv, ...scoped(step.env) };
            const r = await runScript(shell, step.run, opts.cwd, env);
            ok = r.code === 0;
            res = { id: step.id, name, outcome: ok ? "success" : "failure", shell, exitCode: r.code, output: r.output };
        } else {
            const r = await runAction(step, opts, result.comments);
            ok = r.ok;
            res = { id: step.id, name, outcome: ok ? "success" : "failure", output: r.output };
        }
        result.steps.push(res);
        const conclusion = ok || step["continue-on-error"] ? "success" : "failure";
        if (step.id) steps[step.id] = { outcome: res.outcome, conclusion };
        if (conclusion === "failure") ctx.failed = true;
    }
    result.conclusion = ctx.failed ? "failure" : "success";
    return result;
}
