/**
 * The adaptive share on a fake clock: k provider processes (one LocalLimiter each, as in separate
 * processes), N requests each with up to 64 outstanding (the engine's --parallel 64), against the
 * emulator's own sliding-window limiter (200 per 60 s window at time scale 2, 50 concurrent), 20 ms per
 * request, refused requests retried after their Retry-After (or the retry policy's backoff). Seconds to
 * run, so the rate rules can be compared case by case before the engine benchmark (bench/destroy-bench.ts)
 * measures them; the engine benchmark is the measure.
 *
 *   npm run bench:sim
 */
// @sinonjs/fake-timers (jest's own fake clock, pinned as a dev dependency; it ships no types).
interface FakeClock {
    tickAsync(ms: number): Promise<number>;
    uninstall(): void;
}
const FakeTimers = require("@sinonjs/fake-timers") as { install(o: { now: number; toFake: string[] }): FakeClock };

const clock = FakeTimers.install({ now: 1_000_000, toFake: ["setTimeout", "clearTimeout", "Date", "setInterval", "clearInterval"] });
// Loaded after the clock is faked: the limiter reads Date.now and setTimeout when it runs.
const { LocalLimiter } = require("../provider/exotel/rateLimit/localLimiter") as typeof import("../provider/exotel/rateLimit/localLimiter");
const { SlidingWindowLimiter } = require("../emulator/rateLimit") as typeof import("../emulator/rateLimit");
const { maxInWindow } = require("../testing/windows") as typeof import("../testing/windows");

const L = 200;
const W = 30_000;
const LATENCY_MS = 20;

interface Case {
    k: number;
    n: number;
    retryAfter: boolean;
    /** When each process starts, ms. */
    starts: number[];
}

interface Answer {
    ok: boolean;
    retryAfterMs?: number;
}

async function run(
    c: Case,
): Promise<{ requests: number; refused: number; wallMs: number; floorMs: number; ends: number[]; busiest: number }> {
    const server = new SlidingWindowLimiter({ requests: L, windowMs: 60_000, maxConcurrent: 50, timeScale: 2, retryAfter: c.retryAfter });
    const settings = { requestsPerWindow: L, windowMs: W, maxConcurrent: 50, burst: 10 };
    const t0 = Date.now();
    let requests = 0;
    let refused = 0;
    const ends: number[] = [];
    const admitted: number[] = [];
    const later = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
    const send = async (): Promise<Answer> => {
        await later(LATENCY_MS / 2);
        requests++;
        const d = server.admit("account", Date.now());
        await later(LATENCY_MS / 2);
        if (d.allowed) {
            admitted.push(Date.now());
            server.done("account");
            return { ok: true };
        }
        refused++;
        return { ok: false, retryAfterMs: c.retryAfter ? (d.retryAfterSeconds ?? 0) * 1000 : undefined };
    };
    const process = async (start: number) => {
        await later(start);
        const limiter = new LocalLimiter(settings);
        let next = 0;
        const one = async () => {
            for (let attempt = 1; ; attempt++) {
                const a = await limiter.schedule(send, (x) => (x.ok ? undefined : { retryAfterMs: x.retryAfterMs }), attempt > 1);
                if (a.ok) return;
                // The retry policy's wait: at least Retry-After, else the backoff (jitter at its mean).
                await later(Math.max(a.retryAfterMs ?? 0, 0.75 * 500 * 2 ** Math.min(attempt - 1, 4)));
            }
        };
        const worker = async () => {
            while (next < c.n) {
                next++;
                await one();
            }
        };
        await Promise.all(Array.from({ length: 64 }, worker));
        ends.push(Date.now() - t0);
    };
    let finished = false;
    void Promise.all(c.starts.map(process)).then(() => (finished = true));
    while (!finished) await clock.tickAsync(50);
    return {
        requests,
        refused,
        wallMs: Date.now() - t0,
        floorMs: ((c.k * c.n) / L) * W + Math.min(...c.starts),
        ends,
        busiest: maxInWindow(admitted, W),
    };
}

const CASES: Case[] = [
    // One process alone: what its own limiter leaves of the limit (the one-stack benchmark's bound).
    { k: 1, n: 200, retryAfter: false, starts: [0] },
    { k: 1, n: 1000, retryAfter: false, starts: [0] },
    // `pulumi up` then `pulumi destroy` of 400: a new process starts as the last one's final request is answered.
    { k: 2, n: 400, retryAfter: false, starts: [0, 60_700] },
    { k: 2, n: 150, retryAfter: true, starts: [0, 1000] },
    { k: 2, n: 150, retryAfter: false, starts: [0, 1000] },
    { k: 4, n: 150, retryAfter: true, starts: [0, 1000, 1500, 2000] },
    { k: 4, n: 150, retryAfter: false, starts: [0, 1000, 1500, 2000] },
    { k: 4, n: 150, retryAfter: true, starts: [0, 6000, 7000, 14000] },
    { k: 4, n: 150, retryAfter: false, starts: [0, 6000, 7000, 14000] },
    { k: 4, n: 500, retryAfter: true, starts: [0, 3000, 5000, 9000] },
    { k: 4, n: 500, retryAfter: false, starts: [0, 3000, 5000, 9000] },
    { k: 8, n: 150, retryAfter: true, starts: [0, 1000, 2000, 3000, 4000, 5000, 6000, 7000] },
    { k: 8, n: 150, retryAfter: false, starts: [0, 1000, 2000, 3000, 4000, 5000, 6000, 7000] },
];

async function main() {
    const rows = [
        "| stacks × requests | Retry-After | starts (s) | 429s ÷ requests | wall ÷ floor | busiest window | each stack done (s) |",
        "|---|---|---|---|---|---|---|",
    ];
    for (const c of CASES) {
        const r = await run(c);
        rows.push(
            `| ${c.k} × ${c.n} | ${c.retryAfter ? "yes" : "no"} | ${c.starts.map((s) => s / 1000).join(", ")} | ` +
                `${r.refused}/${r.requests} = ${((100 * r.refused) / r.requests).toFixed(1)}% | ${(r.wallMs / r.floorMs).toFixed(3)} | ${r.busiest} | ` +
                `${r.ends
                    .sort((a, b) => a - b)
                    .map((e) => (e / 1000).toFixed(0))
                    .join(", ")} |`,
        );
    }
    clock.uninstall();
    console.log(rows.join("\n"));
}

void main();
