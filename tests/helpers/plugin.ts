/**
 * For the provider plugin's engine suites: the release tarball built as a user gets it, the language
 * hosts they need, and the state-file scan every suite ends with.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT } from "../../testing/cli";
import { buildRelease, readRelease, Release } from "../../testing/release";
import { PLUGIN_VERSION } from "../../provider/plugin/version";

export { PLUGIN_VERSION };
export { buildRelease, ensureLanguageHost } from "../../testing/release";
export type { Release, ReleaseArchive } from "../../testing/release";

/** Builds the plugin (scripts/build-plugin.js) and returns the release tarball `pulumi plugin install --file` takes. */
export function buildPluginTarball(): string {
    const out = execFileSync(process.execPath, [path.join(ROOT, "scripts/build-plugin.js")], { cwd: ROOT, encoding: "utf8" });
    const m = /release: (\S+\.tar\.gz)/.exec(out);
    if (!m) throw new Error(`build-plugin printed no release tarball:\n${out}`);
    return m[1];
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
