/**
 * The adaptive share (AIMD + hold) as a pure function of its inputs: tables of refusals and answers
 * against a fake clock.
 */
import { AdaptiveRate, defaultAdaptiveSettings } from "../provider/exotel/rateLimit/adaptiveRate";

const W = 60_000;
const mk = () => new AdaptiveRate(defaultAdaptiveSettings(200, W), 0);

test("defaults: the full limit at first; halve on a refusal; regain 10% of the limit per window; first blind hold W/8", () => {
    const s = defaultAdaptiveSettings(200, W);
    expect(s).toEqual({ limit: 200, windowMs: W, decrease: 0.5, increase: 0.1, floor: 0.02, blindHoldMs: 7_500 });
    expect(mk().rate).toBe(200);
});

describe.each([
    // name, Retry-After (ms) or blind, expected hold, rate after
    ["a 429 with Retry-After 12 s holds exactly 12 s", 12_000, 12_000, 100],
    ["a 429 with Retry-After 0 holds 0", 0, 0, 100],
    ["a blind 429 holds the first blind hold", undefined, 7_500, 100],
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
    expect(a.rate).toBe(100);
    a.answered(2_400);
    a.refused(2_500, 2_600, { retryAfterMs: 1_000 }); // a new event after an answer
    expect(a.rate).toBeCloseTo(50, 0); // half of 100 plus the 0.2 s of increase since the answer
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
    expect(a.refused(58_000, 58_000, {}, 0)).toBe(2_000);
    // With Retry-After the server knows best.
    const b = mk();
    expect(b.refused(58_000, 58_000, { retryAfterMs: 9_000 }, 0)).toBe(9_000);
});

test("additive increase: 10% of the limit per window, none during a hold or before an answer, never above the limit", () => {
    const a = mk();
    a.refused(0, 0, { retryAfterMs: 6_000 });
    expect(a.tick(3_000)).toBe(100); // holding
    a.answered(6_000);
    expect(a.tick(6_000 + W)).toBeCloseTo(120, 5);
    expect(a.tick(6_000 + 20 * W)).toBe(200);
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
