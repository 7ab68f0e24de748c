/**
 * `pulumi-exotel export-trunks` as a user runs it outside a Pulumi program: settings from EXOTEL_* only
 * (its errors name the variables), `--help`, and the template's sample trunks.yaml replaced while unchanged.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DEMO_ACCOUNT, Emulator } from "../emulator";
import { EXPORT_USAGE, main, USAGE } from "../provider/gitops/cli";
import { SAMPLE_TRUNKS_FILE_SHA256 } from "../provider/gitops/exportTrunks";
import { ROOT } from "../testing/cli";
import { clientFor, emulator } from "./helpers/emulator";

const SAMPLE = path.join(ROOT, "examples/gitops/trunks.yaml");
let emu: Emulator;
let dir: string;
beforeAll(async () => {
    emu = await emulator();
    await clientFor(emu).createTrunk({
        trunkName: "legacy_one",
        nsoCode: "ANY-ANY",
        domainName: `${DEMO_ACCOUNT.accountSid}.pstn.exotel.com`,
    });
});
afterAll(() => emu?.close());
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-exotel-cli-"))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const env = () => ({
    EXOTEL_ACCOUNT_SID: DEMO_ACCOUNT.accountSid,
    EXOTEL_API_KEY: DEMO_ACCOUNT.apiKey,
    EXOTEL_API_TOKEN: DEMO_ACCOUNT.apiToken,
    EXOTEL_BASE_URL: emu.baseUrl,
});
async function run(args: string[], vars: Record<string, string>) {
    let stderr = "";
    let stdout = "";
    const code = await main(
        args,
        (s) => (stderr += s),
        (s) => (stdout += s),
        vars,
    );
    return { code, stderr, stdout };
}

test("the sample's hash in the code is the shipped sample's", () => {
    expect(createHash("sha256").update(fs.readFileSync(SAMPLE, "utf8")).digest("hex")).toBe(SAMPLE_TRUNKS_FILE_SHA256);
});

test.each([
    [["--help"], USAGE],
    [["-h"], USAGE],
    [["export-trunks", "--help"], EXPORT_USAGE],
])("%s prints the usage with the environment variables on stdout", async (args, usage) => {
    const r = await run(args, {});
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(usage);
    for (const v of ["EXOTEL_ACCOUNT_SID", "EXOTEL_API_KEY", "EXOTEL_API_TOKEN", "EXOTEL_REGION", "EXOTEL_BASE_URL"])
        expect(r.stdout).toContain(v);
});

test("missing settings are named as environment variables, never as `pulumi config`, and nothing is sent", async () => {
    emu.clearLog();
    const r = await run(["export-trunks", "--out", path.join(dir, "t.yaml")], { EXOTEL_API_KEY: "k" });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
        "export-trunks: the Exotel account is not set:\n" +
            "  - EXOTEL_API_TOKEN is not set (API token)\n" +
            "  - EXOTEL_ACCOUNT_SID is not set (account SID (path prefix `/v2/accounts/<sid>`))\n" +
            "  - EXOTEL_REGION is not set: set it to mumbai or singapore (EXOTEL_BASE_URL overrides the host)\n",
    );
    expect(r.stderr).not.toContain("pulumi config");
    expect(emu.requests).toEqual([]);
    const bad = await run(["export-trunks"], { ...env(), EXOTEL_BASE_URL: "", EXOTEL_REGION: "mars" });
    expect(bad.stderr).toContain('  - EXOTEL_REGION must be "mumbai" (api.in.exotel.com) or "singapore" (api.exotel.com); got "mars"\n');
});

test("the template's unchanged sample is replaced without --force (CRLF too); an edited file is refused", async () => {
    const file = path.join(dir, "trunks.yaml");
    fs.writeFileSync(file, fs.readFileSync(SAMPLE, "utf8").replace(/\n/g, "\r\n"));
    const r = await run(["export-trunks", "--out", file], env());
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`written to ${file} (replacing the template's sample)`);
    expect(fs.readFileSync(file, "utf8")).toContain("trunkName: legacy_one");

    const edited = fs.readFileSync(SAMPLE, "utf8").replace("pstn_main", "pstn_ours");
    fs.writeFileSync(file, edited);
    emu.clearLog();
    const refused = await run(["export-trunks", "--out", file], env());
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`export-trunks: ${file} exists and is not the template's unchanged sample; pass --force to overwrite it\n`);
    expect(fs.readFileSync(file, "utf8")).toBe(edited);
    expect(emu.requests).toEqual([]);
    expect((await run(["export-trunks", "--out", file, "--force"], env())).code).toBe(0);
    expect(fs.readFileSync(file, "utf8")).toContain("trunkName: legacy_one");
});

test("the import file: --import-file beside the trunks file, --import-only alone (no --out); nothing sent on a refusal", async () => {
    emu.clearLog();
    const refused = await run(["export-trunks", "--import-only", "--out", path.join(dir, "t.yaml")], env());
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe("export-trunks: --import-only writes no trunks file; drop --out (the import file is --import-file)\n");
    const both = await run(["export-trunks", "--out", "-", "--import-file", "-"], env());
    expect(both.code).toBe(2);
    expect(emu.requests).toEqual([]);

    // To stdout: the import file alone, one GET (one page).
    const r = await run(["export-trunks", "--import-only", "--import-file", "-"], env());
    expect(r.code).toBe(0);
    const legacy = JSON.parse(r.stdout) as { resources: { type: string; name: string; id: string }[] };
    expect(legacy.resources).toEqual([{ type: "exotel:index:Trunk", name: "legacy_one", id: expect.stringMatching(/^tr/) }]);
    expect(emu.requests.map((x) => x.method)).toEqual(["GET"]);

    // Beside the trunks file: both from one read.
    const trunks = path.join(dir, "trunks.yaml");
    const imports = path.join(dir, "exotel-import.json");
    const full = await run(["export-trunks", "--out", trunks, "--import-file", imports], env());
    expect(full.code).toBe(0);
    expect(fs.readFileSync(trunks, "utf8")).toContain("trunkName: legacy_one");
    expect(JSON.parse(fs.readFileSync(imports, "utf8"))).toEqual(legacy);
    expect(full.stderr).toContain(`written to ${imports} for \`pulumi import --file ${imports} --yes --out <code file>\``);
});
