/**
 * Provider settings, one table: each setting once, with its stack-config key, its environment variable
 * (the fallback), its default, its parser and its doc line. `resolveConfig` reads it; the README's
 * configuration table is checked against it by a test (tests/config.test.ts).
 *
 * Pure: takes a config getter and an environment; read in the provider's `configure` hook.
 */
import { checkBaseUrl, ExotelClientOptions } from "./exotel/client";
import { checkRedisUrl } from "./exotel/rateLimit/redisStage";
import { DEFAULT_RATE_LIMIT } from "./exotel/rateLimit/settings";
import { DEFAULT_RETRY_POLICY, DEFAULT_TIMEOUT_POLICY } from "./exotel/retryPolicy";
import { ConnectionSettings } from "./trunkTypes";

export const REGION_HOSTS: Record<string, string> = {
    mumbai: "https://api.in.exotel.com",
    singapore: "https://api.exotel.com",
};

/** A parser returns the value, or throws an Error whose message says what is wrong (no key in it). */
type Parser<T> = (raw: string) => T;

export interface Setting<T = unknown> {
    key: string;
    env: string;
    /** Shown in the README; `undefined` = required (or derived, as the doc says). */
    default?: T;
    parse: Parser<T>;
    doc: string;
    secret?: boolean;
    /** Older names still read, with a deprecation warning. */
    deprecated?: { key: string; env: string }[];
    /**
     * A change moves the provider to another Exotel account or endpoint: the plugin's `DiffConfig` then asks
     * for a new provider, so the engine deletes the old trunks through the old one (its settings are in state).
     */
    replacesProvider?: boolean;
}

const text: Parser<string> = (raw) => raw;
const number =
    (min: number, max: number): Parser<number> =>
    (raw) => {
        const n = Number(raw);
        if (raw.trim() === "" || !Number.isFinite(n) || n < min || n > max) throw new Error(`must be a number from ${min} to ${max}`);
        return n;
    };

/** Every setting, in README order. */
export const CONFIG_TABLE = {
    apiKey: { key: "exotel:apiKey", env: "EXOTEL_API_KEY", parse: text, doc: "API key (the Basic-auth user). Required" },
    apiToken: {
        key: "exotel:apiToken",
        env: "EXOTEL_API_TOKEN",
        parse: text,
        secret: true,
        doc: "API token. Required; set it with `pulumi config set --secret`",
    },
    accountSid: {
        key: "exotel:accountSid",
        env: "EXOTEL_ACCOUNT_SID",
        parse: (raw: string) => {
            if (!/^[A-Za-z0-9_-]{1,64}$/.test(raw)) throw new Error("must be an Exotel account SID (letters, digits, _ or -)");
            return raw;
        },
        doc: "account SID (path prefix `/v2/accounts/<sid>`). Required",
        replacesProvider: true,
    },
    region: {
        key: "exotel:region",
        env: "EXOTEL_REGION",
        parse: (raw: string) => {
            const r = raw.toLowerCase();
            if (!(r in REGION_HOSTS))
                throw new Error(`must be "mumbai" (api.in.exotel.com) or "singapore" (api.exotel.com); got ${JSON.stringify(raw)}`);
            return r;
        },
        doc: "`mumbai` → `https://api.in.exotel.com`, `singapore` → `https://api.exotel.com`. Required unless `baseUrl` is set",
        replacesProvider: true,
    },
    baseUrl: {
        key: "exotel:baseUrl",
        env: "EXOTEL_BASE_URL",
        parse: (raw: string) => {
            try {
                checkBaseUrl(raw);
            } catch (e) {
                throw new Error((e as Error).message.replace(/^exotel:baseUrl /, ""));
            }
            return raw;
        },
        doc: "overrides the region's host (e.g. the emulator). HTTPS only; plain http only for loopback",
        replacesProvider: true,
    },
    requestTimeoutSeconds: {
        key: "exotel:requestTimeoutSeconds",
        env: "EXOTEL_REQUEST_TIMEOUT_SECONDS",
        default: DEFAULT_TIMEOUT_POLICY.requestTimeoutMs / 1000,
        parse: number(1, 600),
        doc: "one HTTP request",
    },
    operationTimeoutSeconds: {
        key: "exotel:operationTimeoutSeconds",
        env: "EXOTEL_OPERATION_TIMEOUT_SECONDS",
        default: DEFAULT_TIMEOUT_POLICY.operationDeadlineMs / 1000,
        parse: number(1, 86_400),
        doc: "one create/update/read/delete including retries, unless the resource sets `customTimeouts` (the plugin honours them; dynamic providers never see them)",
    },
    maxRetries: {
        key: "exotel:maxRetries",
        env: "EXOTEL_MAX_RETRIES",
        default: DEFAULT_RETRY_POLICY.limit,
        parse: number(0, 50),
        doc: "retries after the first attempt",
    },
    retryBaseDelayMs: {
        key: "exotel:retryBaseDelayMs",
        env: "EXOTEL_RETRY_BASE_DELAY_MS",
        default: DEFAULT_RETRY_POLICY.backoffBaseMs,
        parse: number(1, 60_000),
        doc: `first backoff step (doubling, full jitter, capped at ${DEFAULT_RETRY_POLICY.backoffLimitMs / 1000} s; a Retry-After is the least wait)`,
    },
    rateLimitRequestsPerWindow: {
        key: "exotel:rateLimitRequestsPerWindow",
        env: "EXOTEL_RATE_LIMIT_REQUESTS_PER_WINDOW",
        default: DEFAULT_RATE_LIMIT.requestsPerWindow,
        parse: number(1, 100_000),
        doc: "the account's limit, requests per `rateLimitWindowMs` (Exotel publishes 200 per minute): the most one process sends; several processes adapt their shares, or share one bucket through `rateLimitRedisUrl`",
        deprecated: [{ key: "exotel:rateLimitPerMinute", env: "EXOTEL_RATE_LIMIT_PER_MINUTE" }],
    },
    rateLimitWindowMs: {
        key: "exotel:rateLimitWindowMs",
        env: "EXOTEL_RATE_LIMIT_WINDOW_MS",
        default: DEFAULT_RATE_LIMIT.windowMs,
        parse: number(1, 3_600_000),
        doc: "the rate-limit window",
    },
    maxConcurrentRequests: {
        key: "exotel:maxConcurrentRequests",
        env: "EXOTEL_MAX_CONCURRENT_REQUESTS",
        default: DEFAULT_RATE_LIMIT.maxConcurrent,
        parse: number(1, 1000),
        doc: "requests in flight at once (Exotel publishes 50 concurrent connections)",
    },
    rateLimitBurst: {
        key: "exotel:rateLimitBurst",
        env: "EXOTEL_RATE_LIMIT_BURST",
        default: DEFAULT_RATE_LIMIT.burst,
        parse: number(1, 100_000),
        doc: "burst size of the token bucket",
    },
    rateLimitRedisUrl: {
        key: "exotel:rateLimitRedisUrl",
        env: "EXOTEL_RATE_LIMIT_REDIS_URL",
        parse: checkRedisUrl,
        secret: true,
        doc: "a Redis (`redis://` or `rediss://`) shared by every provider process that uses the account: one bucket for all of them. Unset: each process adapts its share after a 429. Redis unreachable or lost mid-run: a warning, and the run goes on with the adaptive limit",
    },
} satisfies Record<string, Setting<string> | Setting<number>>;

export type SettingName = keyof typeof CONFIG_TABLE;
/** What a setting's parser gives. */
export type SettingValue<K extends SettingName> = ReturnType<(typeof CONFIG_TABLE)[K]["parse"]>;
/** The settings that have a default. */
type DefaultedSetting = { [K in SettingName]: (typeof CONFIG_TABLE)[K] extends { default: unknown } ? K : never }[SettingName];
/** The table typed per key (checked once here), so that reading a setting by its name gives its parser's type. */
const TYPED_TABLE: { [K in SettingName]: Setting<SettingValue<K>> } = CONFIG_TABLE;
const DEFAULTED: { [K in DefaultedSetting]: { default: SettingValue<K> } } = CONFIG_TABLE;

export interface ResolvedConfig {
    /** Problems found; API calls fail with these, `check` reports the ones it needs. */
    problems: string[];
    /** Deprecated settings in use, to log. */
    warnings: string[];
    accountSid?: string;
    /** The region name, or "custom" when only a base URL is set. */
    region: string;
    operationTimeoutMs: number;
    client?: ExotelClientOptions;
}

export type ConfigGetter = (key: string) => string | undefined;

/** Where settings come from: a Pulumi program's stack config then EXOTEL_*, or (outside a program) EXOTEL_* only. */
export type SettingsSource = "stack" | "environment";

/** The settings a per-resource `connection` replaces (all five: none is then read from config or env). */
const CONNECTION_KEYS: Record<string, keyof ConnectionSettings> = {
    [CONFIG_TABLE.accountSid.key]: "accountSid",
    [CONFIG_TABLE.apiKey.key]: "apiKey",
    [CONFIG_TABLE.apiToken.key]: "apiToken",
    [CONFIG_TABLE.region.key]: "region",
    [CONFIG_TABLE.baseUrl.key]: "baseUrl",
};

/**
 * Resolves every setting from stack config, then the environment, then the table's default. With a
 * `connection` (a resource's own account), its five fields replace the account settings entirely; the
 * rest (timeouts, retries, rate limits) still come from config.
 */
export function resolveConfig(
    get: ConfigGetter,
    env: Record<string, string | undefined>,
    connection?: ConnectionSettings,
    source: SettingsSource = "stack",
): ResolvedConfig {
    const problems: string[] = [];
    // Outside a Pulumi program (the CLI) only the environment is read: name the variables, not `pulumi config`.
    const named = (s: Setting) => (source === "environment" ? s.env : `${s.key} (${s.env})`);
    const warnings: string[] = [];
    const given = (key: string, envName: string): string | undefined => {
        const field = CONNECTION_KEYS[key];
        const v = connection && field ? connection[field] : (get(key) ?? env[envName]);
        return v === undefined || v === "" ? undefined : String(v);
    };
    /** A setting's value, typed by its parser; the default when not given; undefined (and a problem) when it does not parse. */
    const read = <K extends SettingName>(name: K): SettingValue<K> | undefined => {
        const s = TYPED_TABLE[name];
        let raw = given(s.key, s.env);
        for (const old of s.deprecated ?? []) {
            const v = raw === undefined ? given(old.key, old.env) : undefined;
            if (v !== undefined) {
                warnings.push(
                    `${old.key} (${old.env}) is deprecated: it counts requests per ${CONFIG_TABLE.rateLimitWindowMs.key}, not per minute; use ${s.key} (${s.env})`,
                );
                raw = v;
            }
        }
        if (raw === undefined) return s.default;
        try {
            return s.parse(raw);
        } catch (e) {
            problems.push(`${named(s)} ${(e as Error).message}`);
            return undefined;
        }
    };
    /** A setting that has a default: its value, or the default when it is not given or does not parse (the problem is recorded). */
    const valueOf = <K extends DefaultedSetting>(name: K): SettingValue<K> => read(name) ?? DEFAULTED[name].default;
    const need = (name: "apiKey" | "apiToken" | "accountSid"): string | undefined => {
        const s: Setting = CONFIG_TABLE[name];
        const v = read(name);
        if (v === undefined && given(s.key, s.env) === undefined) {
            problems.push(
                source === "environment"
                    ? `${s.env} is not set (${s.doc.split(".")[0]})`
                    : `${s.key} is not set: run \`pulumi config set ${s.secret ? "--secret " : ""}${s.key} ...\` or set the environment variable ${s.env}`,
            );
        }
        return v;
    };

    const apiKey = need("apiKey");
    const apiToken = need("apiToken");
    const accountSid = need("accountSid");
    const region = read("region");
    const regionGiven = given(CONFIG_TABLE.region.key, CONFIG_TABLE.region.env) !== undefined;
    let baseUrl = read("baseUrl");
    if (baseUrl === undefined && given(CONFIG_TABLE.baseUrl.key, CONFIG_TABLE.baseUrl.env) === undefined) {
        if (region !== undefined) baseUrl = REGION_HOSTS[region];
        else if (!regionGiven) {
            const r = CONFIG_TABLE.region;
            problems.push(
                source === "environment"
                    ? `${r.env} is not set: set it to mumbai or singapore (${CONFIG_TABLE.baseUrl.env} overrides the host)`
                    : `${r.key} is not set: run \`pulumi config set ${r.key} mumbai\` (or singapore), or set the environment variable ${r.env}; ` +
                          `${CONFIG_TABLE.baseUrl.key} / ${CONFIG_TABLE.baseUrl.env} overrides the host`,
            );
        }
    }
    const operationSeconds = valueOf("operationTimeoutSeconds");
    const out: ResolvedConfig = {
        problems,
        warnings,
        accountSid,
        region: region ?? "custom",
        operationTimeoutMs: operationSeconds * 1000,
    };
    const client = {
        timeouts: { requestTimeoutMs: valueOf("requestTimeoutSeconds") * 1000, operationDeadlineMs: operationSeconds * 1000 },
        retry: { limit: valueOf("maxRetries"), backoffBaseMs: valueOf("retryBaseDelayMs") },
        rateLimit: {
            requestsPerWindow: valueOf("rateLimitRequestsPerWindow"),
            windowMs: valueOf("rateLimitWindowMs"),
            maxConcurrent: valueOf("maxConcurrentRequests"),
            burst: valueOf("rateLimitBurst"),
            redisUrl: read("rateLimitRedisUrl"),
        },
    };
    if (problems.length === 0 && apiKey && apiToken && accountSid && baseUrl) {
        out.client = { baseUrl, accountSid, apiKey, apiToken, ...client };
    }
    return out;
}
