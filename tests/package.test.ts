/**
 * What `npm pack` ships: the compiled library and emulator with their type declarations, package.json
 * and README — no scripts, tests, benchmarks, examples, tooling or source maps — and every path the
 * `exports` map and `bin` name is inside it.
 */
import { execFileSync } from "child_process";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const pkg = require(path.join(ROOT, "package.json"));

interface PackInfo {
    files: { path: string; size: number }[];
    size: number;
    unpackedSize: number;
}
const info: PackInfo = JSON.parse(
    execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8" }),
)[0];
const files = info.files.map((f) => f.path).sort();

test("only the library, the emulator, the policy pack, package.json and README are shipped", () => {
    // The policy pack (docs/policy.md): its compiled code (no declarations) and the directory users point the CLI at.
    const pack = ["dist/policy/index.js", "dist/policy/rules.js", "policy/PulumiPolicy.yaml", "policy/package.json"];
    expect(pack.filter((f) => !files.includes(f))).toEqual([]);
    const outside = files.filter(
        (f) =>
            !/^dist\/(provider|emulator)\/([A-Za-z]+\/)*[A-Za-z]+\.(js|d\.ts)$/.test(f) &&
            ![...pack, "package.json", "README.md"].includes(f),
    );
    expect(outside).toEqual([]);
    for (const dir of ["scripts/", "tests/", "bench/", "examples/", "testing/", "dist/scripts/", "dist/testing/", "dist/bench/"]) {
        expect(files.filter((f) => f.startsWith(dir))).toEqual([]);
    }
    expect(files.filter((f) => f.endsWith(".map") || (f.endsWith(".ts") && !f.endsWith(".d.ts")))).toEqual([]);
});

test("every file the exports map and bin point at is in the package", () => {
    const targets: string[] = [];
    for (const v of Object.values(pkg.exports as Record<string, string | Record<string, string>>)) {
        targets.push(...(typeof v === "string" ? [v] : Object.values(v)));
    }
    targets.push(...Object.values(pkg.bin as Record<string, string>), pkg.main, pkg.types);
    for (const t of targets) expect(files).toContain(path.posix.normalize(t));
    // The internal entry the provider proxy in state loads at run time.
    expect(pkg.exports["./runtime"]).toBeDefined();
});

// Measured at 2026-12-04: 142 files, ~133 kB packed, ~469 kB unpacked (the field table's literal types are 25 kB of
// its .d.ts: the shapes every adapter uses are derived from them; README 70 kB). At 2026-12-05 with the policy pack:
// 146 files, 121.0 kB packed, 439.1 kB unpacked (the pack: 4 files, +3.8 kB packed, +11.3 kB unpacked).
test("the package stays small (measured: 146 files, ~121 kB packed, ~439 kB unpacked)", () => {
    expect(files.length).toBeLessThanOrEqual(160);
    expect(info.size).toBeLessThan(150 * 1024);
    expect(info.unpackedSize).toBeLessThan(520 * 1024);
});

test("@pulumi/pulumi is a peer dependency with its floor at 3.139.0 (dynamic-provider configure), never bundled", () => {
    expect(pkg.peerDependencies["@pulumi/pulumi"]).toBe("^3.139.0");
    expect(pkg.dependencies?.["@pulumi/pulumi"]).toBeUndefined();
});
