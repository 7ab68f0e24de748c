/**
 * The plugin's release as the tests and the benchmark take it: `scripts/release.js --dry-run` into a directory and
 * what its release.json says, and the language hosts (scripts/ensure-language-host) the plugin's programs need.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "./cli";

/** The directory holding `pulumi-language-<lang>` (scripts/ensure-language-host builds it once). */
export function ensureLanguageHost(lang: "yaml" | "go" | "python"): string {
    const out = execFileSync("bash", [path.join(ROOT, "scripts/ensure-language-host"), lang], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
    });
    return out.trim().split("\n").pop()!;
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
export function readRelease(dir: string, output = ""): Release {
    const info = JSON.parse(fs.readFileSync(path.join(dir, "release.json"), "utf8")) as Omit<Release, "dir" | "checksums" | "output">;
    return { ...info, dir, checksums: path.join(dir, `pulumi-resource-exotel_${info.version}_checksums.txt`), output };
}
