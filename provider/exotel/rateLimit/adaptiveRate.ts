/**
 * A process's adaptive share of an account's rate limit: a decrease on refusal, an increase while none
 * comes (AIMD-like, as TCP shares a link), plus a hold after each refusal. Pure: the clock is passed in.
 *
 * Exotel's limit is per account, and every provider process believes it owns all of it. After a 429
 * (once per congestion event: every refusal until the next answered request is the same event) a
 * process keeps `decrease` of what it really sent in the last window, or of its rate if that is lower,
 * and sends nothing until the hold ends. A refusal means the account's window is full, so what this
 * process sent in it is its share of the account just then: cutting to 0.8 of that leaves the account
 * 20% below its limit, where halving the rate (plain AIMD) left it ~20% idle and a 4-stack destroy at
 * 1.31× the floor (measured, bench/RESULTS.md). While no refusal comes, the rate grows by `increase` of the limit
 * in the first window after the cut, twice that in the second, and so on: slowly while other processes
 * contend (they cut again soon), fast once they are done.
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
    /** Share kept after a refusal, of this process's requests in the last window (or its rate, if lower). */
    decrease: number;
    /** Share of the limit regained in the first window without refusals; doubled in each next one. */
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
        decrease: 0.8,
        increase: 0.3,
        floor: 0.02,
        // 7.5 s for a one-minute window: a blind 429 most often means the window is full for a while.
        blindHoldMs: Math.max(50, windowMs / 8),
    };
}

export interface Refusal {
    /** The server's Retry-After, when it sent one. */
    retryAfterMs?: number;
}

/** This process's own requests of the last window: the oldest one's send time and how many. */
export interface OwnWindow {
    oldest: number;
    count: number;
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
    /** When the growth after the last cut began (the end of its hold). */
    private growSince: number;

    constructor(
        readonly settings: AdaptiveSettings,
        now: number,
    ) {
        this.rate = settings.limit;
        this.lastTick = now;
        this.growSince = now;
    }

    /** Advances the increase to `now` (none while holding or congested). */
    tick(now: number): number {
        const from = Math.max(this.lastTick, this.holdUntil, this.growSince);
        if (!this.congested && now > from) {
            const s = this.settings;
            // The increase per window doubles with each window since the last cut: small while others
            // contend (they cut again soon), fast once they are gone.
            // (Capped: by 2^20 the rate is long back at the limit, and 2^1024 would be Infinity - Infinity.)
            const e = (t: number) => 2 ** Math.min(20, (t - this.growSince) / s.windowMs);
            this.rate = Math.min(s.limit, this.rate + (s.increase * s.limit * (e(now) - e(from))) / Math.LN2);
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
    refused(sentAt: number, now: number, refusal: Refusal, own?: OwnWindow): number {
        this.tick(now);
        const s = this.settings;
        const cut = !this.congested;
        if (cut) {
            // What this process really sent per window lately: after a start-up burst, its rate.
            const span = own ? Math.max(1, now - own.oldest) : 0;
            const sent = own ? (span < s.windowMs ? (own.count * s.windowMs) / span : own.count) : Infinity;
            this.rate = Math.max(s.floor * s.limit, Math.min(this.rate, sent) * s.decrease);
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
        if (refusal.retryAfterMs === undefined && own !== undefined) {
            hold = Math.max(0, Math.min(hold, own.oldest + s.windowMs - now));
        }
        if (now + hold > this.holdUntil) {
            this.holdUntil = now + hold;
            this.holdStartedAt = now;
        }
        if (cut) this.growSince = this.holdUntil;
        return this.holdUntil - now;
    }
}
