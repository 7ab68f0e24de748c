/**
 * checkConnection as a table: a per-resource account, each input, the reasons (property and wording)
 * and the settings passed on. Unknown values (a preview's computed inputs) are stood in for by a marker.
 * The provider-level behaviour (several accounts over HTTP) is in tests/connection.test.ts.
 */
import { checkConnection } from "../provider/validation/connection";

// What the dynamic-provider host passes for a value not known yet (a preview): a sentinel string, which
// the parsers must never see.
const U = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const run = (raw: unknown) => {
    const reasons: [string, string][] = [];
    const out = checkConnection(
        raw,
        (v) => v === U,
        (p, r) => reasons.push([p, r]),
    );
    return { reasons, out };
};
const acc = { accountSid: "acc_1", apiKey: "key", apiToken: "tok_secret" };
const REGION = /^must be "mumbai" \(api\.in\.exotel\.com\) or "singapore" \(api\.exotel\.com\); got "tokyo"$/;

describe.each([
    // name, input, reasons [property, pattern], settings passed on
    ["absent", undefined, [], undefined],
    ["null", null, [], undefined],
    ["unknown as a whole", U, [], undefined],
    ["with a region (lower-cased)", { ...acc, region: "Mumbai" }, [], { ...acc, region: "mumbai" }],
    ["with singapore", { ...acc, region: "singapore" }, [], { ...acc, region: "singapore" }],
    ["with a loopback base URL", { ...acc, baseUrl: "http://127.0.0.1:9" }, [], { ...acc, baseUrl: "http://127.0.0.1:9" }],
    [
        "with both",
        { ...acc, region: "mumbai", baseUrl: "https://x.example" },
        [],
        { ...acc, region: "mumbai", baseUrl: "https://x.example" },
    ],
    ["a string", "acc_1", [["connection", /^must be an object \{ accountSid, apiKey, apiToken, region\? \| baseUrl\? \}$/]], undefined],
    ["an array", [acc], [["connection", /must be an object/]], undefined],
    [
        "an unknown property",
        { ...acc, region: "mumbai", apiSecret: "x" },
        [["connection.apiSecret", /^is not a connection property \(accountSid, apiKey, apiToken, region, baseUrl\)$/]],
        undefined,
    ],
    [
        "no account SID",
        { apiKey: "k", apiToken: "t", region: "mumbai" },
        [["connection.accountSid", /^is required \(a non-empty string\)$/]],
        undefined,
    ],
    ["an empty API key", { ...acc, apiKey: "", region: "mumbai" }, [["connection.apiKey", /^is required/]], undefined],
    ["a numeric token", { ...acc, apiToken: 5, region: "mumbai" }, [["connection.apiToken", /^is required/]], undefined],
    [
        "an account SID with a space",
        { ...acc, accountSid: "acc one", region: "mumbai" },
        [["connection.accountSid", /^must be an Exotel account SID \(letters, digits, _ or -\)$/]],
        undefined,
    ],
    ["an unknown region", { ...acc, region: "tokyo" }, [["connection.region", REGION]], undefined],
    [
        "a base URL that is not https",
        { ...acc, baseUrl: "ftp://x" },
        [["connection.baseUrl", /^must use https \(plain http is allowed only for loopback hosts such as the emulator\); got ftp:\/\/x$/]],
        undefined,
    ],
    [
        "neither region nor base URL",
        acc,
        [["connection.region", /^is required unless baseUrl is set \("mumbai" or "singapore"\)$/]],
        undefined,
    ],
    [
        "region and base URL null",
        { ...acc, region: null, baseUrl: null },
        [["connection.region", /is required unless baseUrl is set/]],
        undefined,
    ],
] as const)("checkConnection: %s", (_name, raw, reasons, out) => {
    test("reasons and result", () => {
        const r = run(raw);
        expect(r.reasons.map(([p]) => p)).toEqual(reasons.map(([p]) => p));
        r.reasons.forEach(([, text], i) => expect(text).toMatch(reasons[i][1]));
        expect(r.out).toEqual(out);
    });
});

describe.each([
    ["the account SID", { ...acc, accountSid: U, region: "mumbai" }],
    ["the token", { ...acc, apiToken: U, region: "mumbai" }],
    ["the region", { ...acc, region: U }],
    ["the base URL", { ...acc, baseUrl: U }],
])("unknown %s (a preview): no reason, nothing passed on yet", (_name, raw) => {
    test("checked later", () => {
        expect(run(raw)).toEqual({ reasons: [], out: undefined });
    });
});

test("a region that is not a string is neither parsed nor passed on", () => {
    // (Its type is the schema's to refuse; here it only must not pass as a region.)
    const r = run({ ...acc, region: 3, baseUrl: "http://127.0.0.1:9" });
    expect(r.out).toEqual({ ...acc, baseUrl: "http://127.0.0.1:9" });
});

test("every problem of one connection is reported, and no reason contains the token", () => {
    const r = run({ accountSid: "a b", apiKey: "", apiToken: "tok_secret", region: "tokyo", extra: 1 });
    expect(r.reasons.map(([p]) => p)).toEqual(["connection.extra", "connection.apiKey", "connection.accountSid", "connection.region"]);
    for (const [, text] of r.reasons) expect(text).not.toContain("tok_secret");
});
