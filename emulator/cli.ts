#!/usr/bin/env node
/**
 * pulumi-exotel-emulator: runs the Exotel emulator until interrupted and prints its base URL.
 *
 *   pulumi-exotel-emulator [--port N] [--host 127.0.0.1] [--account SID:KEY:TOKEN]...
 *                          [--persist state.json] [--unknown-trunk 404|403] [--duplicate-status 200|409]
 *                          [--rate-limit REQUESTS/WINDOW_MS] [--max-concurrent N] [--time-scale X]
 *
 * Without --account it serves one demo account (printed). Admin endpoints: GET/DELETE /__emulator/requests,
 * GET /__emulator/state, POST/DELETE /__emulator/faults, POST /__emulator/reset, POST /__emulator/options.
 */
import { DEMO_ACCOUNT, EmulatorAccount, EmulatorOptions, startEmulator } from "./server";

export function parseArgs(argv: string[]): EmulatorOptions {
    const o: EmulatorOptions = {};
    const accounts: Record<string, EmulatorAccount> = {};
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const next = () => {
            const v = argv[++i];
            if (v === undefined) throw new Error(`${a} needs a value`);
            return v;
        };
        switch (a) {
            case "--port":
                o.port = Number(next());
                break;
            case "--host":
                o.host = next();
                break;
            case "--persist":
                o.persistPath = next();
                break;
            case "--unknown-trunk": {
                const v = next();
                if (v !== "404" && v !== "403") throw new Error("--unknown-trunk takes 404 or 403");
                o.unknownTrunk = v;
                break;
            }
            case "--duplicate-status": {
                const v = Number(next());
                if (v !== 200 && v !== 409) throw new Error("--duplicate-status takes 200 or 409");
                o.duplicateTrunkHttpStatus = v;
                break;
            }
            case "--account": {
                const [sid, key, ...token] = next().split(":");
                if (!sid || !key || token.length === 0) throw new Error("--account takes SID:KEY:TOKEN");
                accounts[sid] = { apiKey: key, apiToken: token.join(":") };
                break;
            }
            case "--rate-limit": {
                const [n, w] = next().split("/").map(Number);
                o.rateLimit = { ...(o.rateLimit ?? {}), requests: n, windowMs: w || 60_000 };
                break;
            }
            case "--max-concurrent":
                o.rateLimit = { requests: 200, windowMs: 60_000, ...(o.rateLimit ?? {}), maxConcurrent: Number(next()) };
                break;
            case "--time-scale":
                o.rateLimit = { requests: 200, windowMs: 60_000, ...(o.rateLimit ?? {}), timeScale: Number(next()) };
                break;
            case "--no-retry-after":
                o.rateLimit = { requests: 200, windowMs: 60_000, ...(o.rateLimit ?? {}), retryAfter: false };
                break;
            case "-h":
            case "--help":
                process.stdout.write(
                    "usage: pulumi-exotel-emulator [--port N] [--account SID:KEY:TOKEN] [--persist FILE] [--unknown-trunk 404|403] [--duplicate-status 200|409] [--rate-limit N/WINDOW_MS] [--max-concurrent N] [--time-scale X] [--no-retry-after]\n",
                );
                process.exit(0);
                break;
            default:
                throw new Error(`unknown option ${a}`);
        }
    }
    if (Object.keys(accounts).length) o.accounts = accounts;
    return o;
}

async function main(): Promise<void> {
    let opts: EmulatorOptions;
    try {
        opts = parseArgs(process.argv.slice(2));
    } catch (e) {
        process.stderr.write(`pulumi-exotel-emulator: ${(e as Error).message}\n`);
        process.exit(2);
    }
    const emu = await startEmulator(opts);
    if (!opts.accounts) {
        process.stderr.write(
            `demo account: EXOTEL_ACCOUNT_SID=${DEMO_ACCOUNT.accountSid} EXOTEL_API_KEY=${DEMO_ACCOUNT.apiKey} EXOTEL_API_TOKEN=<see DEMO_ACCOUNT in emulator/server.ts>\n`,
        );
    }
    process.stdout.write(`${emu.baseUrl}\n`);
    const stop = () => void emu.close().then(() => process.exit(0));
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
}

if (require.main === module) void main();
