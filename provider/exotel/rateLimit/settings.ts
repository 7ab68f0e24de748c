/**
 * The account's rate limit as the provider is told it, and the token bucket that keeps every window
 * within it.
 *
 * Exotel publishes 200 requests/minute per account and (in one source) 50 concurrent connections; it
 * does not say whether its window is fixed or sliding, so the bucket is built for the stricter case: a
 * burst of `burst` tokens plus `requestsPerWindow - burst` refilled evenly across the window, so that no
 * window of `windowMs` can hold more than `requestsPerWindow` requests, however the server aligns it.
 */
export interface RateLimitSettings {
    requestsPerWindow: number;
    windowMs: number;
    maxConcurrent: number;
    burst: number;
    /**
     * A Redis server shared by every provider process that uses this account (`redis://` or `rediss://`).
     * Unset: each process keeps its own bucket and adapts its share after a 429.
     */
    redisUrl?: string;
}

export const DEFAULT_RATE_LIMIT: RateLimitSettings = {
    requestsPerWindow: 200,
    windowMs: 60_000,
    maxConcurrent: 50,
    burst: 10,
};

/** Bottleneck's token-bucket options, for the bucket shared through Redis. */
export interface BucketOptions {
    maxConcurrent: number;
    reservoir: number;
    reservoirIncreaseAmount: number;
    reservoirIncreaseInterval: number;
    reservoirIncreaseMaximum: number;
    heartbeatInterval: number;
}

/** The burst, clamped to 1..requestsPerWindow. */
export function burstOf(s: RateLimitSettings): number {
    return Math.max(1, Math.min(s.burst, s.requestsPerWindow));
}

/** The refill tick: the bucket gains its tokens in steps of this many milliseconds. */
export function tickOf(s: RateLimitSettings): number {
    const refill = s.requestsPerWindow - burstOf(s);
    return refill <= 0 ? s.windowMs : Math.max(10, Math.min(1000, Math.floor(s.windowMs / refill)));
}

/**
 * Tokens the bucket gains per window: what the limit leaves after the burst, less 1% of the limit (at
 * least one request) for the spread between a request being admitted and reaching Exotel (measured: a
 * new connection's first request can arrive after the next one, and a process admitted by Redis may
 * start its request some milliseconds later, so a window at the server held limit + 1); the burst again
 * when it is the whole limit.
 */
export function refillOf(s: RateLimitSettings): number {
    const burst = burstOf(s);
    const margin = marginOf(s);
    return s.requestsPerWindow - burst > margin ? s.requestsPerWindow - burst - margin : burst;
}

/** The margin kept below the limit: 1% of it, at least one request. */
export function marginOf(s: RateLimitSettings): number {
    return Math.max(1, Math.ceil(s.requestsPerWindow / 100));
}

/**
 * The most requests one process has in any window (localLimiter.ts): the limit less the margin, counting
 * each request from its send until a window after its answer (by when it has left any window the server
 * counted it in, whatever the delay between sending and arriving).
 */
export function capOf(s: RateLimitSettings): number {
    return Math.max(1, s.requestsPerWindow - marginOf(s));
}

/**
 * The bucket shared through Redis: burst + refill per window, counted by Bottleneck's Lua scripts on
 * Redis's clock from the time elapsed (not from heartbeats).
 */
export function bucketOptions(s: RateLimitSettings): BucketOptions {
    const burst = burstOf(s);
    const tick = tickOf(s);
    const refill = refillOf(s);
    return {
        maxConcurrent: s.maxConcurrent,
        reservoir: burst,
        reservoirIncreaseAmount: (refill * tick) / s.windowMs,
        reservoirIncreaseInterval: tick,
        reservoirIncreaseMaximum: burst,
        heartbeatInterval: tick,
    };
}
