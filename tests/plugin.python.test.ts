/**
 * The `exotel` provider plugin as a Python user runs it: the release tarball installed with
 * `pulumi plugin install resource exotel <version> --file`, examples/python-trunk copied outside the
 * checkout, a virtualenv in the project (`virtualenv: venv`) with `pulumi` from the Python package registry
 * (pinned: testing/python.ts) and the Python SDK from the wheel built of sdk/python (scripts/gen-sdks.js
 * --pack), the real CLI (3.259) and Python language host, the emulator over HTTP with two accounts.
 * Current lane only.
 *
 * The tests run in order on one stack (as tests/plugin.go.test.ts): each Python operation starts the
 * interpreter and the SDK, so a stack per test would double the suite's time.
 */
import * as fs from "fs";
import * as path from "path";
import { DEMO_ACCOUNT } from "../emulator";
import { installVenv, PULUMI_PYTHON_SDK, pythonSdkWheel } from "../testing/python";
import { createdSid } from "./helpers/emulator";
import { ACC, PluginSuite, SECOND } from "./helpers/pluginSuite";

jest.setTimeout(600_000);

const suite = new PluginSuite("python-trunk", "python", "pbx_password_never_plain_3");
const report = suite.report;
const writes = () => suite.writes();
const trunksOf = (acc: string) => suite.trunksOf(acc);
let p: PluginSuite["p"];

beforeAll(async () => {
    const t0 = Date.now();
    const wheel = pythonSdkWheel();
    const built = (Date.now() - t0) / 1000;
    await suite.open(async (project) => {
        const seconds = await installVenv(project.dir, wheel);
        report(
            `  SDK packages built in ${built.toFixed(1)} s; venv (${PULUMI_PYTHON_SDK}, ${path.basename(wheel)}) in ${seconds.toFixed(1)} s`,
        );
    });
    p = suite.p;
    report(`  setup: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
});
afterAll(() => suite.close());

let primary = "";
let second = "";

test("up creates both trunks with every attachment, each account with its own key; the lookup reads the first back", async () => {
    suite.emu.clearLog();
    await p.pulumi("up", "--yes");
    const outs = await p.outputs();
    primary = outs.primaryTrunkSid as string;
    second = outs.secondTrunkSid as string;
    report(`  outputs: ${JSON.stringify(outs)}`);
    expect(trunksOf(ACC).map((t) => t.trunk_sid)).toEqual([primary]);
    expect(trunksOf(SECOND.accountSid).map((t) => t.trunk_sid)).toEqual([second]);
    for (const r of writes()) report(`  ${r.method} ${r.url} -> ${r.status} (${r.authUser})`);
    // Every request to an account carries that account's key, never the other's.
    expect(new Set(suite.accountKeys())).toEqual(new Set([`${ACC} ${DEMO_ACCOUNT.apiKey}`, `${SECOND.accountSid} ${SECOND.apiKey}`]));
    expect(
        writes()
            .map((r) => `${r.method} ${r.url.replace(primary, "<p>").replace(second, "<s>")}`)
            .sort(),
    ).toEqual(
        [
            `POST /v2/accounts/${ACC}/trunks`,
            `POST /v2/accounts/${ACC}/trunks/<p>/whitelisted-ips`,
            `POST /v2/accounts/${ACC}/trunks/<p>/whitelisted-ips`,
            `POST /v2/accounts/${ACC}/trunks/<p>/destination-uris`,
            `POST /v2/accounts/${ACC}/trunks/<p>/phone-numbers`,
            `POST /v2/accounts/${ACC}/trunks/<p>/phone-numbers`,
            `POST /v2/accounts/${ACC}/trunks/<p>/settings`,
            `POST /v2/accounts/${ACC}/trunks/<p>/credentials`,
            `POST /v2/accounts/${SECOND.accountSid}/trunks`,
            `POST /v2/accounts/${SECOND.accountSid}/trunks/<s>/whitelisted-ips`,
            `POST /v2/accounts/${SECOND.accountSid}/trunks/<s>/destination-uris`,
        ].sort(),
    );
    expect(outs).toMatchObject({ primaryCallerId: "+918047091234", secondAccountSid: SECOND.accountSid, lookedUpName: "python_primary" });
    // The lookup lists in Exotel's order (newest first); the resource keeps the program's.
    const byId = (xs: unknown) => [...(xs as { id: string }[])].sort((a, b) => a.id.localeCompare(b.id));
    expect(byId(outs.lookedUpNumbers)).toEqual(byId(outs.primaryNumbers));
    // A Python program exports an output type with its Python property names.
    expect((outs.primaryNumbers as { phone_number: string }[]).map((n) => n.phone_number)).toEqual(["+918047091234", "+918047091235"]);
    await p.pulumi("preview", "--expect-no-changes");
});

test("an in-place change: preview --diff names the property and keeps trunkSid known; up sends only that change", async () => {
    await p.pulumi("config", "set", "callerId", "+918047091200");
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

test("pulumi import of an out-of-band trunk; the generated Python added to the program previews no changes; removing it sends the seed's DELETE", async () => {
    const legacy = createdSid(
        suite.emu.store.createTrunk(ACC, { trunk_name: "legacy_py", nso_code: "ANY-ANY", domain_name: `${ACC}.pstn.exotel.com` }),
    );
    suite.emu.store.mapNumber(ACC, legacy, { phone_number: "+918047091399" });
    suite.emu.store.addIp(ACC, legacy, { ip: "192.0.2.10" });
    suite.emu.clearLog();
    const code = path.join(p.base, "imported.py");
    await p.pulumi("import", "exotel:index:Trunk", "legacy", legacy, "--yes", "--protect=false", "--out", code);
    expect(writes()).toEqual([]);
    const generated = fs.readFileSync(code, "utf8");
    report(`  generated by pulumi import:\n${generated}`);
    expect(generated).toMatch(/^import pulumi_exotel as exotel$/m);
    expect(generated).toMatch(/legacy = exotel\.Trunk\("legacy"/);
    expect(generated).toMatch(/trunk_name="legacy_py"/);
    expect(generated).toMatch(/"phone_number": "\+918047091399"|phone_number="\+918047091399"/);
    // The generated program, less its imports (ours has them), added to ours.
    const body = generated.replace(/^import .*\n/gm, "");
    const mainPy = path.join(p.dir, "__main__.py");
    const original = fs.readFileSync(mainPy, "utf8");
    fs.writeFileSync(mainPy, `${original}\n${body}`);
    await p.pulumi("preview", "--expect-no-changes");
    fs.writeFileSync(mainPy, original);
    suite.emu.clearLog();
    await p.pulumi("up", "--yes");
    expect(writes().map((r) => `${r.method} ${r.url}`)).toEqual([`DELETE /v2/accounts/${ACC}/trunks?trunk_sid=${legacy}`]);
});

test("stack export and every state and project file hold no token or password in plaintext", async () => {
    await p.pulumi("refresh", "--yes");
    expect(await suite.leakedSecrets()).toEqual([]);
});

test("destroy from a bare project (no program, no stack config file, only the installed plugin): one DELETE per trunk, each with its account's key", async () => {
    const { code, writes: sent } = await suite.destroyFromBareProject("exotel-python-trunk", "python");
    expect(code).toBe(0);
    expect(sent).toEqual(suite.seedDeletes(primary, second));
    expect([trunksOf(ACC), trunksOf(SECOND.accountSid)]).toEqual([[], []]);
});
