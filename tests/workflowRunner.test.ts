/**
 * The GitHub Actions runner model the GitOps suite uses (testing/workflow.ts): GitHub's shell rules, its
 * condition semantics, and real bash showing why the default shell let a failed `pulumi preview` pass.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { condition, evaluate, ExpressionContext, interpolate, runJob, shellCommand, Workflow } from "../testing/workflow";

const ctx = (failed = false): ExpressionContext => ({
    contexts: {
        github: { event_name: "pull_request" },
        inputs: { repair: false },
        vars: { PULUMI_STACK: "prod" },
        secrets: {},
        steps: { preview: { conclusion: "failure", outcome: "failure" }, later: { conclusion: "skipped" } },
    },
    failed,
});

describe("shellCommand follows GitHub's documented precedence", () => {
    const wf = (workflowShell?: string, jobShell?: string): Workflow => ({
        ...(workflowShell ? { defaults: { run: { shell: workflowShell } } } : {}),
        jobs: { j: { ...(jobShell ? { defaults: { run: { shell: jobShell } } } : {}), steps: [] } },
    });
    test.each([
        ["nothing set: bash -e, no pipefail", wf(), {}, "bash -e {0}"],
        ["workflow defaults: bash", wf("bash"), {}, "bash --noprofile --norc -eo pipefail {0}"],
        ["job defaults win over the workflow's", wf("bash", "sh"), {}, "sh -e {0}"],
        ["the step's shell wins over both", wf("sh", "sh"), { shell: "bash" }, "bash --noprofile --norc -eo pipefail {0}"],
        ["a custom template is used as written", wf(), { shell: "bash -x {0}" }, "bash -x {0}"],
    ])("%s", (_, workflow, step, expected) => {
        expect(shellCommand(workflow, "j", { run: "true", ...step })).toBe(expected);
    });
    test("a shell it does not model is refused", () => {
        expect(() => shellCommand(wf(), "j", { run: "x", shell: "pwsh" })).toThrow(/not modelled/);
    });
});

describe("expressions", () => {
    test.each([
        ["github.event_name == 'pull_request'", true],
        ["github.event_name == 'PULL_REQUEST'", true], // GitHub compares strings case-insensitively
        ["github.event_name == 'push'", false],
        ["github.event_name == 'schedule' || (github.event_name == 'pull_request' && !inputs.repair)", true],
        ["github.event_name == 'workflow_dispatch' && inputs.repair", false],
        ["steps.preview.conclusion != 'skipped'", true],
        ["steps.later.conclusion != 'skipped'", false],
        ["vars.PULUMI_STACK", "prod"],
        ["vars.MISSING", null],
    ])("%s -> %p", (expr, value) => {
        expect(evaluate(expr, ctx())).toBe(value);
    });
    test.each([
        [undefined, false, true],
        [undefined, true, false],
        ["github.event_name == 'pull_request'", true, false], // success() is implied
        ["always() && steps.preview.conclusion != 'skipped'", true, true],
        ["${{ failure() }}", true, true],
        ["${{ failure() }}", false, false],
    ])("if: %p after a failure=%p runs: %p", (cond, failed, runs) => {
        expect(condition(cond, ctx(failed))).toBe(runs);
    });
    test("interpolation and refusals", () => {
        expect(interpolate("${{ vars.PULUMI_STACK }}-${{ secrets.NONE }}", ctx())).toBe("prod-");
        expect(() => evaluate("env.X", ctx())).toThrow(/not modelled/);
        expect(() => evaluate("hashFiles()", ctx())).toThrow(/not modelled/);
        expect(() => evaluate("a ==", ctx())).toThrow();
    });
});

describe("a job run with the runner's shell (real bash)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-exotel-runner-"));
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
    const job = (defaults?: string): Workflow => ({
        ...(defaults ? { defaults: { run: { shell: defaults } } } : {}),
        jobs: {
            preview: {
                steps: [
                    { id: "preview", run: "{ echo 'error: bad data'; false; } 2>&1 | tee preview.txt" },
                    { id: "after", run: "echo never" },
                    {
                        if: "always() && steps.preview.conclusion != 'skipped'",
                        uses: "actions/github-script@v7",
                        with: {
                            script: 'const fs = require("fs");\nawait github.rest.issues.createComment({ body: fs.readFileSync("preview.txt", "utf8") });',
                        },
                    },
                ],
            },
        },
    });
    const opts = { cwd: dir, baseEnv: process.env, event: { name: "pull_request" } };

    test("bash -e {0} (no shell: set) takes tee's exit code: the failed command's job passes", async () => {
        const r = await runJob(job(), "preview", opts);
        expect(r.steps.map((s) => s.outcome)).toEqual(["success", "success", "success"]);
        expect(r.conclusion).toBe("success");
    });
    test("shell: bash (pipefail) fails the step and the job, skips the next step, still posts the comment", async () => {
        const r = await runJob(job("bash"), "preview", opts);
        expect(r.steps.map((s) => s.outcome)).toEqual(["failure", "skipped", "success"]);
        expect(r.steps[0].exitCode).toBe(1);
        expect(r.conclusion).toBe("failure");
        expect(r.comments).toEqual(["error: bad data\n"]);
    });
    test("a job whose if: is false is skipped", async () => {
        const wf = job("bash");
        wf.jobs.preview.if = "github.event_name == 'push'";
        expect((await runJob(wf, "preview", opts)).conclusion).toBe("skipped");
    });
});
