/**
 * The policy pack (policy/, docs/policy.md) as a user runs it: the package packed once with `npm pack`,
 * installed into a project outside the checkout, and the real CLI running
 * `pulumi preview --policy-pack node_modules/pulumi-exotel/policy` (the CLI's Node.js language host starts the
 * pack) against the emulator. Both lanes (PULUMI_EXOTEL_LANE); the YAML programs with the provider plugin in
 * the current lane only (the YAML language host is built for CLI 3.259, as in the plugin's own suites).
 *
 * Every command line goes to $TMPDIR/pulumi-exotel-policy-<lane>.log.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DEMO_ACCOUNT, Emulator, startEmulator } from "../emulator";
import { ConsumerProject, ensurePulumi, laneFromEnv, packPackage, ROOT } from "../testing/consumer";
import { installedPack, summary, withPolicy } from "../testing/policy";
import { UNKNOWN } from "../provider/unknown";
import { CALLER_ID_NOT_OWN, DESTINATION_NOT_TLS, NO_ACCESS_CONTROL, Rule, RULES, UDP_TRANSPORT, WHITELIST_TOO_WIDE } from "../policy/rules";
import { createdSid } from "./helpers/emulator";
import { ensureLanguageHost, PLUGIN_VERSION, theRelease } from "./helpers/plugin";

jest.setTimeout(600_000);

const lane = laneFromEnv();
const ACC = DEMO_ACCOUNT.accountSid;
const SG = { accountSid: "acct_singapore", apiKey: "sg_key", apiToken: "sg_token_never_in_plaintext" };
/** examples/yaml-trunk's second account. */
const SECOND = { accountSid: "acct_second", apiKey: "second_key", apiToken: "second_token_never_in_plaintext" };
const reportFile = path.join(os.tmpdir(), `pulumi-exotel-policy-${lane.name}.log`);
const report = (line: string) => fs.appendFileSync(reportFile, line + "\n");

const WIDE = "exotel-trunk-whitelist-too-wide";
const NOT_TLS = "exotel-trunk-destination-not-tls";
const OPEN = "exotel-trunk-no-access-control";
const CALLER = "exotel-trunk-caller-id-not-own-number";
const UDP = "exotel-trunk-udp-transport";

let emu: Emulator;
let cliDir: string;
let packDir: string;
let tarball: string;
/** The user project every TypeScript case runs in (examples/full-trunk with the tarball installed), and its pack. */
let p: ConsumerProject;
let pack: string;

beforeAll(async () => {
    fs.writeFileSync(
        reportFile,
        `# policy pack, lane ${lane.name}: node ${process.version}, CLI v${lane.cliVersion}, @pulumi/pulumi@${lane.pulumiSdk}\n`,
    );
    cliDir = ensurePulumi(lane.cliVersion);
    packDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-exotel-pack-"));
    tarball = packPackage(packDir);
    emu = await startEmulator({
        accounts: {
            [ACC]: { apiKey: DEMO_ACCOUNT.apiKey, apiToken: DEMO_ACCOUNT.apiToken },
            [SG.accountSid]: { apiKey: SG.apiKey, apiToken: SG.apiToken },
            [SECOND.accountSid]: { apiKey: SECOND.apiKey, apiToken: SECOND.apiToken },
        },
    });
    p = ConsumerProject.create({ example: "full-trunk", dirName: "user", tarball, lane, cliDir, log: report });
    await p.install();
    pack = installedPack(p);
});
afterAll(async () => {
    await emu?.close();
    p?.remove();
    fs.rmSync(packDir, { recursive: true, force: true });
});

/** A fresh stack `stack` of `project` (selected), configured for the emulator's demo account; the emulator emptied. */
async function freshStack(project: ConsumerProject, stack: string): Promise<void> {
    emu.store.reset();
    emu.clearLog();
    await project.initStack(stack, { baseUrl: emu.baseUrl, ...DEMO_ACCOUNT });
}

/** Replaces the user project's program. */
function program(source: string): void {
    fs.writeFileSync(path.join(p.dir, "index.ts"), `import { ExotelTrunk } from "pulumi-exotel";\n${source}`);
}

describe("the rules on a trunk's inputs (policy/rules.ts)", () => {
    const ok = {
        trunkName: "t",
        phoneNumbers: [{ phoneNumber: "+918047091234" }],
        whitelistedIps: [{ ip: "203.0.113.0", mask: 24 }, { ip: "203.0.113.10" }],
        destinationUris: ["203.0.113.10:5061;transport=tls"],
        callerId: "+918047091234",
    };
    test("a trunk as the examples write it breaks no rule", () => {
        for (const r of RULES) expect([r.name, r.check(ok, r.defaults)]).toEqual([r.name, []]);
    });
    test.each([
        ["mask /23 with the default /24", WHITELIST_TOO_WIDE, { whitelistedIps: [{ ip: "203.0.112.0", mask: 23 }] }, {}, 1],
        ["mask /26 with minMask 28", WHITELIST_TOO_WIDE, { whitelistedIps: [{ ip: "203.0.113.0", mask: 26 }] }, { minMask: 28 }, 1],
        ["mask /28 with minMask 28", WHITELIST_TOO_WIDE, { whitelistedIps: [{ ip: "203.0.113.0", mask: 28 }] }, { minMask: 28 }, 0],
        ["no mask is /32", WHITELIST_TOO_WIDE, { whitelistedIps: [{ ip: "203.0.113.1" }] }, { minMask: 32 }, 0],
        ["an unknown mask", WHITELIST_TOO_WIDE, { whitelistedIps: [{ ip: "203.0.113.0", mask: UNKNOWN }] }, {}, 0],
        ["an unknown entry", WHITELIST_TOO_WIDE, { whitelistedIps: [UNKNOWN] }, {}, 0],
        ["tcp", DESTINATION_NOT_TLS, { destinationUris: ["pbx.example.com:5060;transport=tcp"] }, {}, 1],
        [
            "tcp allowed",
            DESTINATION_NOT_TLS,
            { destinationUris: ["pbx.example.com:5060;transport=tcp"] },
            { allowedTransports: ["tls", "tcp"] },
            0,
        ],
        ["no transport", DESTINATION_NOT_TLS, { destinationUris: ["pbx.example.com:5060"] }, {}, 1],
        ["an unknown URI", DESTINATION_NOT_TLS, { destinationUris: [UNKNOWN, "a.example.com:5061;transport=tls"] }, {}, 0],
        ["udp", UDP_TRANSPORT, { destinationUris: ["sip:192.0.2.1:5060;transport=udp"] }, {}, 1],
        ["neither", NO_ACCESS_CONTROL, { whitelistedIps: undefined, credentials: undefined }, {}, 1],
        ["empty lists", NO_ACCESS_CONTROL, { whitelistedIps: [], credentials: [] }, {}, 1],
        ["credentials only", NO_ACCESS_CONTROL, { whitelistedIps: [], credentials: [{ userName: "u", password: "p" }] }, {}, 0],
        ["unknown whitelisted IPs", NO_ACCESS_CONTROL, { whitelistedIps: UNKNOWN, credentials: undefined }, {}, 0],
        ["unknown credentials", NO_ACCESS_CONTROL, { whitelistedIps: undefined, credentials: UNKNOWN }, {}, 0],
        ["another number", CALLER_ID_NOT_OWN, { callerId: "+918047099999" }, {}, 1],
        ["another number, allowed", CALLER_ID_NOT_OWN, { callerId: "+918047099999" }, { allowedCallerIds: ["+918047099999"] }, 0],
        ["an unknown caller ID", CALLER_ID_NOT_OWN, { callerId: UNKNOWN }, {}, 0],
        ["an unknown number", CALLER_ID_NOT_OWN, { callerId: "+918047099999", phoneNumbers: [{ phoneNumber: UNKNOWN }] }, {}, 0],
        ["unknown numbers", CALLER_ID_NOT_OWN, { callerId: "+918047099999", phoneNumbers: UNKNOWN }, {}, 0],
    ])("%s", (_, rule, change, config, n) => {
        const r = rule as Rule<object>;
        expect(r.check({ ...ok, ...change }, { ...r.defaults, ...config })).toHaveLength(n);
    });
});

describe(`the installed package's pack (${lane.name} lane)`, () => {
    test("resolves @pulumi/policy and the CLI's run-policy-pack from the project, with one @pulumi/pulumi (the project's)", async () => {
        const resolve = (m: string) => p.run(process.execPath, ["-p", `require.resolve(${JSON.stringify(m)})`], {}, pack);
        const real = fs.realpathSync(p.dir);
        for (const m of ["@pulumi/policy", "@pulumi/pulumi/cmd/run-policy-pack"]) {
            const r = await resolve(m);
            expect([m, r.code, fs.realpathSync(r.stdout.trim()).startsWith(path.join(real, "node_modules") + path.sep)]).toEqual([
                m,
                0,
                true,
            ]);
        }
        const ls = (await p.must("npm", ["ls", "@pulumi/pulumi", "--all", "--parseable"])).stdout.trim().split("\n");
        expect(ls).toEqual([path.join(real, "node_modules", "@pulumi", "pulumi")]);
        // The pack's version (its package.json, which @pulumi/policy reads) is the package's.
        const version = (f: string) => JSON.parse(fs.readFileSync(f, "utf8")).version;
        expect(version(path.join(pack, "package.json"))).toBe(version(path.join(ROOT, "package.json")));
    });

    test("a risky trunk fails `pulumi preview` and `pulumi up` with each rule's name; nothing reaches Exotel", async () => {
        await freshStack(p, "risky");
        program(`
new ExotelTrunk("wide", {
    trunkName: "wide_one",
    phoneNumbers: [{ phoneNumber: "+918047091234" }],
    whitelistedIps: [{ ip: "203.0.113.10" }, { ip: "198.51.0.0", mask: 16 }],
    destinationUris: ["203.0.113.10:5060;transport=udp"],
    callerId: "+918047099999",
});
new ExotelTrunk("open", { trunkName: "open_one", phoneNumbers: [{ phoneNumber: "+918047091299" }] });
`);
        const want = [
            `advisory ${CALLER} wide`,
            `advisory ${UDP} wide`,
            `mandatory ${NOT_TLS} wide`,
            `mandatory ${OPEN} open`,
            `mandatory ${WIDE} wide`,
        ];
        const preview = await withPolicy(p, pack);
        report(preview.run.stdout);
        expect(preview.run.code).not.toBe(0);
        expect(summary(preview.violations)).toEqual(want);
        const byRule = Object.fromEntries(preview.violations.map((v) => [v.rule, v]));
        expect(byRule[WIDE].message).toBe(
            'trunk "wide_one" (ExotelTrunk "wide"): whitelistedIps[1] has mask /16 (65,536 addresses), wider than /24 (policy config minMask); ' +
                "every address in it can place calls through the trunk",
        );
        expect(byRule[OPEN].message).toMatch(/^trunk "open_one" \(ExotelTrunk "open"\): has neither whitelistedIps nor credentials/);
        expect(byRule[NOT_TLS].message).toMatch(/^trunk "wide_one" \(ExotelTrunk "wide"\): destinationUris\[0\] uses transport=udp/);
        expect(byRule[WIDE].type).toBe("pulumi-nodejs:dynamic/exotel:ExotelTrunk");
        const up = await withPolicy(p, pack, ["up", "--yes"]);
        expect(up.run.code).not.toBe(0);
        expect(summary(up.violations)).toEqual(want);
        // Not one request to Exotel, read or write, in either run.
        expect(emu.requests.map((r) => `${r.method} ${r.url}`)).toEqual([]);
        expect(emu.inventory(ACC)[ACC]?.trunks ?? []).toEqual([]);
    });

    test("values unknown in a preview are no violations; once known, the same rules stop `up` before the trunk is made", async () => {
        await freshStack(p, "unknowns");
        // "later"'s whitelisted IPs, destination and caller ID wait for "first"'s sid: unknown until it exists.
        program(`
const first = new ExotelTrunk("first", {
    trunkName: "first_one",
    whitelistedIps: [{ ip: "203.0.113.10" }],
    destinationUris: ["203.0.113.10:5061;transport=tls"],
});
new ExotelTrunk("later", {
    trunkName: "later_one",
    phoneNumbers: [{ phoneNumber: "+918047091234" }],
    whitelistedIps: first.trunkSid.apply(() => [{ ip: "198.51.0.0", mask: 16 }]),
    destinationUris: [first.trunkSid.apply(() => "198.51.100.1:5060;transport=udp")],
    callerId: first.trunkSid.apply(() => "+918047099999"),
});
`);
        const preview = await withPolicy(p, pack);
        report(preview.run.stdout);
        expect([preview.run.code, summary(preview.violations)]).toEqual([0, []]);
        expect(preview.run.stdout).not.toMatch(/can't run|during preview/);
        const up = await withPolicy(p, pack, ["up", "--yes"]);
        report(up.run.stdout);
        expect(up.run.code).not.toBe(0);
        expect(summary(up.violations)).toEqual([
            `advisory ${CALLER} later`,
            `advisory ${UDP} later`,
            `mandatory ${NOT_TLS} later`,
            `mandatory ${WIDE} later`,
        ]);
        expect(emu.inventory(ACC)[ACC].trunks.map((t) => t.trunk_name)).toEqual(["first_one"]);
        await p.pulumi("destroy", "--yes");
    });

    test("policy config: a threshold (/24 → /28), advisory → mandatory, mandatory → disabled, an allowed caller ID", async () => {
        await freshStack(p, "config");
        program(`
new ExotelTrunk("pstn", {
    trunkName: "pstn_main",
    phoneNumbers: [{ phoneNumber: "+918047091234" }],
    whitelistedIps: [{ ip: "198.51.100.0", mask: 26 }],
    destinationUris: ["198.51.100.10:5061;transport=tls"],
    callerId: "+918047090000",
});
`);
        const byDefault = await withPolicy(p, pack);
        expect([byDefault.run.code, summary(byDefault.violations)]).toEqual([0, [`advisory ${CALLER} pstn`]]);
        const strict = await withPolicy(p, pack, ["preview"], {
            [WIDE]: { minMask: 28 },
            [CALLER]: { enforcementLevel: "mandatory" },
        });
        report(strict.run.stdout);
        expect(strict.run.code).not.toBe(0);
        expect(summary(strict.violations)).toEqual([`mandatory ${CALLER} pstn`, `mandatory ${WIDE} pstn`]);
        expect(strict.violations.find((v) => v.rule === WIDE)?.message).toMatch(
            /whitelistedIps\[0\] has mask \/26 \(64 addresses\), wider than \/28/,
        );
        const relaxed = await withPolicy(p, pack, ["preview"], {
            [WIDE]: { enforcementLevel: "disabled", minMask: 28 },
            [CALLER]: { allowedCallerIds: ["+918047090000"] },
        });
        expect([relaxed.run.code, summary(relaxed.violations)]).toEqual([0, []]);
        expect(emu.requests).toEqual([]);
    });
});

describe(`every TypeScript example passes the pack (${lane.name} lane)`, () => {
    const extraConfig: Record<string, string[][]> = {
        "accounts-and-credentials": [
            ["sgAccountSid", SG.accountSid],
            ["sgApiKey", SG.apiKey],
            ["--secret", "sgApiToken", SG.apiToken],
            ["sgBaseUrl", "<emulator>"],
            ["--secret", "deskPassword", "desk_password_1"],
            ["--secret", "lobbyPassword", "lobby_password_1"],
        ],
    };
    test.each(["full-trunk", "primary-backup", "accounts-and-credentials", "gitops", "ts-protocol"])("examples/%s", async (example) => {
        const e = ConsumerProject.create({ example, tarball, lane, cliDir, log: report });
        try {
            await e.install();
            await freshStack(e, "dev");
            // What accounts-and-credentials adopts by name and looks up.
            for (const name of ["legacy_pbx", "partner_pbx"]) {
                const sid = createdSid(
                    emu.store.createTrunk(ACC, { trunk_name: name, nso_code: "ANY-ANY", domain_name: `${ACC}.pstn.exotel.com` }),
                );
                emu.store.mapNumber(ACC, sid, { phone_number: name === "legacy_pbx" ? "+918047091399" : "+918047091388" });
            }
            for (const c of extraConfig[example] ?? [])
                await e.pulumi("config", "set", ...c.map((x) => (x === "<emulator>" ? emu.baseUrl : x)));
            emu.clearLog();
            const r = await withPolicy(e, installedPack(e));
            report(r.run.stdout);
            expect([r.run.code, summary(r.violations)]).toEqual([0, []]);
            expect(r.run.stdout).toMatch(/exotel-trunks@v\d+\.\d+\.\d+/);
            expect(emu.requests.filter((x) => x.method !== "GET")).toEqual([]);
        } finally {
            e.remove();
        }
    });
});

/**
 * The plugin as users get it: the release's linux-amd64 archive (tests/helpers/plugin.ts theRelease: npm test's one
 * dry run, which this run waits for; nothing here builds into dist/ while the plugin's suites read it).
 */
function releasedPlugin(): string {
    const release = theRelease();
    return path.join(release.dir, release.archives.find((a) => a.platform === "linux-amd64")!.archive);
}

// The YAML language host and the plugin's suites are current-lane only (see scripts/test).
const yamlDescribe = lane.name === "current" ? describe : describe.skip;
yamlDescribe("YAML programs with the exotel plugin (exotel:index:Trunk), the pack from the TypeScript project", () => {
    let y: ConsumerProject;

    beforeAll(async () => {
        const yamlCli = [cliDir, ensureLanguageHost("yaml")].join(path.delimiter);
        const plugin = releasedPlugin();
        y = ConsumerProject.create({ example: "yaml-trunk", tarball: plugin, lane, cliDir: yamlCli, log: report });
        await y.pulumi("plugin", "install", "resource", "exotel", PLUGIN_VERSION, "--file", plugin);
    });
    afterAll(() => y?.remove());

    async function yamlStack(stack: string): Promise<void> {
        await freshStack(y, stack);
        await y.pulumi("config", "set", "--secret", "pbxPassword", "pbx_password_1");
        await y.pulumi("config", "set", "secondAccountSid", SECOND.accountSid);
        await y.pulumi("config", "set", "secondApiKey", SECOND.apiKey);
        await y.pulumi("config", "set", "--secret", "secondApiToken", SECOND.apiToken);
        await y.pulumi("config", "set", "secondBaseUrl", emu.baseUrl);
    }

    test.each(["yaml-trunk", "yaml-protocol"])("examples/%s passes (no mandatory violation)", async (example) => {
        fs.cpSync(path.join(ROOT, "examples", example, "Pulumi.yaml"), path.join(y.dir, "Pulumi.yaml"));
        await yamlStack(`ex-${example}`);
        const r = await withPolicy(y, pack);
        report(r.run.stdout);
        expect(r.run.code).toBe(0);
        // yaml-protocol's caller ID (a secret) is deliberately not its one number: advisory only, and the message quotes no value.
        expect(summary(r.violations)).toEqual(example === "yaml-protocol" ? [`advisory ${CALLER} trunk`] : []);
        expect(r.run.stdout).not.toContain("+918047091234\n");
        expect(emu.requests.filter((x) => x.method !== "GET")).toEqual([]);
    });

    test("a risky YAML trunk fails preview with the rules' names; nothing reaches Exotel", async () => {
        fs.writeFileSync(
            path.join(y.dir, "Pulumi.yaml"),
            [
                "name: exotel-yaml-risky",
                "runtime: yaml",
                "resources:",
                "    open:",
                "        type: exotel:index:Trunk",
                "        properties:",
                "            trunkName: yaml_open",
                "            destinationUris:",
                '                - "pbx.example.com:5060;transport=tcp"',
                "    wide:",
                "        type: exotel:index:Trunk",
                "        properties:",
                "            trunkName: yaml_wide",
                "            whitelistedIps:",
                "                - ip: 10.20.0.0",
                "                  mask: 16",
                "",
            ].join("\n"),
        );
        await freshStack(y, "risky");
        const r = await withPolicy(y, pack);
        report(r.run.stdout);
        expect(r.run.code).not.toBe(0);
        expect(summary(r.violations)).toEqual([`mandatory ${NOT_TLS} open`, `mandatory ${OPEN} open`, `mandatory ${WIDE} wide`]);
        expect(r.violations.find((v) => v.rule === WIDE)).toMatchObject({
            type: "exotel:index:Trunk",
            message: expect.stringMatching(/^trunk "yaml_wide" \(exotel:index:Trunk "wide"\): whitelistedIps\[0\] has mask \/16/),
        });
        expect(emu.requests).toEqual([]);
    });
});
