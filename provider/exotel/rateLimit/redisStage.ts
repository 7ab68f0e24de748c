/**
 * The account's bucket shared through Redis by every provider process on every machine: Bottleneck's
 * clustering (`datastore: "ioredis"`), whose Lua scripts keep the same token bucket and concurrency cap
 * as the local limiter (settings.ts) in Redis, on Redis's clock.
 *
 * Redis going away (unreachable at start, or closed mid-run) is not fatal: the stage is marked down for
 * the rest of this process, every request waiting in it is handed to the caller's local adaptive
 * limiter (exactly once: a request Redis already admitted runs there, one still waiting goes to the
 * local limiter, never both), which paces everything that follows. One warning says so.
 *
 * Redis holds the settings, client ids and job counts; never a credential (keys are `b_<id>_*`, where the
 * id holds the API host and account SID only).
 */
import Bottleneck from "bottleneck";
import type { RedisOptions } from "ioredis";
import { bucketOptions, RateLimitSettings } from "./settings";

/** How long to wait for Redis at start before falling back. */
const CONNECT_TIMEOUT_MS = 3000;
/** A Redis command that takes longer than this counts as Redis being down. */
const COMMAND_TIMEOUT_MS = 5000;
/**
 * How long ending a connection waits for its socket to close before destroying it (ioredis's default is 2 s). The
 * timer stays armed for that long even when the socket closed before (Redis refused or went away): at the default
 * two limiters closed after Redis went away left four 2 s timers holding the process (measured in
 * tests/sharedAccount.test.ts). We never wait for replies on ending (`disconnect(false)`), so nothing is lost by
 * destroying sooner.
 */
const DISCONNECT_TIMEOUT_MS = 100;

/** A Redis URL with any user or password removed, for messages. */
export function redisUrlForLog(url: string): string {
    try {
        const u = new URL(url);
        return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ""}${u.pathname && u.pathname !== "/" ? u.pathname : ""}`;
    } catch {
        return "(an unparsable Redis URL)";
    }
}

/** Checks a Redis URL (the config parser's rule): redis:// or rediss://, with a host. */
export function checkRedisUrl(raw: string): string {
    let u: URL;
    try {
        u = new URL(raw);
    } catch {
        throw new Error("must be a redis:// or rediss:// URL");
    }
    if (u.protocol !== "redis:" && u.protocol !== "rediss:") throw new Error(`must be a redis:// or rediss:// URL; got ${u.protocol}//`);
    if (!u.hostname) throw new Error("must name a host");
    return raw;
}

export class RedisStage {
    private isDown = false;
    private readonly waiters = new Set<() => void>();
    private readonly bottleneck: Bottleneck;
    private readonly client: import("ioredis").default;
    private readonly connectTimer: ReturnType<typeof setTimeout>;
    private readonly connection: Bottleneck.IORedisConnection;

    constructor(
        url: string,
        id: string,
        settings: RateLimitSettings,
        private readonly onDown: (message: string) => void,
    ) {
        // Loaded only when a Redis URL is set.
        const Redis = (require("ioredis") as typeof import("ioredis")).default;
        const options: RedisOptions = {
            // Fail fast and never reconnect: a run that lost Redis continues on its local limit.
            maxRetriesPerRequest: 0,
            enableOfflineQueue: false,
            retryStrategy: () => null,
            connectTimeout: CONNECT_TIMEOUT_MS,
            commandTimeout: COMMAND_TIMEOUT_MS,
            disconnectTimeout: DISCONNECT_TIMEOUT_MS, // the subscriber Bottleneck duplicates from the client too
        };
        this.client = new Redis(url, options);
        const where = redisUrlForLog(url);
        const lost = (why: string) => this.markDown(`the rate-limit Redis at ${where} ${why}`);
        this.client.on("error", (e: Error & { code?: string }) => lost(`failed (${e.code ?? e.name})`));
        this.client.on("end", () => lost("closed the connection"));
        const connection = new Bottleneck.IORedisConnection({ client: this.client, Redis });
        this.connection = connection;
        connection.on("error", (e: Error & { code?: string }) => lost(`failed (${e.code ?? e.name})`));
        this.bottleneck = new Bottleneck({
            ...bucketOptions(settings),
            id,
            datastore: "ioredis",
            connection,
            clearDatastore: false,
            // Keys of an account nobody uses expire (and with them settings a later run may change).
            timeout: Math.max(300_000, 5 * settings.windowMs),
        });
        this.bottleneck.on("error", (e: Error & { code?: string }) => lost(`failed (${e.code ?? e.message})`));
        this.connectTimer = setTimeout(() => lost(`did not answer within ${CONNECT_TIMEOUT_MS / 1000} s`), CONNECT_TIMEOUT_MS);
        this.bottleneck.ready().then(
            () => clearTimeout(this.connectTimer),
            () => {
                clearTimeout(this.connectTimer);
                lost("refused the limiter's setup");
            },
        );
    }

    /** Marks Redis down for the rest of this process and hands back every waiting request. */
    markDown(reason: string): void {
        if (this.isDown) return;
        this.isDown = true;
        this.onDown(`${reason}: this run continues on this process's own adaptive limit`);
        this.handBackWaiters();
        this.client.disconnect();
    }

    /**
     * Ends the connections (the client and the subscriber Bottleneck opened beside it) without a warning: the run
     * is over. Requests still waiting run on the local limit. (Tests; the provider process simply exits.)
     */
    async close(): Promise<void> {
        clearTimeout(this.connectTimer);
        if (!this.isDown) {
            this.isDown = true;
            this.handBackWaiters();
        }
        // Both connections and the limiter's heartbeat, at once; harmless on connections already ended.
        await this.connection.disconnect(false);
    }

    /** Every request still waiting for Redis goes to the local limit (the stage is down). */
    private handBackWaiters(): void {
        for (const w of [...this.waiters]) w();
        this.waiters.clear();
    }

    get isUp(): boolean {
        return !this.isDown;
    }

    /**
     * Runs `job` once Redis's shared bucket admits it; if Redis is or goes down first, hands it to
     * `fallback` instead (exactly one of the two runs it).
     */
    run<T>(job: () => Promise<T>, fallback: () => Promise<T>): Promise<T> {
        if (this.isDown) return fallback();
        return new Promise<T>((resolve, reject) => {
            let state: "waiting" | "running" | "handed back" = "waiting";
            const runHere = () => {
                if (state !== "waiting") return;
                state = "handed back";
                this.waiters.delete(runHere);
                fallback().then(resolve, reject);
            };
            this.waiters.add(runHere);
            this.bottleneck
                .schedule(async () => {
                    if (state !== "waiting") return undefined;
                    state = "running";
                    this.waiters.delete(runHere);
                    return job().then(resolve, reject);
                })
                .catch((e: unknown) => {
                    // Redis refused the submission (down): run here.
                    this.markDown(`the rate-limit Redis failed (${(e as { code?: string }).code ?? (e as Error).message})`);
                    runHere();
                });
        });
    }
}
