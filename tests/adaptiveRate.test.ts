/**
 * The adaptive share (cut to what was sent, growing increase, hold) as a pure function of its inputs:
 * tables of refusals and answers against a fake clock.
 */
import { AdaptiveRate, defaultAdaptiveSettings } from "../provider/exotel/rateLimit/adaptiveRate";

const W = 60_000;
const mk = () => new AdaptiveRate(defaultAdaptiveSettings(200, W), 0);

test("defaults: the full limit at first; keep 80% on a refusal; regain 30% of the limit in the first window; first blind hold W/8", () => {
    const s = defaultAdaptiveSettings(200, W);
    expect(s).toEqual({ limit: 200, windowMs: W, decrease: 0.8, increase: 0.3, floor: 0.02, blindHoldMs: 7_500 });
    expect(mk().rate).toBe(200);
});

describe.each([
    // name, Retry-After (ms) or blind, expected hold, rate after
    ["a 429 with Retry-After 12 s holds exactly 12 s", 12_000, 12_000, 160],
    ["a 429 with Retry-After 0 holds 0", 0, 0, 160],
    ["a blind 429 holds the first blind hold", undefined, 7_500, 160],
] as const)("%s", (_name, retryAfterMs, hold, rate) => {
    test("hold and rate", () => {
        const a = mk();
        expect(a.refused(1_000, 1_000, { retryAfterMs })).toBe(hold);
        expect(a.holdUntil).toBe(1_000 + hold);
        expect(a.rate).toBe(rate);
    });
});

test("refusals before an answer are one congestion event: the rate is cut once", () => {
    const a = mk();
    a.refused(0, 100, { retryAfterMs: 1_000 });
    a.refused(50, 110, { retryAfterMs: 1_000 });
    a.refused(1_200, 1_300, { retryAfterMs: 1_000 }); // a probe after the hold, still refused
    expect(a.rate).toBe(160);
    a.answered(2_400);
    a.refused(2_500, 2_600, { retryAfterMs: 1_000 }); // a new event after an answer
    expect(a.rate).toBeCloseTo(128.2, 1); // 0.8 of 160 plus the 0.3 s of increase since the hold ended
});

describe.each([
    // name, own requests in the last window, rate after the cut
    ["50 sent over the whole window: keeps 0.8 of 50", { oldest: 40_000, count: 50 }, 40],
    ["a start-up burst (10 in 1 s, 600 a window at that pace): keeps 0.8 of its rate", { oldest: 99_000, count: 10 }, 160],
    ["15 sent in the half window since it started (30 a window): keeps 0.8 of 30", { oldest: 70_000, count: 15 }, 24],
    ["1 sent in the window: the floor, 2% of the limit", { oldest: 40_000, count: 1 }, 4],
    ["nothing known of its own requests: keeps 0.8 of its rate", undefined, 160],
] as const)("the cut is to what this process really sent: %s", (_name, own, rate) => {
    test("rate after a refusal at t = 100 s", () => {
        const a = mk();
        a.refused(100_000, 100_000, { retryAfterMs: 1_000 }, own);
        expect(a.rate).toBeCloseTo(rate, 6);
    });
});

test("blind probes: the hold doubles per refused probe, up to half a window; in-flight refusals do not double it", () => {
    const a = mk();
    expect(a.refused(0, 0, {})).toBe(7_500);
    expect(a.refused(-10, 5, {})).toBe(7_500); // sent before the hold began: the same hold, not doubled
    expect(a.refused(7_505, 7_600, {})).toBe(15_000); // the probe
    expect(a.refused(22_600, 22_700, {})).toBe(30_000);
    expect(a.refused(52_700, 52_800, {})).toBe(30_000); // capped at W/2
    a.answered(83_000);
    expect(a.refused(90_000, 90_000, {})).toBe(7_500); // starts over after an answer
});

test("a blind hold never outlasts this process's own oldest request of the window", () => {
    const a = mk();
    // Our oldest request in the window was sent at t=0: at t=58 s it leaves the window in 2 s.
    expect(a.refused(58_000, 58_000, {}, { oldest: 0, count: 150 })).toBe(2_000);
    // With Retry-After the server knows best.
    const b = mk();
    expect(b.refused(58_000, 58_000, { retryAfterMs: 9_000 }, { oldest: 0, count: 150 })).toBe(9_000);
});

test("increase: 30% of the limit in the first window after the hold, doubling per window; none while holding; never above the limit", () => {
    const a = mk();
    a.refused(0, 0, { retryAfterMs: 6_000 }, { oldest: -W, count: 50 });
    expect(a.rate).toBe(40);
    expect(a.tick(3_000)).toBe(40); // holding
    a.answered(6_000);
    const first = (0.3 * 200) / Math.LN2; // the integral of 0.3·200·2^t over the first window, t in windows
    expect(a.tick(6_000 + W / 2)).toBeCloseTo(40 + first * (Math.SQRT2 - 1), 6);
    expect(a.tick(6_000 + W)).toBeCloseTo(40 + first, 6);
    expect(a.tick(6_000 + 2 * W)).toBe(200); // the second window would add twice the first: capped
});

test("long after the last cut the rate stays the limit (no overflow of the growing increase)", () => {
    const a = mk();
    a.refused(0, 0, { retryAfterMs: 0 }, { oldest: -W, count: 10 });
    a.answered(1);
    expect(a.tick(1_000 * W)).toBe(200);
    expect(a.tick(10_000_000 * W)).toBe(200); // 2^(10^7) would be Infinity
});

test("the rate never drops below the floor (2% of the limit)", () => {
    const a = mk();
    for (let i = 0; i < 20; i++) {
        a.refused(i * 10, i * 10, { retryAfterMs: 0 });
        a.answered(i * 10 + 1);
    }
    expect(a.rate).toBeGreaterThanOrEqual(4);
    expect(a.rate).toBeLessThan(5);
});
