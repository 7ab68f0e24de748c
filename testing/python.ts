/**
 * Python programs of the `exotel` provider plugin, as a Python user runs them: the Python SDK's wheel
 * (scripts/gen-sdks.js --pack of sdk/, as it is published) and `pulumi` from the Python package registry,
 * pinned, installed with pip into a virtual environment in the project (Pulumi.yaml's `virtualenv: venv`).
 */
import { execFile, execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { ROOT } from "./cli";

/**
 * The Pulumi Python SDK the programs run on: the release of CLI 3.259 (the engine and language host its
 * gRPC protocol was built with). Its own dependencies (grpcio, protobuf, …) are the ones it pins.
 */
export const PULUMI_PYTHON_SDK = "pulumi==3.259.0";

let packed: { dir: string; files: string[] } | undefined;

/**
 * The SDK packages built from sdk/ (`node scripts/gen-sdks.js --pack`): the npm tarball, the wheel and the
 * sdist, once per process (kept until it exits).
 */
export function sdkPackages(): string[] {
    if (!packed) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-exotel-sdk-packages-"));
        const out = execFileSync(process.execPath, [path.join(ROOT, "scripts", "gen-sdks.js"), "--pack", dir], {
            cwd: ROOT,
            encoding: "utf8",
        });
        const files = [...out.matchAll(/^package: (.+)$/gm)].map((m) => m[1]);
        if (files.length !== 3) throw new Error(`gen-sdks --pack printed ${files.length} packages, not 3:\n${out}`);
        packed = { dir, files };
        process.once("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
    }
    return packed.files;
}

/** The Python SDK's wheel (see {@link sdkPackages}). */
export function pythonSdkWheel(): string {
    return sdkPackages().find((f) => f.endsWith(".whl"))!;
}

/**
 * `python3 -m venv <dir>/venv`, then `pip install pulumi==<pinned> <wheel>` in it: what `pulumi install`
 * does with the example's requirements.txt, with the SDK from the built wheel instead of the registry.
 * pip's own cache (~/.cache/pip) keeps the downloads across runs. Returns the seconds it took.
 */
export async function installVenv(projectDir: string, wheel = pythonSdkWheel()): Promise<number> {
    const t0 = Date.now();
    const venv = path.join(projectDir, "venv");
    const run = promisify(execFile);
    await run("python3", ["-m", "venv", venv]);
    await run(
        path.join(venv, "bin", "python"),
        ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "-q", PULUMI_PYTHON_SDK, wheel],
        { maxBuffer: 16 * 1024 * 1024 },
    );
    return (Date.now() - t0) / 1000;
}
