/**
 * `pulumi-exotel migrate-to-plugin`: reads `pulumi stack export` output, writes the file for
 * `pulumi import --file`, and prints the commands that move the stack's dynamic ExotelTrunks to
 * `exotel:index:Trunk` (import first, then drop the old entries from state). Sends no request anywhere.
 */
import * as fs from "fs";
import { migrationCommands, planMigration } from "./toPlugin";

export const MIGRATE_USAGE = `usage: pulumi-exotel migrate-to-plugin [--state FILE] [--out FILE]

Moves a stack's dynamic ExotelTrunks to the exotel provider plugin's exotel:index:Trunk with zero writes
at Exotel. Reads \`pulumi stack export\` output, writes the file for \`pulumi import --file\` (each trunk by
its sid) and prints the commands to run, in order: the import (it only reads each trunk), then one
\`pulumi state delete\` per old entry (it calls no provider). Then replace the ExotelTrunks in the program
with the code the import generated.

  --state FILE   the stack export (default: - for stdin)
  --out FILE     where to write the import file (default exotel-import.json)
`;

export function migrateToPlugin(args: string[], err: (s: string) => void, out: (s: string) => void, stdin: () => string): number {
    let state = "-";
    let file = "exotel-import.json";
    for (let i = 0; i < args.length; i++) {
        if (args[i] === "--state" && args[i + 1]) state = args[++i];
        else if (args[i] === "--out" && args[i + 1]) file = args[++i];
        else if (args[i] === "--help" || args[i] === "-h") {
            out(MIGRATE_USAGE);
            return 0;
        } else {
            err(`unknown argument ${args[i]}\n${MIGRATE_USAGE}`);
            return 2;
        }
    }
    let plan;
    try {
        plan = planMigration(JSON.parse(state === "-" ? stdin() : fs.readFileSync(state, "utf8")));
    } catch (e) {
        err(`migrate-to-plugin: ${(e as Error).message}\n`);
        return 1;
    }
    for (const s of plan.skipped) err(`migrate-to-plugin: not moved: ${s.urn}: ${s.reason}\n`);
    if (plan.importFile.resources.length === 0) {
        err("migrate-to-plugin: the stack has no dynamic ExotelTrunk to move\n");
        return plan.skipped.length ? 1 : 0;
    }
    fs.writeFileSync(file, `${JSON.stringify(plan.importFile, null, 2)}\n`);
    err(`migrate-to-plugin: wrote ${file} (${plan.importFile.resources.length} trunk(s)); run, in order:\n`);
    out(`${migrationCommands(plan, file).join("\n")}\n`);
    return 0;
}
