#!/usr/bin/env node
/**
 * The `exotel` provider plugin's SDKs, generated from provider/plugin/schema.json by `pulumi package gen-sdk`
 * (CLI 3.259 and its language hosts: scripts/ensure-pulumi, scripts/ensure-language-host), and packaged as
 * they are published.
 *
 *   node scripts/gen-sdks.js                # rewrites sdk/nodejs, sdk/python, sdk/go and sdk/go.mod, go.sum
 *   node scripts/gen-sdks.js --out DIR      # the same into DIR (tests/plugin.sdks.test.ts compares DIR with sdk/)
 *   node scripts/gen-sdks.js --pack DIR     # packages sdk/ as published, into DIR: the Node.js SDK built (tsc)
 *                                           # and `npm pack`ed, the Python SDK's wheel and sdist (`python -m build`)
 *   node scripts/gen-sdks.js --pack DIR --from SDKDIR    # packages SDKs generated into SDKDIR instead
 *
 * The schema's language sections are taken as they are, with `respectSchemaVersion: true` added where a
 * section lacks it, so that each SDK carries the schema's version (package.json, setup.py, pulumi-plugin.json,
 * the Go SDK's default plugin version) instead of a placeholder a release would have to patch.
 *
 * The Go module: the schema's Go import path (`<module>/go/exotel`) names it; its go.mod is written here
 * (module `<module>`, the Pulumi Go SDK of CLI 3.259) and completed by `go mod tidy`. It is released by
 * tagging `sdk/v<version>`.
 *
 * Python build tools (pinned below) live in a virtual environment of their own, made once:
 * ${PULUMI_EXOTEL_CACHE:-~/.cache/pulumi-exotel}/python-build-<pins>.
 */
const { execFileSync } = require("child_process");
const crypto = require("crypto");
const fs = require("fs");
const os = require("os");
const path = require("path");

const root = path.resolve(__dirname, "..");
const CLI_VERSION = "3.259.0";
const LANGUAGES = ["nodejs", "python", "go"];
/** The Pulumi Go SDK the Go module requires (the CLI's own). */
const GO_PULUMI_SDK = `v${CLI_VERSION}`;
/** What builds the Python SDK's wheel and sdist. */
const PYTHON_BUILD_PINS = ["build==1.2.2.post1", "setuptools==75.8.0", "wheel==0.45.1"];

const cache =
    process.env.PULUMI_EXOTEL_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "pulumi-exotel");

function run(cmd, args, opts = {}) {
    try {
        return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], ...opts });
    } catch (e) {
        throw new Error(`${cmd} ${args.join(" ")} failed (exit ${e.status}):\n${e.stdout ?? ""}${e.stderr ?? ""}`);
    }
}

/** The last line a scripts/ensure-* script prints: the directory of what it made. */
function ensure(script, args, env = {}) {
    const out = run("bash", [path.join(root, "scripts", script), ...args], {
        env: { ...process.env, ...env },
        stdio: ["ignore", "pipe", "inherit"],
    });
    return out.trim().split("\n").pop();
}

/** The schema as the SDKs are generated from it, and its Go module path. */
function schemaForSdks() {
    const schema = JSON.parse(fs.readFileSync(path.join(root, "provider", "plugin", "schema.json"), "utf8"));
    schema.language = schema.language || {};
    for (const l of LANGUAGES) {
        schema.language[l] = schema.language[l] || {};
        if (schema.language[l].respectSchemaVersion === undefined) schema.language[l].respectSchemaVersion = true;
    }
    const importPath = schema.language.go.importBasePath || "";
    const m = /^(.+)\/go\/([^/]+)$/.exec(importPath);
    if (!m || m[2] !== schema.name)
        throw new Error(`the schema's Go importBasePath must be <module>/go/${schema.name}, not '${importPath}'`);
    return { schema, goModule: m[1] };
}

function generate(out) {
    const t0 = Date.now();
    const { schema, goModule } = schemaForSdks();
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-exotel-gen-sdks-"));
    try {
        const schemaFile = path.join(work, "schema.json");
        fs.writeFileSync(schemaFile, JSON.stringify(schema, null, 2));
        const cliDir = ensure("ensure-pulumi", [], { PULUMI_VERSION: CLI_VERSION });
        const hosts = ["python", "go"].map((l) => ensure("ensure-language-host", [l]));
        const env = {
            ...process.env,
            PATH: [cliDir, ...hosts, process.env.PATH].join(path.delimiter),
            PULUMI_HOME: path.join(work, "home"),
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        };
        fs.mkdirSync(out, { recursive: true });
        for (const l of LANGUAGES) {
            fs.rmSync(path.join(out, l), { recursive: true, force: true });
            run("pulumi", ["package", "gen-sdk", schemaFile, "--language", l, "--out", out], { env });
        }
        writeGoMod(out, goModule);
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
    console.log(
        `gen-sdks: ${LANGUAGES.join(", ")} SDKs of ${schema.name} v${schema.version} written to ${out} in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
}

/** sdk/go.mod (the module the Go import path names) and its go.sum. */
function writeGoMod(out, goModule) {
    fs.writeFileSync(
        path.join(out, "go.mod"),
        [
            "// Generated by scripts/gen-sdks.js: the Go SDK's module (released as tag sdk/v<version>).",
            `module ${goModule}`,
            "",
            "go 1.24",
            "",
            `require github.com/pulumi/pulumi/sdk/v3 ${GO_PULUMI_SDK}`,
            "",
        ].join("\n"),
    );
    fs.rmSync(path.join(out, "go.sum"), { force: true });
    run("go", ["mod", "tidy"], { cwd: out, env: { ...process.env, GOFLAGS: "-mod=mod", GOWORK: "off" } });
}

/** A virtual environment with the Python build tools, made once per set of pins. */
function pythonBuildEnv() {
    const key = crypto.createHash("sha256").update(PYTHON_BUILD_PINS.join(" ")).digest("hex").slice(0, 12);
    const venv = path.join(cache, `python-build-${key}`);
    const python = path.join(venv, "bin", "python");
    if (!fs.existsSync(path.join(venv, ".complete"))) {
        fs.rmSync(venv, { recursive: true, force: true });
        run("python3", ["-m", "venv", venv]);
        run(python, ["-m", "pip", "install", "--disable-pip-version-check", "-q", ...PYTHON_BUILD_PINS]);
        fs.writeFileSync(path.join(venv, ".complete"), PYTHON_BUILD_PINS.join("\n") + "\n");
    }
    return python;
}

/** Packages sdk/ into `dest`: the npm tarball, the wheel and the sdist. Prints and returns their paths. */
function pack(dest, sdk) {
    sdk = sdk ?? path.join(root, "sdk");
    fs.mkdirSync(dest, { recursive: true });
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-exotel-pack-sdks-"));
    const files = [];
    try {
        // Node.js: compiled with tsc (the SDK's tsconfig, outDir bin/), then package.json and README.md beside
        // the output, and `npm pack` of bin/ (the layout the Pulumi providers publish).
        let t0 = Date.now();
        const node = path.join(work, "nodejs");
        fs.cpSync(path.join(sdk, "nodejs"), node, { recursive: true });
        fs.symlinkSync(path.join(root, "node_modules"), path.join(node, "node_modules"), "dir");
        run(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", node]);
        for (const f of ["package.json", "README.md"]) fs.copyFileSync(path.join(node, f), path.join(node, "bin", f));
        const packed = JSON.parse(
            run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dest], { cwd: path.join(node, "bin") }),
        );
        files.push(path.join(dest, packed[0].filename));
        console.log(`gen-sdks: nodejs packed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

        // Python: the wheel and the sdist, by `python -m build` (the pinned tools, no isolated download).
        t0 = Date.now();
        const py = path.join(work, "python");
        fs.cpSync(path.join(sdk, "python"), py, { recursive: true });
        fs.copyFileSync(path.join(py, "pulumi_exotel", "README.md"), path.join(py, "README.md"));
        const pyOut = path.join(work, "python-dist");
        run(pythonBuildEnv(), ["-m", "build", "--no-isolation", "--outdir", pyOut, py]);
        for (const f of fs.readdirSync(pyOut).sort()) {
            fs.copyFileSync(path.join(pyOut, f), path.join(dest, f));
            files.push(path.join(dest, f));
        }
        console.log(`gen-sdks: python built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
    for (const f of files) console.log(`package: ${f}`);
    return files;
}

function main(argv) {
    const opt = (name) => {
        const i = argv.indexOf(name);
        return i >= 0 ? path.resolve(argv[i + 1]) : undefined;
    };
    const packDir = opt("--pack");
    if (packDir) return pack(packDir, opt("--from"));
    generate(opt("--out") ?? path.join(root, "sdk"));
}

if (require.main === module) {
    try {
        main(process.argv.slice(2));
    } catch (e) {
        console.error(`gen-sdks: ${e.message}`);
        process.exit(1);
    }
}

module.exports = { generate, pack, CLI_VERSION, PYTHON_BUILD_PINS };
