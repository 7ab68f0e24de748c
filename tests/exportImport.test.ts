/**
 * `pulumi-exotel export-trunks --import-file` / `--import-only`: the file for `pulumi import --file` that brings an
 * account's existing trunks under the plugin's exotel:index:Trunk. Its names (valid, unique, stable), and the
 * command paging through 300 trunks against the emulator's enforced limit (Exotel's 200 per 60 s, 50 concurrent)
 * with the command's default rate limit: GET requests only, no 429. On a virtual clock (tests/helpers/virtualTime.ts):
 * the 1,506 GETs of a full export span 7.5 minutes of the account's limit and take seconds here.
 * The real CLI imports such a file in tests/plugin.yaml.test.ts (the last test).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { DEMO_ACCOUNT, Emulator, startEmulator } from "../emulator";
import { main } from "../provider/gitops/cli";
import { importFileFor, importNameBase } from "../provider/gitops/exportTrunks";
import type { ExotelClient } from "../provider/exotel/client";
import { createdSid } from "./helpers/emulator";
import { virtualTime } from "./helpers/virtualTime";
import { busiestWindow } from "./helpers/windows";

const ACC = DEMO_ACCOUNT.accountSid;
const N = 300;

describe("import names: valid in every language, unique, stable", () => {
    test.each([
        ["pbx_main", "pbx_main"],
        ["PbxMain2", "PbxMain2"],
        ["9lines", "trunk_9lines"],
        ["", "trunk"],
        ["class", "class_trunk"],
        ["Import", "Import_trunk"],
        ["_x", "_x"],
    ])("%j -> %s", (trunkName, name) => {
        expect(importNameBase(trunkName)).toBe(name);
    });

    test("names that code generators could turn into one (case, `_`) each get their sid; the rest keep their trunkName", () => {
        const file = importFileFor([
            { trunkName: "pbxMain", trunkSid: "trB" },
            { trunkName: "pbx_main", trunkSid: "trA" },
            { trunkName: "other", trunkSid: "trC" },
            { trunkName: "PBX_MAIN", trunkSid: "trD" },
        ]);
        expect(file.resources).toEqual([
            { type: "exotel:index:Trunk", name: "PBX_MAIN_trD", id: "trD" },
            { type: "exotel:index:Trunk", name: "other", id: "trC" },
            { type: "exotel:index:Trunk", name: "pbxMain_trB", id: "trB" },
            { type: "exotel:index:Trunk", name: "pbx_main_trA", id: "trA" },
        ]);
    });

    test("the same account in another order gives the same file", () => {
        const trunks = Array.from({ length: 20 }, (_, i) => ({ trunkName: `t${i % 7}_${i}`, trunkSid: `sid${i}` }));
        expect(importFileFor([...trunks].reverse())).toEqual(importFileFor(trunks));
    });
});

describe(`${N} trunks against the emulator's enforced limit (200 per 60 s, 50 concurrent), on a virtual clock`, () => {
    let time: ReturnType<typeof virtualTime> | undefined;
    let emu: Emulator;
    let dir: string;
    let sids: Map<string, string>;
    // The command makes its client inside (provider/lookups.ts): each one made while a test runs is tracked on its clock.
    const clientModule = require("../provider/exotel/client") as { ExotelClient: typeof ExotelClient };
    const Original = clientModule.ExotelClient;
    beforeAll(() => {
        clientModule.ExotelClient = class extends Original {
            constructor(...a: ConstructorParameters<typeof ExotelClient>) {
                super(...a);
                time?.track(this);
            }
        };
    });
    afterAll(() => (clientModule.ExotelClient = Original));
    beforeEach(async () => {
        // Before the emulator and the client: they read Date.now and setTimeout as they are made.
        time = virtualTime();
        emu = await startEmulator({ rateLimit: { requests: 200, windowMs: 60_000, maxConcurrent: 50 } });
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-exotel-export-import-"));
        sids = new Map();
        // Made at "Exotel" directly (no request logged), in an order that is not the names' order.
        for (let i = 0; i < N; i++) {
            const name = `pbx_${String((i * 7) % N).padStart(3, "0")}`;
            sids.set(
                name,
                createdSid(emu.store.createTrunk(ACC, { trunk_name: name, nso_code: "ANY-ANY", domain_name: `${ACC}.pstn.exotel.com` })),
            );
        }
        emu.clearLog();
    });
    afterEach(async () => {
        await emu?.close();
        time?.uninstall();
        time = undefined;
        fs.rmSync(dir, { recursive: true, force: true });
    });

    const env = () => ({
        EXOTEL_ACCOUNT_SID: ACC,
        EXOTEL_API_KEY: DEMO_ACCOUNT.apiKey,
        EXOTEL_API_TOKEN: DEMO_ACCOUNT.apiToken,
        EXOTEL_BASE_URL: emu.baseUrl,
    });
    async function run(args: string[]) {
        let stderr = "";
        let stdout = "";
        const code = await time!.settle(
            main(
                ["export-trunks", ...args],
                (s) => (stderr += s),
                (s) => (stdout += s),
                env(),
            ),
        );
        return { code, stderr, stdout };
    }
    const expected = () => ({
        resources: [...sids.keys()].sort().map((name) => ({ type: "exotel:index:Trunk", name, id: sids.get(name) })),
    });
    const counts = () => ({
        requests: emu.requests.length,
        notGet: emu.requests.filter((r) => r.method !== "GET").length,
        refused: emu.requests.filter((r) => r.status === 429).length,
    });

    test("--import-only: one GET per page of 50, every trunk in the import file, by sid, named after its trunkName", async () => {
        const file = path.join(dir, "exotel-import.json");
        const r = await run(["--import-only", "--import-file", file]);
        expect(r.code).toBe(0);
        expect(r.stderr).toContain(`export-trunks: ${N} trunk(s) of account ${ACC} written to ${file} for \`pulumi import --file ${file}`);
        expect(emu.requests.map((x) => `${x.method} ${x.url} ${x.status}`)).toEqual(
            [0, 50, 100, 150, 200, 250].map((o) => `GET /v2/accounts/${ACC}/trunks?offset=${o}&page_size=50 200`),
        );
        expect(JSON.parse(fs.readFileSync(file, "utf8"))).toEqual(expected());
        expect(fs.existsSync(path.join(dir, "trunks.yaml"))).toBe(false);
    });

    test("a full export with --import-file: both files from one read, GETs only, no 429, no window over 200", async () => {
        const file = path.join(dir, "exotel-import.json");
        const trunksFile = path.join(dir, "trunks.yaml");
        const started = Date.now(); // virtual
        const r = await run(["--out", trunksFile, "--import-file", file]);
        const virtualMs = Date.now() - started;
        expect(r.code).toBe(0);
        const c = counts();
        expect(c).toEqual({ requests: c.requests, notGet: 0, refused: 0 });
        // The 6 list pages, then each trunk's attachments (5 GETs per trunk).
        expect(c.requests).toBe(6 + 5 * N);
        expect(busiestWindow(emu, 60_000)).toBeLessThanOrEqual(200);
        // At the account's rate: 1,506 requests need at least 7 full windows.
        expect(virtualMs).toBeGreaterThanOrEqual(7 * 60_000);
        expect(JSON.parse(fs.readFileSync(file, "utf8"))).toEqual(expected());
        const entries = (parse(fs.readFileSync(trunksFile, "utf8")) as { trunks: { trunkName: string }[] }).trunks;
        expect(entries.map((e) => e.trunkName)).toEqual([...sids.keys()].sort());
        process.stdout.write(
            `export-trunks, ${N} trunks: ${c.requests} GETs, 0 429s, ${(virtualMs / 60_000).toFixed(1)} virtual minutes\n`,
        );
    });

    test("an existing import file is refused without --force, before any request", async () => {
        const file = path.join(dir, "exotel-import.json");
        fs.writeFileSync(file, "{}\n");
        const r = await run(["--import-only", "--import-file", file]);
        expect(r.code).toBe(1);
        expect(r.stderr).toBe(`export-trunks: ${file} exists; pass --force to overwrite it\n`);
        expect(emu.requests).toEqual([]);
        expect((await run(["--import-only", "--import-file", file, "--force"])).code).toBe(0);
        expect(JSON.parse(fs.readFileSync(file, "utf8"))).toEqual(expected());
    });
});
