#!/usr/bin/env node
/**
 * The mutation score per module from StrykerJS's JSON reports (mutation/reports/*.json, one per module, written
 * by `npm run mutation`; build output, not committed), as the
 * README's table: killed + timed out over every mutant that ran or had no test (ignored and
 * compile-error mutants do not count), and the survivors and untested ones by line, for the report.
 *
 *   node scripts/mutation-scores.js            # the table
 *   node scripts/mutation-scores.js --survivors # every surviving or untested mutant, by file and line
 */
const fs = require("fs");
const path = require("path");

const dir = path.join(__dirname, "..", "mutation", "reports");
if (!fs.existsSync(dir) || !fs.readdirSync(dir).some((x) => x.endsWith(".json"))) {
    // Build output, not committed (.gitignore): a fresh checkout has none until a run writes them.
    console.error(`no mutation reports in ${path.relative(process.cwd(), dir) || "."}: run \`npm run mutation\` first`);
    process.exit(1);
}
const report = { files: {} };
for (const f of fs.readdirSync(dir).filter((x) => x.endsWith(".json"))) {
    Object.assign(report.files, JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")).files);
}
const rows = [];
const survivors = [];
let all = { detected: 0, valid: 0 };
for (const [file, { mutants }] of Object.entries(report.files).sort()) {
    const count = (...statuses) => mutants.filter((m) => statuses.includes(m.status)).length;
    const detected = count("Killed", "Timeout");
    const valid = detected + count("Survived", "NoCoverage");
    all = { detected: all.detected + detected, valid: all.valid + valid };
    rows.push(
        `| \`${file}\` | ${valid} | ${count("Killed")} | ${count("Timeout")} | ${count("Survived")} | ${count("NoCoverage")} | ${count("Ignored")} | ${valid ? ((100 * detected) / valid).toFixed(1) : "-"}% |`,
    );
    for (const m of mutants.filter((x) => x.status === "Survived" || x.status === "NoCoverage"))
        survivors.push(`${file}:${m.location.start.line} ${m.status} ${m.mutatorName}: ${JSON.stringify(m.replacement ?? "")}`);
}
if (process.argv.includes("--survivors")) {
    console.log(survivors.join("\n"));
} else {
    console.log("| module | mutants run | killed | timed out | survived | no test | static (not run) | score |");
    console.log("|---|---|---|---|---|---|---|---|");
    console.log(rows.join("\n"));
    console.log(`| **all** | ${all.valid} | | | | | | **${((100 * all.detected) / all.valid).toFixed(1)}%** |`);
}
