#!/usr/bin/env node
/**
 * `npm run mutation`: StrykerJS over the pure modules, one module per run, so every finished module keeps
 * its result even when a long run is stopped (Stryker writes its reports only at the end of a run).
 *
 *   npm run mutation                                   # every module in stryker.config.json's `mutate`
 *   npm run mutation -- provider/exotel/envelope.ts    # chosen modules
 *
 * Each module gets its own incremental file (mutation/incremental/<module>.json: a later run in the same
 * checkout tests only mutants whose code or covering tests changed) and JSON report (mutation/reports/<module>.json),
 * which `node scripts/mutation-scores.js` turns into the README's table. Both are build output (.gitignore):
 * a fresh checkout's first run tests every mutant.
 */
const { execFileSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const ROOT = path.join(__dirname, "..");
const base = JSON.parse(fs.readFileSync(path.join(ROOT, "stryker.config.json"), "utf8"));

function expand(pattern) {
    if (!pattern.includes("*")) return [pattern];
    const dir = path.dirname(pattern);
    const re = new RegExp(`^${path.basename(pattern).replace(/\./g, "\\.").replace(/\*/g, "[^/]*")}$`);
    return fs
        .readdirSync(path.join(ROOT, dir))
        .filter((f) => re.test(f))
        .sort()
        .map((f) => `${dir}/${f}`);
}

const modules = process.argv.slice(2).length ? process.argv.slice(2) : base.mutate.flatMap(expand);
const slug = (m) =>
    m
        .replace(/^provider\//, "")
        .replace(/\.ts$/, "")
        .replace(/\//g, "-");
fs.mkdirSync(path.join(ROOT, "mutation", "reports"), { recursive: true });
fs.mkdirSync(path.join(ROOT, "mutation", "incremental"), { recursive: true });
let failed = 0;
for (const m of modules) {
    const config = {
        ...base,
        mutate: [m],
        incrementalFile: `mutation/incremental/${slug(m)}.json`,
        jsonReporter: { fileName: `mutation/reports/${slug(m)}.json` },
        reporters: ["clear-text", "json"],
    };
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "stryker-")), "stryker.config.json");
    fs.writeFileSync(file, JSON.stringify(config, null, 2));
    const t0 = Date.now();
    console.log(`== ${m}`);
    try {
        execFileSync("npx", ["stryker", "run", file], { cwd: ROOT, stdio: "inherit" });
    } catch {
        failed++;
    }
    console.log(`== ${m}: ${((Date.now() - t0) / 60000).toFixed(1)} min`);
}
process.exitCode = failed ? 1 : 0;
