/**
 * Provider settings from stack config (`exotel:*`, read in the provider's `configure` hook), each
 * falling back to an environment variable. Pure: takes a getter and an environment.
 *
 * | config key                      | env var                        | default |
 * |---------------------------------|--------------------------------|---------|
 * | exotel:apiKey                   | EXOTEL_API_KEY                 | required |
 * | exotel:apiToken (secret)        | EXOTEL_API_TOKEN               | required |
 * | exotel:accountSid               | EXOTEL_ACCOUNT_SID             | required |
 * | exotel:region                   | EXOTEL_REGION                  | required unless baseUrl is set (mumbai, singapore) |
 * | exotel:baseUrl                  | EXOTEL_BASE_URL                | from region |
 * | exotel:requestTimeoutSeconds    | EXOTEL_REQUEST_TIMEOUT_SECONDS | 30 |
 * | exotel:operationTimeoutSeconds  | EXOTEL_OPERATION_TIMEOUT_SECONDS | 300 (our customTimeouts) |
 * | exotel:maxRetries               | EXOTEL_MAX_RETRIES             | 6 |
 * | exotel:retryBaseDelayMs         | EXOTEL_RETRY_BASE_DELAY_MS     | 500 |
 * | exotel:rateLimitPerMinute       | EXOTEL_RATE_LIMIT_PER_MINUTE   | 200 |
 * | exotel:rateLimitWindowMs        | EXOTEL_RATE_LIMIT_WINDOW_MS    | 60000 |
 * | exotel:maxConcurrentRequests    | EXOTEL_MAX_CONCURRENT_REQUESTS | 50 |
 * | exotel:rateLimitBurst           | EXOTEL_RATE_LIMIT_BURST        | 10 |
 */
import { checkBaseUrl, ExotelClientOptions } from "./exotel/client";

export const REGION_HOSTS: Record<string, string> = {
    mumbai: "https://api.in.exotel.com",
    singapore: "https://api.exotel.com",
};

interface Setting {
    key: string;
    env: string;
}

const S = {
    apiKey: { key: "exotel:apiKey", env: "EXOTEL_API_KEY" },
    apiToken: { key: "exotel:apiToken", env: "EXOTEL_API_TOKEN" },
    accountSid: { key: "exotel:accountSid", env: "EXOTEL_ACCOUNT_SID" },
    region: { key: "exotel:region", env: "EXOTEL_REGION" },
    baseUrl: { key: "exotel:baseUrl", env: "EXOTEL_BASE_URL" },
    requestTimeoutSeconds: { key: "exotel:requestTimeoutSeconds", env: "EXOTEL_REQUEST_TIMEOUT_SECONDS" },
    operationTimeoutSeconds: { key: "exotel:operationTimeoutSeconds", env: "EXOTEL_OPERATION_TIMEOUT_SECONDS" },
    maxRetries: { key: "exotel:maxRetries", env: "EXOTEL_MAX_RETRIES" },
    retryBaseDelayMs: { key: "exotel:retryBaseDelayMs", env: "EXOTEL_RETRY_BASE_DELAY_MS" },
    rateLimitPerMinute: { key: "exotel:rateLimitPerMinute", env: "EXOTEL_RATE_LIMIT_PER_MINUTE" },
    rateLimitWindowMs: { key: "exotel:rateLimitWindowMs", env: "EXOTEL_RATE_LIMIT_WINDOW_MS" },
    maxConcurrentRequests: { key: "exotel:maxConcurrentRequests", env: "EXOTEL_MAX_CONCURRENT_REQUESTS" },
    rateLimitBurst: { key: "exotel:rateLimitBurst", env: "EXOTEL_RATE_LIMIT_BURST" },
} satisfies Record<string, Setting>;

export const CONFIG_SETTINGS = S;

export interface ResolvedConfig {
    /** Problems found; API calls fail with these, `check` reports the ones it needs. */
    problems: string[];
    accountSid?: string;
    region: string;
    client?: ExotelClientOptions;
}

export type ConfigGetter = (key: string) => string | undefined;

export function resolveConfig(get: ConfigGetter, env: Record<string, string | undefined>): ResolvedConfig {
    const problems: string[] = [];
    const read = (s: Setting): string | undefined => {
        const v = get(s.key) ?? env[s.env];
        return v === undefined || v === "" ? undefined : String(v);
    };
    const need = (s: Setting, secret = false): string | undefined => {
        const v = read(s);
        if (v === undefined) {
            problems.push(
                `${s.key} is not set: run \`pulumi config set ${secret ? "--secret " : ""}${s.key} ...\` or set the environment variable ${s.env}`,
            );
        }
        return v;
    };
    const num = (s: Setting, min: number, max: number): number | undefined => {
        const v = read(s);
        if (v === undefined) return undefined;
        const n = Number(v);
        if (!Number.isFinite(n) || n < min || n > max) {
            problems.push(`${s.key} (${s.env}) must be a number from ${min} to ${max}; got ${JSON.stringify(v)}`);
            return undefined;
        }
        return n;
    };

    const apiKey = need(S.apiKey);
    const apiToken = need(S.apiToken, true);
    const accountSid = need(S.accountSid);
    if (accountSid !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(accountSid)) {
        problems.push(`${S.accountSid.key} (${S.accountSid.env}) must be an Exotel account SID (letters, digits, _ or -)`);
    }
    const regionRaw = read(S.region);
    const region = regionRaw?.toLowerCase();
    let baseUrl = read(S.baseUrl);
    if (region !== undefined && !(region in REGION_HOSTS)) {
        problems.push(`${S.region.key} (${S.region.env}) must be "mumbai" (api.in.exotel.com) or "singapore" (api.exotel.com); got ${JSON.stringify(regionRaw)}`);
    }
    if (baseUrl === undefined) {
        if (region === undefined) {
            problems.push(
                `${S.region.key} is not set: run \`pulumi config set ${S.region.key} mumbai\` (or singapore), or set the environment variable ${S.region.env}; ${S.baseUrl.key} / ${S.baseUrl.env} overrides the host`,
            );
        } else if (region in REGION_HOSTS) baseUrl = REGION_HOSTS[region];
    } else {
        try {
            checkBaseUrl(baseUrl);
        } catch (e) {
            problems.push(`${(e as Error).message} (${S.baseUrl.env})`);
            baseUrl = undefined;
        }
    }

    const requestTimeout = num(S.requestTimeoutSeconds, 1, 600);
    const operationTimeout = num(S.operationTimeoutSeconds, 1, 86_400);
    const maxRetries = num(S.maxRetries, 0, 50);
    const retryBase = num(S.retryBaseDelayMs, 1, 60_000);
    const perWindow = num(S.rateLimitPerMinute, 1, 100_000);
    const windowMs = num(S.rateLimitWindowMs, 1, 3_600_000);
    const concurrent = num(S.maxConcurrentRequests, 1, 1000);
    const burst = num(S.rateLimitBurst, 1, 100_000);

    const out: ResolvedConfig = { problems, accountSid, region: region ?? "custom" };
    if (problems.length === 0 && apiKey && apiToken && accountSid && baseUrl) {
        out.client = {
            baseUrl,
            accountSid,
            apiKey,
            apiToken,
            timeouts: {
                ...(requestTimeout !== undefined ? { requestTimeoutMs: requestTimeout * 1000 } : {}),
                ...(operationTimeout !== undefined ? { operationDeadlineMs: operationTimeout * 1000 } : {}),
            },
            retry: {
                ...(maxRetries !== undefined ? { limit: maxRetries } : {}),
                ...(retryBase !== undefined ? { backoffBaseMs: retryBase } : {}),
            },
            rateLimit: {
                ...(perWindow !== undefined ? { requestsPerWindow: perWindow } : {}),
                ...(windowMs !== undefined ? { windowMs } : {}),
                ...(concurrent !== undefined ? { maxConcurrent: concurrent } : {}),
                ...(burst !== undefined ? { burst } : {}),
            },
        };
    }
    return out;
}
