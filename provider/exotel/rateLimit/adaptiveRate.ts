/**
 * A process's adaptive share of an account's rate limit: additive increase, multiplicative decrease
 * (AIMD, as TCP shares a link), plus a hold after each refusal. Pure: the clock is passed in.
 *
 * Exotel's limit is per account, and every provider process believes it owns all of it. After a 429 a
 * process keeps `decrease` of its rate (once per congestion event: every refusal until the next answered
 * request is the same event) and sends nothing until the hold ends; while no refusal comes it
 * regains `increase` of the limit per window. k processes so settle near limit / k each.
 *
 * The hold: a `Retry-After`, when the 429 carries one, is the exact wait. Exotel documents none (no
 * header, no body), so a blind 429 starts a probe: hold `blindHoldMs`, let one request through, and
 * double the hold for each probe refused (up to half a window), until one is answered. A blind hold
 * never reaches past the moment this process's own oldest request of the last window leaves the window:
 * by then, in a sliding window or a fixed one, at least that slot is free.
 */
export interface AdaptiveSettings {
    /** The most this process asks for: requests per window (the configured limit). */
    limit: number;
    windowMs: number;
    /** Share of the rate kept after a refusal. */
    decrease: number;
    /** Share of the limit regained per window without refusals. */
    increase: number;
    /** The least rate, as a share of the limit. */
    floor: number;
    /** The first blind hold. */
    blindHoldMs: number;
}

export function defaultAdaptiveSettings(limit: number, windowMs: number): AdaptiveSettings {
    return {
        limit,
        windowMs,
        decrease: 0.5,
        increase: 0.1,
        floor: 0.02,
        // 7.5 s for a one-minute window: a blind 429 most often means the window is full for a while.
        blindHoldMs: Math.max(50, windowMs / 8),
    };
}

export interface Refusal {
    /** The server's Retry-After, when it sent one. */
    retryAfterMs?: number;
}

export class AdaptiveRate {
    /** Requests per window this process may send now. */
    rate: number;
    /** Nothing is sent before this time. */
    holdUntil = 0;
    /** Between a cut and the next answered request: more refusals are the same event. */
    private congested = false;
    private holdStartedAt = -Infinity;
    private blindHold = 0;
    private lastTick: number;

    constructor(
        readonly settings: AdaptiveSettings,
        now: number,
    ) {
        this.rate = settings.limit;
        this.lastTick = now;
    }

    /** Advances the additive increase to `now` (none while holding or congested). */
    tick(now: number): number {
        const from = Math.max(this.lastTick, this.holdUntil);
        if (!this.congested && now > from) {
            const s = this.settings;
            this.rate = Math.min(s.limit, this.rate + (s.increase * s.limit * (now - from)) / s.windowMs);
        }
        this.lastTick = Math.max(this.lastTick, now);
        return this.rate;
    }

    /** An answer that was not a refusal: the account has room again; a blind probe starts over. */
    answered(now: number): void {
        this.tick(now);
        this.congested = false;
        this.blindHold = 0;
    }

    /**
     * A refusal of a request sent at `sentAt`. Returns how long, from `now`, nothing is sent (the hold
     * may reach further than this refusal asks, from an earlier one).
     */
    refused(sentAt: number, now: number, refusal: Refusal, ownOldestInWindow?: number): number {
        this.tick(now);
        const s = this.settings;
        if (!this.congested) {
            this.rate = Math.max(s.floor * s.limit, this.rate * s.decrease);
            this.congested = true;
        }
        let hold: number;
        if (refusal.retryAfterMs !== undefined && refusal.retryAfterMs >= 0) {
            hold = refusal.retryAfterMs;
        } else if (this.blindHold === 0) {
            hold = this.blindHold = s.blindHoldMs;
        } else {
            // A probe sent after the last hold began was refused too: wait twice as long. Refusals of
            // requests already in flight when it began say nothing new.
            if (sentAt >= this.holdStartedAt) this.blindHold = Math.min(this.blindHold * 2, s.windowMs / 2);
            hold = this.blindHold;
        }
        if (refusal.retryAfterMs === undefined && ownOldestInWindow !== undefined) {
            hold = Math.max(0, Math.min(hold, ownOldestInWindow + s.windowMs - now));
        }
        if (now + hold > this.holdUntil) {
            this.holdUntil = now + hold;
            this.holdStartedAt = now;
        }
        return this.holdUntil - now;
    }
}
