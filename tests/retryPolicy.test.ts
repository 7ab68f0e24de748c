import { ExotelRateLimitError, ExotelServerError } from "../provider/exotel/errors";
import { DEFAULT_RETRY_POLICY, isRetryable, parseRetryAfter, retryDelayMs } from "../provider/exotel/retryPolicy";

const d = { method: "GET", path: "/x" };
const p = { ...DEFAULT_RETRY_POLICY, jitter: false };

describe("retryDelayMs", () => {
    test.each([
        [1, 500],
        [2, 1000],
        [3, 2000],
        [7, 20000],
        [12, 20000],
    ])("backoff for retry %i is %i ms (capped at backoffLimitMs)", (n, ms) => {
        expect(retryDelayMs(new ExotelServerError({ ...d, httpStatus: 503 }), n, p)).toBe(ms);
    });

    test("Retry-After is the least wait, capped at maxRetryAfterMs", () => {
        const e = (s: number) => new ExotelRateLimitError({ ...d, httpStatus: 429, retryAfterSeconds: s });
        expect(retryDelayMs(e(3), 1, p)).toBe(3000);
        expect(retryDelayMs(e(0.1), 3, p)).toBe(2000);
        expect(retryDelayMs(e(3600), 1, p)).toBe(60000);
    });

    test("full jitter spreads waits between 0 and the backoff", () => {
        const e = new ExotelServerError({ ...d, httpStatus: 500 });
        expect(retryDelayMs(e, 2, DEFAULT_RETRY_POLICY, () => 0.25)).toBe(250);
    });
});

describe("isRetryable", () => {
    test.each([
        [{ httpStatus: 503 }, true],
        [{ httpStatus: 200, responseCode: 503 }, true],
        [{ httpStatus: 429 }, true],
        [{ httpStatus: 200, responseCode: 429, exotelCode: 1030 }, true],
        [{ httpStatus: 503, exotelCode: 1003 }, false],
        [{ httpStatus: 400, exotelCode: 1002 }, false],
        [{ httpStatus: 200, responseCode: 409, exotelCode: 1008 }, false],
        [{ httpStatus: 401, exotelCode: 1010 }, false],
        [{ httpStatus: 404, exotelCode: 1000 }, false],
    ])("%j -> %p", (over, expected) => {
        expect(isRetryable(new ExotelServerError({ ...d, ...over }), DEFAULT_RETRY_POLICY)).toBe(expected);
    });
    test("a non-Exotel error is not retried", () => {
        expect(isRetryable(new Error("x"), DEFAULT_RETRY_POLICY)).toBe(false);
    });
});

test("parseRetryAfter: seconds, decimals, HTTP dates, garbage", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("30", now)).toBe(30);
    expect(parseRetryAfter("0.25", now)).toBe(0.25);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:10 GMT", now)).toBe(10);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
});
