/**
 * The SDKs `pulumi package gen-sdk` generates from the `exotel` plugin's schema: TypeScript (type-checked,
 * with a program that uses it) and Python (generated and byte-compiled; a Python program cannot run here:
 * the Python package registry is not reachable and Debian's grpcio is below the Pulumi SDK's floor). The Go
 * SDK is generated and used by tests/plugin.go.test.ts. Current lane only (CLI 3.259).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ensurePulumi, laneFromEnv, ROOT } from "../testing/cli";
import { buildPluginTarball, ensureLanguageHost } from "./helpers/plugin";

jest.setTimeout(300_000);

let out: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
    const tarball = buildPluginTarball();
    const plugin = path.resolve(path.dirname(tarball), "..", "plugin", "pulumi-resource-exotel");
    out = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-exotel-sdks-"));
    env = {
        ...process.env,
        PATH: [ensurePulumi(laneFromEnv().cliVersion), ensureLanguageHost("python"), process.env.PATH].join(path.delimiter),
        PULUMI_HOME: path.join(out, "home"),
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    };
    for (const language of ["typescript", "python"])
        execFileSync("pulumi", ["package", "gen-sdk", plugin, "--language", language, "--out", out], { env, stdio: "pipe" });
});
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

test("the TypeScript SDK type-checks (strict), and so does a program written against it", () => {
    const sdk = path.join(out, "nodejs");
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(sdk, "node_modules"), "dir");
    fs.writeFileSync(
        path.join(sdk, "usage.ts"),
        [
            'import * as pulumi from "@pulumi/pulumi";',
            'import * as exotel from "./index";',
            'const sg = new exotel.Provider("sg", { accountSid: "acct", apiKey: "k", apiToken: pulumi.secret("t"), region: "singapore" });',
            "const t = new exotel.Trunk(",
            '    "t",',
            '    { trunkName: "t", phoneNumbers: [{ phoneNumber: "+919876543210", mode: "flow" }], whitelistedIps: [{ ip: "192.0.2.1", mask: 32 }] },',
            "    { provider: sg },",
            ");",
            "export const sid: pulumi.Output<string> = t.trunkSid;",
            "export const numbers = exotel.getTrunkOutput({ trunkSid: t.trunkSid }).phoneNumbers;",
            "",
        ].join("\n"),
    );
    const tsconfig = JSON.parse(fs.readFileSync(path.join(sdk, "tsconfig.json"), "utf8").replace(/^\s*\/\/.*$/gm, "")) as {
        files: string[];
    };
    tsconfig.files.push("usage.ts");
    fs.writeFileSync(path.join(sdk, "tsconfig.check.json"), JSON.stringify(tsconfig));
    const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
    expect(() =>
        execFileSync(process.execPath, [tsc, "-p", path.join(sdk, "tsconfig.check.json"), "--noEmit"], { stdio: "pipe" }),
    ).not.toThrow();
    // A misuse is caught: the SDK's types are real, not `any`.
    fs.appendFileSync(path.join(sdk, "usage.ts"), 'new exotel.Trunk("bad", { trunkNam: "x" });\n');
    let error = "";
    try {
        execFileSync(process.execPath, [tsc, "-p", path.join(sdk, "tsconfig.check.json"), "--noEmit"], { stdio: "pipe", encoding: "utf8" });
    } catch (e) {
        error = String((e as { stdout?: string }).stdout);
    }
    expect(error).toMatch(/usage\.ts.*trunkNam/);
});

test("the Python SDK is generated with the resource, the provider and both functions, and byte-compiles", () => {
    const pkg = path.join(out, "python", "pulumi_exotel");
    for (const f of ["trunk.py", "provider.py", "get_trunk.py", "list_trunks.py", "config/vars.py"])
        expect(fs.existsSync(path.join(pkg, f))).toBe(true);
    expect(fs.readFileSync(path.join(pkg, "trunk.py"), "utf8")).toMatch(/class Trunk\(pulumi\.CustomResource\)/);
    expect(() => execFileSync("python3", ["-m", "compileall", "-q", pkg], { stdio: "pipe" })).not.toThrow();
});
