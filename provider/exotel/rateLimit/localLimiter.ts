/**
 * This process's limiter for one account: a token bucket (burst + refill, see settings.ts) whose refill
 * follows the adaptive share (adaptiveRate.ts), a cap on requests in flight, a hold after each refusal,
 * and retries served before first attempts.
 *
 * What keeps every window within the limit is a sliding log, not the bucket: a request holds a slot from
 * its send until one window after its answer (the server received it in between, so by then it has left
 * every window that counted it, whatever the delays), and at most `capOf` (the limit less 1%) slots are
 * held. The bucket only spreads the requests: it refills the cap per window at the full share. With the
 * bucket alone bounding a window (burst + refill ≤ limit − 1%) a long run went at 188 of 200 per window:
 * 1,000 requests took 1.053× the floor on bench/adaptive-sim.ts's fake clock, 1.001× with the log, which
 * lets a process alone run at the cap (bench/RESULTS.md has the engine's numbers). A process starts with
 * one token, not the burst: the burst comes back only after the process has been idle.
 *
 * Written here rather than on Bottleneck (which the Redis-shared bucket uses): Bottleneck 2.19.5's
 * `updateSettings` stops its own refill heartbeat for good (measured: after one update the reservoir
 * never grows again), and an adaptive rate has to change the refill all the time.
 */
import { AdaptiveRate, AdaptiveSettings, defaultAdaptiveSettings, Refusal } from "./adaptiveRate";
import { burstOf, capOf, RateLimitSettings } from "./settings";

/** Whether an answer was a rate-limit refusal (and its Retry-After). */
export type RefusalOf<T> = (answer: T) => Refusal | undefined;

export interface LimiterEvents {
    /** A refusal changed this process's share or hold; for the provider's log. */
    onAdapt?: (info: { rate: number; limit: number; holdMs: number; retryAfter: boolean }) => void;
}

interface Waiting {
    start: () => void;
}

export class LocalLimiter {
    readonly adaptive: AdaptiveRate;
    private tokens: number;
    private refilledAt: number;
    private running = 0;
    private readonly retries: Waiting[] = [];
    private readonly fresh: Waiting[] = [];
    private timer?: ReturnType<typeof setTimeout>;
    private timerAt = Infinity;
    /** When each request of the last window was sent, oldest first. */
    private readonly sent: number[] = [];
    /** When each answered request's slot frees (a window after its answer), soonest first. */
    private readonly releases: number[] = [];

    constructor(
        readonly settings: RateLimitSettings,
        private readonly events: LimiterEvents = {},
        adaptive: Partial<AdaptiveSettings> = {},
        private readonly now: () => number = Date.now,
    ) {
        this.adaptive = new AdaptiveRate({ ...defaultAdaptiveSettings(settings.requestsPerWindow, settings.windowMs), ...adaptive }, now());
        // One token, not the burst: the window may still hold another process's requests at the cap (a
        // `pulumi up` at the limit, then a `pulumi destroy`), and the cap leaves room for one more, not for a
        // burst (measured: a destroy of 1,000 right after the up of 1,000 drew one 429; bench/adaptive-sim.ts).
        this.tokens = 1;
        this.refilledAt = now();
    }

    /**
     * Runs `send` when this process's bucket, share and concurrency cap allow. A retry (`retry`) goes
     * ahead of first attempts, so a refused request is not starved by newer ones.
     */
    schedule<T>(send: () => Promise<T>, refusalOf: RefusalOf<T>, retry = false): Promise<T> {
        return new Promise<T>((resolve, reject) => {
            const start = () => {
                const sentAt = this.now();
                this.sent.push(sentAt);
                this.forgetOlderThanWindow(sentAt);
                send()
                    .then((answer) => {
                        const refusal = refusalOf(answer);
                        if (refusal) this.refused(sentAt, refusal);
                        else this.adaptive.answered(this.now());
                        resolve(answer);
                    }, reject)
                    .finally(() => {
                        this.releases.push(this.now() + this.settings.windowMs);
                        this.running--;
                        this.pump();
                    });
            };
            (retry ? this.retries : this.fresh).push({ start });
            this.pump();
        });
    }

    /** Requests waiting or in flight (tests, benchmarks). */
    pending(): number {
        return this.retries.length + this.fresh.length + this.running;
    }

    /** Tokens refilled per millisecond at the current share: the cap per window, scaled. */
    private refillPerMs(): number {
        const s = this.settings;
        const share = this.adaptive.tick(this.now()) / s.requestsPerWindow;
        return (capOf(s) * share) / s.windowMs;
    }

    private refill(now: number): void {
        const from = Math.max(this.refilledAt, this.adaptive.holdUntil);
        if (now > from) this.tokens = Math.min(burstOf(this.settings), this.tokens + (now - from) * this.refillPerMs());
        this.refilledAt = Math.max(this.refilledAt, now);
    }

    private pump(): void {
        const now = this.now();
        this.refill(now);
        while (this.retries.length + this.fresh.length > 0 && this.running < this.settings.maxConcurrent) {
            if (now < this.adaptive.holdUntil) return this.wake(this.adaptive.holdUntil);
            while (this.releases.length > 0 && this.releases[0] <= now) this.releases.shift();
            // Every slot held: the next frees a window after an answer (or when one in flight is answered).
            if (this.running + this.releases.length >= capOf(this.settings)) {
                return this.releases.length > 0 ? this.wake(this.releases[0]) : undefined;
            }
            if (this.tokens < 1) return this.wake(now + Math.ceil((1 - this.tokens) / this.refillPerMs()));
            this.tokens -= 1;
            this.running++;
            (this.retries.shift() ?? this.fresh.shift())!.start();
        }
    }

    private wake(at: number): void {
        if (this.timer && this.timerAt <= at) return;
        if (this.timer) clearTimeout(this.timer);
        this.timerAt = at;
        this.timer = setTimeout(
            () => {
                this.timer = undefined;
                this.timerAt = Infinity;
                this.pump();
            },
            Math.max(0, at - this.now()),
        );
    }

    /** Keeps `sent` to the last window (at most the limit's worth), on every send, not only on a refusal. */
    private forgetOlderThanWindow(now: number): void {
        while (this.sent.length > 0 && this.sent[0] <= now - this.settings.windowMs) this.sent.shift();
    }

    private refused(sentAt: number, refusal: Refusal): void {
        const now = this.now();
        this.forgetOlderThanWindow(now);
        const holdMs = this.adaptive.refused(
            sentAt,
            now,
            refusal,
            this.sent.length ? { oldest: this.sent[0], count: this.sent.length } : undefined,
        );
        // Nothing is handed out during the hold, and the bucket starts empty after it.
        this.tokens = 0;
        this.events.onAdapt?.({
            rate: this.adaptive.rate,
            limit: this.settings.requestsPerWindow,
            holdMs,
            retryAfter: refusal.retryAfterMs !== undefined,
        });
    }
}
