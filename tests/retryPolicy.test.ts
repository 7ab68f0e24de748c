import {
    ExotelError,
    ExotelNetworkError,
    ExotelProtocolError,
    ExotelRateLimitError,
    ExotelServerError,
    ExotelTimeoutError,
    ExotelValidationError,
} from "../provider/exotel/errors";
import { DEFAULT_RETRY_POLICY, isRetryable, parseRetryAfter, RetryPolicy, retryDelayMs, withRetry } from "../provider/exotel/retryPolicy";

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

    test.each([
        // name, error, expected delay for retry 1 (backoff 500 ms without jitter)
        [
            "Retry-After on a status not in afterStatusCodes is ignored",
            new ExotelServerError({ ...d, httpStatus: 500, retryAfterSeconds: 9 }),
            500,
        ],
        [
            "Retry-After with the status only in response.code counts",
            new ExotelServerError({ ...d, httpStatus: 200, responseCode: 503, retryAfterSeconds: 9 }),
            9000,
        ],
        ["a negative Retry-After is no wait: the backoff", new ExotelRateLimitError({ ...d, httpStatus: 429, retryAfterSeconds: -5 }), 500],
        ["Retry-After 1.2345 s rounds to 1235 ms", new ExotelRateLimitError({ ...d, httpStatus: 429, retryAfterSeconds: 1.2345 }), 1235],
        ["a network error (no status): the backoff", new ExotelNetworkError({ ...d, httpStatus: 0 }, "reset"), 500],
    ] as const)("%s", (_n, err, ms) => {
        expect(retryDelayMs(err, 1, p)).toBe(ms);
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
        [{ httpStatus: 500, exotelCode: 1030 }, true],
        [{ httpStatus: 400, exotelCode: 1030 }, true], // 1030 is retried whatever the status
        [{ httpStatus: 500, exotelCode: 4242 }, true], // an unknown code: the status decides
        [{ httpStatus: 400, exotelCode: 4242 }, false],
        [{ httpStatus: 400 }, false],
        [{ httpStatus: 200, responseCode: 400 }, false],
        [{ httpStatus: 400, responseCode: 503 }, true],
        [{ httpStatus: 0 }, false],
        [{ httpStatus: 408 }, true],
        [{ httpStatus: 504 }, true],
    ])("%j -> %p", (over, expected) => {
        expect(isRetryable(new ExotelServerError({ ...d, ...over }), DEFAULT_RETRY_POLICY)).toBe(expected);
    });
    test("a non-Exotel error is not retried", () => {
        expect(isRetryable(new Error("x"), DEFAULT_RETRY_POLICY)).toBe(false);
    });
    test.each([
        [
            "a network error, when the policy retries them",
            new ExotelNetworkError({ ...d, httpStatus: 0 }, "reset"),
            DEFAULT_RETRY_POLICY,
            true,
        ],
        [
            "a network error, when it does not",
            new ExotelNetworkError({ ...d, httpStatus: 0 }, "reset"),
            { ...DEFAULT_RETRY_POLICY, retryNetworkErrors: false },
            false,
        ],
        ["a timeout (the deadline passed), even on 503", new ExotelTimeoutError({ ...d, httpStatus: 503 }), DEFAULT_RETRY_POLICY, false],
        [
            "a protocol error (not Exotel's answer), even on 503",
            new ExotelProtocolError({ ...d, httpStatus: 503 }, "html"),
            DEFAULT_RETRY_POLICY,
            false,
        ],
        ["a validation error on 400", new ExotelValidationError({ ...d, httpStatus: 400 }), DEFAULT_RETRY_POLICY, false],
        [
            "a never-retried code wins over a retried one listed in both",
            new ExotelError({ ...d, httpStatus: 429, exotelCode: 1030 }),
            { ...DEFAULT_RETRY_POLICY, neverRetryExotelCodes: [1030] as number[] },
            false,
        ],
    ] as [string, Error, RetryPolicy, boolean][])("%s", (_n, err, policy, expected) => {
        expect(isRetryable(err, policy)).toBe(expected);
    });
});

describe("withRetry: attempts, deadline, and the error contract", () => {
    const clock = () => {
        let t = 0;
        const waits: number[] = [];
        return { waits, now: () => t, sleep: async (ms: number) => void (waits.push(ms), (t += ms)) };
    };
    const failing = (errs: Error[], then?: unknown) => {
        let i = 0;
        return async () => {
            if (i < errs.length) throw errs[i++];
            return then;
        };
    };
    const e503 = () => new ExotelServerError({ ...d, httpStatus: 503 });

    test("retries until it succeeds, waiting the backoff each time", async () => {
        const c = clock();
        await expect(withRetry("op", failing([e503(), e503()], "ok"), p, 1e9, c)).resolves.toBe("ok");
        expect(c.waits).toEqual([500, 1000]);
    });

    test("limit 2: three attempts, then the last error itself with attempts set", async () => {
        const c = clock();
        const last = e503();
        const err = await withRetry("op", failing([e503(), e503(), last], "ok"), { ...p, limit: 2 }, 1e9, c).catch((e: unknown) => e);
        expect(err).toBe(last);
        expect((err as ExotelError).attempts).toBe(3);
        expect(c.waits).toEqual([500, 1000]);
    });

    test("a wait that would reach the deadline exactly is not started: a timeout error with the last as its cause", async () => {
        const c = clock();
        const last = e503();
        // The first wait is 500 ms; a deadline at 500 ms is reached by it.
        const err = (await withRetry("op", failing([last], "ok"), p, 500, c).catch((e: unknown) => e)) as ExotelTimeoutError;
        expect(err).toBeInstanceOf(ExotelTimeoutError);
        expect(err.cause).toBe(last);
        expect(err.attempts).toBe(1);
        expect(err.message).toMatch(/gave up after 1 attempt\(s\): the operation deadline would pass .*; last error: Exotel GET \/x/);
        expect(c.waits).toEqual([]);
        // One millisecond more and the wait fits.
        await expect(withRetry("op", failing([e503()], "ok"), p, 501, clock())).resolves.toBe("ok");
    });

    test("not retryable: thrown at once, as it was, without attempts", async () => {
        const c = clock();
        const v = new ExotelValidationError({ ...d, httpStatus: 400 });
        const err = await withRetry("op", failing([v], "ok"), p, 1e9, c).catch((e: unknown) => e);
        expect(err).toBe(v);
        expect((err as ExotelError).attempts).toBeUndefined();
        expect(c.waits).toEqual([]);
    });

    test("onRetry is told each failed attempt, its wait and the operation", async () => {
        const seen: unknown[] = [];
        const c = clock();
        await withRetry("DELETE /x", failing([e503()], 1), p, 1e9, {
            ...c,
            onRetry: ({ attempt, delayMs, operation }) => seen.push([attempt, delayMs, operation]),
        });
        expect(seen).toEqual([[1, 500, "DELETE /x"]]);
    });
});

test("parseRetryAfter: seconds, decimals, HTTP dates, garbage", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("30", now)).toBe(30);
    expect(parseRetryAfter("0.25", now)).toBe(0.25);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:10 GMT", now)).toBe(10);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter("  7 ", now)).toBe(7);
    expect(parseRetryAfter("", now)).toBeUndefined();
    expect(parseRetryAfter("   ", now)).toBeUndefined();
    expect(parseRetryAfter(30, now)).toBeUndefined(); // a header is a string
    expect(parseRetryAfter("Wed, 31 Dec 2025 23:59:00 GMT", now)).toBe(0); // a date in the past: no wait
    // Not a number of seconds: a date-like string with digits around it is parsed as a date, or refused.
    expect(parseRetryAfter("1.5s", now)).toBeUndefined();
    expect(parseRetryAfter("x1.5", now)).toBeUndefined();
});
