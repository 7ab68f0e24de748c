#!/usr/bin/env node
/**
 * `pulumi-exotel`: commands for onboarding and operations, run outside a Pulumi program.
 *
 *   npx pulumi-exotel export-trunks [--out trunks.yaml] [--import-file exotel-import.json] [--import-only] [--force]
 *   npx pulumi-exotel migrate-to-plugin [--state stack.json] [--out exotel-import.json]
 *
 * Reads the Exotel account from the environment only (EXOTEL_ACCOUNT_SID, EXOTEL_API_KEY,
 * EXOTEL_API_TOKEN, EXOTEL_REGION or EXOTEL_BASE_URL): no stack config is read here. Progress on stderr.
 */
import * as fs from "fs";
import { CONFIG_TABLE, resolveConfig } from "../config";
import { importFileText, isSampleTrunksFile, trunksFileText } from "./exportTrunks";
import { listTrunks } from "../lookups";
import { MIGRATE_USAGE, migrateToPlugin } from "../migration/command";

const ENV_LINES = [CONFIG_TABLE.accountSid, CONFIG_TABLE.apiKey, CONFIG_TABLE.apiToken, CONFIG_TABLE.region, CONFIG_TABLE.baseUrl]
    .map((s) => `  ${s.env.padEnd(20)} ${s.doc.split(". Required")[0]}`)
    .join("\n");

export const EXPORT_USAGE = `usage: pulumi-exotel export-trunks [--out FILE] [--import-file FILE] [--import-only] [--force]

Writes every trunk of an Exotel account as a trunks file (for trunksFromFile) whose entries adopt the
existing trunks by name: the first \`pulumi up\` of it changes nothing at Exotel. With --import-file, also
the file for \`pulumi import --file\` that brings every trunk under the provider plugin's exotel:index:Trunk
(each by its sid, named after its trunkName), for a program in any language. Sends only GET requests, paged,
within the account's rate limit (${CONFIG_TABLE.rateLimitRequestsPerWindow.env} per ${CONFIG_TABLE.rateLimitWindowMs.env};
default ${CONFIG_TABLE.rateLimitRequestsPerWindow.default} per ${CONFIG_TABLE.rateLimitWindowMs.default} ms, Exotel's published limit).

  --out FILE          where to write the trunks file (default trunks.yaml; - for stdout)
  --import-file FILE  also write the file for \`pulumi import --file FILE\`
  --import-only       write only the import file (default exotel-import.json) and read only the trunk list
                      (one GET per 50 trunks; \`pulumi import\` reads each trunk itself)
  --force             write over a file that exists (the GitOps template's unchanged sample is replaced without it)
  --help              this text

The account comes from these environment variables (stack config is not read outside a Pulumi program):
${ENV_LINES}
`;

/** Every command's usage (`pulumi-exotel --help`). */
export const USAGE = `${EXPORT_USAGE}\n${MIGRATE_USAGE}`;

export async function main(
    argv: string[],
    err: (s: string) => void = (s) => process.stderr.write(s),
    out: (s: string) => void = (s) => process.stdout.write(s),
    env: Record<string, string | undefined> = process.env,
): Promise<number> {
    const [command, ...rest] = argv;
    if (command === "migrate-to-plugin") return migrateToPlugin(rest, err, out, () => fs.readFileSync(0, "utf8"));
    if (
        command === "--help" ||
        command === "-h" ||
        command === "help" ||
        (command === "export-trunks" && rest.some((a) => a === "--help" || a === "-h"))
    ) {
        out(command === "export-trunks" ? EXPORT_USAGE : USAGE);
        return 0;
    }
    if (command !== "export-trunks") {
        err(`${command === undefined ? "no command given" : `unknown command ${command}`}\n${USAGE}`);
        return 2;
    }
    let file = "trunks.yaml";
    let outGiven = false;
    let importFile: string | undefined;
    let importOnly = false;
    let force = false;
    for (let i = 0; i < rest.length; i++) {
        if (rest[i] === "--out" && rest[i + 1]) {
            file = rest[++i];
            outGiven = true;
        } else if (rest[i] === "--import-file" && rest[i + 1]) importFile = rest[++i];
        else if (rest[i] === "--import-only") importOnly = true;
        else if (rest[i] === "--force") force = true;
        else {
            err(`unknown argument ${rest[i]}\n${EXPORT_USAGE}`);
            return 2;
        }
    }
    if (importOnly && outGiven) {
        err(`export-trunks: --import-only writes no trunks file; drop --out (the import file is --import-file)\n`);
        return 2;
    }
    if (importOnly) importFile ??= "exotel-import.json";
    if (importFile === "-" && !importOnly && file === "-") {
        err(`export-trunks: the trunks file and the import file cannot both go to stdout\n`);
        return 2;
    }
    const settings = resolveConfig(() => undefined, env, undefined, "environment");
    if (!settings.client) {
        err(`export-trunks: the Exotel account is not set:\n  - ${settings.problems.join("\n  - ")}\n`);
        return 2;
    }
    // Every refusal before any request.
    const existing = !importOnly && file !== "-" && fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
    const sample = existing !== undefined && isSampleTrunksFile(existing);
    if (existing !== undefined && !sample && !force) {
        err(`export-trunks: ${file} exists and is not the template's unchanged sample; pass --force to overwrite it\n`);
        return 1;
    }
    if (importFile !== undefined && importFile !== "-" && fs.existsSync(importFile) && !force) {
        err(`export-trunks: ${importFile} exists; pass --force to overwrite it\n`);
        return 1;
    }
    const c = settings.client;
    const trunks = await listTrunks({
        // The account exactly as checked above (the other settings, e.g. rate limits, still from EXOTEL_*).
        connection: { accountSid: c.accountSid, apiKey: c.apiKey, apiToken: c.apiToken, baseUrl: c.baseUrl },
        // The import file needs only each trunk's name and sid: the list pages, one GET per 50 trunks.
        withAttachments: !importOnly,
        onProgress: (done, total) => err(`export-trunks: read ${done} of ${total} trunk(s)\n`),
    });
    const account = settings.accountSid ?? "";
    const where = (f: string, what: string) => (f === "-" ? "stdout" : what);
    if (!importOnly) {
        const text = trunksFileText(trunks, account);
        if (file === "-") out(text);
        else fs.writeFileSync(file, text);
        err(
            `export-trunks: ${trunks.length} trunk(s) of account ${account} written to ${where(file, sample ? `${file} (replacing the template's sample)` : file)}\n`,
        );
    }
    if (importFile !== undefined) {
        const text = importFileText(trunks);
        if (importFile === "-") out(text);
        else fs.writeFileSync(importFile, text);
        err(
            `export-trunks: ${trunks.length} trunk(s) of account ${account} written to ${where(importFile, importFile)} for ` +
                `\`pulumi import --file ${importFile === "-" ? "<file>" : importFile} --yes --out <code file>\`\n`,
        );
    }
    return 0;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (e: Error) => {
            process.stderr.write(`pulumi-exotel: ${e.message}\n`);
            process.exit(1);
        },
    );
}
