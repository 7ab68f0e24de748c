/**
 * The `exotel` provider plugin as a Pulumi YAML user runs it: the release tarball installed with
 * `pulumi plugin install resource exotel <version> --file`, examples/yaml-trunk copied outside the
 * checkout, the real CLI (3.259) and YAML language host (v1.38.3), the emulator over HTTP with two
 * accounts. Current lane only (Node 24, CLI 3.259).
 *
 * Each test starts from a known state of its own (`suite.freshStack`: the emulator emptied, the example's
 * program as shipped, a new stack) and makes what it needs itself, so any one can run or fail alone.
 */
import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import { DEMO_ACCOUNT } from "../emulator";
import { main as cli } from "../provider/gitops/cli";
import { engineDirs } from "../testing/engine";
import { createdSid } from "./helpers/emulator";
import { busiestWindow } from "./helpers/windows";
import { TrunkStack } from "./helpers/engine";
import { PLUGIN_VERSION } from "./helpers/plugin";
import { ACC, PluginSuite, SECOND } from "./helpers/pluginSuite";

jest.setTimeout(600_000);

const suite = new PluginSuite("yaml-trunk", "yaml", "pbx_password_never_plain_1");
const report = suite.report;
const writes = () => suite.writes();
const trunksOf = (acc: string) => suite.trunksOf(acc);
let p: PluginSuite["p"];

beforeAll(async () => {
    await suite.open();
    p = suite.p;
});
afterAll(() => suite.close());

/** A new stack (see `freshStack`) with the example's two trunks made by `pulumi up`; the log cleared after. */
async function upBoth(stack: string): Promise<{ primary: string; second: string }> {
    await suite.freshStack(stack);
    await p.pulumi("up", "--yes");
    const outs = await p.outputs();
    suite.emu.clearLog();
    return { primary: outs.primaryTrunkSid as string, second: outs.secondTrunkSid as string };
}

test("up creates both trunks with every attachment, each account with its own key; getTrunk reads the first back", async () => {
    await suite.freshStack("t-up");
    await p.pulumi("up", "--yes");
    const outs = await p.outputs();
    suite.expectCreatedBoth(outs, "yaml_primary");
    // The lookup lists in Exotel's order (newest first); the resource keeps the program's.
    const byId = (xs: unknown) => [...(xs as { id: string }[])].sort((a, b) => a.id.localeCompare(b.id));
    expect(byId(outs.lookedUpNumbers)).toEqual(byId(outs.primaryNumbers));
    await p.pulumi("preview", "--expect-no-changes");
});

test("an in-place change: preview --diff names the property and keeps trunkSid known; up sends only that change", async () => {
    const { primary } = await upBoth("t-change");
    // The pull request's change: the caller ID in the program.
    const program = path.join(p.dir, "Pulumi.yaml");
    fs.writeFileSync(program, fs.readFileSync(program, "utf8").replace('callerId: "+918047091234"', 'callerId: "+918047091200"'));
    const pv = (await p.pulumi("preview", "--diff")).stdout;
    report(pv);
    expect(pv).toMatch(/~ exotel:index:Trunk: \(update\)/);
    expect(pv).toMatch(/~ callerId *: "\+918047091234" => "\+918047091200"/);
    expect(pv).not.toMatch(/trunkSid *: .*\[unknown\]|primaryTrunkSid *: .*output<string>|\[unknown\]/);
    expect(pv).toMatch(/1 to update/);
    suite.emu.clearLog();
    await p.pulumi("up", "--yes");
    expect(writes().map((r) => `${r.method} ${r.url}`)).toEqual([`POST /v2/accounts/${ACC}/trunks/${primary}/settings`]);
    expect(await p.outputs()).toMatchObject({ primaryTrunkSid: primary, primaryCallerId: "+918047091200" });
});

test("refresh catches an IP removed out of band; the next up puts it back", async () => {
    const { primary } = await upBoth("t-refresh");
    const ip = (suite.emu.store.children(ACC, primary, "ips") as { id: string; ip: string }[]).find((i) => i.ip === "198.51.100.0")!;
    suite.emu.store.removeIp(ACC, primary, ip.id);
    const refreshed = (await p.pulumi("refresh", "--yes", "--diff")).stdout;
    report(refreshed);
    expect(refreshed).toMatch(/whitelistedIps/);
    const pv = (await p.pulumi("preview", "--diff")).stdout;
    expect(pv).toMatch(/~ whitelistedIps/);
    suite.emu.clearLog();
    await p.pulumi("up", "--yes");
    expect(writes().map((r) => `${r.method} ${r.url}`)).toEqual([`POST /v2/accounts/${ACC}/trunks/${primary}/whitelisted-ips`]);
    await p.pulumi("preview", "--expect-no-changes");
});

test("pulumi import of an out-of-band trunk; the generated YAML added to the program previews no changes; removing it sends the seed's DELETE", async () => {
    await upBoth("t-import");
    const made = suite.emu.store.createTrunk(ACC, { trunk_name: "legacy_pbx", nso_code: "ANY-ANY", domain_name: `${ACC}.pstn.exotel.com` });
    const legacy = createdSid(made);
    suite.emu.store.mapNumber(ACC, legacy, { phone_number: "+918047091399" });
    suite.emu.store.addIp(ACC, legacy, { ip: "192.0.2.10" });
    suite.emu.clearLog();
    const code = path.join(p.base, "imported-t-import.yaml");
    await p.pulumi("import", "exotel:index:Trunk", "legacy", legacy, "--yes", "--out", code);
    expect(writes()).toEqual([]);
    const generated = parse(fs.readFileSync(code, "utf8")) as { resources: Record<string, unknown> };
    report(`  generated by pulumi import:\n${fs.readFileSync(code, "utf8")}`);
    expect(generated.resources.legacy).toMatchObject({
        type: "exotel:Trunk", // YAML's short form of exotel:index:Trunk
        properties: {
            trunkName: "legacy_pbx",
            phoneNumbers: [{ phoneNumber: "+918047091399", mode: "pstn" }],
            whitelistedIps: [{ ip: "192.0.2.10", mask: 32 }],
        },
    });
    const program = parse(fs.readFileSync(path.join(p.dir, "Pulumi.yaml"), "utf8")) as { resources: Record<string, unknown> };
    program.resources.legacy = generated.resources.legacy;
    fs.writeFileSync(path.join(p.dir, "Pulumi.yaml"), stringify(program));
    await p.pulumi("preview", "--expect-no-changes");

    // Removing it from the program (imports are protected: unprotect first) sends exactly the seed's DELETE.
    await p.pulumi("state", "unprotect", `urn:pulumi:t-import::exotel-yaml-trunk::exotel:index:Trunk::legacy`, "--yes");
    delete program.resources.legacy;
    fs.writeFileSync(path.join(p.dir, "Pulumi.yaml"), stringify(program));
    suite.emu.clearLog();
    await p.pulumi("up", "--yes");
    expect(writes().map((r) => `${r.method} ${r.url}`)).toEqual([`DELETE /v2/accounts/${ACC}/trunks?trunk_sid=${legacy}`]);
});

test("stack export and every state and project file hold no token or password in plaintext", async () => {
    await upBoth("t-secrets");
    await p.pulumi("refresh", "--yes");
    expect(await suite.leakedSecrets()).toEqual([]);
});

test("destroy from a bare project (a Pulumi.yaml with no resources, no stack config file, only the installed plugin): one DELETE per trunk, each with its account's key", async () => {
    const { primary, second } = await upBoth("t-bare");
    const { code, writes: sent } = await suite.destroyFromBareProject("exotel-yaml-trunk", "yaml", "t-bare");
    expect(code).toBe(0);
    expect(sent).toEqual(suite.seedDeletes(primary, second));
    expect([trunksOf(ACC), trunksOf(SECOND.accountSid)]).toEqual([[], []]);
    expect(suite.emu.requests.filter((x) => x.method === "GET")).toEqual([]);
});

describe("migration: a stack of dynamic ExotelTrunks moves to exotel:index:Trunk with zero writes at Exotel", () => {
    test("migrate-to-plugin, its commands, then the YAML program previews no changes; destroy sends the seed's DELETEs", async () => {
        // A stack made with the dynamic ExotelTrunk (the engine harness: a TypeScript program, the package linked).
        suite.emu.store.reset();
        suite.emu.faults.clear();
        suite.emu.clearLog();
        const dirs = engineDirs();
        const dyn = await new TrunkStack(suite.emu, "mig").open({ dirs });
        const args = (trunkName: string, ip: string) => ({
            trunkName,
            phoneNumbers: [{ phoneNumber: "+918047091301" }],
            whitelistedIps: [{ ip }],
            destinationUris: [`${ip}:5061;transport=tls`],
            callerId: "+918047091301",
        });
        dyn.spec = {
            alpha: { args: args("mig_alpha", "203.0.113.21") },
            beta: { args: { ...args("mig_beta", "203.0.113.22"), phoneNumbers: [] } },
        };
        await dyn.up();
        const sids = Object.values(await dyn.outputs()).sort();
        expect(sids).toHaveLength(2);

        // The migration, as README "Migrating to the plugin" says, in the same project directory and backend.
        // `node` stays on PATH here even in the no-node run: the stack still holds dynamic ExotelTrunks until the
        // migration's `state delete`, and the engine loads their provider (pulumi-nodejs) to import beside them.
        const env = {
            PULUMI_HOME: dirs.pulumiHome,
            PULUMI_BACKEND_URL: `file://${dirs.stateDir}`,
            PATH: [p.env.PATH, path.dirname(process.execPath)].join(path.delimiter),
        };
        const sh = async (script: string) => {
            const r = await p.run("bash", ["--noprofile", "--norc", "-euo", "pipefail", "-c", script], env, dirs.workDir);
            if (r.code !== 0) throw new Error(`${script}\n${r.stdout}\n${r.stderr}`);
            return r.stdout;
        };
        suite.emu.clearLog();
        await sh(`pulumi plugin install resource exotel ${PLUGIN_VERSION} --file '${suite.tarball}'`);
        await sh("pulumi stack select mig && pulumi stack export --file stack.json");
        let commands = "";
        const code = await cli(
            ["migrate-to-plugin", "--state", path.join(dirs.workDir, "stack.json"), "--out", path.join(dirs.workDir, "exotel-import.json")],
            report,
            (s) => (commands += s),
        );
        expect(code).toBe(0);
        report(`  migration commands:\n${commands}`);
        // The program moves to the plugin (here: Pulumi YAML), so the import generates YAML.
        const project = path.join(dirs.workDir, "Pulumi.yaml");
        fs.writeFileSync(project, "name: exotel-e2e\nruntime: yaml\n");
        await sh(commands);
        expect(writes()).toEqual([]); // zero writes at Exotel: the import only read each trunk

        const state = JSON.parse(await sh("pulumi stack export")) as { deployment: { resources: { type: string; id?: string }[] } };
        const types = state.deployment.resources.map((r) => r.type);
        expect(types.filter((t) => t.startsWith("pulumi-nodejs:dynamic"))).toEqual([]);
        expect(
            state.deployment.resources
                .filter((r) => r.type === "exotel:index:Trunk")
                .map((r) => r.id)
                .sort(),
        ).toEqual(sids);

        const generated = parse(fs.readFileSync(path.join(dirs.workDir, "exotel-trunks.generated"), "utf8")) as {
            resources: Record<string, unknown>;
        };
        fs.writeFileSync(project, stringify({ name: "exotel-e2e", runtime: "yaml", resources: generated.resources }));
        await sh("pulumi preview --expect-no-changes");
        expect(writes()).toEqual([]);

        await sh("pulumi destroy --yes");
        expect(
            writes()
                .map((r) => `${r.method} ${r.url}`)
                .sort(),
        ).toEqual(sids.map((s) => `DELETE /v2/accounts/${ACC}/trunks?trunk_sid=${s}`));
    });
});

describe("onboarding an account's existing trunks: export-trunks --import-only, then pulumi import --file", () => {
    // Trunks made at "Exotel" directly (not through Pulumi); every 10th with a number and an IP.
    const N = 300;
    // The emulator enforces Exotel's 200 per 60 s and 50 concurrent, 20 times faster (a 3 s window); the stack's
    // provider is told the same window (the command sends 6 GETs). The speed-up also shrinks the spread between a request
    // leaving the provider and reaching the server that the limiter's 1% margin absorbs (600 ms at Exotel's minute,
    // 30 ms here: on a loaded machine one window here held 201), so the provider is told 160 per window: ~0.8 s of
    // spread at this speed, as much as the real margin allows.
    const SCALE = 20;
    const WINDOW_MS = 60_000 / SCALE;
    const PROVIDER_LIMIT = 160;

    test(`${N} trunks: the command sends only GETs; the import 0 writes and 0 429s; the generated YAML previews no changes`, async () => {
        await suite.freshStack("t-onboard");
        const sids = new Map<string, string>();
        for (let i = 0; i < N; i++) {
            const name = `pbx_${String(i).padStart(3, "0")}`;
            const sid = createdSid(
                suite.emu.store.createTrunk(ACC, { trunk_name: name, nso_code: "ANY-ANY", domain_name: `${ACC}.pstn.exotel.com` }),
            );
            if (i % 10 === 0) {
                suite.emu.store.mapNumber(ACC, sid, { phone_number: `+9180470${String(90000 + i)}` });
                suite.emu.store.addIp(ACC, sid, { ip: `192.0.2.${i % 250}` });
            }
            sids.set(name, sid);
        }
        await p.pulumi("config", "set", "exotel:rateLimitWindowMs", String(WINDOW_MS));
        await p.pulumi("config", "set", "exotel:rateLimitRequestsPerWindow", String(PROVIDER_LIMIT));
        suite.emu.setRateLimit({ requests: 200, windowMs: 60_000, maxConcurrent: 50, timeScale: SCALE });
        try {
            const t0 = Date.now();
            suite.emu.clearLog();
            const file = path.join(p.base, "exotel-import-t-onboard.json");
            fs.rmSync(file, { force: true });
            const code = await cli(["export-trunks", "--import-only", "--import-file", file], report, report, {
                EXOTEL_ACCOUNT_SID: ACC,
                EXOTEL_API_KEY: DEMO_ACCOUNT.apiKey,
                EXOTEL_API_TOKEN: DEMO_ACCOUNT.apiToken,
                EXOTEL_BASE_URL: suite.emu.baseUrl,
            });
            expect(code).toBe(0);
            const exported = suite.emu.requests.map((r) => `${r.method} ${r.status}`);
            expect(exported).toEqual(Array(Math.ceil(N / 50)).fill("GET 200"));
            const imports = (JSON.parse(fs.readFileSync(file, "utf8")) as { resources: { name: string; id: string }[] }).resources;
            expect(imports.map((r) => [r.name, r.id])).toEqual([...sids].sort());
            const t1 = Date.now();

            suite.emu.clearLog();
            const generatedFile = path.join(p.base, "imported-t-onboard.yaml");
            await p.pulumi("import", "--file", file, "--yes", "--out", generatedFile);
            const t2 = Date.now();
            const importRequests = suite.emu.requests.length;
            expect(writes()).toEqual([]);
            expect(suite.emu.requests.filter((r) => r.status === 429)).toEqual([]);
            expect(busiestWindow(suite.emu, WINDOW_MS)).toBeLessThanOrEqual(200);
            const perTrunk = new Map<string, number>();
            for (const r of suite.emu.requests) {
                const k = `${r.method} ${r.url.replace(/\/trunks\/[^/?]+/, "/trunks/<sid>").replace(/\?.*/, "")}`;
                perTrunk.set(k, (perTrunk.get(k) ?? 0) + 1);
            }
            report(`  pulumi import of ${N} trunks, requests by kind: ${JSON.stringify(Object.fromEntries(perTrunk))}`);

            // The program becomes the generated code (the example's own resources, outputs and lookup left out).
            const generated = parse(fs.readFileSync(generatedFile, "utf8")) as { resources: Record<string, { properties: unknown }> };
            expect(Object.keys(generated.resources).sort()).toEqual([...sids.keys()].sort());
            expect(generated.resources.pbx_010.properties).toMatchObject({
                trunkName: "pbx_010",
                phoneNumbers: [{ phoneNumber: "+918047090010" }],
                whitelistedIps: [{ ip: "192.0.2.10" }],
            });
            const programFile = path.join(p.dir, "Pulumi.yaml");
            const program = parse(fs.readFileSync(programFile, "utf8")) as Record<string, unknown>;
            delete program.variables;
            delete program.outputs;
            program.resources = generated.resources;
            fs.writeFileSync(programFile, stringify(program));
            suite.emu.clearLog();
            await p.pulumi("preview", "--expect-no-changes");
            const t3 = Date.now();
            expect(writes()).toEqual([]);
            expect(suite.emu.requests.filter((r) => r.status === 429)).toEqual([]);
            report(
                `  onboarding ${N} trunks: export-trunks ${exported.length} GETs in ${t1 - t0} ms; pulumi import ${importRequests} requests ` +
                    `(0 writes, 0 429s) in ${t2 - t1} ms; preview --expect-no-changes ${suite.emu.requests.length} requests in ${t3 - t2} ms`,
            );
        } finally {
            suite.emu.setRateLimit(undefined);
        }
    });
});
