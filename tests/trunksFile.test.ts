/**
 * Trunks as data: the loader's errors name the file, the entry and the field, all before any request;
 * the export writes entries that adopt, with exactly what Exotel has, and no secret.
 */
import { entryFor, trunksFileText } from "../provider/gitops/exportTrunks";
import { TrunkInfo } from "../provider/lookups";
import { TrunksFileError } from "../provider/errors";
import { loadTrunksFile } from "../provider/gitops/trunksFile";

const problems = (text: string): string[] => {
    try {
        loadTrunksFile("trunks.yaml", text);
    } catch (e) {
        if (e instanceof TrunksFileError) return e.problems;
        throw e;
    }
    return [];
};

describe("loadTrunksFile", () => {
    test("a good file gives its entries", () => {
        const text =
            'trunks:\n  - trunkName: a_one\n    phoneNumbers: [{ phoneNumber: "+918047091234", mode: flow }]\n  - trunkName: b_two\n    adoptByName: true\n';
        expect(loadTrunksFile("trunks.yaml", text)).toEqual([
            { trunkName: "a_one", phoneNumbers: [{ phoneNumber: "+918047091234", mode: "flow" }] },
            { trunkName: "b_two", adoptByName: true },
        ]);
    });

    test.each([
        ["YAML syntax", "trunks:\n  - trunkName: a\n   bad: [", /^trunks\.yaml: /],
        ["no trunks list", "trunk: []\n", /^trunks\.yaml has an unknown field "trunk"|^trunks\.yaml is missing "trunks"/],
        ["missing name", "trunks:\n  - callerId: '+918047091234'\n", /^trunks\.yaml: trunks\[0\] is missing "trunkName"$/],
        ["unknown field", "trunks:\n  - trunkName: a\n    number: 1\n", /^trunks\.yaml: trunks\[0\] \(a\) has an unknown field "number"$/],
        [
            "credentials (passwords) in the file",
            "trunks:\n  - trunkName: a\n    credentials: [{ userName: u, password: p }]\n",
            /trunks\[0\] \(a\) has an unknown field "credentials" \(passwords never go in a repository/,
        ],
        [
            "wrong type",
            "trunks:\n  - trunkName: a\n    whitelistedIps: [{ ip: 1.2.3.4, mask: '24' }]\n",
            /trunks\[0\] \(a\): whitelistedIps\[0\]\.mask must be integer/,
        ],
        [
            "bad mode",
            "trunks:\n  - trunkName: a\n    phoneNumbers: [{ phoneNumber: '+918047091234', mode: sip }]\n",
            /phoneNumbers\[0\]\.mode must be one of "pstn", "flow"/,
        ],
        ["rule of check", "trunks:\n  - trunkName: a-b\n", /^trunks\.yaml: trunks\[0\] \(a-b\): trunkName may contain only letters/],
        [
            "bad IP",
            "trunks:\n  - trunkName: a\n    whitelistedIps: [{ ip: 1.2.3.999 }]\n",
            /trunks\[0\] \(a\): whitelistedIps\[0\]\.ip must be an IPv4 dotted quad/,
        ],
        [
            "duplicate names",
            "trunks:\n  - trunkName: a\n  - trunkName: a\n",
            /^trunks\.yaml: trunks\[1\] \(a\): trunkName duplicates trunks\[0\]/,
        ],
    ])("%s is named with file, entry and field", (_label, text, pattern) => {
        const found = problems(text);
        expect(found.length).toBeGreaterThan(0);
        expect(found.some((p) => pattern.test(p))).toBe(true);
    });

    test("every problem is reported at once", () => {
        expect(problems("trunks:\n  - trunkName: a-b\n  - trunkName: c\n    callerId: '123'\n")).toHaveLength(2);
    });

    test("a misspelt field does not hide the entry's bad values; a malformed entry is not checked further", () => {
        const text =
            "trunks:\n  - trunkName: ok\n  - trunkName: bad-name\n    callerID: x\n    whitelistedIps: [{ ip: 203.0.113.300 }]\n" +
            "  - trunkName: c\n    whitelistedIps: [{ ip: 1.2.3.4, mask: '24' }]\n    callerId: '123'\n";
        expect(problems(text)).toEqual([
            'trunks.yaml: trunks[1] (bad-name) has an unknown field "callerID"',
            "trunks.yaml: trunks[2] (c): whitelistedIps[0].mask must be integer",
            expect.stringMatching(/^trunks\.yaml: trunks\[1\] \(bad-name\): trunkName may contain only letters/),
            expect.stringMatching(/^trunks\.yaml: trunks\[1\] \(bad-name\): whitelistedIps\[0\]\.ip must be an IPv4 dotted quad/),
        ]);
    });
});

describe("loadTrunksFile: the exact problem list", () => {
    const names = (n: number) => Array.from({ length: n }, (_, i) => `  - trunkName: t${i}\n`).join("");
    const E164 = 'callerId must be E.164: "+", country code and number, 2-15 digits in all, no spaces; got "1"';
    test.each<[string, string, string[]]>([
        ["an empty file", "", ["trunks.yaml must be object"]],
        ["a null document", "null\n", ["trunks.yaml must be object"]],
        ["trunks not a list", "trunks: 5\n", ["trunks.yaml /trunks must be array"]],
        [
            "a file-level problem stops there: the entries are not checked further",
            "trunks:\n  - trunkName: a\n    callerId: '1'\nfoo: 1\n",
            ['trunks.yaml has an unknown field "foo"'],
        ],
        [
            "YAML syntax: the parser's first line, with where",
            "trunks: [\n",
            ["trunks.yaml: Flow sequence in block collection must be sufficiently indented and end with a ] at line 2, column 1:"],
        ],
        [
            "a key given twice",
            "trunks:\n  - trunkName: a\n    trunkName: b\n",
            ["trunks.yaml: Map keys must be unique at line 3, column 5:"],
        ],
        [
            "a file-level problem next to an entry's: both reported, the entries' rules not run",
            "trunks:\n  - trunkName: a\n    x: 1\n    callerId: '1'\nfoo: 1\n",
            ['trunks.yaml has an unknown field "foo"', 'trunks.yaml: trunks[0] (a) has an unknown field "x"'],
        ],
        ["an entry that is not a map", "trunks:\n  - 5\n", ["trunks.yaml: trunks[0] must be object"]],
        [
            "a name that is not a string (no name shown)",
            "trunks:\n  - trunkName: 5\n",
            ["trunks.yaml: trunks[0]: trunkName must be string"],
        ],
        [
            "every unknown field of an entry, each once",
            "trunks:\n  - trunkName: a\n    x: 1\n    y: 2\n",
            ['trunks.yaml: trunks[0] (a) has an unknown field "x"', 'trunks.yaml: trunks[0] (a) has an unknown field "y"'],
        ],
        [
            "entry 10 and up: the whole index, and its field path",
            `trunks:\n${names(10)}  - trunkName: t10\n    phoneNumbers: [{ phoneNumber: '+918047091234', mode: sip }]\n`,
            ['trunks.yaml: trunks[10] (t10): phoneNumbers[0].mode must be one of "pstn", "flow"'],
        ],
        [
            "item 10 and up of a list inside an entry",
            `trunks:\n  - trunkName: a\n    whitelistedIps: [${Array.from({ length: 11 }, (_, i) => `{ ip: 1.2.3.${i} }`).join(", ")}, { ip: 1.2.3.4, mask: x }]\n`,
            ["trunks.yaml: trunks[0] (a): whitelistedIps[11].mask must be integer"],
        ],
        [
            "entry 12 with an unknown field is still checked by the rules",
            `trunks:\n${names(12)}  - trunkName: t12\n    bogus: 1\n    callerId: '1'\n`,
            ['trunks.yaml: trunks[12] (t12) has an unknown field "bogus"', `trunks.yaml: trunks[12] (t12): ${E164}`],
        ],
        [
            "a malformed entry 12 is not checked further, and entry 1 still is",
            `trunks:\n  - trunkName: t0\n  - trunkName: t1\n    callerId: '1'\n${names(12).split("\n").slice(2).join("\n")}  - trunkName: t12\n    whitelistedIps: [{ ip: 1.2.3.4, mask: x }]\n    callerId: '1'\n`,
            ["trunks.yaml: trunks[12] (t12): whitelistedIps[0].mask must be integer", `trunks.yaml: trunks[1] (t1): ${E164}`],
        ],
        [
            "an unknown field inside a list item makes the entry malformed (not an unknown entry field)",
            "trunks:\n  - trunkName: b\n    phoneNumbers: [{ phoneNumber: '+918047091234', q: 1 }]\n    callerId: '1'\n",
            ['trunks.yaml: trunks[0] (b): phoneNumbers[0] has an unknown field "q"'],
        ],
    ])("%s", (_label, text, want) => {
        expect(problems(text)).toEqual(want);
    });

    test("the error is a TrunksFileError naming the file, with every problem in its message", () => {
        const err = (() => {
            try {
                loadTrunksFile("deploy/trunks.yaml", "trunks:\n  - trunkName: a\n    x: 1\n    y: 2\n");
            } catch (e) {
                return e as TrunksFileError;
            }
        })();
        expect(err).toBeInstanceOf(TrunksFileError);
        expect(err?.problems).toEqual([
            'deploy/trunks.yaml: trunks[0] (a) has an unknown field "x"',
            'deploy/trunks.yaml: trunks[0] (a) has an unknown field "y"',
        ]);
        expect(err?.message).toContain('trunks[0] (a) has an unknown field "y"');
    });
});

describe("export", () => {
    const info = (over: Partial<TrunkInfo>): TrunkInfo =>
        ({
            trunkSid: "trmum1x",
            trunkName: "t",
            nsoCode: "ANY-ANY",
            domainName: "acc.pstn.exotel.com",
            accountSid: "acc",
            region: "mumbai",
            links: {},
            phoneNumbers: [],
            whitelistedIps: [],
            destinationUris: [],
            destinations: [],
            callerId: null,
            credentials: [],
            ...over,
        }) as TrunkInfo;

    test("an entry adopts by name and carries exactly what Exotel has, defaults left out", () => {
        const e = entryFor(
            info({
                trunkName: "legacy",
                phoneNumbers: [
                    { id: "1", phoneNumber: "+918047091501", mode: "pstn" },
                    { id: "2", phoneNumber: "+918047091502", mode: "flow" },
                ],
                whitelistedIps: [
                    { id: "3", ip: "203.0.113.0", mask: 28 },
                    { id: "4", ip: "198.51.100.7", mask: 32 },
                ],
                destinations: [{ id: "5", uri: "203.0.113.5:5061;transport=tls", sipUri: "sip:203.0.113.5:5061;transport=tls" }],
                callerId: "+918047091501",
            }),
        );
        expect(e).toEqual({
            trunkName: "legacy",
            adoptByName: true,
            phoneNumbers: [{ phoneNumber: "+918047091501" }, { phoneNumber: "+918047091502", mode: "flow" }],
            whitelistedIps: [{ ip: "203.0.113.0", mask: 28 }, { ip: "198.51.100.7" }],
            destinationUris: ["203.0.113.5:5061;transport=tls"],
            callerId: "+918047091501",
        });
    });

    test("the file it writes loads back, sorted by name, with no secret and a note on credentials", () => {
        const text = trunksFileText(
            [info({ trunkName: "zeta" }), info({ trunkName: "alpha", credentials: [{ id: "9", userName: "pbx", friendlyName: null }] })],
            "acc",
        );
        expect(loadTrunksFile("trunks.yaml", text).map((e) => e.trunkName)).toEqual(["alpha", "zeta"]);
        expect(text).toContain("# SIP credentials exist on alpha; they are not in this file");
        expect(text).not.toMatch(/password\s*:/i);
    });
});
