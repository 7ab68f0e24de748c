/**
 * The GitOps kit as a team meets it. The team's repository is started with `pulumi new` from
 * examples/gitops (in an empty directory outside the checkout; the packed package served as
 * `pulumi-exotel` by a stand-in registry, everything else from the npm registry), and every event of its
 * GitHub Actions workflow runs the workflow's jobs as a GitHub-hosted runner would (testing/workflow.ts:
 * each `run:` step as a script file with the shell GitHub picks, `if:` conditions, the workflow's env from
 * repository variables and secrets, the PR comment's script), through the real CLI and language host:
 *   pulumi new -> merge (up) -> pull request adding a trunk (preview comment: one create) -> merge ->
 *   reorder (no change) -> a trunk deleted by hand (drift check fails naming it) -> repair -> pull request
 *   removing an entry (one delete; merge = exactly the seed's DELETE) -> pull request with bad data (the
 *   check fails, the comment holds only the problem lines) -> onboarding an existing account (pulumi new,
 *   export-trunks over the sample, first up: zero writes).
 * Each job's steps, exit codes and the requests Exotel received go to the report file.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DEMO_ACCOUNT, Emulator, startEmulator } from "../emulator";
import { PASSPHRASE, ROOT } from "../testing/cli";
import { ConsumerProject, ensurePulumi, laneFromEnv, packPackage } from "../testing/consumer";
import { LocalRegistry, startRegistry } from "../testing/registry";
import { InstallReuse, JobResult, loadWorkflow, runJob, RunnerOptions } from "../testing/workflow";
import { clientFor, createdSid } from "./helpers/emulator";

jest.setTimeout(900_000);

const lane = laneFromEnv();
const ACC = DEMO_ACCOUNT.accountSid;
const ONBOARD = { accountSid: "acct_onboard", apiKey: "onboard_key", apiToken: "onboard_token_never_in_files" };
const reportFile = path.join(os.tmpdir(), `pulumi-exotel-gitops-${lane.name}.log`);
const report = (line: string) => fs.appendFileSync(reportFile, line + "\n");
const WORKFLOW = ".github/workflows/exotel-trunks.yml";

type Account = { accountSid: string; apiKey: string; apiToken: string };
type Event = { name: "pull_request" | "push" | "schedule" | "workflow_dispatch"; inputs?: Record<string, unknown> };
const EVENTS = {
    pullRequest: { name: "pull_request" },
    merge: { name: "push" },
    schedule: { name: "schedule" },
    repair: { name: "workflow_dispatch", inputs: { repair: true } },
} satisfies Record<string, Event>;

let emu: Emulator;
let registry: LocalRegistry;
let cliDir: string;
let packDir: string;
let tarball: string;
let repo: ConsumerProject;
const sids: Record<string, string> = {};
/** A job's `npm ci` runs when its checkout's package.json, lockfile, PATH or node_modules changed (testing/workflow.ts). */
const installs = new InstallReuse();

/** The bash block after `<!-- gitops:<name> -->` in the README: the suite runs the README's commands as written. */
function readmeBlock(name: string): string {
    const readme = fs.readFileSync(path.join(ROOT, "docs", "gitops.md"), "utf8");
    const m = new RegExp(`<!-- gitops:${name} -->\n\`\`\`bash\n([\\s\\S]*?)\`\`\``).exec(readme);
    if (!m) throw new Error(`README.md has no gitops:${name} block`);
    return m[1];
}
const accountEnv = (account: Account) => ({
    EXOTEL_ACCOUNT_SID: account.accountSid,
    EXOTEL_API_KEY: account.apiKey,
    EXOTEL_API_TOKEN: account.apiToken,
    EXOTEL_BASE_URL: emu.baseUrl,
});

/** The README's step 1 in an empty directory: `pulumi new` from examples/gitops, then the token on standard input. */
async function newRepository(account: Account): Promise<ConsumerProject> {
    const p = ConsumerProject.empty({ example: "gitops", dirName: "exotel-trunks", tarball, lane, cliDir, log: report });
    const made = await p.inBase(readmeBlock("new"), { ...accountEnv(account), TEMPLATE: p.template, npm_config_registry: registry.url });
    report(`\n### README step 1 (${account.accountSid})\nexit ${made.code}\n${made.stdout}\n${made.stderr}`);
    if (made.code !== 0) throw new Error(`README step 1 failed:\n${made.stdout}\n${made.stderr}`);
    return p;
}

/**
 * The runner's machine and the repository's settings: CLI and Node on PATH; no NO_COLOR (GitHub sets none);
 * npm's cache warm as setup-node's `cache: npm` leaves it, and npm's default revalidation of it (as the
 * workflow's `npm ci` runs: with `prefer-offline`, a package version published after the cache's copy of its
 * metadata failed `npm ci` with ETARGET, seen when @types/node 22.20.7 came out); the emulator instead of
 * api.in.exotel.com; the stack name as a repository variable, the backend and passphrase as secrets.
 */
function runnerOptions(project: ConsumerProject, stack: string): Omit<RunnerOptions, "event"> {
    return {
        cwd: project.dir,
        baseEnv: {
            ...project.env,
            NO_COLOR: undefined,
            npm_config_registry: registry.url,
            EXOTEL_BASE_URL: emu.baseUrl,
        },
        vars: { PULUMI_STACK: stack },
        secrets: { PULUMI_BACKEND_URL: project.env.PULUMI_BACKEND_URL!, PULUMI_CONFIG_PASSPHRASE: PASSPHRASE },
        installs,
    };
}

/** Runs every job of the workflow for an event, as GitHub does; exactly one may run. */
async function trigger(project: ConsumerProject, title: string, event: Event): Promise<JobResult> {
    const wf = loadWorkflow(path.join(project.dir, WORKFLOW));
    emu.clearLog();
    const ran: JobResult[] = [];
    for (const job of Object.keys(wf.jobs)) {
        const r = await runJob(wf, job, { ...runnerOptions(project, "prod"), event });
        if (r.conclusion !== "skipped") ran.push(r);
    }
    expect(ran.map((r) => r.job)).toHaveLength(1);
    const [job] = ran;
    report(`\n### ${title}: ${event.name} -> job ${job.job}: ${job.conclusion}`);
    for (const s of job.steps) {
        report(
            `  [${s.outcome}${s.exitCode !== undefined ? ` exit ${s.exitCode}` : ""}${s.seconds !== undefined ? `, ${s.seconds.toFixed(1)} s` : ""}] ${s.name}`,
        );
        // A failed step's own words (its last 4,000 characters), so the report says why.
        if (s.outcome === "failure") report(s.output.slice(-4000).replace(/^/gm, "    | "));
    }
    for (const q of emu.requests) report(`  ${q.method} ${q.url} -> ${q.status} (${q.authUser})`);
    return job;
}

const step = (job: JobResult, id: string) => job.steps.find((s) => s.id === id)!;
const writes = () => emu.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.url}`);
const held = (acc: string) => emu.inventory(acc)[acc];
const trunkNames = (acc: string) =>
    held(acc)
        .trunks.map((t) => t.trunk_name)
        .sort();
const entry = (name: string, ip: string, number: string) =>
    `    - trunkName: ${name}\n      phoneNumbers:\n          - phoneNumber: "${number}"\n      whitelistedIps:\n          - ip: ${ip}\n`;

/** Edits trunks.yaml for one test and puts it back afterwards, whatever the test's outcome. */
async function withTrunksFile<T>(project: ConsumerProject, edit: (text: string) => string, body: () => Promise<T>): Promise<T> {
    const file = path.join(project.dir, "trunks.yaml");
    const text = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, edit(text));
    try {
        return await body();
    } finally {
        fs.writeFileSync(file, text);
    }
}

beforeAll(async () => {
    fs.writeFileSync(reportFile, `# GitOps loop, lane ${lane.name}: node ${process.version}, CLI v${lane.cliVersion}\n`);
    cliDir = ensurePulumi(lane.cliVersion);
    packDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-exotel-pack-"));
    tarball = packPackage(packDir);
    registry = await startRegistry(tarball);
    emu = await startEmulator({
        accounts: { [ACC]: { apiKey: DEMO_ACCOUNT.apiKey, apiToken: DEMO_ACCOUNT.apiToken }, [ONBOARD.accountSid]: ONBOARD },
    });
    repo = await newRepository(DEMO_ACCOUNT);
});
afterAll(async () => {
    report(`\nnpm ci steps: ${installs.counts.ran} ran, ${installs.counts.reused} kept the last install of their checkout`);
    await repo?.run("pulumi", ["destroy", "--yes", "--stack", "prod"], { EXOTEL_BASE_URL: emu.baseUrl });
    repo?.remove();
    await emu?.close();
    await registry?.close();
    fs.rmSync(packDir, { recursive: true, force: true });
});

describe("pulumi new from examples/gitops", () => {
    test("writes the repository: the workflow, the sample, a lockfile, and the stack with its config", () => {
        const files = repo.files().map((f) => path.relative(repo.dir, f));
        for (const f of [
            WORKFLOW,
            "trunks.yaml",
            "index.ts",
            "package.json",
            "package-lock.json",
            "Pulumi.yaml",
            "Pulumi.prod.yaml",
            ".gitignore",
        ])
            expect(files).toContain(f);
        const lock = JSON.parse(fs.readFileSync(path.join(repo.dir, "package-lock.json"), "utf8")) as {
            packages: Record<string, { version?: string }>;
        };
        expect(lock.packages["node_modules/pulumi-exotel"].version).toBe("0.1.0");
        expect(fs.readFileSync(path.join(repo.dir, "Pulumi.yaml"), "utf8")).not.toMatch(/^template:/m);
        const config = fs.readFileSync(path.join(repo.dir, "Pulumi.prod.yaml"), "utf8");
        expect(config).toContain(`exotel:accountSid: ${ACC}`);
        expect(config).toContain("exotel:region: mumbai");
        expect(config).toMatch(/exotel:apiToken:\n\s+secure: \S+/);
    });

    test("no file of the new repository or its state holds the token in plaintext", () => {
        for (const f of repo.files()) expect([f, fs.readFileSync(f, "utf8").includes(DEMO_ACCOUNT.apiToken)]).toEqual([f, false]);
    });
});

describe("the workflow, run as GitHub's runner runs it", () => {
    test("merge to main: the up job creates the file's trunk", async () => {
        const job = await trigger(repo, "merge", EVENTS.merge);
        expect(job.job).toBe("up");
        expect(job.conclusion).toBe("success");
        expect(step(job, "up").shell).toBe("bash --noprofile --norc -eo pipefail {0}");
        expect(trunkNames(ACC)).toEqual(["pstn_main"]);
        sids.main = held(ACC).trunks[0].trunk_sid;
    });

    test("a pull request adding an entry: the preview comment shows one create, nothing is sent; merging creates it", async () => {
        fs.appendFileSync(path.join(repo.dir, "trunks.yaml"), entry("pstn_backup", "198.51.100.20", "+918047091299"));
        const pr = await trigger(repo, "pull request adding pstn_backup", EVENTS.pullRequest);
        expect(pr.job).toBe("preview");
        expect(pr.conclusion).toBe("success");
        expect(pr.comments).toHaveLength(1);
        expect(pr.comments[0]).toMatch(/\+ +pulumi-nodejs:dynamic\/exotel:ExotelTrunk: \(create\)[\s\S]*pstn_backup/);
        expect(pr.comments[0]).toMatch(/\+ 1 to create/);
        expect(pr.comments[0]).not.toContain("\u001b[");
        // The policy pack ran on it (with the template's policy-config.json) and found nothing.
        expect(step(pr, "preview").output).toMatch(
            /Policy Packs run:\n.*\n\s+exotel-trunks\|local\|node_modules\/pulumi-exotel\/policy\s+0\.1\.0\n/,
        );
        expect(pr.comments[0]).not.toMatch(/Policy violations|\[(mandatory|advisory)\]/);
        expect(writes()).toEqual([]);
        const merge = await trigger(repo, "merge", EVENTS.merge);
        expect(merge.conclusion).toBe("success");
        expect(trunkNames(ACC)).toEqual(["pstn_backup", "pstn_main"]);
        sids.backup = held(ACC).trunks.find((t) => t.trunk_name === "pstn_backup")!.trunk_sid;
    });

    test("a pull request with a risky trunk: the policy pack fails the check, the comment names each rule; nothing is sent", async () => {
        const risky = (text: string) =>
            text +
            "    - trunkName: pstn_risky\n" +
            '      phoneNumbers:\n          - phoneNumber: "+918047091277"\n' +
            "      whitelistedIps:\n          - ip: 198.51.0.0\n            mask: 16\n" +
            "      destinationUris:\n          - 198.51.100.1:5060;transport=udp\n";
        const pr = await withTrunksFile(repo, risky, () => trigger(repo, "pull request adding a risky trunk", EVENTS.pullRequest));
        expect(pr.conclusion).toBe("failure");
        expect(step(pr, "preview").exitCode).not.toBe(0);
        expect(pr.comments).toHaveLength(1);
        const trunk = "pulumi-nodejs:dynamic/exotel:ExotelTrunk: pstn_risky";
        expect(pr.comments[0]).toContain(
            "**Policy violations** (pulumi-exotel policy pack, docs/policy.md):\n" +
                `- ❌ \`exotel-trunk-destination-not-tls\` (mandatory): ${trunk}\n` +
                `- ❌ \`exotel-trunk-whitelist-too-wide\` (mandatory): ${trunk}\n` +
                `- ⚠️ \`exotel-trunk-udp-transport\` (advisory): ${trunk}\n`,
        );
        expect(pr.comments[0]).toContain('trunk "pstn_risky" (ExotelTrunk "pstn_risky"): whitelistedIps[0] has mask /16');
        expect(pr.comments[0]).toContain(
            'trunk "pstn_risky" (ExotelTrunk "pstn_risky"): destinationUris[0] uses transport=udp, not transport=tls',
        );
        expect(emu.requests).toEqual([]);
        expect(trunkNames(ACC)).toEqual(["pstn_backup", "pstn_main"]);
    });

    test("reordering the file changes nothing (the drift check passes)", async () => {
        const reversed = (text: string) => {
            const [head, ...entries] = text.split(/\n(?= {4}- trunkName:)/);
            return [head, ...entries.reverse()].join("\n").replace(/\n*$/, "\n");
        };
        const job = await withTrunksFile(repo, reversed, () => trigger(repo, "reordered file: drift check", EVENTS.schedule));
        expect(job.job).toBe("drift");
        expect(job.conclusion).toBe("success");
        expect(writes()).toEqual([]);
    });

    test("a trunk deleted by hand: the scheduled drift check fails naming it; the repair run puts it back", async () => {
        await clientFor(emu).deleteTrunk(sids.backup);
        const drift = await trigger(repo, "drift check after a trunk was deleted at Exotel", EVENTS.schedule);
        expect(drift.conclusion).toBe("failure");
        expect(step(drift, "drift").exitCode).not.toBe(0);
        expect(step(drift, "drift").output).toMatch(
            /\+ pulumi-nodejs:dynamic\/exotel:ExotelTrunk: \(create\)\s+\[urn=urn:pulumi:prod::exotel-gitops::\S+::pstn_backup\]/,
        );
        expect(writes()).toEqual([]);
        const repair = await trigger(repo, "repair (up --refresh)", EVENTS.repair);
        expect(repair.job).toBe("repair");
        expect(repair.conclusion).toBe("success");
        expect(trunkNames(ACC)).toEqual(["pstn_backup", "pstn_main"]);
        sids.backup = held(ACC).trunks.find((t) => t.trunk_name === "pstn_backup")!.trunk_sid;
        expect((await trigger(repo, "drift check after the repair", EVENTS.schedule)).conclusion).toBe("success");
    });

    test("a pull request removing an entry: the preview shows one delete; merging sends exactly the seed's DELETE", async () => {
        const file = path.join(repo.dir, "trunks.yaml");
        fs.writeFileSync(file, fs.readFileSync(file, "utf8").split(/\n(?= {4}- trunkName: pstn_backup)/)[0] + "\n");
        const pr = await trigger(repo, "pull request removing pstn_backup", EVENTS.pullRequest);
        expect(pr.conclusion).toBe("success");
        expect(pr.comments[0]).toMatch(/- 1 to delete/);
        expect(writes()).toEqual([]);
        const merge = await trigger(repo, "merge", EVENTS.merge);
        expect(merge.conclusion).toBe("success");
        expect(emu.requests.map((r) => `${r.method} ${r.url}`)).toEqual([`DELETE /v2/accounts/${ACC}/trunks?trunk_sid=${sids.backup}`]);
        expect(trunkNames(ACC)).toEqual(["pstn_main"]);
    });

    test("a pull request with bad data: the check fails, the comment is still posted and holds only the problem lines", async () => {
        const bad = (text: string) =>
            text + entry("bad-name", "203.0.113.300", "12345").replace("phoneNumbers", "callerID: x\n      phoneNumbers");
        const pr = await withTrunksFile(repo, bad, () => trigger(repo, "pull request with a bad entry", EVENTS.pullRequest));
        expect(pr.conclusion).toBe("failure");
        expect(step(pr, "preview").outcome).toBe("failure");
        expect(step(pr, "preview").exitCode).not.toBe(0);
        expect(pr.comments).toHaveLength(1);
        const text = fs.readFileSync(path.join(repo.dir, "preview.txt"), "utf8");
        report(`preview.txt:\n${text}`);
        expect(pr.comments[0]).toContain(text);
        // The whole comment text: the file's problems as Pulumi prints its own errors; no stack trace, no escape codes.
        expect(text).toBe(
            [
                "Previewing update (prod):",
                "  pulumi:pulumi:Stack: (same)",
                "    [urn=urn:pulumi:prod::exotel-gitops::pulumi:pulumi:Stack::exotel-gitops-prod]",
                "error: trunks.yaml has 4 problem(s); nothing was sent to Exotel:",
                '  - trunks.yaml: trunks[1] (bad-name) has an unknown field "callerID"',
                '  - trunks.yaml: trunks[1] (bad-name): trunkName may contain only letters A-Z/a-z, digits and underscores; got "bad-name"',
                "  - trunks.yaml: trunks[1] (bad-name): phoneNumbers[0].phoneNumber must be E.164: " +
                    '"+", country code and number, 2-15 digits in all, no spaces; got "12345"',
                "  - trunks.yaml: trunks[1] (bad-name): whitelistedIps[0].ip must be an IPv4 dotted quad " +
                    '(IPv6 and host names are not accepted by Exotel); got "203.0.113.300"',
                "Resources:",
                "    1 unchanged",
                "",
                // The policy pack ran (and found nothing: the program failed before any trunk was declared).
                "Policy Packs run:",
                "    Name                                                   Version",
                "    exotel-trunks|local|node_modules/pulumi-exotel/policy  0.1.0",
                "",
            ].join("\n"),
        );
        expect(emu.requests).toEqual([]);
    });

    test("a stack nobody created: the PR job fails at its stack step, naming the one-time setup; no preview runs", async () => {
        const wf = loadWorkflow(path.join(repo.dir, WORKFLOW));
        const r = await runJob(wf, "preview", { ...runnerOptions(repo, "staging"), event: EVENTS.pullRequest });
        expect(r.conclusion).toBe("failure");
        const select = r.steps.find((s) => s.name === "Select the stack")!;
        expect(select.outcome).toBe("failure");
        expect(select.output).toContain(
            "::error::no stack named 'staging' in the backend: create it once with `pulumi new … --stack staging`",
        );
        expect(step(r, "preview").outcome).toBe("skipped");
    });
});

test("onboarding an account made outside Pulumi: pulumi new, export-trunks over the sample, first up writes nothing", async () => {
    const store = emu.store;
    const made = (name: string) => {
        const t = store.createTrunk(ONBOARD.accountSid, {
            trunk_name: name,
            nso_code: "ANY-ANY",
            domain_name: `${ONBOARD.accountSid}.pstn.exotel.com`,
        });
        return createdSid(t);
    };
    const a = made("legacy_a");
    store.mapNumber(ONBOARD.accountSid, a, { phone_number: "+918047091501" });
    store.mapNumber(ONBOARD.accountSid, a, { phone_number: "+918047091502", mode: "flow" });
    store.addIp(ONBOARD.accountSid, a, { ip: "203.0.113.0", mask: 28 });
    store.addDestinations(ONBOARD.accountSid, a, { destinations: [{ destination: "203.0.113.5:5061;transport=tls" }] });
    store.setSettings(ONBOARD.accountSid, a, { settings: [{ name: "trunk_external_alias", value: "+918047091501" }] });
    const b = made("legacy_b");
    store.addIp(ONBOARD.accountSid, b, { ip: "198.51.100.7" });
    store.addDestinations(ONBOARD.accountSid, b, { destinations: [{ destination: "pbx.example.com:5061;transport=tcp" }] });
    store.addCredential(ONBOARD.accountSid, b, { user_name: "pbx_b", password: "onboard_password_1" });
    made("legacy_c");

    const q = await newRepository(ONBOARD);
    try {
        emu.clearLog();
        const onboard = await q.run(
            "bash",
            ["--noprofile", "--norc", "-euo", "pipefail", "-c", readmeBlock("onboard")],
            accountEnv(ONBOARD),
        );
        report(`\n### README step 3: onboarding\nexit ${onboard.code}\n${onboard.stdout}\n${onboard.stderr}`);
        expect(onboard.code).toBe(0);
        expect(onboard.stderr).toMatch(/read 3 of 3 trunk\(s\)/);
        expect(onboard.stderr).toContain("written to trunks.yaml (replacing the template's sample)");
        expect(onboard.stdout.match(/\+ pulumi-nodejs:dynamic\/exotel:ExotelTrunk: \(create\)/g)).toHaveLength(3);
        expect(writes()).toEqual([]);
        const text = fs.readFileSync(path.join(q.dir, "trunks.yaml"), "utf8");
        report(text);
        expect(text).not.toContain(ONBOARD.apiToken);
        expect(text).not.toContain("onboard_password_1");
        expect(text).toContain("SIP credentials exist on legacy_b");
        const up = await trigger(q, "onboarding: first merge of the exported file", EVENTS.merge);
        expect(up.conclusion).toBe("success");
        expect(writes()).toEqual([]);
        expect(step(up, "up").output).toMatch(/adopted existing trunk \w+ \(legacy_a\) of account acct_onboard by name/);
        expect(held(ONBOARD.accountSid).credentials.map((c) => c.user_name)).toEqual(["pbx_b"]);
        expect((await trigger(q, "onboarding: drift check", EVENTS.schedule)).conclusion).toBe("success");
        for (const f of q.files()) expect([f, fs.readFileSync(f, "utf8").includes(ONBOARD.apiToken)]).toEqual([f, false]);
    } finally {
        await q.run("pulumi", ["destroy", "--yes", "--stack", "prod"], { EXOTEL_BASE_URL: emu.baseUrl });
        q.remove();
    }
});

test("pulumi new from examples/full-trunk: a project whose preview plans the trunk, the token stored only as ciphertext", async () => {
    const p = ConsumerProject.empty({ example: "full-trunk", dirName: "pstn", tarball, lane, cliDir, log: report });
    try {
        const made = await p.inBase(
            'pulumi new "$TEMPLATE" --dir pstn --stack dev --yes -c exotel:accountSid="$EXOTEL_ACCOUNT_SID" -c exotel:apiKey="$EXOTEL_API_KEY"\n' +
                'cd pstn && printf %s "$EXOTEL_API_TOKEN" | pulumi config set --secret exotel:apiToken',
            { ...accountEnv(DEMO_ACCOUNT), TEMPLATE: p.template, npm_config_registry: registry.url },
        );
        expect(made.code).toBe(0);
        expect(fs.readFileSync(path.join(p.dir, "Pulumi.dev.yaml"), "utf8")).toMatch(
            /exotel:region: mumbai\n[\s\S]*exotel:apiToken:\n\s+secure: /,
        );
        emu.clearLog();
        const preview = await p.run("pulumi", ["preview", "--diff", "--stack", "dev"], { EXOTEL_BASE_URL: emu.baseUrl });
        expect(preview.code).toBe(0);
        expect(preview.stdout).toMatch(/\+ pulumi-nodejs:dynamic\/exotel:ExotelTrunk: \(create\)[\s\S]*demo_pstn/);
        expect(writes()).toEqual([]);
        for (const f of p.files()) expect([f, fs.readFileSync(f, "utf8").includes(DEMO_ACCOUNT.apiToken)]).toEqual([f, false]);
    } finally {
        p.remove();
    }
});
