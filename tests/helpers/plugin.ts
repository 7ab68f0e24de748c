/**
 * For the provider plugin's engine suites: the release tarball built as a user gets it, the language
 * hosts they need, and the state-file scan every suite ends with.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT } from "../../testing/cli";
import { PLUGIN_VERSION } from "../../provider/plugin/version";

export { PLUGIN_VERSION };

/** Builds the plugin (scripts/build-plugin.js) and returns the release tarball `pulumi plugin install --file` takes. */
export function buildPluginTarball(): string {
    const out = execFileSync(process.execPath, [path.join(ROOT, "scripts/build-plugin.js")], { cwd: ROOT, encoding: "utf8" });
    const m = /release: (\S+\.tar\.gz)/.exec(out);
    if (!m) throw new Error(`build-plugin printed no release tarball:\n${out}`);
    return m[1];
}

/** The directory holding `pulumi-language-<lang>` (scripts/ensure-language-host builds it once). */
export function ensureLanguageHost(lang: "yaml" | "go" | "python"): string {
    const out = execFileSync("bash", [path.join(ROOT, "scripts/ensure-language-host"), lang], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
    });
    return out.trim().split("\n").pop()!;
}

/** Files (under `dirs`) that hold any of `secrets` in plaintext, as "<file>: <secret>" lines. */
export function plaintextSecrets(dirs: string[], secrets: string[]): string[] {
    const found: string[] = [];
    const walk = (d: string) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
            const p = path.join(d, e.name);
            if (e.isDirectory()) {
                if (!["node_modules", "plugins", "sdks", "vendor"].includes(e.name)) walk(p);
            } else if (e.isFile()) {
                const text = fs.readFileSync(p, "utf8");
                for (const s of secrets) if (text.includes(s)) found.push(`${p}: ${s}`);
            }
        }
    };
    for (const d of dirs) walk(d);
    return found;
}

/** One archive of the release, as scripts/release.js lists it in release.json. */
export interface ReleaseArchive {
    platform: string;
    archive: string;
    bytes: number;
    selfContained: boolean;
    node: string;
    seconds: number;
    fromCache: boolean;
}

/** What scripts/release.js wrote: the directory, its archives and checksums file, and the run's seconds and output. */
export interface Release {
    dir: string;
    version: string;
    seconds: number;
    archives: ReleaseArchive[];
    checksums: string;
    output: string;
    /**
     * The npm packages (pulumi-exotel, the Node.js SDK) and the Python SDK's wheel and sdist, relative to `dir`;
     * absent with `--archives-only`.
     */
    npm?: string[];
    python?: string[];
    /** The Go SDK's tag (`sdk/v<version>`). */
    goTag?: string;
}

/** Where npm test puts the release it makes once (scripts/test, before the suites that install from it). */
export const RELEASE_DIR_ENV = "PULUMI_EXOTEL_RELEASE_DIR";
let made: Release | undefined;

/**
 * The release, the whole of one `npm run release -- --dry-run` (archives, checksums, npm and Python packages): the
 * directory in $PULUMI_EXOTEL_RELEASE_DIR when npm test made it once for every suite, else made here once per test
 * file. The suites install from it as users do (the plugin from the loopback release server or its archive, npm
 * packages from the stand-in registry, the Python SDK from its wheel).
 */
export function theRelease(): Release {
    if (made) return made;
    const dir = process.env[RELEASE_DIR_ENV];
    if (dir) {
        made = readRelease(dir);
        if (!made.npm || !made.python) throw new Error(`${dir}/release.json lists no npm or Python packages: not a whole dry run`);
    } else {
        made = buildRelease(fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-exotel-release-")), undefined, true);
    }
    return made;
}

/** A file of the release by its name's ending (e.g. `.whl`, `exotel-exotel-0.1.0.tgz`): its absolute path. */
export function releaseFile(release: Release, ending: string): string {
    const f = [...(release.npm ?? []), ...(release.python ?? [])].filter((x) => x.endsWith(ending));
    if (f.length !== 1) throw new Error(`release ${release.dir}: ${f.length} files end with ${ending}: ${f.join(", ")}`);
    return path.join(release.dir, f[0]);
}

/** `node scripts/release.js --dry-run --out <dir>`: every platform's archive and the checksums file, in `dir`. */
export function buildRelease(dir: string, platforms?: string[], whole = false): Release {
    // The archives only, unless `whole` (the npm and Python packages too: see theRelease).
    const only = platforms ? ["--platform", platforms.join(",")] : whole ? [] : ["--archives-only"];
    const output = execFileSync(process.execPath, [path.join(ROOT, "scripts/release.js"), "--dry-run", ...only, "--out", dir], {
        cwd: ROOT,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
        maxBuffer: 64 * 1024 * 1024,
    });
    return readRelease(dir, output);
}

/** A release directory as scripts/release.js describes it (its release.json), with the checksums file's path. */
function readRelease(dir: string, output = ""): Release {
    const info = JSON.parse(fs.readFileSync(path.join(dir, "release.json"), "utf8")) as Omit<Release, "dir" | "checksums" | "output">;
    return { ...info, dir, checksums: path.join(dir, `pulumi-resource-exotel_${info.version}_checksums.txt`), output };
}

/** An executable's header as scripts/release-inspect.js reads it (format, architecture, the SEA blob, the fuse). */
export interface ExecutableInfo {
    format: "ELF" | "Mach-O" | "PE" | "script";
    arch?: string;
    blob?: { offset: number; size: number; where: string };
    fuse?: "flipped" | "unflipped" | "absent";
    firstLine?: string;
}

export function inspectExecutable(file: string): ExecutableInfo {
    const inspect = require(path.join(ROOT, "scripts/release-inspect.js")) as { inspectExecutable(f: string): ExecutableInfo };
    return inspect.inspectExecutable(file);
}
