/**
 * The GitOps loop of examples/gitops, run with the command lines its GitHub Actions workflow runs (read
 * from the workflow file, executed as GitHub does: `bash -eo pipefail`, the workflow's EXOTEL_* and
 * PULUMI_STACK environment), through the real CLI and language host, in a copy of the example outside
 * the checkout with the packed package installed:
 *   merge -> pull request adding a trunk (preview: one create) -> merge -> a trunk deleted by hand (the
 *   drift check exits non-zero and names it) -> repair (up --refresh) -> pull request removing an entry
 *   (preview: one delete; up: exactly the seed's DELETE) -> onboarding an account made outside Pulumi
 *   (export-trunks, then up: zero writes at Exotel).
 * Each step's command, exit code and the requests Exotel received go to the report file.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { DEMO_ACCOUNT, Emulator, startEmulator } from "../emulator";
import { ConsumerProject, ensurePulumi, laneFromEnv, packPackage, ROOT } from "../testing/consumer";
import { clientFor } from "./helpers/emulator";

jest.setTimeout(600_000);

const lane = laneFromEnv();
const ACC = DEMO_ACCOUNT.accountSid;
const ONBOARD = { accountSid: "acct_onboard", apiKey: "onboard_key", apiToken: "onboard_token_never_in_files" };
const reportFile = path.join(os.tmpdir(), `pulumi-exotel-gitops-${lane.name}.log`);
const report = (line: string) => fs.appendFileSync(reportFile, line + "\n");

/** The `run:` of the workflow step with this id. */
const workflow = parse(fs.readFileSync(path.join(ROOT, "examples/gitops/.github/workflows/exotel-trunks.yml"), "utf8")) as {
    jobs: Record<string, { steps: { id?: string; run?: string }[] }>;
};
function stepRun(id: string): string {
    for (const job of Object.values(workflow.jobs)) for (const s of job.steps) if (s.id === id && s.run) return s.run;
    throw new Error(`the workflow has no step with id ${id}`);
}

let emu: Emulator;
let cliDir: string;
let packDir: string;
let tarball: string;
let p: ConsumerProject;
const sids: Record<string, string> = {};

/** The workflow's environment: repository variables and secrets (here: the emulator's account). */
const gitopsEnv = (account: { accountSid: string; apiKey: string; apiToken: string }, stack = "prod") => ({
    PULUMI_STACK: stack,
    EXOTEL_ACCOUNT_SID: account.accountSid,
    EXOTEL_API_KEY: account.apiKey,
    EXOTEL_API_TOKEN: account.apiToken,
    EXOTEL_BASE_URL: emu.baseUrl,
});

async function step(project: ConsumerProject, title: string, id: string, env = gitopsEnv(DEMO_ACCOUNT)) {
    emu.clearLog();
    const r = await project.shell(stepRun(id), env);
    report(`\n### ${title}\n$ ${stepRun(id)}\nexit ${r.code}`);
    for (const q of emu.requests) report(`  ${q.method} ${q.url} -> ${q.status} (${q.authUser})`);
    return r;
}
const writes = () => emu.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.url}`);
const held = (acc: string) => emu.inventory(acc)[acc];
const trunkNames = (acc: string) =>
    held(acc)
        .trunks.map((t) => t.trunk_name)
        .sort();
const entry = (name: string, ip: string, number: string) =>
    `    - trunkName: ${name}\n      phoneNumbers:\n          - phoneNumber: "${number}"\n      whitelistedIps:\n          - ip: ${ip}\n`;

beforeAll(async () => {
    fs.writeFileSync(reportFile, `# GitOps loop, lane ${lane.name}: node ${process.version}, CLI v${lane.cliVersion}\n`);
    cliDir = ensurePulumi(lane.cliVersion);
    packDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-exotel-pack-"));
    tarball = packPackage(packDir);
    emu = await startEmulator({
        accounts: { [ACC]: { apiKey: DEMO_ACCOUNT.apiKey, apiToken: DEMO_ACCOUNT.apiToken }, [ONBOARD.accountSid]: ONBOARD },
    });
    p = ConsumerProject.create({ example: "gitops", tarball, lane, cliDir, log: report });
    await p.install();
    await p.pulumi("stack", "init", "prod");
});
afterAll(async () => {
    await p?.run("pulumi", ["destroy", "--yes", "--stack", "prod"], gitopsEnv(DEMO_ACCOUNT));
    p?.remove();
    await emu?.close();
    fs.rmSync(packDir, { recursive: true, force: true });
});

test("merge to main: `pulumi up` creates the file's trunk", async () => {
    const r = await step(p, "merge (up)", "up");
    expect(r.code).toBe(0);
    expect(trunkNames(ACC)).toEqual(["pstn_main"]);
    sids.main = held(ACC).trunks[0].trunk_sid;
});

test("a pull request adding an entry: the preview shows one create and sends nothing; merging creates it", async () => {
    fs.appendFileSync(path.join(p.dir, "trunks.yaml"), entry("pstn_backup", "198.51.100.20", "+918047091299"));
    const pr = await step(p, "pull request: preview", "preview");
    expect(pr.code).toBe(0);
    expect(pr.stdout).toMatch(/\+ +pulumi-nodejs:dynamic\/exotel:ExotelTrunk: \(create\)[\s\S]*pstn_backup/);
    expect(pr.stdout).toMatch(/\+ 1 to create/);
    expect(fs.readFileSync(path.join(p.dir, "preview.txt"), "utf8")).toContain("+ 1 to create"); // what the comment posts
    expect(writes()).toEqual([]);
    const merge = await step(p, "merge (up)", "up");
    expect(merge.code).toBe(0);
    expect(trunkNames(ACC)).toEqual(["pstn_backup", "pstn_main"]);
    sids.backup = held(ACC).trunks.find((t) => t.trunk_name === "pstn_backup")!.trunk_sid;
});

test("reordering the file changes nothing", async () => {
    const file = path.join(p.dir, "trunks.yaml");
    const text = fs.readFileSync(file, "utf8");
    const [head, ...entries] = text.split(/\n(?= {4}- trunkName:)/);
    fs.writeFileSync(file, [head, ...entries.reverse()].join("\n").replace(/\n*$/, "\n"));
    const r = await step(p, "reordered file: drift check", "drift");
    expect(r.code).toBe(0);
    fs.writeFileSync(file, text);
});

test("a trunk deleted by hand: the scheduled drift check exits non-zero and names it; the repair run puts it back", async () => {
    await clientFor(emu).deleteTrunk(sids.backup);
    const drift = await step(p, "drift check after a trunk was deleted at Exotel", "drift");
    expect(drift.code).not.toBe(0);
    // (the workflow runs it with --diff: the trunk is named in its URN, and the summary counts it)
    expect(drift.stdout).toMatch(
        /\+ pulumi-nodejs:dynamic\/exotel:ExotelTrunk: \(create\)\s+\[urn=urn:pulumi:prod::exotel-gitops::\S+::pstn_backup\]/,
    );
    expect(drift.stdout).toMatch(/\+ 1 to create/);
    const repair = await step(p, "repair (up --refresh)", "repair");
    expect(repair.code).toBe(0);
    expect(trunkNames(ACC)).toEqual(["pstn_backup", "pstn_main"]);
    sids.backup = held(ACC).trunks.find((t) => t.trunk_name === "pstn_backup")!.trunk_sid;
    expect((await step(p, "drift check after the repair", "drift")).code).toBe(0);
});

test("a pull request removing an entry: the preview shows one delete; merging sends exactly the seed's DELETE", async () => {
    const file = path.join(p.dir, "trunks.yaml");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").split(/\n(?= {4}- trunkName: pstn_backup)/)[0] + "\n");
    const pr = await step(p, "pull request removing pstn_backup: preview", "preview");
    expect(pr.code).toBe(0);
    expect(pr.stdout).toMatch(/- 1 to delete/);
    expect(writes()).toEqual([]);
    const merge = await step(p, "merge (up)", "up");
    expect(merge.code).toBe(0);
    expect(emu.requests.map((r) => `${r.method} ${r.url}`)).toEqual([`DELETE /v2/accounts/${ACC}/trunks?trunk_sid=${sids.backup}`]);
    expect(trunkNames(ACC)).toEqual(["pstn_main"]);
});

test("a bad entry fails the preview naming the file, the entry and the field, before any request", async () => {
    const file = path.join(p.dir, "trunks.yaml");
    const good = fs.readFileSync(file, "utf8");
    fs.appendFileSync(file, entry("bad-name", "203.0.113.300", "12345"));
    const pr = await step(p, "pull request with a bad entry: preview", "preview");
    fs.writeFileSync(file, good);
    expect(pr.code).not.toBe(0);
    expect(pr.stdout + pr.stderr).toContain("trunks.yaml: trunks[1] (bad-name): trunkName may contain only letters");
    expect(pr.stdout + pr.stderr).toContain("trunks.yaml: trunks[1] (bad-name): whitelistedIps[0].ip must be an IPv4 dotted quad");
    expect(emu.requests).toEqual([]);
});

test("onboarding an account made outside Pulumi: export-trunks writes the file, and the first up writes nothing at Exotel", async () => {
    const store = emu.store;
    const made = (name: string) => {
        const t = store.createTrunk(ONBOARD.accountSid, {
            trunk_name: name,
            nso_code: "ANY-ANY",
            domain_name: `${ONBOARD.accountSid}.pstn.exotel.com`,
        });
        return (t.body.response as { data: { trunk_sid: string } }).data.trunk_sid;
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

    const q = ConsumerProject.create({ example: "gitops", tarball, lane, cliDir, log: report });
    try {
        await q.install();
        await q.pulumi("stack", "init", "onboard");
        const env = gitopsEnv(ONBOARD, "onboard");
        emu.clearLog();
        const exported = await q.run("npx", ["pulumi-exotel", "export-trunks", "--out", "trunks.yaml", "--force"], env);
        report(`\n### onboarding: export-trunks\nexit ${exported.code}\n${exported.stderr}`);
        expect(exported.code).toBe(0);
        expect(exported.stderr).toMatch(/read 3 of 3 trunk\(s\)/);
        expect(writes()).toEqual([]);
        const text = fs.readFileSync(path.join(q.dir, "trunks.yaml"), "utf8");
        report(text);
        expect(text).not.toContain(ONBOARD.apiToken);
        expect(text).not.toContain("onboard_password_1");
        expect(text).toContain("SIP credentials exist on legacy_b");
        const up = await step(q, "onboarding: first up of the exported file", "up", env);
        expect(up.code).toBe(0);
        expect(writes()).toEqual([]);
        expect(up.stdout).toMatch(/adopted existing trunk \w+ \(legacy_a\) of account acct_onboard by name/);
        expect(held(ONBOARD.accountSid).credentials.map((c) => c.user_name)).toEqual(["pbx_b"]);
        expect((await step(q, "onboarding: drift check", "drift", env)).code).toBe(0);
    } finally {
        q.remove();
    }
});
