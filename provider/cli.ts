#!/usr/bin/env node
/**
 * `pulumi-exotel`: commands for onboarding and operations.
 *
 *   npx pulumi-exotel export-trunks [--out trunks.yaml] [--force]
 *
 * Reads the Exotel account like the provider does outside a Pulumi program: EXOTEL_ACCOUNT_SID,
 * EXOTEL_API_KEY, EXOTEL_API_TOKEN, EXOTEL_REGION (or EXOTEL_BASE_URL). Prints progress on stderr.
 */
import * as fs from "fs";
import { trunksFileText } from "./exportTrunks";
import { listTrunks } from "./lookups";

const USAGE = "usage: pulumi-exotel export-trunks [--out FILE (default trunks.yaml; - for stdout)] [--force]";

export async function main(argv: string[], err: (s: string) => void = (s) => process.stderr.write(s)): Promise<number> {
    const [command, ...rest] = argv;
    if (command !== "export-trunks") {
        err(`${USAGE}\n`);
        return command === "--help" || command === "-h" ? 0 : 2;
    }
    let out = "trunks.yaml";
    let force = false;
    for (let i = 0; i < rest.length; i++) {
        if (rest[i] === "--out" && rest[i + 1]) out = rest[++i];
        else if (rest[i] === "--force") force = true;
        else {
            err(`unknown argument ${rest[i]}\n${USAGE}\n`);
            return 2;
        }
    }
    if (out !== "-" && fs.existsSync(out) && !force) {
        err(`${out} exists; pass --force to overwrite it\n`);
        return 1;
    }
    const trunks = await listTrunks({ onProgress: (done, total) => err(`export-trunks: read ${done} of ${total} trunk(s)\n`) });
    const account = trunks[0]?.accountSid ?? process.env.EXOTEL_ACCOUNT_SID ?? "";
    const text = trunksFileText(trunks, account);
    if (out === "-") process.stdout.write(text);
    else fs.writeFileSync(out, text);
    err(`export-trunks: ${trunks.length} trunk(s) of account ${account} written to ${out === "-" ? "stdout" : out}\n`);
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
