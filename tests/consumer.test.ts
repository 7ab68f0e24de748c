/**
 * Consumer acceptance suite: each example under examples/ as a user runs it. The package is packed,
 * each example is copied outside the checkout, the tarball is installed there with npm, and the real
 * `pulumi` CLI with the real Node.js language host runs it against the emulator. The lane
 * (PULUMI_EXOTEL_LANE: floor | current) picks the CLI and the `@pulumi/pulumi` the project installs;
 * the Node.js is whichever runs this suite (scripts/test puts Node 24 first on PATH for `current`).
 *
 * Every command line and the requests of the remove-one-trunk step go to the report file
 * ($TMPDIR/pulumi-exotel-consumer-<lane>.log).
 *
 * The tests of an example share its stack, but none relies on what an earlier test left: each starts from the
 * stack as the program declares it by default (`stackState`: config keys a test changed are put back and the stack
 * brought back with `pulumi up --refresh` when a test changed it, whether it passed or not), and reads the trunk
 * sids it needs from the stack's outputs.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DEMO_ACCOUNT, Emulator, startEmulator } from "../emulator";
import { ConsumerProject, ensurePulumi, laneFromEnv, packPackage } from "../testing/consumer";
import { clientFor, createdSid } from "./helpers/emulator";

jest.setTimeout(600_000);

const lane = laneFromEnv();
const ACC = DEMO_ACCOUNT.accountSid;
/** A second account, for examples/accounts-and-credentials. */
const SG = { accountSid: "acct_singapore", apiKey: "sg_key", apiToken: "sg_token_never_in_plaintext" };
const reportFile = path.join(os.tmpdir(), `pulumi-exotel-consumer-${lane.name}.log`);
const report = (line: string) => fs.appendFileSync(reportFile, line + "\n");

let emu: Emulator;
let cliDir: string;
let packDir: string;
let tarball: string;

beforeAll(async () => {
    fs.writeFileSync(
        reportFile,
        `# lane ${lane.name}: node ${process.version}, CLI v${lane.cliVersion}, @pulumi/pulumi@${lane.pulumiSdk}\n`,
    );
    cliDir = ensurePulumi(lane.cliVersion);
    packDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-exotel-pack-"));
    tarball = packPackage(packDir);
    emu = await startEmulator({
        accounts: {
            [DEMO_ACCOUNT.accountSid]: { apiKey: DEMO_ACCOUNT.apiKey, apiToken: DEMO_ACCOUNT.apiToken },
            [SG.accountSid]: { apiKey: SG.apiKey, apiToken: SG.apiToken },
        },
    });
});
afterAll(async () => {
    await emu?.close();
    fs.rmSync(packDir, { recursive: true, force: true });
});

const requests = () => emu.requests.map((r) => `${r.method} ${r.url}`);
const held = (account: string) => emu.inventory(account)[account];
const inventory = () => held(ACC);
const trunkSids = () =>
    inventory()
        .trunks.map((t) => t.trunk_sid)
        .sort();

/**
 * Where an example's stack stands between its tests. A test that changes the stack (`changing`, or a config key
 * through `set`) marks it before it does; `settled()`, a test's last line, says it left the stack as the program
 * declares it by default. `ready()`, at the start of a test that needs that state, puts back every config key set
 * since (`restore`: the `pulumi config` arguments that do) and, if the stack was changed and not settled, runs
 * `pulumi up --refresh --yes`: a test that failed half-way leaves nothing the next one trips on. If that up fails
 * too (a failed test left the stack and Exotel apart in a way up cannot mend, e.g. a trunk dropped from state but
 * still at Exotel), `reset` (when given) starts again from nothing and `pulumi up --yes` makes the default stack.
 */
function stackState(project: () => ConsumerProject, restore: Record<string, string[]>, reset?: () => Promise<void>) {
    let changed = false;
    const touched = new Set<string>();
    return {
        changing(): void {
            changed = true;
        },
        async set(key: string, value: string, secret = false): Promise<void> {
            if (!restore[key]) throw new Error(`no way to put ${key} back: add it to the stack's restore table`);
            changed = true;
            touched.add(key);
            await project().pulumi("config", "set", ...(secret ? ["--secret"] : []), key, value);
        },
        settled(): void {
            changed = touched.size > 0;
        },
        async ready(): Promise<void> {
            for (const key of [...touched]) {
                await project().pulumi("config", ...restore[key]);
                touched.delete(key);
            }
            if (changed) {
                try {
                    await project().pulumi("up", "--refresh", "--yes");
                } catch (err) {
                    if (!reset) throw err;
                    report(`    up --refresh could not bring the stack back (${String(err).split("\n")[0]}): reset`);
                    await reset();
                    await project().pulumi("up", "--yes");
                }
            }
            changed = false;
        },
    };
}

/** The stack's trunks as its state holds them (`pulumi stack export`), by name. */
async function trunksInState(p: ConsumerProject): Promise<string[]> {
    const exported = JSON.parse((await p.pulumi("stack", "export")).stdout) as {
        deployment: { resources?: { type: string; urn: string }[] };
    };
    return (exported.deployment.resources ?? [])
        .filter((r) => r.type === "pulumi-nodejs:dynamic/exotel:ExotelTrunk")
        .map((r) => r.urn.replace(/.*::/, ""))
        .sort();
}

/** Starts an example's stack again from nothing: destroys what state holds, then empties the emulator's store. */
async function fromNothing(p: ConsumerProject): Promise<void> {
    await p.run("pulumi", ["destroy", "--yes"]);
    emu.store.reset();
}

/** Installs the example, checks the project's dependency tree and types, opens a stack on the emulator. */
async function setUp(example: string): Promise<ConsumerProject> {
    report(`\n## examples/${example}`);
    const p = ConsumerProject.create({ example, tarball, lane, cliDir, log: report });
    await p.install();
    // Exactly one @pulumi/pulumi in the tree: the project's, shared with pulumi-exotel (a peer dependency).
    const ls = (await p.must("npm", ["ls", "@pulumi/pulumi", "--all", "--parseable"])).stdout.trim().split("\n").filter(Boolean);
    const lsText = (await p.must("npm", ["ls", "@pulumi/pulumi"])).stdout.trim();
    report(
        lsText
            .split("\n")
            .map((l) => `    ${l}`)
            .join("\n"),
    );
    expect(ls).toEqual([path.join(fs.realpathSync(p.dir), "node_modules", "@pulumi", "pulumi")]);
    const installed = JSON.parse(fs.readFileSync(path.join(p.dir, "node_modules/@pulumi/pulumi/package.json"), "utf8")).version;
    if (lane.pulumiSdk !== "latest") expect(installed).toBe(lane.pulumiSdk);
    report(`    @pulumi/pulumi ${installed}`);
    // The example type-checks in strict mode against the installed package's declarations.
    await p.must("npx", ["tsc", "--noEmit", "-p", "."]);
    await p.initStack("dev", { baseUrl: emu.baseUrl, ...DEMO_ACCOUNT });
    return p;
}

describe(`examples/full-trunk (${lane.name} lane)`, () => {
    let p: ConsumerProject;
    const state = stackState(
        () => p,
        {},
        () => fromNothing(p),
    );
    beforeAll(async () => {
        emu.store.reset();
        p = await setUp("full-trunk");
    });
    afterAll(() => p?.remove());

    test("pulumi up creates the trunk with every attachment; every documented output is a stack output", async () => {
        state.changing();
        emu.clearLog();
        await p.pulumi("up", "--yes");
        const outs = await p.outputs();
        expect(trunkSids()).toEqual([outs.trunkSid]);
        // Args omitted in the program still come back as outputs (Exotel's defaults).
        expect(outs).toMatchObject({
            trunkName: "demo_pstn",
            domainName: `${ACC}.pstn.exotel.com`,
            nsoCode: "ANY-ANY",
            callerId: "+918047091234",
        });
        expect(outs.status).toEqual(expect.any(String));
        expect((outs.phoneNumbers as unknown[]).length).toBe(2);
        expect((outs.whitelistedIps as unknown[]).length).toBe(2);
        expect((outs.destinations as unknown[]).length).toBe(1);
        expect(requests()).toHaveLength(7);
        state.settled();
    });

    test("pulumi destroy sends exactly the seed's DELETE and leaves the emulator empty", async () => {
        await state.ready();
        const sid = (await p.outputs()).trunkSid as string;
        state.changing();
        emu.clearLog();
        await p.pulumi("destroy", "--yes");
        expect(requests()).toEqual([`DELETE /v2/accounts/${ACC}/trunks?trunk_sid=${sid}`]);
        expect(emu.requests[0].authScheme).toBe("Basic");
        expect(trunkSids()).toEqual([]);
    });
});

describe(`examples/primary-backup (${lane.name} lane)`, () => {
    let p: ConsumerProject;
    // By default (the program's): both trunks, the primary's caller ID +918047091234.
    const state = stackState(
        () => p,
        { callerId: ["rm", "callerId"], backup: ["rm", "backup"] },
        () => fromNothing(p),
    );
    /** The trunks' sids, as the stack's outputs give them now. */
    const sids = async () => {
        const outs = await p.outputs();
        return { primary: outs.primaryTrunkSid as string, backup: outs.backupTrunkSid as string };
    };
    beforeAll(async () => {
        emu.store.reset();
        p = await setUp("primary-backup");
    });
    afterAll(() => p?.remove());

    test("pulumi up creates both trunks; outputs of omitted args exist", async () => {
        state.changing();
        await p.pulumi("up", "--yes");
        const outs = await p.outputs();
        const { primary, backup } = await sids();
        expect(trunkSids()).toEqual([primary, backup].sort());
        expect(outs.backupDomainName).toBe(`${ACC}.pstn.exotel.com`);
        expect(outs.primarySipTarget).toBe(`sip:${primary}@${ACC}.pstn.exotel.com`);
        expect(outs.backupCallerId).toBeNull(); // not set, and Exotel has none: known, not [unknown] in previews
        state.settled();
    });

    test("pulumi preview --expect-no-changes passes and sends nothing", async () => {
        await state.ready();
        emu.clearLog();
        await p.pulumi("preview", "--expect-no-changes");
        expect(requests()).toEqual([]);
    });

    test("pulumi refresh reads both trunks and changes nothing", async () => {
        await state.ready();
        emu.clearLog();
        const r = await p.pulumi("refresh", "--yes");
        expect(r.stdout).not.toMatch(/~ .*update|- .*delete/);
        expect(requests().every((x) => x.startsWith("GET "))).toBe(true);
        await p.pulumi("preview", "--expect-no-changes");
    });

    test("drift made at Exotel (a trunk deleted, an IP added) fails the drift check and `up --refresh` repairs it", async () => {
        await state.ready();
        const { primary, backup } = await sids();
        state.changing();
        const exotel = clientFor(emu);
        await exotel.deleteTrunk(backup);
        await exotel.addWhitelistedIp(primary, { ip: "192.0.2.99" });
        const check = await p.run("pulumi", ["preview", "--refresh", "--expect-no-changes"]);
        report(
            `    drift check output:\n${check.stdout
                .split("\n")
                .map((l) => `      ${l}`)
                .join("\n")}`,
        );
        expect(check.code).not.toBe(0);
        expect(check.stdout).toMatch(/\+ +pulumi-nodejs:dynamic\/exotel:ExotelTrunk +backup +create/);
        expect(check.stdout).toMatch(/~ +pulumi-nodejs:dynamic\/exotel:ExotelTrunk +primary +update/);

        await p.pulumi("up", "--refresh", "--yes");
        const outs = await p.outputs();
        expect(outs.primaryTrunkSid).toBe(primary);
        expect(outs.backupTrunkSid).not.toBe(backup); // made again
        expect(trunkSids()).toEqual([primary, outs.backupTrunkSid as string].sort());
        expect(
            inventory()
                .ips.filter((i) => i.trunk_sid === primary)
                .map((i) => i.ip),
        ).toEqual(["203.0.113.10"]);
        await p.pulumi("preview", "--refresh", "--expect-no-changes");
        state.settled();
    });

    test("an in-place change (caller ID): preview --diff names the property; up sends only that change", async () => {
        await state.ready();
        const { primary } = await sids();
        await state.set("callerId", "+918047091200");
        const pv = (await p.pulumi("preview", "--diff")).stdout;
        report(
            `    in-place change preview:\n${pv
                .split("\n")
                .map((l) => `      ${l}`)
                .join("\n")}`,
        );
        expect(pv).toMatch(/~ +pulumi-nodejs:dynamic\/exotel:ExotelTrunk: \(update\)/);
        expect(pv).toMatch(/~ callerId *: "\+918047091234" => "\+918047091200"/);
        expect(pv).toMatch(/1 to update/);
        // Which outputs the program sees known in this preview is probed with an `apply` in the program, in
        // tests/protocol.consumer.test.ts: Pulumi never prints a stack output while it is unknown, so reading the
        // printed outputs here could not tell.
        emu.clearLog();
        await p.pulumi("up", "--yes");
        expect(requests()).toEqual([`POST /v2/accounts/${ACC}/trunks/${primary}/settings`]);
        expect(await p.outputs()).toMatchObject({ primaryTrunkSid: primary, primaryCallerId: "+918047091200" });
    });

    test("removing a trunk from the program sends exactly one request: the seed's DELETE", async () => {
        await state.ready();
        const { primary, backup } = await sids();
        await state.set("backup", "false");
        emu.clearLog();
        await p.pulumi("up", "--yes");
        report("    requests of the remove-one-trunk step:");
        for (const r of emu.requests) report(`      ${r.method} ${r.url} -> ${r.status} (auth ${r.authScheme} as ${r.authUser})`);
        expect(requests()).toEqual([`DELETE /v2/accounts/${ACC}/trunks?trunk_sid=${backup}`]);
        expect(trunkSids()).toEqual([primary]);
        expect(await p.outputs()).not.toHaveProperty("backupTrunkSid");
    });

    test("pulumi stack export (no --show-secrets) and every state file hold the token only as ciphertext", async () => {
        const exported = (await p.pulumi("stack", "export")).stdout;
        expect(exported).toContain("ciphertext");
        expect(exported).not.toContain(DEMO_ACCOUNT.apiToken);
        for (const f of p.files()) expect(fs.readFileSync(f, "utf8")).not.toContain(DEMO_ACCOUNT.apiToken);
        for (const r of p.history) expect(r.stdout + r.stderr).not.toContain(DEMO_ACCOUNT.apiToken);
    });

    test("without pulumi-exotel in node_modules, destroy fails saying so and deletes nothing; reinstalled, it works", async () => {
        await state.ready();
        const before = trunkSids();
        expect(before).toHaveLength(2);
        const installed = path.join(p.dir, "node_modules", "pulumi-exotel");
        const aside = path.join(p.base, "pulumi-exotel-aside");
        state.changing(); // until the package is back and the stack checked
        fs.renameSync(installed, aside);
        let r: Awaited<ReturnType<ConsumerProject["run"]>>;
        try {
            emu.clearLog();
            r = await p.run("pulumi", ["destroy", "--yes"]);
        } finally {
            fs.renameSync(aside, installed); // whatever happened, the project has its package again
        }
        report(
            `    destroy without the package: exit ${r.code}; ${(/ExotelTrunk could not load[^\n]*/.exec(r.stdout + r.stderr) ?? [""])[0]}`,
        );
        expect(r.code).not.toBe(0);
        expect(r.stdout + r.stderr).toMatch(/could not load pulumi-exotel from the Pulumi project.*Install it there and run again/);
        expect(requests()).toEqual([]);
        expect(trunkSids()).toEqual(before);
        // Nor did the failed destroy drop a trunk from state (it would be orphaned at Exotel).
        expect(await trunksInState(p)).toEqual(["backup", "primary"]);
        // Reinstalled, it works: the stack is as it was, and a preview through the provider sees no change.
        await p.pulumi("preview", "--refresh", "--expect-no-changes");
        state.settled();
    });

    test("pulumi destroy empties the emulator", async () => {
        await state.ready();
        const { primary, backup } = await sids();
        state.changing();
        emu.clearLog();
        await p.pulumi("destroy", "--yes");
        expect(requests().sort()).toEqual(
            [`DELETE /v2/accounts/${ACC}/trunks?trunk_sid=${primary}`, `DELETE /v2/accounts/${ACC}/trunks?trunk_sid=${backup}`].sort(),
        );
        expect(trunkSids()).toEqual([]);
    });
});

describe(`examples/accounts-and-credentials (${lane.name} lane)`, () => {
    let p: ConsumerProject;
    const PW = { desk: "desk_password_1", lobby: "lobby_password_1", desk2: "desk_password_2" };
    const secretsIn = (text: string) => [SG.apiToken, DEMO_ACCOUNT.apiToken, ...Object.values(PW)].filter((s) => text.includes(s));
    const logRequests = (title: string) => {
        report(`    requests of ${title} (method path -> status, account, Authorization user):`);
        for (const r of emu.requests) report(`      ${r.method} ${r.url} -> ${r.status}, ${r.account ?? "-"}, ${r.authUser}`);
    };
    const made = (acc: string, name: string, numbers: string[]) => {
        const t = emu.store.createTrunk(acc, { trunk_name: name, nso_code: "ANY-ANY", domain_name: `${acc}.pstn.exotel.com` });
        const sid = createdSid(t);
        for (const n of numbers) emu.store.mapNumber(acc, sid, { phone_number: n });
        return sid;
    };
    let legacy = "";
    let partner = "";
    // By default (as beforeAll sets it): the desk phone's first password, the lobby phone's credential.
    const state = stackState(() => p, {
        deskPassword: ["set", "--secret", "deskPassword", PW.desk],
        withLobby: ["rm", "withLobby"],
    });

    beforeAll(async () => {
        emu.store.reset();
        // Made outside Pulumi: one to adopt by name, one to look up.
        legacy = made(ACC, "legacy_pbx", ["+918047091399"]);
        partner = made(ACC, "partner_pbx", ["+918047091388", "+918047091389"]);
        p = await setUp("accounts-and-credentials");
        await p.pulumi("config", "set", "sgAccountSid", SG.accountSid);
        await p.pulumi("config", "set", "sgApiKey", SG.apiKey);
        await p.pulumi("config", "set", "--secret", "sgApiToken", SG.apiToken);
        await p.pulumi("config", "set", "sgBaseUrl", emu.baseUrl);
        await p.pulumi("config", "set", "--secret", "deskPassword", PW.desk);
        await p.pulumi("config", "set", "--secret", "lobbyPassword", PW.lobby);
    });
    afterAll(() => p?.remove());

    test("pulumi up: trunks in two accounts with their own credentials, two SIP credentials, one adopted by name, one looked up", async () => {
        state.changing();
        emu.clearLog();
        const up = await p.pulumi("up", "--yes");
        logRequests("pulumi up");
        const outs = await p.outputs();
        expect(outs).toMatchObject({ legacyTrunkSid: legacy, partnerTrunkSid: partner, singaporeAccount: SG.accountSid });
        expect((outs.partnerNumbers as string[]).sort()).toEqual(["+918047091388", "+918047091389"]);
        expect(outs.officeCredentialUsers).toBe("[secret]");
        expect(held(SG.accountSid).trunks.map((t) => t.trunk_sid)).toEqual([outs.singaporeTrunkSid]);
        for (const r of emu.requests) {
            expect(r.authValid).toBe(true);
            expect(r.authUser).toBe(r.account === SG.accountSid ? SG.apiKey : DEMO_ACCOUNT.apiKey);
        }
        expect(emu.requests.filter((r) => r.method === "POST" && r.path === `/v2/accounts/${ACC}/trunks`)).toHaveLength(1); // office only
        const creds = held(ACC)
            .credentials.map((c) => c.user_name)
            .sort();
        expect(creds).toEqual(["desk_phone", "lobby_phone"]);
        expect(up.stdout).toMatch(new RegExp(`adopted existing trunk ${legacy} \\(legacy_pbx\\) of account ${ACC} by name`));
        expect(secretsIn(up.stdout + up.stderr)).toEqual([]);
        state.settled();
    });

    test("a password change is one PUT of that credential", async () => {
        await state.ready();
        await state.set("deskPassword", PW.desk2, true);
        emu.clearLog();
        await p.pulumi("up", "--yes");
        logRequests("the password change");
        const changes = emu.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);
        expect(changes).toEqual([expect.stringMatching(new RegExp(`^PUT /v2/accounts/${ACC}/trunks/trmum1\\w+/credentials/\\d+$`))]);
        expect(emu.requests.find((r) => r.method === "PUT")?.body).toEqual({ password: PW.desk2 });
    });

    test("removing a credential is one DELETE of it", async () => {
        await state.ready();
        await state.set("withLobby", "false");
        emu.clearLog();
        await p.pulumi("up", "--yes");
        logRequests("the credential removal");
        const changes = emu.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.url}`);
        expect(changes).toEqual([
            expect.stringMatching(new RegExp(`^DELETE /v2/accounts/${ACC}/trunks/trmum1\\w+/credentials\\?id=\\d+$`)),
        ]);
        expect(held(ACC).credentials.map((c) => c.user_name)).toEqual(["desk_phone"]);
        await p.pulumi("preview", "--expect-no-changes");
    });

    test("no password or token in plaintext: stack export, state files, every command's output", async () => {
        const exported = (await p.pulumi("stack", "export")).stdout;
        expect(secretsIn(exported)).toEqual([]);
        expect(exported).toContain("ciphertext");
        for (const f of p.files()) expect(secretsIn(fs.readFileSync(f, "utf8"))).toEqual([]);
        for (const r of p.history) expect(secretsIn(r.stdout + r.stderr)).toEqual([]);
    });

    test("pulumi destroy deletes each trunk with its own account's credentials; the looked-up trunk is untouched", async () => {
        await state.ready();
        const outs = (await p.outputs()) as Record<string, string>;
        state.changing();
        emu.clearLog();
        await p.pulumi("destroy", "--yes");
        logRequests("pulumi destroy");
        expect(emu.requests.map((r) => `${r.method} ${r.url} as ${r.authUser}`).sort()).toEqual(
            [
                `DELETE /v2/accounts/${ACC}/trunks?trunk_sid=${outs.officeTrunkSid} as ${DEMO_ACCOUNT.apiKey}`,
                `DELETE /v2/accounts/${ACC}/trunks?trunk_sid=${legacy} as ${DEMO_ACCOUNT.apiKey}`,
                `DELETE /v2/accounts/${SG.accountSid}/trunks?trunk_sid=${outs.singaporeTrunkSid} as ${SG.apiKey}`,
            ].sort(),
        );
        expect(trunkSids()).toEqual([partner]);
        expect(held(SG.accountSid).trunks).toEqual([]);
    });
});
