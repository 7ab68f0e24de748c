/**
 * classifyFailure as a table: the error class from Exotel's code alone, from the HTTP status alone, and
 * from both (the emulator always sends both, so only this table tells a code-only answer apart).
 */
import {
    ExotelAuthError,
    ExotelConflictError,
    ExotelError,
    ExotelNotFoundError,
    ExotelRateLimitError,
    ExotelServerError,
    ExotelValidationError,
} from "../provider/exotel/errors";
import { classifyFailure } from "../provider/exotel/errors/classify";

const base = { method: "GET", path: "/v2/accounts/a/trunks" };

describe.each([
    // name, httpStatus, responseCode, exotelCode, class
    ["1010 alone (on HTTP 200)", 200, undefined, 1010, ExotelAuthError],
    ["1003 alone", 200, undefined, 1003, ExotelAuthError],
    ["HTTP 401 alone", 401, undefined, undefined, ExotelAuthError],
    ["HTTP 403 alone", 403, undefined, undefined, ExotelAuthError],
    ["response code 403 on HTTP 200", 200, 403, undefined, ExotelAuthError],
    ["1000 alone", 200, undefined, 1000, ExotelNotFoundError],
    ["HTTP 404 alone", 404, undefined, undefined, ExotelNotFoundError],
    ["1008 alone (duplicate on HTTP 200)", 200, undefined, 1008, ExotelConflictError],
    ["HTTP 409 alone", 409, undefined, undefined, ExotelConflictError],
    ["1030 alone", 200, undefined, 1030, ExotelRateLimitError],
    ["HTTP 429 alone", 429, undefined, undefined, ExotelRateLimitError],
    ["HTTP 500", 500, undefined, undefined, ExotelServerError],
    ["HTTP 503 with response code 503", 503, 503, undefined, ExotelServerError],
    ["HTTP 400 with 1002", 400, 400, 1002, ExotelValidationError],
    ["HTTP 400 alone", 400, undefined, undefined, ExotelValidationError],
    ["HTTP 499 (the last 4xx)", 499, undefined, undefined, ExotelValidationError],
    ["the response code wins over the HTTP status", 200, 404, undefined, ExotelNotFoundError],
] as const)("%s", (_name, httpStatus, responseCode, exotelCode, Cls) => {
    test(`is ${Cls.name}`, () => {
        const e = classifyFailure({ ...base, httpStatus, responseCode, exotelCode });
        expect(e).toBeInstanceOf(Cls);
        expect(e.constructor).toBe(Cls);
    });
});

test("a failure that is none of these (HTTP 200, no code) is a plain ExotelError that says it failed", () => {
    const e = classifyFailure({ ...base, httpStatus: 200 });
    expect(e.constructor).toBe(ExotelError);
    expect(e.message).toMatch(/returned a failure/);
});

test("HTTP 399 is not a client error", () => {
    expect(classifyFailure({ ...base, httpStatus: 399 }).constructor).toBe(ExotelError);
});
