/**
 * The release as users get it: the whole of one `npm run release -- --dry-run` (npm test makes it once, before the
 * suites that install from it; run alone, this suite makes its own: tests/helpers/plugin.ts theRelease): an archive
 * per platform Pulumi supports, named as the engine looks them up, a checksums file, and the npm and Python
 * packages the release workflow publishes.
 *   - the directory holds exactly the files the workflow publishes, and each package is what its name says (the
 *     npm package's and the SDK's package.json, the wheel's metadata: name and version from package.json);
 *   - the linux-amd64 archive, installed with `pulumi plugin install … --file`, runs a real YAML program
 *     (examples/yaml-trunk: up, preview --expect-no-changes, destroy with the seed's DELETE per trunk) with
 *     `node` removed from PATH: its executable is a Node single executable application;
 *   - every other archive is checked from its files and headers: the format and architecture (ELF e_machine,
 *     Mach-O cputype, PE machine), the application blob (ELF note, Mach-O section, PE resource NODE_SEA_BLOB)
 *     and Node's fuse flipped, the entry point the engine runs (`pulumi-resource-exotel.exe` on Windows), and
 *     where no Node 24 binary exists, the launcher and the bundle with the launcher naming `node` >= 20.
 * Current lane only (CLI 3.259, YAML host v1.38.3). Sizes and build time go to the suite's report.
 */
import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DEMO_ACCOUNT, startEmulator } from "../emulator";
import { ConsumerProject, ensurePulumi } from "../testing/consumer";
import { ensureLanguageHost, inspectExecutable, PLUGIN_VERSION, Release, releaseFile, theRelease } from "./helpers/plugin";
import { ACC, PluginSuite, SECOND } from "./helpers/pluginSuite";

jest.setTimeout(900_000);

const suite = new PluginSuite("yaml-trunk", "yaml", "pbx_password_never_plain_r");
/** This suite's report (not the YAML suite's file, which the same job writes). */
const reportFile = path.join(os.tmpdir(), `pulumi-exotel-plugin-release-${suite.lane.name}.log`);
const report = (suite.report = (line: string) => fs.appendFileSync(reportFile, line + "\n"));
let release: Release;
let base: string;
/** The archive's files, extracted into a directory of its own. */
const extracted = new Map<string, string>();

const PLATFORMS = ["linux-amd64", "linux-arm64", "darwin-amd64", "darwin-arm64", "windows-amd64", "windows-arm64"];
const FORMAT: Record<string, string> = { linux: "ELF", darwin: "Mach-O", windows: "PE" };
/** The platforms npm serves a Node.js 24 binary for (scripts/release.js PLATFORMS). */
const SELF_CONTAINED = ["linux-amd64", "linux-arm64", "darwin-amd64", "windows-amd64"];
/** The plugin's Node.js flags (scripts/build-plugin.js). */
const { NODE_FLAGS } = require("../scripts/build-plugin") as { NODE_FLAGS: string[] };

beforeAll(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-exotel-release-test-"));
    fs.writeFileSync(reportFile, `# exotel plugin release archives, node ${process.version}\n`);
    const t0 = Date.now();
    release = theRelease();
    report(
        `release ${release.dir} ready after ${((Date.now() - t0) / 1000).toFixed(1)} s (release.js: ${release.seconds.toFixed(1)} s)\n${release.output}`,
    );
    for (const a of release.archives) {
        const dir = path.join(base, "x", a.platform);
        fs.mkdirSync(dir, { recursive: true });
        execFileSync("tar", ["-xzf", path.join(release.dir, a.archive), "-C", dir]);
        extracted.set(a.platform, dir);
    }
});
afterAll(async () => {
    await suite.close();
    if (base) fs.rmSync(base, { recursive: true, force: true });
});

test("an archive per platform, named as the engine looks it up, each in the checksums file with its sha256", () => {
    expect(release.archives.map((a) => a.platform)).toEqual(PLATFORMS);
    expect(release.archives.map((a) => a.archive)).toEqual(PLATFORMS.map((p) => `pulumi-resource-exotel-v${PLUGIN_VERSION}-${p}.tar.gz`));
    const sums = fs.readFileSync(release.checksums, "utf8");
    const expected = release.archives
        .map(
            (a) =>
                `${crypto
                    .createHash("sha256")
                    .update(fs.readFileSync(path.join(release.dir, a.archive)))
                    .digest("hex")}  ${a.archive}\n`,
        )
        .join("");
    expect(sums).toBe(expected);
    for (const a of release.archives) {
        report(
            `  ${a.archive}: ${(a.bytes / 1048576).toFixed(1)} MiB, ${a.selfContained ? "self-contained" : "launcher + bundle"} (${a.node})`,
        );
    }
    expect(release.archives.filter((a) => a.selfContained).map((a) => a.platform)).toEqual(SELF_CONTAINED);
});

test.each(SELF_CONTAINED)(
    "%s: a Node single executable application of its platform's format and architecture, with the blob",
    (platform) => {
        const [osName, arch] = platform.split("-");
        const dir = extracted.get(platform)!;
        const exe = osName === "windows" ? "pulumi-resource-exotel.exe" : "pulumi-resource-exotel";
        expect(fs.readdirSync(dir).sort()).toEqual([exe, "NODE-LICENSE.txt", "exotel-plugin.js.LEGAL.txt", "schema.json"].sort());
        const info = inspectExecutable(path.join(dir, exe));
        report(`  ${platform}: ${JSON.stringify(info)}`);
        expect(info).toMatchObject({ format: FORMAT[osName], arch, fuse: "flipped" });
        expect(info.blob?.size).toBeGreaterThan(1_000_000); // the bundle is ~2.6 MB
        if (osName !== "windows") expect(fs.statSync(path.join(dir, exe)).mode & 0o111).toBe(0o111);
        // The blob holds the bundle's own text (no code cache, no snapshot).
        const bytes = fs.readFileSync(path.join(dir, exe));
        const blob = bytes.subarray(info.blob!.offset, info.blob!.offset + info.blob!.size);
        expect(blob.includes("pulumi-resource-exotel: this build of the exotel plugin needs Node.js >= 20")).toBe(true);
        // The plugin's Node.js flags, as the blob's execArgv (the launchers pass the same).
        for (const flag of NODE_FLAGS) expect(blob.includes(flag)).toBe(true);
        expect(JSON.parse(fs.readFileSync(path.join(dir, "schema.json"), "utf8"))).toMatchObject({
            name: "exotel",
            version: PLUGIN_VERSION,
        });
    },
);

test.each(["darwin-arm64", "windows-arm64"])(
    "%s: no Node 24 binary on npm, so the launcher and the bundle; the launcher names node >= 20",
    (platform) => {
        const dir = extracted.get(platform)!;
        const launcher = platform.startsWith("windows") ? "pulumi-resource-exotel.cmd" : "pulumi-resource-exotel";
        expect(fs.readdirSync(dir).sort()).toEqual([launcher, "exotel-plugin.js", "exotel-plugin.js.LEGAL.txt", "schema.json"].sort());
        const text = fs.readFileSync(path.join(dir, launcher), "utf8");
        expect(text).toMatch(/needs Node\.js \^?>= 20 on PATH/);
        expect(inspectExecutable(path.join(dir, launcher)).format).toBe("script");
        if (launcher.endsWith(".cmd")) expect(text).toContain(`node ${NODE_FLAGS.join(" ")} "%~dp0exotel-plugin.js" %*`);
        else {
            expect(text).toContain(`exec node ${NODE_FLAGS.join(" ")} "$(dirname "$0")/exotel-plugin.js" "$@"`);
            // Without node on PATH it says what is missing.
            const r = (() => {
                try {
                    execFileSync("/bin/sh", [path.join(dir, launcher)], { env: { PATH: "/nonexistent" }, stdio: "pipe" });
                    return "started";
                } catch (e) {
                    return String((e as { stderr: Buffer }).stderr);
                }
            })();
            expect(r).toMatch(/needs Node\.js >= 20 on PATH \(no node found/);
        }
    },
);

test("the directory holds exactly what the release workflow publishes; each package's name and version come from package.json", () => {
    const files = (d: string): string[] =>
        fs
            .readdirSync(d, { withFileTypes: true })
            .flatMap((e) => (e.isDirectory() ? files(path.join(d, e.name)).map((f) => `${e.name}/${f}`) : [e.name]));
    const v = PLUGIN_VERSION;
    expect(files(release.dir).sort()).toEqual(
        [
            ...PLATFORMS.map((p) => `pulumi-resource-exotel-v${v}-${p}.tar.gz`),
            `pulumi-resource-exotel_${v}_checksums.txt`,
            "release.json",
            `npm/pulumi-exotel-${v}.tgz`,
            `npm/pulumi-exotel-exotel-${v}.tgz`,
            `python/pulumi_exotel-${v}-py3-none-any.whl`,
            `python/pulumi_exotel-${v}.tar.gz`,
        ].sort(),
    );
    expect(release.goTag).toBe(`sdk/v${v}`);
    const manifest = (tgz: string) =>
        JSON.parse(execFileSync("tar", ["-xOzf", tgz, "package/package.json"], { encoding: "utf8" })) as Record<string, unknown>;
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8")) as { version: string; repository: unknown };
    expect(manifest(releaseFile(release, `npm/pulumi-exotel-${v}.tgz`))).toMatchObject({ name: "pulumi-exotel", version: pkg.version });
    expect(manifest(releaseFile(release, `exotel-exotel-${v}.tgz`))).toMatchObject({
        name: "@pulumi-exotel/exotel",
        version: pkg.version,
        pulumi: { resource: true, name: "exotel", version: pkg.version },
    });
    // The package is built from scratch: its entry points are in it.
    const listed = execFileSync("tar", ["-tzf", releaseFile(release, `npm/pulumi-exotel-${v}.tgz`)], { encoding: "utf8" }).split("\n");
    expect(listed).toEqual(
        expect.arrayContaining(["package/dist/provider/index.js", "package/dist/provider/gitops/cli.js", "package/dist/emulator/cli.js"]),
    );
    const wheel = releaseFile(release, ".whl");
    const metadata = execFileSync(
        "python3",
        [
            "-c",
            `import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); print(z.read("pulumi_exotel-${v}.dist-info/METADATA").decode())`,
            wheel,
        ],
        {
            encoding: "utf8",
        },
    );
    expect(metadata).toMatch(new RegExp(`^Name: pulumi_exotel$`, "m"));
    expect(metadata).toMatch(new RegExp(`^Version: ${v.replace(/\./g, "\\.")}$`, "m"));
    report(`  ${files(release.dir).length} files; packages: ${[...release.npm!, ...release.python!].join(", ")}; Go tag ${release.goTag}`);
});

test("linux-amd64 with no node on PATH: the archive installed, a YAML program's up, preview --expect-no-changes, destroy with the seed's DELETEs", async () => {
    const archive = path.join(release.dir, `pulumi-resource-exotel-v${PLUGIN_VERSION}-linux-amd64.tar.gz`);
    const lane = suite.lane;
    // PATH: the CLI and the YAML language host only.
    const cliDirs = [ensurePulumi(lane.cliVersion), ensureLanguageHost("yaml")];
    for (const d of cliDirs) expect(fs.existsSync(path.join(d, "node"))).toBe(false);
    suite.emu = await startEmulator({
        accounts: {
            [ACC]: { apiKey: DEMO_ACCOUNT.apiKey, apiToken: DEMO_ACCOUNT.apiToken },
            [SECOND.accountSid]: { apiKey: SECOND.apiKey, apiToken: SECOND.apiToken },
        },
    });
    const p = (suite.p = ConsumerProject.create({
        example: "yaml-trunk",
        tarball: archive,
        lane,
        cliDir: cliDirs.join(path.delimiter),
        log: report,
    }));
    p.env.PATH = cliDirs.join(path.delimiter);
    suite.tarball = archive;
    const which = await p.run("/bin/sh", ["-c", "command -v node || echo 'no node on PATH'"]);
    report(`  PATH=${p.env.PATH}: ${which.stdout.trim()}`);
    expect(which.stdout.trim()).toBe("no node on PATH");

    const install = await p.pulumi("plugin", "install", "resource", "exotel", PLUGIN_VERSION, "--file", archive);
    report(install.stdout + install.stderr);
    const installed = path.join(p.env.PULUMI_HOME!, "plugins", `resource-exotel-v${PLUGIN_VERSION}`, "pulumi-resource-exotel");
    expect(inspectExecutable(installed)).toMatchObject({ format: "ELF", arch: "amd64", fuse: "flipped" });

    await suite.freshStack("rel");
    const up = await p.pulumi("up", "--yes");
    report(up.stdout);
    const outs = await p.outputs();
    const primary = outs.primaryTrunkSid as string;
    const second = outs.secondTrunkSid as string;
    expect(suite.trunksOf(ACC).map((t) => t.trunk_sid)).toEqual([primary]);
    expect(suite.trunksOf(SECOND.accountSid).map((t) => t.trunk_sid)).toEqual([second]);
    expect(new Set(suite.accountKeys())).toEqual(new Set([`${ACC} ${DEMO_ACCOUNT.apiKey}`, `${SECOND.accountSid} ${SECOND.apiKey}`]));
    await p.pulumi("preview", "--expect-no-changes");

    suite.emu.clearLog();
    await p.pulumi("destroy", "--yes");
    expect(
        suite
            .writes()
            .map((r) => `${r.method} ${r.url} ${r.authUser}`)
            .sort(),
    ).toEqual(suite.seedDeletes(primary, second));
    expect([suite.trunksOf(ACC), suite.trunksOf(SECOND.accountSid)]).toEqual([[], []]);
});
