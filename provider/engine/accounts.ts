/**
 * The Exotel accounts one provider process works with: the settings of its configuration (the stack's
 * `exotel:*`, or an explicit provider's), a resource's own `connection`, one client per account and
 * credentials, and every credential seen, to scrub from any text that leaves the process.
 */
import { ConfigGetter, ResolvedConfig, resolveConfig } from "../config";
import { ExotelClient } from "../exotel/client";
import { ConnectionSettings } from "../trunkTypes";
import { LookupAccount } from "./trunkLookup";

/** Where the provider's own log lines go (`urn`: the resource they are about, when there is one). */
export type LogSink = (level: "info" | "warn", text: string, urn?: string) => void;

export class Accounts {
    private getConfig: ConfigGetter = () => undefined;
    private stackSettings?: ResolvedConfig;
    private readonly perConnection = new Map<string, ResolvedConfig>();
    private readonly clients = new Map<string, ExotelClient>();
    private readonly secrets = new Set<string>();

    constructor(private readonly sink: LogSink) {}

    /** A new configuration: settings are resolved again; the warnings of the stack's are logged. */
    configure(get: ConfigGetter): void {
        this.getConfig = (k: string) => {
            try {
                return get(k);
            } catch {
                return undefined;
            }
        };
        this.stackSettings = undefined;
        this.perConnection.clear();
        this.clients.clear();
        for (const w of this.settingsFor().warnings) this.log("warn", w);
    }

    /** The configured settings, or those of a resource's own `connection` (its account over the other settings). */
    settingsFor(connection?: ConnectionSettings | null): ResolvedConfig {
        let s: ResolvedConfig | undefined;
        if (!connection) {
            s = this.stackSettings ??= resolveConfig(this.getConfig, process.env);
        } else {
            this.remember(connection.apiKey, connection.apiToken);
            const key = JSON.stringify([
                connection.accountSid,
                connection.apiKey,
                connection.apiToken,
                connection.region,
                connection.baseUrl,
            ]);
            s = this.perConnection.get(key);
            if (!s) this.perConnection.set(key, (s = resolveConfig(this.getConfig, process.env, connection)));
        }
        if (s.client) this.remember(s.client.apiKey, s.client.apiToken);
        return s;
    }

    private remember(apiKey: string, apiToken: string): void {
        const basic = Buffer.from(`${apiKey}:${apiToken}`).toString("base64");
        for (const v of [apiToken, apiKey, basic, encodeURIComponent(apiToken)]) if (v && v.length >= 4) this.secrets.add(v);
    }

    /** Also scrub these (e.g. secret inputs of a request) from what leaves the process. */
    rememberSecret(v: string): void {
        if (v.length >= 4) this.secrets.add(v);
    }

    log(level: "info" | "warn", message: string, urn?: string): void {
        this.sink(level, this.redact(`[exotel] ${message}`), urn);
    }

    /** Removes every credential this process knows from any text that leaves the provider. */
    redact(text: string): string {
        let out = text;
        for (const s of this.secrets) out = out.split(s).join("[redacted]");
        return out;
    }

    /** The error with its message and stack scrubbed (a non-Error becomes one). */
    scrubbed(err: unknown): Error {
        if (err && typeof err === "object" && typeof (err as Error).message === "string") {
            const e = err as Error;
            const msg = this.redact(e.message);
            if (msg !== e.message) e.message = msg;
            if (e.stack) e.stack = this.redact(e.stack);
            return e;
        }
        return new Error(this.redact(String(err)));
    }

    /** One client per account and credentials (each with its own rate limiter and retry budget). */
    client(s: ResolvedConfig): ExotelClient {
        if (!s.client) throw new Error(`Exotel provider is not configured: ${s.problems.join("; ")}`);
        const c = s.client;
        const key = JSON.stringify([c.baseUrl, c.accountSid, c.apiKey, c.apiToken]);
        let client = this.clients.get(key);
        if (!client) this.clients.set(key, (client = new ExotelClient({ ...c, log: (level, m) => this.log(level, m) })));
        return client;
    }

    /** The configured account for the lookups (`getTrunk`, `listTrunks`), with this process's client for it. */
    lookupAccount(): LookupAccount {
        const s = this.settingsFor();
        return { client: this.client(s), region: s.region, deadline: () => Date.now() + s.operationTimeoutMs };
    }
}
