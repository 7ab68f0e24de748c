#!/usr/bin/env node
/**
 * `pulumi-exotel`: commands for onboarding and operations, run outside a Pulumi program.
 *
 *   npx pulumi-exotel export-trunks [--out trunks.yaml] [--force]
 *   npx pulumi-exotel migrate-to-plugin [--state stack.json] [--out exotel-import.json]
 *
 * Reads the Exotel account from the environment only (EXOTEL_ACCOUNT_SID, EXOTEL_API_KEY,
 * EXOTEL_API_TOKEN, EXOTEL_REGION or EXOTEL_BASE_URL): no stack config is read here. Progress on stderr.
 */
import * as fs from "fs";
import { CONFIG_TABLE, resolveConfig } from "../config";
import { isSampleTrunksFile, trunksFileText } from "./exportTrunks";
import { listTrunks } from "../lookups";
import { MIGRATE_USAGE, migrateToPlugin } from "../migration/command";

const ENV_LINES = [CONFIG_TABLE.accountSid, CONFIG_TABLE.apiKey, CONFIG_TABLE.apiToken, CONFIG_TABLE.region, CONFIG_TABLE.baseUrl]
    .map((s) => `  ${s.env.padEnd(20)} ${s.doc.split(". Required")[0]}`)
    .join("\n");

export const EXPORT_USAGE = `usage: pulumi-exotel export-trunks [--out FILE] [--force]

Writes every trunk of an Exotel account as a trunks file (for trunksFromFile) whose entries adopt the
existing trunks by name: the first \`pulumi up\` of it changes nothing at Exotel. Sends only GET requests.

  --out FILE   where to write (default trunks.yaml; - for stdout)
  --force      write over FILE when it exists (the GitOps template's unchanged sample is replaced without it)
  --help       this text

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
    let force = false;
    for (let i = 0; i < rest.length; i++) {
        if (rest[i] === "--out" && rest[i + 1]) file = rest[++i];
        else if (rest[i] === "--force") force = true;
        else {
            err(`unknown argument ${rest[i]}\n${EXPORT_USAGE}`);
            return 2;
        }
    }
    const settings = resolveConfig(() => undefined, env, undefined, "environment");
    if (!settings.client) {
        err(`export-trunks: the Exotel account is not set:\n  - ${settings.problems.join("\n  - ")}\n`);
        return 2;
    }
    const existing = file !== "-" && fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
    const sample = existing !== undefined && isSampleTrunksFile(existing);
    if (existing !== undefined && !sample && !force) {
        err(`export-trunks: ${file} exists and is not the template's unchanged sample; pass --force to overwrite it\n`);
        return 1;
    }
    const c = settings.client;
    const trunks = await listTrunks({
        // The account exactly as checked above (the other settings, e.g. rate limits, still from EXOTEL_*).
        connection: { accountSid: c.accountSid, apiKey: c.apiKey, apiToken: c.apiToken, baseUrl: c.baseUrl },
        onProgress: (done, total) => err(`export-trunks: read ${done} of ${total} trunk(s)\n`),
    });
    const account = settings.accountSid ?? "";
    const text = trunksFileText(trunks, account);
    if (file === "-") out(text);
    else fs.writeFileSync(file, text);
    const where = file === "-" ? "stdout" : sample ? `${file} (replacing the template's sample)` : file;
    err(`export-trunks: ${trunks.length} trunk(s) of account ${account} written to ${where}\n`);
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
