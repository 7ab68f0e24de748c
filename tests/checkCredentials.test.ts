/**
 * checkCredentials as a table (the validator alone, as pulumi-awsx tests its validators): each input,
 * the reasons it gives (property and wording) and the credentials it passes on. Unknown values (a
 * preview's computed inputs) are stood in for by a marker. The provider-level behaviour over HTTP is in
 * tests/credentials.test.ts.
 */
import { checkCredentials } from "../provider/validation/credentials";

const U = Symbol("unknown");
const isUnknown = (v: unknown) => v === U;
const run = (items: unknown[]) => {
    const reasons: [string, string][] = [];
    const out = checkCredentials(items, isUnknown, (p, r) => reasons.push([p, r]));
    return { reasons, out };
};
const good = { userName: "pbx_alpha", password: "alpha_pass_1" };

describe.each([
    // name, items, reasons [property, pattern], credentials passed on
    ["a valid one with a friendly name", [{ ...good, friendlyName: "front_desk" }], [], [{ ...good, friendlyName: "front_desk" }]],
    ["without a friendly name", [good], [], [good]],
    ["a null friendly name is none", [{ ...good, friendlyName: null }], [], [good]],
    ["an empty friendly name is kept", [{ ...good, friendlyName: "" }], [], [{ ...good, friendlyName: "" }]],
    ["user name: every allowed character", [{ ...good, userName: "a.b_c@d+e-F9" }], [], [{ ...good, userName: "a.b_c@d+e-F9" }]],
    ["user name: 64 characters", [{ ...good, userName: "u".repeat(64) }], [], [{ ...good, userName: "u".repeat(64) }]],
    [
        "password: 8 and 128 characters",
        [
            { ...good, password: "p".repeat(8) },
            { userName: "b", password: "p".repeat(128) },
        ],
        [],
        [
            { ...good, password: "p".repeat(8) },
            { userName: "b", password: "p".repeat(128) },
        ],
    ],
    ["friendly name: 32 characters", [{ ...good, friendlyName: "f".repeat(32) }], [], [{ ...good, friendlyName: "f".repeat(32) }]],
    ["an unknown item is left for later", [U], [], []],
    ["not an object: a string", ["pbx"], [["credentials[0]", /^must be an object \{ userName, password, friendlyName\? \}$/]], []],
    ["not an object: null", [null], [["credentials[0]", /must be an object/]], []],
    ["not an object: an array", [[good]], [["credentials[0]", /must be an object/]], []],
    [
        "an unknown property is named, the credential still passes",
        [{ ...good, pass: "x" }],
        [["credentials[0].pass", /^is not a credential property \(userName, password, friendlyName\)$/]],
        [good],
    ],
    ["user name missing", [{ password: good.password }], [["credentials[0].userName", /^is required$/]], []],
    ["user name null", [{ ...good, userName: null }], [["credentials[0].userName", /^is required$/]], []],
    [
        "user name empty",
        [{ ...good, userName: "" }],
        [["credentials[0].userName", /^must be 1-64 letters, digits or \. _ @ \+ -; got ""$/]],
        [],
    ],
    ["user name with a space", [{ ...good, userName: "pbx alpha" }], [["credentials[0].userName", /got "pbx alpha"$/]], []],
    ["user name of 65", [{ ...good, userName: "u".repeat(65) }], [["credentials[0].userName", /must be 1-64/]], []],
    ["user name a number", [{ ...good, userName: 7 }], [["credentials[0].userName", /got 7$/]], []],
    [
        "a duplicate user name: the second is refused, naming the first",
        [good, { ...good, password: "other_pass_1" }],
        [["credentials[1].userName", /^duplicates credentials\[0\] \(pbx_alpha\); user names are unique per trunk$/]],
        [good],
    ],
    ["password missing", [{ userName: "a" }], [["credentials[0].password", /^is required$/]], []],
    ["password null", [{ userName: "a", password: null }], [["credentials[0].password", /^is required$/]], []],
    [
        "password of 7",
        [{ userName: "a", password: "p".repeat(7) }],
        [["credentials[0].password", /^must be 8-128 letters, digits or underscores/]],
        [],
    ],
    ["password of 129", [{ userName: "a", password: "p".repeat(129) }], [["credentials[0].password", /must be 8-128/]], []],
    ["password with a symbol", [{ userName: "a", password: "secret-pass!" }], [["credentials[0].password", /must be 8-128/]], []],
    ["password a number", [{ userName: "a", password: 12345678 }], [["credentials[0].password", /must be 8-128/]], []],
    [
        "friendly name of 33",
        [{ ...good, friendlyName: "f".repeat(33) }],
        [["credentials[0].friendlyName", /^must be at most 32 letters, digits or underscores; got "f{33}"$/]],
        [],
    ],
    ["friendly name with a space", [{ ...good, friendlyName: "front desk" }], [["credentials[0].friendlyName", /got "front desk"$/]], []],
    ["friendly name a number", [{ ...good, friendlyName: 3 }], [["credentials[0].friendlyName", /got 3$/]], []],
    [
        "every field wrong: one reason each",
        [{ userName: "a b", password: "short", friendlyName: "x y" }],
        [
            ["credentials[0].userName", /must be 1-64/],
            ["credentials[0].password", /must be 8-128/],
            ["credentials[0].friendlyName", /must be at most 32/],
        ],
        [],
    ],
    ["the second item's index in its reasons", [good, { userName: "b" }], [["credentials[1].password", /is required/]], [good]],
] as const)("checkCredentials: %s", (_name, items, reasons, out) => {
    test("reasons and result", () => {
        const r = run([...items]);
        expect(r.reasons.map(([p]) => p)).toEqual(reasons.map(([p]) => p));
        r.reasons.forEach(([, text], i) => expect(text).toMatch(reasons[i][1]));
        expect(r.out).toEqual(out);
    });
});

test("unknown fields (a preview) give no reason and pass the credential on as it is", () => {
    const r = run([
        { userName: U, password: good.password },
        { userName: "b", password: U },
        { ...good, userName: "c", friendlyName: U },
    ]);
    expect(r.reasons).toEqual([]);
    expect(r.out).toEqual([
        { userName: U, password: good.password },
        { userName: "b", password: U },
        { userName: "c", password: good.password },
    ]);
});

test("no reason ever contains the password, right or wrong", () => {
    const secrets = ["short", "secret-pass!", "p".repeat(129), "alpha_pass_1"];
    const r = run(secrets.map((password, i) => ({ userName: i === 3 ? "a b" : `u${i}`, password, friendlyName: "bad name" })));
    expect(r.reasons.length).toBeGreaterThanOrEqual(secrets.length);
    for (const [, text] of r.reasons) for (const s of secrets) expect(text).not.toContain(s);
});
