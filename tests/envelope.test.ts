/**
 * Exotel's envelope as tables: single-object, list and batch answers, each failure shape Exotel is
 * documented or observed to send (a failure item on HTTP 200, a one-item array for one object, the
 * older `response.data` list, a proxy page without an envelope), and which answers are rate-limit
 * refusals. Pure functions: no server needed; the client and emulator suites test the same over HTTP.
 */
import {
    ExotelConflictError,
    ExotelError,
    ExotelNotFoundError,
    ExotelPartialFailureError,
    ExotelProtocolError,
    ExotelRateLimitError,
    ExotelServerError,
    ExotelValidationError,
} from "../provider/exotel/errors";
import { parseBatch, parseListPage, parseSingle, RawAnswer, rateLimitRefusal } from "../provider/exotel/envelope";

const at = (httpStatus: number, body: unknown, extra: Partial<RawAnswer> = {}): RawAnswer => ({
    httpStatus,
    body,
    method: "GET",
    path: "/v2/accounts/a/trunks",
    ...extra,
});
const ok = (data: unknown, code = 200) => ({ code, status: "success", data });
const failed = (code: number, exotelCode: number, message = "m") => ({
    code,
    status: "failure",
    error_data: { code: exotelCode, message },
});
const thrown = (f: () => unknown): unknown => {
    try {
        f();
    } catch (e) {
        return e;
    }
    throw new Error("did not throw");
};

describe("parseSingle", () => {
    test.each([
        ["an object", at(200, { request_id: "r", response: ok({ id: 1 }) }), { id: 1 }],
        ["a one-item array (one object asked for)", at(200, { response: [ok({ id: 2 })] }), { id: 2 }],
        ["no data: null", at(200, { response: { code: 200, status: "success" } }), null],
    ])("%s", (_n, a, data) => {
        expect(parseSingle(a)).toEqual(data);
    });

    test.each([
        // name, answer, class, responseCode, exotelCode
        ["status failure on HTTP 200 (a duplicate)", at(200, { response: failed(409, 1008) }), ExotelConflictError, 409, 1008],
        [
            "a numeric code >= 400 without status",
            at(200, { response: { code: 404, error_data: { code: 1000 } } }),
            ExotelNotFoundError,
            404,
            1000,
        ],
        ["code 400 exactly, nothing else", at(200, { response: { code: 400 } }), ExotelValidationError, 400, undefined],
        [
            "error_data alone (status and code say nothing)",
            at(200, { response: { error_data: { code: 1030 } } }),
            ExotelRateLimitError,
            undefined,
            1030,
        ],
        ["a success item on HTTP 500", at(500, { response: { code: 200, status: "success" } }), ExotelError, 200, undefined],
        ["a two-item array on HTTP 400", at(400, { response: [ok(1), ok(2)] }), ExotelValidationError, undefined, undefined],
        ["HTTP 400 exactly with a success item", at(400, { response: { status: "success" } }), ExotelValidationError, undefined, undefined],
        [
            "status failure alone (code 200, no error_data)",
            at(200, { response: { status: "failure", code: 200 } }),
            ExotelError,
            200,
            undefined,
        ],
        [
            "a code that is not a number is not the response code",
            at(409, { response: { status: "failure", code: "409", error_data: { code: "x" } } }),
            ExotelConflictError,
            undefined,
            undefined,
        ],
    ] as const)("%s: the typed error", (_n, a, cls, responseCode, exotelCode) => {
        const e = thrown(() => parseSingle(a)) as ExotelError;
        expect(e.name).toBe(cls.name); // the class itself, not a subclass
        expect(e.responseCode).toBe(responseCode);
        expect(e.exotelCode).toBe(exotelCode);
        expect(e.httpStatus).toBe(a.httpStatus);
    });

    test("code 399 is not a failure; the request id is kept on errors", () => {
        expect(parseSingle(at(200, { response: { code: 399, data: "x" } }))).toBe("x");
        const e = thrown(() => parseSingle(at(200, { request_id: "req-1", response: failed(404, 1000) }))) as ExotelError;
        expect(e.requestId).toBe("req-1");
    });

    test.each([
        [
            "a list of two where one object was expected (HTTP 200)",
            at(200, { response: [ok(1), ok(2)] }),
            /a list where one object was expected/,
        ],
        ["an empty list", at(200, { response: [] }), /a list where one object was expected/],
        ["a one-item list of a string", at(200, { response: ["x"] }), /a list where one object was expected/],
        [
            "no envelope (an HTML proxy page)",
            at(200, "<html>", { contentType: "text/html; charset=utf-8" }),
            /HTTP 200 without an Exotel JSON envelope \(content type text\/html\)/,
        ],
        ["no envelope, JSON content type", at(200, { other: 1 }, { contentType: "application/json" }), /without an Exotel JSON envelope;/],
        ["response is a string", at(200, { response: "x" }), /without an Exotel JSON envelope/],
    ])("%s: a protocol error", (_n, a, message) => {
        const e = thrown(() => parseSingle(a));
        expect(e).toBeInstanceOf(ExotelProtocolError);
        expect((e as Error).message).toMatch(message);
    });

    test("no envelope on HTTP 503 or 400: classified by the status", () => {
        expect((thrown(() => parseSingle(at(503, ""))) as Error).name).toBe(ExotelServerError.name);
        expect((thrown(() => parseSingle(at(400, null))) as Error).name).toBe(ExotelValidationError.name);
        expect((thrown(() => parseSingle(at(399, null))) as Error).name).toBe(ExotelProtocolError.name);
    });
});

describe("parseListPage", () => {
    test("items' data in order, skipping null data and non-objects; the next page when metadata has one", () => {
        const a = at(200, { response: [ok({ n: 1 }), ok(null), "junk", ok({ n: 2 })], metadata: { next_page_uri: "/v2/x?page=2" } });
        expect(parseListPage(a)).toEqual({ items: [{ n: 1 }, { n: 2 }], nextPageUri: "/v2/x?page=2" });
    });

    test.each([
        ["no metadata", {}],
        ["an empty next_page_uri", { metadata: { next_page_uri: "" } }],
        ["a null next_page_uri", { metadata: { next_page_uri: null } }],
    ])("no next page: %s", (_n, extra) => {
        expect(parseListPage(at(200, { response: [ok(1)], ...extra }))).toEqual({ items: [1], nextPageUri: undefined });
    });

    test("the older shape: response.data is the list", () => {
        expect(parseListPage(at(200, { response: { code: 200, data: [1, 2] } }))).toEqual({ items: [1, 2] });
    });

    test.each([
        ["a failure envelope as one object", at(200, { response: failed(404, 1000) }), ExotelNotFoundError],
        ["a failed item inside the list", at(200, { response: [ok(1), failed(409, 1008)] }), ExotelConflictError],
        ["a list on HTTP 429", at(429, { response: [ok(1)] }), ExotelRateLimitError],
        ["a list on HTTP 400 exactly", at(400, { response: [] }), ExotelValidationError],
        [
            "a null item in a list is skipped, a failed one after it still fails",
            at(200, { response: [null, failed(404, 1000)] }),
            ExotelNotFoundError,
        ],
        ["an object without a data list", at(200, { response: { code: 200, data: { n: 1 } } }), ExotelProtocolError],
    ])("%s: throws", (_n, a, cls) => {
        expect((thrown(() => parseListPage(a)) as Error).name).toBe(cls.name);
    });
});

describe("parseBatch", () => {
    test("every item succeeded (200 or 207): their data", () => {
        expect(parseBatch(at(207, { response: [ok({ a: 1 }), ok({ b: 2 })] }), ["x", "y"])).toEqual([{ a: 1 }, { b: 2 }]);
        expect(parseBatch(at(200, { response: ok({ a: 1 }) }), ["x"])).toEqual([{ a: 1 }]);
        expect(parseBatch(at(200, { response: { code: 200 } }), ["x"])).toEqual([]);
    });

    test("some failed: a partial failure naming each failed item, carrying the ones created", () => {
        const e = thrown(() =>
            parseBatch(at(207, { response: [ok({ a: 1 }), failed(400, 1002, "bad uri"), "junk"] }), ["first", "second"]),
        ) as ExotelPartialFailureError;
        expect(e).toBeInstanceOf(ExotelPartialFailureError);
        expect(e.succeeded).toEqual([{ a: 1 }]);
        expect(e.failures).toEqual([{ index: 1, item: "second", code: 400, exotelCode: 1002, message: "bad uri", description: undefined }]);
        expect(e.responseCode).toBe(400);
        expect(e.exotelCode).toBe(1002);
        expect(e.message).toMatch(/failed for 1 of 2 item\(s\): second: bad uri \(code 1002\)/);
    });

    test("a failed item without a label is named by its index", () => {
        const e = thrown(() => parseBatch(at(207, { response: [failed(400, 1002)] }), [])) as ExotelPartialFailureError;
        expect(e.failures[0].item).toBe("item 0");
    });

    test("all items fine but HTTP 400 or more: still a failure", () => {
        const e = thrown(() => parseBatch(at(400, { response: [ok(1)] }), ["x"])) as ExotelPartialFailureError;
        expect(e).toBeInstanceOf(ExotelPartialFailureError);
        expect(e.failures).toEqual([]);
        expect(e.succeeded).toEqual([1]);
        expect(parseBatch(at(399, { response: [ok(1)] }), ["x"])).toEqual([1]);
    });

    test.each([
        ["a request-level failure as one envelope", at(200, { response: failed(404, 1000) }), ExotelNotFoundError],
        ["one success envelope on HTTP 500", at(500, { response: ok(1) }), ExotelError],
        ["one success envelope on HTTP 400 exactly (its response.code 200 names no class)", at(400, { response: ok(1) }), ExotelError],
        ["no envelope", at(200, "oops"), ExotelProtocolError],
        ["response is a number", at(200, { response: 3 }), ExotelProtocolError],
    ])("%s: throws", (_n, a, cls) => {
        expect((thrown(() => parseBatch(a, ["x"])) as Error).name).toBe(cls.name);
    });
});

describe.each([
    // name, answer, refusal
    ["HTTP 429 with Retry-After 2.5 s", at(429, null, { retryAfterSeconds: 2.5 }), { retryAfterMs: 2_500 }],
    ["HTTP 429 without Retry-After (what Exotel documents)", at(429, null), {}],
    ["HTTP 200 with 1030 in the envelope", at(200, { response: failed(429, 1030) }), {}],
    ["1030 in one item of a list", at(200, { response: [ok(1), failed(429, 1030)] }, { retryAfterSeconds: 1 }), { retryAfterMs: 1_000 }],
    ["HTTP 200 success", at(200, { response: ok(1) }), undefined],
    ["HTTP 503", at(503, null, { retryAfterSeconds: 5 }), undefined],
    ["another error code", at(200, { response: failed(409, 1008) }), undefined],
    ["a list item that is not an object", at(200, { response: [null, "x"] }), undefined],
] as const)("rateLimitRefusal: %s", (_n, a, refusal) => {
    test("is a refusal or not", () => {
        expect(rateLimitRefusal(a)).toEqual(refusal);
    });
});
