/**
 * The GitHub Actions runner model the GitOps suite uses (testing/workflow.ts): GitHub's shell rules, its
 * condition semantics, and real bash showing why the default shell let a failed `pulumi preview` pass.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync } from "child_process";
import {
    condition,
    evaluate,
    ExpressionContext,
    InstallReuse,
    interpolate,
    loadWorkflow,
    runJob,
    shellCommand,
    Workflow,
} from "../testing/workflow";

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

describe("npm ci kept between jobs only while its inputs are unchanged (InstallReuse, real npm)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-exotel-npmci-"));
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
    const wf: Workflow = {
        jobs: {
            up: {
                steps: [
                    { id: "ci", run: "npm ci" },
                    { id: "ls", run: "ls node_modules" },
                ],
            },
        },
    };
    const env = { ...process.env, npm_config_offline: "true", npm_config_audit: "false", npm_config_fund: "false" };
    const installs = new InstallReuse();
    const run = async () => {
        const r = await runJob(wf, "up", { cwd: dir, baseEnv: env, event: { name: "push" }, installs });
        const [ci, ls] = r.steps;
        return { conclusion: r.conclusion, kept: ci.output.startsWith("(runner: node_modules as"), modules: ls.output.trim() };
    };
    beforeAll(() => {
        fs.mkdirSync(path.join(dir, "dep-a"));
        fs.writeFileSync(path.join(dir, "dep-a", "package.json"), JSON.stringify({ name: "dep-a", version: "1.0.0" }));
        fs.writeFileSync(
            path.join(dir, "package.json"),
            JSON.stringify({ name: "t", private: true, dependencies: { "dep-a": "file:dep-a" } }),
        );
        execFileSync("npm", ["install"], { cwd: dir, env, stdio: "ignore" });
        fs.rmSync(path.join(dir, "node_modules"), { recursive: true });
    });

    test("the first runs; the next, nothing changed, keeps its tree; each change makes it run again", async () => {
        const seen: { conclusion: string; kept: boolean; modules: string }[] = [];
        seen.push(await run()); // first: runs
        seen.push(await run()); // unchanged: kept
        fs.rmSync(path.join(dir, "node_modules", "dep-a"), { recursive: true }); // removed by hand: runs, restores it
        seen.push(await run());
        const pkg = path.join(dir, "package.json");
        fs.writeFileSync(pkg, fs.readFileSync(pkg, "utf8").replace('"private"', '"description":"x","private"')); // package.json: runs
        seen.push(await run());
        seen.push(await run()); // kept again
        const lock = path.join(dir, "package-lock.json");
        const text = fs.readFileSync(lock, "utf8");
        fs.writeFileSync(lock, "{ not json"); // a failed npm ci: nothing to keep afterwards
        seen.push(await run());
        fs.writeFileSync(lock, text);
        seen.push(await run());
        seen.push(await run());
        expect(seen).toEqual([
            { conclusion: "success", kept: false, modules: "dep-a" },
            { conclusion: "success", kept: true, modules: "dep-a" },
            { conclusion: "success", kept: false, modules: "dep-a" },
            { conclusion: "success", kept: false, modules: "dep-a" },
            { conclusion: "success", kept: true, modules: "dep-a" },
            { conclusion: "failure", kept: false, modules: "" },
            { conclusion: "success", kept: false, modules: "dep-a" },
            { conclusion: "success", kept: true, modules: "dep-a" },
        ]);
        expect(installs.counts).toEqual({ ran: 5, reused: 3 });
    });

    test("another PATH or npm setting, or no InstallReuse given: npm ci runs", async () => {
        expect((await run()).kept).toBe(true);
        const other = await runJob(wf, "up", {
            cwd: dir,
            baseEnv: { ...env, npm_config_registry: "http://127.0.0.1:9/" },
            event: { name: "push" },
            installs,
        });
        expect(other.steps[0].output).not.toMatch(/^\(runner:/);
        const without = await runJob(wf, "up", {
            cwd: dir,
            baseEnv: { ...env, npm_config_registry: "http://127.0.0.1:9/" },
            event: { name: "push" },
        });
        expect([without.conclusion, without.steps[0].output]).toEqual(["success", expect.not.stringMatching(/^\(runner:/)]);
    });
});

/**
 * The GitOps workflow's pull-request job (examples/gitops/.github/workflows/exotel-trunks.yml) as written, with a
 * stand-in `pulumi` and `npm` on PATH: what the policy step does with a preview the pack fails or passes. The real
 * CLI, pack and emulator run the same job in tests/gitops.test.ts.
 */
describe("the GitOps workflow's policy step (stand-in pulumi)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-exotel-policy-step-"));
    const bin = path.join(dir, "bin");
    const repo = path.join(dir, "repo");
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
    const wf = loadWorkflow(path.join(__dirname, "..", "examples", "gitops", ".github", "workflows", "exotel-trunks.yml"));
    // What CLI 3.259 prints with --diff (the workflow's flag) for a trunk that breaks two rules (tests/gitops.test.ts runs the real one).
    const FAILED = [
        "Previewing update (prod):",
        "        exotel-trunks@v0.1.0 [advisory]  exotel-trunk-udp-transport  (pulumi-nodejs:dynamic/exotel:ExotelTrunk: pstn_risky)A destination URI with `transport=udp`: unencrypted and easy to spoof.",
        '    trunk "pstn_risky" (ExotelTrunk "pstn_risky"): destinationUris[0] uses transport=udp',
        "        exotel-trunks@v0.1.0 [mandatory]  exotel-trunk-whitelist-too-wide  (pulumi-nodejs:dynamic/exotel:ExotelTrunk: pstn_risky)A whitelisted IP range wider than the allowed prefix (default /24): every address in it can send calls through the trunk.",
        '    trunk "pstn_risky" (ExotelTrunk "pstn_risky"): whitelistedIps[0] has mask /16 (65,536 addresses), wider than /24',
        "error: preview failed",
        "Policy Packs run:",
        "    Name                                                   Version",
        "    exotel-trunks|local|node_modules/pulumi-exotel/policy  0.1.0",
        "",
    ].join("\n");
    beforeAll(() => {
        fs.mkdirSync(bin);
        fs.mkdirSync(repo);
        // `pulumi preview` prints $STUB_OUTPUT and exits $STUB_CODE; it records its arguments. `npm ci` does nothing.
        fs.writeFileSync(
            path.join(bin, "pulumi"),
            '#!/bin/bash\nif [ "$1" = preview ]; then echo "$*" > "$STUB_ARGS"; cat "$STUB_OUTPUT"; exit "$STUB_CODE"; fi\nexit 0\n',
            { mode: 0o755 },
        );
        fs.writeFileSync(path.join(bin, "npm"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
    });
    const run = async (output: string, code: number, policyConfig?: object) => {
        fs.writeFileSync(path.join(dir, "out.txt"), output);
        fs.rmSync(path.join(repo, "policy-config.json"), { force: true });
        if (policyConfig) fs.writeFileSync(path.join(repo, "policy-config.json"), JSON.stringify(policyConfig));
        const env = {
            ...process.env,
            PATH: `${bin}${path.delimiter}${process.env.PATH}`,
            STUB_OUTPUT: path.join(dir, "out.txt"),
            STUB_CODE: String(code),
            STUB_ARGS: path.join(dir, "args.txt"),
        };
        const r = await runJob(wf, "preview", { cwd: repo, baseEnv: env, event: { name: "pull_request" }, vars: { PULUMI_STACK: "prod" } });
        return { r, args: fs.readFileSync(path.join(dir, "args.txt"), "utf8").trim() };
    };

    test("a mandatory violation: the preview step fails (pipefail), the comment lists the rules by name first, mandatory first", async () => {
        const { r, args } = await run(FAILED, 255);
        expect(args).toBe("preview --diff --non-interactive --color never --stack prod --policy-pack node_modules/pulumi-exotel/policy");
        const preview = r.steps.find((s) => s.id === "preview")!;
        expect([preview.outcome, preview.exitCode, r.conclusion]).toEqual(["failure", 255, "failure"]);
        expect(r.comments).toHaveLength(1);
        expect(r.comments[0]).toBe(
            "#### `pulumi preview` of the Exotel trunks\n" +
                "**Policy violations** (pulumi-exotel policy pack, docs/policy.md):\n" +
                "- ❌ `exotel-trunk-whitelist-too-wide` (mandatory): pulumi-nodejs:dynamic/exotel:ExotelTrunk: pstn_risky\n" +
                "- ⚠️ `exotel-trunk-udp-transport` (advisory): pulumi-nodejs:dynamic/exotel:ExotelTrunk: pstn_risky\n\n" +
                "```\n" +
                FAILED +
                "\n```",
        );
    });

    test("the same step under GitHub's default `bash -e {0}` (no pipefail) would pass: the workflow's `shell: bash` is what fails it", async () => {
        const noDefaults = { ...wf, defaults: undefined } as Workflow;
        fs.writeFileSync(path.join(dir, "out.txt"), FAILED);
        const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, STUB_OUTPUT: path.join(dir, "out.txt") };
        const r = await runJob(noDefaults, "preview", {
            cwd: repo,
            baseEnv: { ...env, STUB_CODE: "255", STUB_ARGS: path.join(dir, "args.txt") },
            event: { name: "pull_request" },
            vars: { PULUMI_STACK: "prod" },
        });
        expect(r.steps.find((s) => s.id === "preview")!.shell).toBe("bash -e {0}");
        expect(r.conclusion).toBe("success");
    });

    test("a clean preview passes with no violations header; policy-config.json, when present, is passed to the CLI", async () => {
        const { r, args } = await run(
            "Previewing update (prod):\nPolicy Packs run:\n    exotel-trunks|local|node_modules/pulumi-exotel/policy  0.1.0\n",
            0,
            {
                all: "mandatory",
            },
        );
        expect(r.conclusion).toBe("success");
        expect(args).toMatch(/--policy-pack node_modules\/pulumi-exotel\/policy --policy-pack-config policy-config\.json$/);
        expect(r.comments[0]).not.toContain("Policy violations");
    });
});
