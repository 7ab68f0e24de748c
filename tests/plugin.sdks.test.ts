/**
 * The SDKs of the `exotel` plugin.
 *  - The committed ones (sdk/nodejs, sdk/python, sdk/go with sdk/go.mod) are what scripts/gen-sdks.js
 *    generates from provider/plugin/schema.json now, and package as they are published: the Node.js SDK
 *    built and `npm pack`ed, the Python SDK's wheel and sdist, the Go module at the path the schema's Go
 *    import path names (vetted, and built into a program through a `replace`). A Python program runs on the
 *    wheel in tests/plugin.python.test.ts.
 *  - The ones `pulumi package gen-sdk` generates from the plugin binary itself (its GetSchema), as a user
 *    gets them: TypeScript (type-checked, with a program that uses it) and Python (byte-compiled).
 * Current lane only (CLI 3.259).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ensurePulumi, laneFromEnv, ROOT } from "../testing/cli";
import { sdkPackages } from "../testing/python";
import { buildPluginTarball, ensureLanguageHost } from "./helpers/plugin";

jest.setTimeout(300_000);

const SDK = path.join(ROOT, "sdk");
const schema = JSON.parse(fs.readFileSync(path.join(ROOT, "provider", "plugin", "schema.json"), "utf8")) as {
    name: string;
    version: string;
    pluginDownloadURL?: string;
    language: { go: { importBasePath: string } };
};

/** Every file under `dir`, relative, sorted. */
function tree(dir: string): string[] {
    return fs
        .readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
        .sort();
}

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

describe("sdk/: generated from the schema, committed, packaged as published", () => {
    test("sdk/ is exactly what `node scripts/gen-sdks.js` generates from provider/plugin/schema.json now", () => {
        const fresh = path.join(out, "regenerated");
        execFileSync(process.execPath, [path.join(ROOT, "scripts", "gen-sdks.js"), "--out", fresh], { stdio: "pipe" });
        const files = tree(fresh);
        expect(files).toEqual(expect.arrayContaining(["go.mod", "go.sum", "nodejs/package.json", "python/setup.py", "go/exotel/trunk.go"]));
        // Run `node scripts/gen-sdks.js` and commit sdk/ when this fails.
        expect(tree(SDK)).toEqual(files);
        const differ = files.filter((f) => !fs.readFileSync(path.join(SDK, f)).equals(fs.readFileSync(path.join(fresh, f))));
        expect(differ).toEqual([]);
    });

    test("each SDK carries the schema's version and plugin download URL", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(SDK, "nodejs", "package.json"), "utf8")) as {
            version: string;
            pulumi: Record<string, unknown>;
        };
        expect(pkg.version).toBe(schema.version);
        expect(pkg.pulumi).toMatchObject({ resource: true, name: schema.name, version: schema.version });
        expect(fs.readFileSync(path.join(SDK, "python", "setup.py"), "utf8")).toContain(`VERSION = "${schema.version}"`);
        for (const f of ["python/pulumi_exotel/pulumi-plugin.json", "go/exotel/pulumi-plugin.json"]) {
            const plugin = JSON.parse(fs.readFileSync(path.join(SDK, f), "utf8")) as Record<string, unknown>;
            expect(plugin).toMatchObject({ resource: true, name: schema.name, version: schema.version });
            if (schema.pluginDownloadURL) expect(plugin.server).toBe(schema.pluginDownloadURL);
        }
    });

    test("the Node.js SDK packs (tsc, npm pack) into a package that loads, the Python SDK into a wheel and an sdist", () => {
        const files = sdkPackages();
        const names = files.map((f) => path.basename(f));
        expect(names).toEqual([
            `pulumi-exotel-exotel-${schema.version}.tgz`,
            `pulumi_exotel-${schema.version}-py3-none-any.whl`,
            `pulumi_exotel-${schema.version}.tar.gz`,
        ]);
        const x = path.join(out, "unpacked");
        fs.mkdirSync(x);
        execFileSync("tar", ["xzf", files[0], "-C", x]);
        const npm = path.join(x, "package");
        for (const f of ["index.js", "index.d.ts", "trunk.js", "provider.js", "getTrunk.js", "types/input.d.ts", "package.json"])
            expect(fs.existsSync(path.join(npm, f))).toBe(true);
        fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(x, "node_modules"), "dir");
        const loaded = execFileSync(
            process.execPath,
            ["-e", `const e = require(${JSON.stringify(npm)}); console.log(Object.keys(e).sort().join(" "))`],
            {
                encoding: "utf8",
            },
        );
        expect(loaded.trim().split(" ")).toEqual(
            expect.arrayContaining(["Provider", "Trunk", "getTrunk", "getTrunkOutput", "listTrunks", "types"]),
        );

        const wheel = execFileSync("python3", ["-m", "zipfile", "-l", files[1]], { encoding: "utf8" });
        for (const f of ["trunk.py", "provider.py", "get_trunk.py", "list_trunks.py", "pulumi-plugin.json", "py.typed"])
            expect(wheel).toContain(`pulumi_exotel/${f}`);
        expect(wheel).toContain(`pulumi_exotel-${schema.version}.dist-info/METADATA`);
        const sdist = execFileSync("tar", ["tzf", files[2]], { encoding: "utf8" });
        expect(sdist).toContain(`pulumi_exotel-${schema.version}/setup.py`);
        expect(sdist).toContain(`pulumi_exotel-${schema.version}/pulumi_exotel/trunk.py`);
    });

    test("the Go SDK is the module the schema's Go import path names: it vets, and a program builds against it through a replace", () => {
        const modulePath = schema.language.go.importBasePath.replace(/\/go\/[^/]+$/, "");
        expect(fs.readFileSync(path.join(SDK, "go.mod"), "utf8")).toMatch(new RegExp(`^module ${modulePath.replace(/\./g, "\\.")}$`, "m"));
        const goEnv = { ...process.env, GOFLAGS: "-mod=readonly", GOWORK: "off" };
        execFileSync("go", ["vet", "./..."], { cwd: SDK, env: goEnv, stdio: "pipe" });
        const mod = path.join(out, "go-user");
        fs.mkdirSync(mod);
        fs.writeFileSync(
            path.join(mod, "go.mod"),
            `module exotel-sdk-user\n\ngo 1.25\n\nrequire ${modulePath} v0.0.0\n\nreplace ${modulePath} => ${SDK}\n`,
        );
        fs.copyFileSync(path.join(SDK, "go.sum"), path.join(mod, "go.sum"));
        fs.writeFileSync(
            path.join(mod, "main.go"),
            [
                "package main",
                "",
                "import (",
                '\t"github.com/pulumi/pulumi/sdk/v3/go/pulumi"',
                "",
                `\t"${schema.language.go.importBasePath}"`,
                ")",
                "",
                "func main() {",
                "\tpulumi.Run(func(ctx *pulumi.Context) error {",
                '\t\tt, err := exotel.NewTrunk(ctx, "t", &exotel.TrunkArgs{TrunkName: pulumi.String("t")})',
                "\t\tif err != nil {",
                "\t\t\treturn err",
                "\t\t}",
                '\t\tctx.Export("numbers", exotel.LookupTrunkOutput(ctx, exotel.LookupTrunkOutputArgs{TrunkSid: t.TrunkSid}).PhoneNumbers())',
                "\t\treturn nil",
                "\t})",
                "}",
                "",
            ].join("\n"),
        );
        execFileSync("go", ["mod", "tidy"], { cwd: mod, env: { ...goEnv, GOFLAGS: "-mod=mod" }, stdio: "pipe" });
        execFileSync("go", ["vet", "."], { cwd: mod, env: goEnv, stdio: "pipe" });
        execFileSync("go", ["build", "-o", path.join(mod, "program"), "."], { cwd: mod, env: goEnv, stdio: "pipe" });
        expect(fs.existsSync(path.join(mod, "program"))).toBe(true);
    }, 900_000);
});

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
