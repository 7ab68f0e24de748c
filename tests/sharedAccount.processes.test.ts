/**
 * Several stacks on one account through the real engine: each `pulumi destroy` runs its own provider
 * process, all at once, against the emulator's enforced limit (40 per 60 s window at time scale 5, a
 * 12 s window, so that a few trunks span several windows). The adaptive share without Redis (with and
 * without Retry-After), the Redis-shared bucket, and Redis stopped in the middle of the run.
 * Goals at Exotel's real 200 per minute are measured by `npm run bench` (bench/RESULTS.md).
 */
import { runSharedCase } from "../testing/sharedAccount";

// Each case ups and destroys k stacks through the engine; on a loaded 2-core machine a case took up to 120 s.
jest.setTimeout(360_000);

const SCALE = 5;
const LIMIT = 40;

test.each([
    { k: 2, n: 30, redis: false, retryAfter: false },
    { k: 4, n: 20, redis: false, retryAfter: true },
])("$k provider processes, no Redis, Retry-After $retryAfter: every trunk deleted, few 429s", async (c) => {
    const r = await runSharedCase(c, c.n, SCALE, LIMIT);
    expect({ failed: r.failedOps, errors: r.errors, leftAtExotel: r.leftAtExotel, leftInState: r.leftInState }).toEqual({
        errors: [],
        failed: 0,
        leftAtExotel: 0,
        leftInState: 0,
    });
    expect(r.refused).toBeGreaterThan(0); // they contended, and adapted:
    // Bounded, not the goal (<= 5% at Exotel's 200 a window, measured by the bench): at 40 a window the few
    // refusals when the processes start weigh more (measured 9% for 2 processes, 8% for 4, on a quiet machine;
    // CI runs this beside Go builds). Each process ignoring the others' share got 36% (the issue's measure).
    expect(r.refused / r.requests).toBeLessThanOrEqual(0.2);
    expect(r.warnings).toEqual(r.warnings.map(() => 0));
});

test("4 provider processes through one Redis: no 429, no window over the limit", async () => {
    // Told 38 of the 40: at time scale 5, with four provider processes, their CLIs and jest on two cores,
    // the milliseconds between Redis admitting a request and the emulator receiving it weigh five times
    // what they do against a real minute. `npm run bench` runs the real 200 of 200.
    const r = await runSharedCase({ k: 4, redis: true, retryAfter: true }, 20, SCALE, LIMIT, 38);
    expect({ failed: r.failedOps, errors: r.errors, leftAtExotel: r.leftAtExotel, leftInState: r.leftInState }).toEqual({
        errors: [],
        failed: 0,
        leftAtExotel: 0,
        leftInState: 0,
    });
    expect(r.refused).toBe(0);
    expect(r.busiestWindow).toBeLessThanOrEqual(LIMIT);
    expect(r.warnings).toEqual([0, 0, 0, 0]);
});

test("Redis stopped in the middle of 4 destroys: each process warns and goes on alone; every trunk deleted", async () => {
    const r = await runSharedCase({ k: 4, redis: true, retryAfter: true, stopRedisAfterMs: 60_000 / SCALE / 2 }, 20, SCALE, LIMIT);
    expect({ failed: r.failedOps, errors: r.errors, leftAtExotel: r.leftAtExotel, leftInState: r.leftInState }).toEqual({
        errors: [],
        failed: 0,
        leftAtExotel: 0,
        leftInState: 0,
    });
    // Every process saw Redis go (a warning in its destroy's output).
    expect(r.warnings.every((w) => w >= 1)).toBe(true);
});
