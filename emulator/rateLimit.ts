/**
 * The emulator's optional enforced rate limit, per account: at most `requests` in any sliding window of
 * `windowMs`, and at most `maxConcurrent` requests in flight. `timeScale` shrinks the window (10 means
 * a 60 s window lasts 6 s) so tests and benchmarks need not wait minutes.
 */

export interface RateLimitOptions {
    requests: number;
    windowMs: number;
    maxConcurrent?: number;
    timeScale?: number;
    /**
     * Whether a 429 carries `Retry-After` (default true). Exotel documents no 429 header or body, so
     * `false` is the blind case a client must also survive.
     */
    retryAfter?: boolean;
}

export interface RateDecision {
    allowed: boolean;
    /** Seconds (scaled, may be fractional) until a slot frees, when refused. */
    retryAfterSeconds?: number;
    reason?: "window" | "concurrency";
}

export class SlidingWindowLimiter {
    private stamps = new Map<string, number[]>();
    private inFlight = new Map<string, number>();
    /** Refusals so far, per account. */
    readonly refused = new Map<string, number>();

    constructor(readonly options: RateLimitOptions) {}

    get windowMs(): number {
        return this.options.windowMs / (this.options.timeScale ?? 1);
    }

    /** Admits one request (and counts it in flight) or refuses it. Call `done` when an admitted one ends. */
    admit(account: string, now = Date.now()): RateDecision {
        const w = this.windowMs;
        const list = (this.stamps.get(account) ?? []).filter((t) => t > now - w);
        this.stamps.set(account, list);
        const flying = this.inFlight.get(account) ?? 0;
        if (this.options.maxConcurrent && flying >= this.options.maxConcurrent) {
            this.refused.set(account, (this.refused.get(account) ?? 0) + 1);
            return { allowed: false, retryAfterSeconds: 1 / (this.options.timeScale ?? 1), reason: "concurrency" };
        }
        if (list.length >= this.options.requests) {
            this.refused.set(account, (this.refused.get(account) ?? 0) + 1);
            const waitMs = list[0] + w - now;
            return { allowed: false, retryAfterSeconds: Math.max(0.001, waitMs / 1000), reason: "window" };
        }
        list.push(now);
        this.inFlight.set(account, flying + 1);
        return { allowed: true };
    }

    done(account: string): void {
        this.inFlight.set(account, Math.max(0, (this.inFlight.get(account) ?? 1) - 1));
    }
}
