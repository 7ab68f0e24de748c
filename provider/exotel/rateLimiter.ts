/**
 * One request limiter per provider process, shared by every ExotelTrunk resource (and every copy of
 * the serialized provider) through `globalThis`, keyed by API host and account.
 *
 * Exotel publishes 200 requests/minute per account and (in one source) 50 concurrent connections.
 * Bottleneck's token bucket is set so that no window of `windowMs` can hold more than
 * `requestsPerWindow` requests, however the server aligns its window: a burst of `burst` tokens plus
 * `requestsPerWindow - burst` tokens refilled evenly across the window.
 */
import Bottleneck from "bottleneck";

export interface RateLimitSettings {
    requestsPerWindow: number;
    windowMs: number;
    maxConcurrent: number;
    burst: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitSettings = {
    requestsPerWindow: 200,
    windowMs: 60_000,
    maxConcurrent: 50,
    burst: 10,
};

declare global {
    // One registry per process, even if two copies of this module are loaded.
    var __pulumiExotelRateLimiters: Map<string, Bottleneck> | undefined;
}

export function makeLimiter(s: RateLimitSettings): Bottleneck {
    const burst = Math.max(1, Math.min(s.burst, s.requestsPerWindow));
    const refill = s.requestsPerWindow - burst;
    if (refill <= 0) {
        return new Bottleneck({
            maxConcurrent: s.maxConcurrent,
            reservoir: burst,
            reservoirRefreshAmount: burst,
            reservoirRefreshInterval: s.windowMs,
        });
    }
    // Bottleneck adds at most one increment per heartbeat (default 250 ms), so the heartbeat is the
    // refill tick, and each tick adds the tokens that tick is owed (fractions accumulate).
    const tick = Math.max(10, Math.min(1000, Math.floor(s.windowMs / refill)));
    return new Bottleneck({
        maxConcurrent: s.maxConcurrent,
        reservoir: burst,
        reservoirIncreaseAmount: (refill * tick) / s.windowMs,
        reservoirIncreaseInterval: tick - 1,
        reservoirIncreaseMaximum: burst,
        heartbeatInterval: tick,
    });
}

/** The process-wide limiter for one account on one host (created on first use). */
export function sharedLimiter(key: string, s: RateLimitSettings): Bottleneck {
    const registry = (globalThis.__pulumiExotelRateLimiters ??= new Map<string, Bottleneck>());
    const fullKey = `${key}|${s.requestsPerWindow}/${s.windowMs}|${s.maxConcurrent}|${s.burst}`;
    let limiter = registry.get(fullKey);
    if (!limiter) {
        limiter = makeLimiter(s);
        registry.set(fullKey, limiter);
    }
    return limiter;
}
