/**
 * The limiter every request to one account passes, one per provider process (through `globalThis`, so
 * every ExotelTrunk resource and every copy of the serialized provider shares it): the bucket shared by
 * every process through Redis (redisStage.ts) when `redisUrl` is set and Redis answers, else this
 * process's adaptive token bucket (localLimiter.ts).
 */
import { LimiterEvents, LocalLimiter, RefusalOf } from "./localLimiter";
import { RedisStage } from "./redisStage";
import { RateLimitSettings } from "./settings";

export type LimiterLog = (level: "info" | "warn", message: string) => void;

export class AccountLimiter {
    readonly local: LocalLimiter;
    readonly shared?: RedisStage;

    constructor(
        readonly key: string,
        readonly settings: RateLimitSettings,
        log: LimiterLog,
    ) {
        let lastNote = 0;
        const events: LimiterEvents = {
            onAdapt: ({ rate, limit, holdMs, retryAfter }) => {
                // One line per second at most: a destroy of hundreds must not flood the log.
                if (Date.now() - lastNote < 1000) return;
                lastNote = Date.now();
                log(
                    "info",
                    `Exotel answered 429 (another process uses this account?): pausing ${(holdMs / 1000).toFixed(1)} s` +
                        `${retryAfter ? " as its Retry-After asks" : " (no Retry-After: probing)"}, then ${Math.round(rate)} of ${limit} requests per window`,
                );
            },
        };
        this.local = new LocalLimiter(settings, events);
        if (settings.redisUrl) this.shared = new RedisStage(settings.redisUrl, `pulumi-exotel|${key}`, settings, (m) => log("warn", m));
    }

    /**
     * With Redis up, Redis's shared bucket alone paces the request (every process draws from it); else,
     * or once Redis is lost, this process's adaptive limiter does.
     */
    schedule<T>(send: () => Promise<T>, refusalOf: RefusalOf<T>, retry = false): Promise<T> {
        const local = () => this.local.schedule(send, refusalOf, retry);
        return this.shared ? this.shared.run(send, local) : local();
    }

    /** Ends the Redis connections, if any, without a warning (tests; the provider process simply exits). */
    close(): Promise<void> {
        return this.shared ? this.shared.close() : Promise.resolve();
    }
}

declare global {
    // One registry per process, even if two copies of this module are loaded.
    var __pulumiExotelAccountLimiters: Map<string, AccountLimiter> | undefined;
}

/** The process-wide limiter for one account on one host (created on first use, with the first caller's log). */
export function accountLimiter(key: string, s: RateLimitSettings, log: LimiterLog): AccountLimiter {
    const registry = (globalThis.__pulumiExotelAccountLimiters ??= new Map<string, AccountLimiter>());
    const fullKey = `${key}|${s.requestsPerWindow}/${s.windowMs}|${s.maxConcurrent}|${s.burst}|${s.redisUrl ?? ""}`;
    let limiter = registry.get(fullKey);
    if (!limiter) {
        limiter = new AccountLimiter(key, s, log);
        registry.set(fullKey, limiter);
    }
    return limiter;
}
