/**
 * Several provider processes on one account, each believing it owns the limit: stood in for by one
 * AccountLimiter each (in a process, the registry would share one), against the emulator's enforced
 * 200 per 60 s window and 50 concurrent at time scale 10 (a 6 s window). The goals are measured through
 * the real engine by `npm run bench` (bench/RESULTS.md), and separate provider processes are tested by
 * tests/sharedAccount.processes.test.ts; here the behaviour, with real HTTP and a real Redis (Debian's
 * redis-server, started and stopped by the tests): every call succeeds exactly once, few are refused, and
 * Redis never holds a credential.
 *
 * Without Redis, the runs are on a virtual clock (the limiters, the clients' retries and the emulator's window all
 * read it): time stands still while a request is in flight and jumps to the next timer when none is, so the share
 * refused and the time taken (in windows) are the limiter's doing, not the machine's load. With Redis, Bottleneck
 * counts on Redis's own clock, so those runs are in real time and assert counts and windows only.
 */
import { createHook } from "async_hooks";
import { DEMO_ACCOUNT, Emulator, startEmulator } from "../emulator";
import { ExotelClient } from "../provider/exotel/client";
import { AccountLimiter } from "../provider/exotel/rateLimit/accountLimiter";
import { RateLimitSettings } from "../provider/exotel/rateLimit/settings";
import { freePort, RedisServer, startRedis } from "../testing/redis";
import { busiestWindow } from "./helpers/windows";
import { virtualTime } from "./helpers/virtualTime";

const SCALE = 10;
const WINDOW = 60_000 / SCALE;
const SETTINGS: RateLimitSettings = { requestsPerWindow: 200, windowMs: WINDOW, maxConcurrent: 50, burst: 10 };

interface Run {
    emu: Emulator;
    settled: PromiseSettledResult<unknown>[];
    wallMs: number;
    logs: string[];
}

/**
 * k stand-in processes, n calls each, all at once; on a virtual clock unless Redis is used. Whatever happens,
 * the clients, limiters, emulator and clock are closed before it returns or throws (nothing outlives one test).
 */
async function contend(
    k: number,
    n: number,
    o: { retryAfter?: boolean; redisUrl?: string; requestsPerWindow?: number; during?: () => void } = {},
): Promise<Run> {
    // Created before the emulator, the limiters and the clients: they read Date.now and setTimeout as they are made.
    const time = o.redisUrl ? undefined : virtualTime();
    const cleanup: (() => unknown)[] = [];
    try {
        const emu = await startEmulator({
            rateLimit: { requests: 200, windowMs: 60_000, maxConcurrent: 50, timeScale: SCALE, retryAfter: o.retryAfter ?? true },
        });
        cleanup.unshift(() => emu.close());
        const logs: string[] = [];
        const settings = { ...SETTINGS, redisUrl: o.redisUrl, requestsPerWindow: o.requestsPerWindow ?? SETTINGS.requestsPerWindow };
        // One key for all: in Redis they share one bucket, as processes of one account do.
        const limiters = Array.from(
            { length: k },
            (_, i) =>
                new AccountLimiter(`${new URL(emu.baseUrl).host}/${DEMO_ACCOUNT.accountSid}`, settings, (_l, m) => logs.push(`${i}: ${m}`)),
        );
        cleanup.unshift(() => Promise.all(limiters.map((l) => l.close()))); // open Redis connections kept the jest worker alive
        const clients = limiters.map(
            (limiter) =>
                new ExotelClient({
                    baseUrl: emu.baseUrl,
                    accountSid: DEMO_ACCOUNT.accountSid,
                    apiKey: DEMO_ACCOUNT.apiKey,
                    apiToken: DEMO_ACCOUNT.apiToken,
                    rateLimit: settings,
                    limiter,
                }),
        );
        cleanup.unshift(() => clients.forEach((c) => c.close()));
        clients.forEach((c) => time?.track(c));
        const t0 = Date.now();
        const calls = clients.flatMap((c) => Array.from({ length: n }, () => c.listTrunks()));
        o.during?.();
        const all = Promise.allSettled(calls);
        const settled = await (time ? time.settle(all) : all);
        const wallMs = Date.now() - t0;
        return { emu, settled, wallMs, logs };
    } finally {
        for (const step of cleanup) await step();
        time?.uninstall();
    }
}

/** A closed limiter may hold the process this long, no more (a connection's socket has that to close). */
const GRACE_MS = 300;

/** Runs `f`; also counts the timers it started that still hold the process (ref'd, neither fired nor cleared) GRACE_MS after. */
async function withTimersLeft<T>(f: () => Promise<T>): Promise<[T, number]> {
    const started = new Map<number, NodeJS.Timeout>();
    const hook = createHook({
        init: (id, type, _trigger, resource) => void (type === "Timeout" && started.set(id, resource as NodeJS.Timeout)),
        destroy: (id) => void started.delete(id),
    }).enable();
    try {
        const result = await f();
        let grace: NodeJS.Timeout | undefined;
        await new Promise((r) => (grace = setTimeout(r, GRACE_MS)));
        await new Promise((r) => setImmediate(r)); // destroy hooks run after their tick
        return [result, [...started.values()].filter((t) => t !== grace && t.hasRef()).length];
    } finally {
        hook.disable();
    }
}
const refusedShare = (r: Run) => r.emu.requests.filter((x) => x.status === 429).length / r.emu.requests.length;
const floorMs = (k: number, n: number) => ((k * n) / 200) * WINDOW;

describe.each([
    [2, true],
    [4, true],
    [2, false],
    [4, false],
] as const)("no Redis: %i processes, Retry-After %s (each adapts its share)", (k, retryAfter) => {
    test("every call succeeds once, few requests are refused, about the floor", async () => {
        const n = k === 2 ? 150 : 100; // more than one window's worth in all
        const r = await contend(k, n, { retryAfter });
        expect(r.settled.filter((s) => s.status === "rejected")).toEqual([]);
        expect(r.emu.requests.filter((x) => x.status === 200)).toHaveLength(k * n);
        expect(r.emu.requests.some((x) => x.status === 429)).toBe(true); // they did contend
        // On the virtual clock, so the machine's load plays no part: the share refused and the time taken in
        // windows are the limiter's alone, held to the goals (<= 5%, <= 1.15 of the floor; measured through the
        // engine, in real time, by `npm run bench`; here 0.7-2.9% and 0.65-0.88, the same in every run). Without
        // the adaptive share, k processes each at the full limit get far more refused (the issue measured 36% for 2).
        expect(refusedShare(r)).toBeLessThanOrEqual(0.05);
        expect(r.wallMs / floorMs(k, n)).toBeLessThanOrEqual(1.15);
        expect(r.logs.some((m) => (retryAfter ? /as its Retry-After asks/ : /no Retry-After: probing/).test(m))).toBe(true);
    });
});

describe("with Redis (exotel:rateLimitRedisUrl)", () => {
    // A Redis of its own for each test, stopped after it whatever the outcome: a test that stops Redis (or fails
    // half-way) leaves nothing for the next.
    let redis: RedisServer | undefined;
    beforeEach(async () => {
        redis = await startRedis();
    });
    afterEach(async () => {
        await redis?.stop();
        redis = undefined;
    });
    const up = (): RedisServer => {
        if (!redis) throw new Error("no Redis: beforeEach failed");
        return redis;
    };

    test("4 processes draw from one bucket: no 429, no window over the limit, and Redis holds no credential", async () => {
        // Told 196 of the 200: at time scale 10 the few milliseconds between Redis admitting a request
        // and the emulator receiving it (four clients, the emulator and jest share a loaded process)
        // weigh ten times what they do against a real minute. The bench runs the real 200.
        const r = await contend(4, 100, { redisUrl: up().url, requestsPerWindow: 196 });
        expect(r.settled.filter((s) => s.status === "rejected")).toEqual([]);
        expect(r.emu.requests.filter((x) => x.status === 429)).toEqual([]);
        expect(r.emu.requests).toHaveLength(400);
        expect(busiestWindow(r.emu, WINDOW)).toBeLessThanOrEqual(200);
        expect(r.logs).toEqual([]);
        const dump = up().dump();
        expect(dump).toContain(`b_pulumi-exotel|127.0.0.1`); // keyed by host and account
        expect(dump).toContain(DEMO_ACCOUNT.accountSid);
        expect(dump).not.toContain(DEMO_ACCOUNT.apiKey);
        expect(dump).not.toContain(DEMO_ACCOUNT.apiToken);
        expect(dump).not.toContain(Buffer.from(`${DEMO_ACCOUNT.apiKey}:${DEMO_ACCOUNT.apiToken}`).toString("base64"));
    });

    test("Redis stopped mid-run: every call still succeeds, each request sent once, one warning per process", async () => {
        const k = 2;
        const n = 150;
        const server = up();
        const [r, timersLeft] = await withTimersLeft(() =>
            contend(k, n, { redisUrl: server.url, during: () => setTimeout(() => void server.stop(), WINDOW / 3) }),
        );
        expect(timersLeft).toBe(0); // closed, the limiters hold nothing (see below)
        expect(r.settled.filter((s) => s.status === "rejected")).toEqual([]);
        // Exactly once: every call got one answered request, and none was sent through both paths.
        expect(r.emu.requests.filter((x) => x.status === 200)).toHaveLength(k * n);
        const warnings = r.logs.filter((m) => /rate-limit Redis/.test(m));
        expect(warnings).toHaveLength(k);
        expect(warnings[0]).toMatch(/continues on this process's own adaptive limit/);
        expect(refusedShare(r)).toBeLessThanOrEqual(0.15);
    });
});

test("Redis unreachable at start: a warning (the URL without its password), then the adaptive limit; nothing fails", async () => {
    const port = await freePort();
    const [r, timersLeft] = await withTimersLeft(() => contend(2, 100, { redisUrl: `redis://exotel:hunter2-secret@127.0.0.1:${port}/0` }));
    // Closed, the limiters soon hold the process with no timer (ioredis arms a 2 s one by default when asked to end a
    // client whose connection has already closed: 4 here before redisStage.ts set a shorter disconnectTimeout).
    expect(timersLeft).toBe(0);
    expect(r.settled.filter((s) => s.status === "rejected")).toEqual([]);
    expect(r.emu.requests.filter((x) => x.status === 200)).toHaveLength(200);
    const warnings = r.logs.filter((m) => /rate-limit Redis/.test(m));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain(`redis://127.0.0.1:${port}/0`);
    expect(r.logs.join("\n")).not.toContain("hunter2-secret");
    expect(r.logs.join("\n")).not.toContain("exotel:");
});
