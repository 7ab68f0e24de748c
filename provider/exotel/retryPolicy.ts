/**
 * Declarative retry policy (after ky's `retry` option): which answers are retried, how long to wait,
 * and when to stop. The loop itself is `withRetry`.
 *
 * Retried: network failures (reset, refused, timeout), HTTP/response codes in `statusCodes`, and
 * Exotel's 1030 (rate limit). Never retried: Exotel codes in `neverRetryExotelCodes` (1002 invalid
 * parameter, 1008 duplicate, 1010 bad credentials, 1003 authorization; also 1000/1001/1007/1011, which
 * are deterministic), whatever HTTP status they come with.
 *
 * Waits: exponential backoff `backoffBaseMs * 2^(attempt-1)`, capped at `backoffLimitMs`, with full
 * jitter; for statuses in `afterStatusCodes` a `Retry-After` header (seconds or HTTP date) is honoured
 * as the least wait, capped at `maxRetryAfterMs`. Nothing waits past the operation's deadline.
 */
import { ExotelCancelledError, ExotelError, ExotelNetworkError, ExotelProtocolError, ExotelTimeoutError } from "./errors";

export interface RetryPolicy {
    /** Retries after the first attempt (attempts = limit + 1). */
    limit: number;
    /** HTTP statuses / `response.code`s that are retried. */
    statusCodes: number[];
    /** Statuses whose `Retry-After` header is honoured. */
    afterStatusCodes: number[];
    /** Exotel `error_data.code`s that are never retried. */
    neverRetryExotelCodes: number[];
    /** Exotel codes that are retried even on a status not in `statusCodes` (1030 rate limit). */
    retryExotelCodes: number[];
    retryNetworkErrors: boolean;
    backoffBaseMs: number;
    backoffLimitMs: number;
    /** Upper bound for a server-supplied Retry-After. */
    maxRetryAfterMs: number;
    /** Full jitter (random 0..delay) when true; the exact delay when false (for tests). */
    jitter: boolean;
}

export interface TimeoutPolicy {
    /** One HTTP request. */
    requestTimeoutMs: number;
    /** One provider operation (create, update, read, delete) including all retries and waits. */
    operationDeadlineMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
    limit: 6,
    statusCodes: [408, 425, 429, 500, 502, 503, 504],
    afterStatusCodes: [413, 429, 503],
    neverRetryExotelCodes: [1000, 1001, 1002, 1003, 1007, 1008, 1010, 1011],
    retryExotelCodes: [1030],
    retryNetworkErrors: true,
    backoffBaseMs: 500,
    backoffLimitMs: 20_000,
    maxRetryAfterMs: 60_000,
    jitter: true,
};

export const DEFAULT_TIMEOUT_POLICY: TimeoutPolicy = {
    requestTimeoutMs: 30_000,
    operationDeadlineMs: 300_000,
};

export function isRetryable(err: unknown, policy: RetryPolicy): boolean {
    if (!(err instanceof ExotelError)) return false;
    if (err instanceof ExotelTimeoutError || err instanceof ExotelProtocolError || err instanceof ExotelCancelledError) return false;
    if (err.exotelCode !== undefined) {
        if (policy.neverRetryExotelCodes.includes(err.exotelCode)) return false;
        if (policy.retryExotelCodes.includes(err.exotelCode)) return true;
    }
    if (err instanceof ExotelNetworkError) return policy.retryNetworkErrors;
    const codes = [err.responseCode, err.httpStatus].filter((c): c is number => typeof c === "number" && c > 0);
    return codes.some((c) => policy.statusCodes.includes(c));
}

/**
 * Milliseconds to wait before retry number `retry` (1-based): exponential backoff with full jitter;
 * where the server sent Retry-After (for `afterStatusCodes`), at least that (capped at
 * `maxRetryAfterMs`). Taking the larger of the two keeps many callers told the same Retry-After from
 * coming back in one herd.
 */
export function retryDelayMs(err: unknown, retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
    const exp = Math.min(policy.backoffLimitMs, policy.backoffBaseMs * 2 ** (retry - 1));
    const backoff = policy.jitter ? Math.round(exp * random()) : exp;
    if (err instanceof ExotelError && err.retryAfterSeconds !== undefined) {
        const statuses = [err.httpStatus, err.responseCode];
        if (statuses.some((s) => s !== undefined && policy.afterStatusCodes.includes(s))) {
            const asked = Math.min(Math.max(0, err.retryAfterSeconds * 1000), policy.maxRetryAfterMs);
            return Math.max(Math.round(asked), backoff);
        }
    }
    return backoff;
}

/** Parses a Retry-After header: delta-seconds or an HTTP date. Returns seconds, or undefined. */
export function parseRetryAfter(value: unknown, now: number = Date.now()): number | undefined {
    if (typeof value !== "string" || value.trim() === "") return undefined;
    const v = value.trim();
    if (/^\d+(\.\d+)?$/.test(v)) return Number(v);
    const at = Date.parse(v);
    if (Number.isNaN(at)) return undefined;
    return Math.max(0, (at - now) / 1000);
}

export interface RetryHooks {
    /** Called before each wait; `attempt` is the attempt that failed (1-based). */
    onRetry?: (info: { attempt: number; delayMs: number; error: ExotelError; operation: string }) => void;
    sleep?: (ms: number) => Promise<void>;
    now?: () => number;
    /** What set the deadline, named in the timeout's message (default `exotel:operationTimeoutSeconds`). */
    deadlineSetting?: string;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn` until it succeeds, fails with a non-retryable error, runs out of attempts, or the deadline
 * (absolute ms timestamp) would be passed by the next wait.
 *
 * The error contract (the same in ExotelError's and ExotelTimeoutError's docs and the README):
 * - not retryable: that error, as thrown;
 * - attempts ran out: the last error itself (its class and message untouched), with `attempts` set;
 * - the deadline would pass: an `ExotelTimeoutError` whose `cause` is the last error, with `attempts` set.
 */
export async function withRetry<T>(
    operation: string,
    fn: (attempt: number) => Promise<T>,
    policy: RetryPolicy,
    deadline: number,
    hooks: RetryHooks = {},
): Promise<T> {
    const wait = hooks.sleep ?? sleep;
    const now = hooks.now ?? Date.now;
    for (let attempt = 1; ; attempt++) {
        try {
            return await fn(attempt);
        } catch (err) {
            if (!isRetryable(err, policy)) throw err;
            const e = err as ExotelError;
            if (attempt > policy.limit) {
                e.attempts = attempt;
                throw e;
            }
            const delayMs = retryDelayMs(e, attempt, policy);
            if (now() + delayMs >= deadline) {
                const timeout = new ExotelTimeoutError(
                    { ...details(e) },
                    `gave up after ${attempt} attempt(s): the operation deadline would pass (set ${hooks.deadlineSetting ?? "exotel:operationTimeoutSeconds"} to allow longer); last error: ${e.message}`,
                    e,
                );
                timeout.attempts = attempt;
                throw timeout;
            }
            hooks.onRetry?.({ attempt, delayMs, error: e, operation });
            await wait(delayMs);
        }
    }
}

function details(e: ExotelError) {
    return {
        httpStatus: e.httpStatus,
        responseCode: e.responseCode,
        exotelCode: e.exotelCode,
        exotelMessage: e.exotelMessage,
        description: e.description,
        requestId: e.requestId,
        method: e.method,
        path: e.path,
    };
}
