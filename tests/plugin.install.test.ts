/**
 * Zero-step install: the engine installs the `exotel` plugin by itself, from the release, the first time a
 * program needs it. Offline: the release directory (scripts/release.js --dry-run, in a directory of this suite's
 * own; cached) served by a loopback server as GitHub serves a release's assets (testing/releaseServer.ts), and
 * PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES sending the schema's pluginDownloadURL
 * (github://api.github.com/<owner>/<repo>) there. Each program gets a fresh PULUMI_HOME, no `pulumi plugin
 * install`, automatic plugin acquisition on, no `pulumi-resource-exotel` on PATH:
 *   - a YAML program (examples/yaml-trunk): YAML has no SDK to carry the pluginDownloadURL, so the project holds a
 *     package declaration (sdks/exotel/exotel-<version>.yaml: `packageDeclarationVersion: 1`, name, version,
 *     downloadUrl; what `pulumi package add` writes for YAML), which pulumi-yaml reports to the engine for every
 *     exotel resource, function and explicit provider;
 *   - a Python program (examples/python-trunk) with the SDK's wheel, whose pulumi-plugin.json names the server;
 *   - a TypeScript program (examples/ts-plugin-trunk) whose `npm install` takes the Node.js SDK
 *     (`@pulumi-exotel/exotel`) from a stand-in npm registry serving the release's npm packages (testing/registry.ts;
 *     everything else from the npm registry): its package.json's `pulumi.server` names the server.
 *   - a Go program (examples/go-trunk) whose `go get github.com/pulumi-exotel/pulumi-exotel/sdk/go/exotel` (then `go mod tidy`) takes the
 *     SDK's module from a stand-in Go module proxy serving what the tag `sdk/v<version>` holds (testing/goProxy.ts;
 *     every other module from the public proxy): its pulumi-plugin.json names the server.
 * Every file comes from the release (tests/helpers/plugin.ts theRelease: npm test's one `npm run release --
 * --dry-run`). Each runs `up` (both trunks, each account with its own key) and `destroy` (the seed's DELETE per trunk); the
 * server shows the engine fetched the linux-amd64 archive, once, and what is then in PULUMI_HOME/plugins is that
 * archive's Node single executable application. Current lane only (CLI 3.259, YAML host v1.38.3).
 */
import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DEMO_ACCOUNT, startEmulator } from "../emulator";
import { ConsumerProject, ensurePulumi, RunResult } from "../testing/consumer";
import { LocalRegistry, startRegistry } from "../testing/registry";
import { GoProxy, startGoProxy } from "../testing/goProxy";
import { ROOT } from "../testing/cli";

import { installVenv, PULUMI_PYTHON_SDK } from "../testing/python";
import { ReleaseServer } from "../testing/releaseServer";
import { REPOSITORY } from "../provider/plugin/version";
import { ensureLanguageHost, inspectExecutable, PLUGIN_VERSION, Release, releaseFile, theRelease } from "./helpers/plugin";
import { ACC, PluginSuite, SECOND, toolsWithoutNode } from "./helpers/pluginSuite";

jest.setTimeout(300_000);

const yaml = new PluginSuite("yaml-trunk", "yaml", "pbx_password_never_plain_z1");
const python = new PluginSuite("python-trunk", "python", "pbx_password_never_plain_z2");
const ts = new PluginSuite("ts-plugin-trunk", "nodejs", "pbx_password_never_plain_z3");
const go = new PluginSuite("go-trunk", "go", "pbx_password_never_plain_z4");
/** This suite's report (not the YAML or Python suite's file, which the same job writes). */
const reportFile = path.join(os.tmpdir(), `pulumi-exotel-plugin-install-${yaml.lane.name}.log`);
const report = (line: string) => fs.appendFileSync(reportFile, line + "\n");
yaml.report = python.report = ts.report = go.report = report;

const ARCHIVE = `pulumi-resource-exotel-v${PLUGIN_VERSION}-linux-amd64.tar.gz`;
const TAG = `v${PLUGIN_VERSION}`;
const REPO = `${REPOSITORY.owner}/${REPOSITORY.name}`;

let base: string;
let release: Release;
let server: ReleaseServer;
/** The executable in the linux-amd64 archive. */
let archived: Buffer;
let venv: Promise<number>;
let registry: LocalRegistry;
let npmInstall: Promise<RunResult>;
let goProxy: GoProxy;
const GO_MODULE = `github.com/${REPO}/sdk`;

/** The Go toolchain's directory (a Go user has `go` on PATH). */
const GO_BIN = path.dirname(execFileSync("bash", ["-c", "command -v go"], { encoding: "utf8" }).trim());

/** The example copied outside the checkout with a fresh PULUMI_HOME, the emulator, stack `dev`; nothing installed. */
async function open(suite: PluginSuite): Promise<ConsumerProject> {
    const cliDir = [ensurePulumi(suite.lane.cliVersion), ...(suite.language === "nodejs" ? [] : [ensureLanguageHost(suite.language)])].join(
        path.delimiter,
    );
    suite.emu = await startEmulator({
        accounts: {
            [ACC]: { apiKey: DEMO_ACCOUNT.apiKey, apiToken: DEMO_ACCOUNT.apiToken },
            [SECOND.accountSid]: { apiKey: SECOND.apiKey, apiToken: SECOND.apiToken },
        },
    });
    const p = (suite.p = ConsumerProject.create({
        example: suite.example,
        tarball: "",
        lane: suite.lane,
        cliDir,
        baseDir: fs.mkdtempSync(path.join(base, `${suite.language}-`)),
        log: report,
    }));
    delete p.env.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION;
    p.env.PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES = server.overrides;
    // As a user with only the CLI (and Python or Go) has it: no `node` on PATH (the plugin is a Node single
    // executable); a TypeScript user has node (this run's), a Go user the Go toolchain.
    const runtime = { nodejs: [path.dirname(process.execPath)], go: [GO_BIN], yaml: [], python: [] }[suite.language];
    p.env.PATH = [cliDir, ...runtime, toolsWithoutNode()].join(path.delimiter);
    return p;
}

const pluginsDir = (p: ConsumerProject) => path.join(p.env.PULUMI_HOME!, "plugins");

beforeAll(async () => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-exotel-install-test-"));
    fs.writeFileSync(reportFile, `# exotel plugin, zero-step install, lane ${yaml.lane.name}: node ${process.version}\n`);
    const t0 = Date.now();
    release = theRelease();
    report(`release ${release.dir} ready after ${((Date.now() - t0) / 1000).toFixed(1)} s (release.js: ${release.seconds.toFixed(1)} s)`);
    const x = path.join(base, "x");
    fs.mkdirSync(x);
    execFileSync("tar", ["-xzf", path.join(release.dir, ARCHIVE), "-C", x]);
    archived = fs.readFileSync(path.join(x, "pulumi-resource-exotel"));
    server = await ReleaseServer.start({ dir: release.dir, repository: REPO, tag: TAG });
    report(`release server ${server.downloadUrl}\nPULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES=${server.overrides}`);
    // The Python project's virtualenv is made while the YAML program runs.
    const wheel = releaseFile(release, ".whl");
    await open(python);
    venv = installVenv(python.p.dir, wheel);
    venv.catch(() => undefined);
    // The TypeScript project's `npm install` (the SDK from the stand-in registry), also while the YAML program runs.
    registry = await startRegistry(release.npm!.map((f) => path.join(release.dir, f)));
    await open(ts);
    npmInstall = ts.p.run("npm", ["install", "--no-audit", "--no-fund"], { npm_config_registry: registry.url, PATH: process.env.PATH });
    npmInstall.catch(() => undefined);
    // The Go project's `go get` of the SDK from the stand-in module proxy, too. The module cache is shared with
    // other runs: the SDK's version is removed from it first, so that it comes from this proxy (this commit's sdk/).
    goProxy = await startGoProxy({ root: ROOT, dir: "sdk", module: GO_MODULE, version: `v${PLUGIN_VERSION}` });
    await open(go);
    const modcache = execFileSync("go", ["env", "GOMODCACHE"], { encoding: "utf8" }).trim();
    for (const d of [
        path.join(modcache, "github.com", REPOSITORY.owner),
        path.join(modcache, "cache", "download", "github.com", REPOSITORY.owner),
    ]) {
        if (fs.existsSync(d)) execFileSync("chmod", ["-R", "u+w", d]);
        fs.rmSync(d, { recursive: true, force: true });
    }
    Object.assign(go.p.env, {
        GOPROXY: `${goProxy.url},https://proxy.golang.org`,
        GONOSUMDB: `github.com/${REPOSITORY.owner}`,
        GOFLAGS: "-buildvcs=false -modcacherw",
    });
    await open(yaml);
});
afterAll(async () => {
    await venv?.catch(() => undefined);
    await npmInstall?.catch(() => undefined);
    await goProxy?.close();
    await go.close();
    await registry?.close();
    await ts.close();
    await yaml.close();
    await python.close();
    await server?.close();
    if (base) fs.rmSync(base, { recursive: true, force: true });
});

/**
 * `up` then `destroy` of the suite's program with nothing installed: the engine downloads the linux-amd64
 * archive from the release server (once) and installs its executable.
 */
async function upAndDestroy(suite: PluginSuite, afterFreshStack?: () => Promise<void>, beforeDestroy?: () => Promise<void>): Promise<void> {
    const p = suite.p;
    const which = await p.run("/bin/sh", ["-c", "command -v pulumi-resource-exotel || echo none; command -v node || echo none"]);
    expect(which.stdout.trim().split("\n")).toEqual(["none", suite.language === "nodejs" ? process.execPath : "none"]);
    expect(fs.existsSync(path.join(pluginsDir(p), `resource-exotel-v${PLUGIN_VERSION}`))).toBe(false);
    await suite.freshStack("dev");
    await afterFreshStack?.();
    server.clearLog();

    const up = await p.run("pulumi", ["up", "--yes"]);
    report(`--- ${suite.language}: up\n${up.stdout}\n${up.stderr}`);
    for (const r of server.requests) report(`  release server: ${r.method} ${r.path} -> ${r.status} (${r.bytes} bytes; ${r.userAgent})`);
    expect(up.code).toBe(0);
    // What the engine asked for: the release's linux-amd64 asset, redirected to its storage URL as GitHub does.
    const sha = crypto
        .createHash("sha256")
        .update(fs.readFileSync(path.join(release.dir, ARCHIVE)))
        .digest("hex");
    expect(server.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
        `GET /${REPO}/releases/download/${TAG}/${ARCHIVE} 302`,
        `GET /_assets/${sha}/${ARCHIVE} 200`,
    ]);
    expect(server.served()).toEqual([ARCHIVE]);
    expect(server.requests[1].bytes).toBe(fs.statSync(path.join(release.dir, ARCHIVE)).size);

    // What the engine installed: that archive's single executable application.
    const installed = path.join(pluginsDir(p), `resource-exotel-v${PLUGIN_VERSION}`, "pulumi-resource-exotel");
    expect(inspectExecutable(installed)).toMatchObject({ format: "ELF", arch: "amd64", fuse: "flipped" });
    expect(fs.readFileSync(installed).equals(archived)).toBe(true);
    expect(
        fs
            .readdirSync(pluginsDir(p), { withFileTypes: true })
            .filter((d) => d.isDirectory())
            .map((d) => d.name),
    ).toEqual([`resource-exotel-v${PLUGIN_VERSION}`]);

    const outs = await p.outputs();
    const primary = outs.primaryTrunkSid as string;
    const second = outs.secondTrunkSid as string;
    expect(suite.trunksOf(ACC).map((t) => t.trunk_sid)).toEqual([primary]);
    expect(suite.trunksOf(SECOND.accountSid).map((t) => t.trunk_sid)).toEqual([second]);
    expect(new Set(suite.accountKeys())).toEqual(new Set([`${ACC} ${DEMO_ACCOUNT.apiKey}`, `${SECOND.accountSid} ${SECOND.apiKey}`]));
    await beforeDestroy?.();

    suite.emu.clearLog();
    await p.pulumi("destroy", "--yes");
    expect(
        suite
            .writes()
            .map((r) => `${r.method} ${r.url} ${r.authUser}`)
            .sort(),
    ).toEqual(suite.seedDeletes(primary, second));
    expect([suite.trunksOf(ACC), suite.trunksOf(SECOND.accountSid)]).toEqual([[], []]);
    // Installed once: nothing more was fetched.
    expect(server.served()).toEqual([ARCHIVE]);
}

test("YAML: with the package declaration naming the pluginDownloadURL, up downloads and installs the plugin, destroy deletes with it", async () => {
    const p = yaml.p;
    // What `pulumi package add` writes for a YAML project (sdks/<name>/<name>-<version>.yaml, pulumi-yaml's
    // GeneratePackage): the package's name, version and download URL; pulumi-yaml reads any such file under the
    // project and reports the package to the engine with them.
    const decl = path.join(p.dir, "sdks", "exotel", `exotel-${PLUGIN_VERSION}.yaml`);
    const text = `packageDeclarationVersion: 1\nname: exotel\nversion: ${PLUGIN_VERSION}\ndownloadUrl: github://api.github.com/${REPO}\n`;
    fs.mkdirSync(path.dirname(decl), { recursive: true });
    fs.writeFileSync(decl, text);
    report(`--- yaml: ${path.relative(p.dir, decl)}\n${text}`);
    await upAndDestroy(yaml);
});

test("Python: the SDK's pulumi-plugin.json names the pluginDownloadURL; up downloads and installs the plugin, destroy deletes with it", async () => {
    const seconds = await venv;
    report(`  venv (${PULUMI_PYTHON_SDK}, the SDK's wheel) ready after ${seconds.toFixed(1)} s`);
    const manifest = path.join(python.p.dir, "venv", "lib");
    const found = execFileSync("find", [manifest, "-path", "*pulumi_exotel/pulumi-plugin.json"], { encoding: "utf8" }).trim();
    expect(JSON.parse(fs.readFileSync(found, "utf8"))).toMatchObject({
        resource: true,
        name: "exotel",
        version: PLUGIN_VERSION,
        server: `github://api.github.com/${REPO}`,
    });
    await upAndDestroy(python);
});

test("TypeScript: npm install takes the Node.js SDK from the registry; its package.json names the pluginDownloadURL; up downloads and installs the plugin, the example passes the policy pack, destroy deletes with it", async () => {
    const installed = await npmInstall;
    report(`--- nodejs: npm install (registry ${registry.url})\n${installed.stdout}\n${installed.stderr}`);
    expect(installed.code).toBe(0);
    const sdkTarball = releaseFile(release, `exotel-exotel-${PLUGIN_VERSION}.tgz`);
    // The SDK came from the stand-in registry (its packument) and is the release's tarball: npm may answer the
    // tarball from its cache by integrity (and then writes no `resolved`), so the lockfile's integrity is the witness.
    expect(registry.requests).toContain("/@pulumi-exotel%2fexotel");
    const lock = JSON.parse(fs.readFileSync(path.join(ts.p.dir, "package-lock.json"), "utf8")) as {
        packages: Record<string, { version?: string; integrity?: string }>;
    };
    expect(lock.packages["node_modules/@pulumi-exotel/exotel"]).toMatchObject({
        version: PLUGIN_VERSION,
        integrity: "sha512-" + crypto.createHash("sha512").update(fs.readFileSync(sdkTarball)).digest("base64"),
    });
    const manifest = JSON.parse(
        fs.readFileSync(path.join(ts.p.dir, "node_modules", "@pulumi-exotel", "exotel", "package.json"), "utf8"),
    ) as {
        pulumi: unknown;
    };
    expect(manifest.pulumi).toEqual({ resource: true, name: "exotel", version: PLUGIN_VERSION, server: `github://api.github.com/${REPO}` });
    // The example passes the policy pack (installed beside it, as for YAML, Python and Go: the project has only the SDK).
    await upAndDestroy(ts, undefined, () => ts.expectPolicyPasses());
});

test("Go: go get takes the SDK's module from the module proxy; its pulumi-plugin.json names the pluginDownloadURL; up downloads and installs the plugin, destroy deletes with it", async () => {
    // After the stack's project is made from the example's files again (freshStack), as a user adds the SDK.
    await upAndDestroy(go, async () => {
        const got = await go.p.run("/bin/sh", ["-c", `go get ${GO_MODULE}/go/exotel && go mod tidy`]);
        report(`--- go: go get ${GO_MODULE}/go/exotel && go mod tidy (GOPROXY=${go.p.env.GOPROXY})\n${got.stdout}\n${got.stderr}`);
        expect(got.code).toBe(0);
        expect(got.stderr).toContain(`go: added ${GO_MODULE} v${PLUGIN_VERSION}`);
        expect(goProxy.requests).toEqual(expect.arrayContaining([`/${GO_MODULE}/@v/v${PLUGIN_VERSION}.zip`]));
        const modcache = execFileSync("go", ["env", "GOMODCACHE"], { encoding: "utf8" }).trim();
        const plugin = path.join(modcache, `${GO_MODULE}@v${PLUGIN_VERSION}`, "go", "exotel", "pulumi-plugin.json");
        expect(JSON.parse(fs.readFileSync(plugin, "utf8"))).toEqual({
            resource: true,
            name: "exotel",
            version: PLUGIN_VERSION,
            server: `github://api.github.com/${REPO}`,
        });
    });
});
