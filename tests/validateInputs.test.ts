/**
 * validateInputs and its single-value checks, exactly: each row gives the whole result (every failure with its
 * reason, and the normalized inputs, compared strictly so a key that should be absent is absent). Rows were
 * written from the mutation report's survivors: nulls, Pulumi's unknown marker at each depth, adoption combinations,
 * the whitelist check next to other failures, and each bound on both sides.
 */
import {
    checkDomainName,
    checkE164,
    checkIp,
    checkMask,
    checkNsoCode,
    checkTrunkName,
    MAX_LIST_ITEMS,
    validateInputs,
} from "../provider/validation/validate";
import { UNKNOWN } from "../provider/unknown";
import { INPUT_PROPERTIES } from "../provider/trunkTypes";

describe.each<[string, (v: unknown) => string | undefined, [unknown, string | undefined][]]>([
    [
        "checkTrunkName",
        checkTrunkName,
        [
            ["a", undefined],
            ["A_b_3".padEnd(16, "x"), undefined],
            ["", "must not be empty"],
            ["a".repeat(17), "must be at most 16 characters (Exotel's limit); got 17"],
            ["a-b", 'may contain only letters A-Z/a-z, digits and underscores; got "a-b"'],
            [5, "must be a string of 1-16 letters, digits or underscores; got number"],
        ],
    ],
    [
        "checkNsoCode",
        checkNsoCode,
        [
            ["ANY-ANY", undefined],
            ["IN-MUMBAI", undefined],
            ["any-any", 'must look like "ANY-ANY" (upper case, one hyphen); got "any-any"'],
            [null, 'must be a string such as "ANY-ANY"; got object'],
        ],
    ],
    [
        "checkDomainName",
        checkDomainName,
        [
            ["acct.pstn.exotel.com", undefined],
            ["my_acct.pstn.exotel.com", undefined],
            ["sip.acct.pstn.exotel.com", undefined],
            ["a-.acct.pstn.exotel.com", 'is not a valid host name; got "a-.acct.pstn.exotel.com"'],
            ["a_b.acct.pstn.exotel.com", 'is not a valid host name; got "a_b.acct.pstn.exotel.com"'],
            [".pstn.exotel.com", 'is not a valid host name; got ".pstn.exotel.com"'],
            ["acct.exotel.com", 'must end with ".pstn.exotel.com"; got "acct.exotel.com"'],
            [7, 'must be a string ending with ".pstn.exotel.com"; got number'],
        ],
    ],
    [
        "checkE164",
        checkE164,
        [
            ["+12", undefined],
            ["+123456789012345", undefined],
            ["+1", 'must be E.164: "+", country code and number, 2-15 digits in all, no spaces; got "+1"'],
            ["+1234567890123456", 'must be E.164: "+", country code and number, 2-15 digits in all, no spaces; got "+1234567890123456"'],
            [919876543210, 'must be an E.164 string such as "+919876543210"; got number'],
        ],
    ],
    [
        "checkIp",
        checkIp,
        [
            ["203.0.113.10", undefined],
            ["203.0.113", 'must be an IPv4 dotted quad (IPv6 and host names are not accepted by Exotel); got "203.0.113"'],
            [{ ip: "203.0.113.10" }, 'must be an IPv4 address string such as "203.0.113.10"; got object'],
        ],
    ],
    [
        "checkMask",
        checkMask,
        [
            [16, undefined],
            [32, undefined],
            [15, 'must be from 16 to 32 (Exotel: "mask should be in-between 16 and 32"); got 15'],
            [33, 'must be from 16 to 32 (Exotel: "mask should be in-between 16 and 32"); got 33'],
            [24.5, "must be a whole number from 16 to 32; got 24.5"],
            ["24", 'must be a whole number from 16 to 32; got "24"'],
        ],
    ],
])("%s", (_name, check, rows) => {
    test.each(rows)("%j -> %j", (value, reason) => {
        expect(check(value)).toBe(reason);
    });
});

const base = {
    trunkName: "t",
    nsoCode: "ANY-ANY",
    domainName: "acct.pstn.exotel.com",
    phoneNumbers: [],
    whitelistedIps: [],
    destinationUris: [],
};
const NOT_WHITELISTED = (ip: string) =>
    `points at IP ${ip}, which is not in this trunk's whitelistedIps (Exotel requires IP destinations to be whitelisted; FQDN destinations are not)`;

describe("validateInputs: the whole result", () => {
    test.each<[string, Record<string, unknown>, { accountSid?: string }, { property: string; reason: string }[], Record<string, unknown>]>([
        [
            "nulls and undefineds are absent values, not unknown properties",
            {
                trunkName: "t",
                extra: null,
                other: undefined,
                callerId: null,
                adoptTrunkSid: null,
                adoptByName: null,
                credentials: null,
                domainName: null,
            },
            { accountSid: "acct" },
            [],
            base,
        ],
        ["the provider's own key is not an input", { trunkName: "t", __provider: "serialized" }, { accountSid: "acct" }, [], base],
        [
            "an unknown property names every known one",
            { trunkName: "t", trunk_name: "t" },
            { accountSid: "acct" },
            [{ property: "trunk_name", reason: `is not an ExotelTrunk property (known: ${INPUT_PROPERTIES.join(", ")})` }],
            base,
        ],
        [
            "a null name is missing",
            { trunkName: null },
            { accountSid: "acct" },
            [{ property: "trunkName", reason: "is required" }],
            { ...base, trunkName: null },
        ],
        [
            "no name is missing",
            {},
            { accountSid: "acct" },
            [{ property: "trunkName", reason: "is required" }],
            { ...base, trunkName: undefined },
        ],
        [
            "no account and no domain: no default domain",
            { trunkName: "t" },
            {},
            [{ property: "domainName", reason: "has no default: set exotel:accountSid (or EXOTEL_ACCOUNT_SID), or set domainName" }],
            { ...base, domainName: undefined },
        ],
        [
            "values not known yet (a preview) are not checked, and are passed on as given",
            {
                trunkName: UNKNOWN,
                nsoCode: UNKNOWN,
                domainName: UNKNOWN,
                callerId: UNKNOWN,
                adoptTrunkSid: UNKNOWN,
                adoptByName: UNKNOWN,
                phoneNumbers: UNKNOWN,
                whitelistedIps: UNKNOWN,
                destinationUris: UNKNOWN,
            },
            {},
            [],
            {
                trunkName: UNKNOWN,
                nsoCode: UNKNOWN,
                domainName: UNKNOWN,
                phoneNumbers: UNKNOWN,
                whitelistedIps: UNKNOWN,
                destinationUris: UNKNOWN,
                callerId: UNKNOWN,
                adoptTrunkSid: UNKNOWN,
                adoptByName: UNKNOWN,
            },
        ],
        [
            "unknown list items and fields: not checked; a list holding an unknown is unknown as a whole",
            {
                trunkName: "t",
                phoneNumbers: [UNKNOWN, { phoneNumber: UNKNOWN, mode: UNKNOWN }],
                whitelistedIps: [UNKNOWN, { ip: UNKNOWN, mask: 24 }, { ip: "203.0.113.10", mask: UNKNOWN }],
                destinationUris: [UNKNOWN, "198.51.100.1:5060;transport=tcp"],
            },
            { accountSid: "acct" },
            [],
            { ...base, phoneNumbers: UNKNOWN, whitelistedIps: UNKNOWN, destinationUris: UNKNOWN },
        ],
        [
            "one whitelisted IP not known yet: an IP destination cannot be checked against the list",
            {
                trunkName: "t",
                whitelistedIps: [{ ip: "203.0.113.10" }, { ip: UNKNOWN }],
                destinationUris: ["198.51.100.1:5060;transport=tcp"],
            },
            { accountSid: "acct" },
            [],
            { ...base, whitelistedIps: UNKNOWN, destinationUris: ["198.51.100.1:5060;transport=tcp"] },
        ],
        [
            "list items: each problem once, at its place; a required field named",
            {
                trunkName: "t",
                phoneNumbers: [{ mode: "flow" }, "+919876543210", { phoneNumber: "+919876543210", id: "1" }],
                whitelistedIps: [{ mask: 24 }, "203.0.113.10", { ip: "203.0.113.10", note: "x" }, { ip: "198.51.100.0", mask: 40 }],
            },
            { accountSid: "acct" },
            [
                { property: "phoneNumbers[0].phoneNumber", reason: "is required" },
                { property: "phoneNumbers[1]", reason: 'must be an object { phoneNumber, mode? }; got "+919876543210"' },
                { property: "phoneNumbers[2].id", reason: "is not a phone-number property (phoneNumber, mode)" },
                { property: "whitelistedIps[0].ip", reason: "is required" },
                { property: "whitelistedIps[1]", reason: 'must be an object { ip, mask? }; got "203.0.113.10"' },
                { property: "whitelistedIps[2].note", reason: "is not a whitelisted-IP property (ip, mask)" },
                {
                    property: "whitelistedIps[3].mask",
                    reason: 'must be from 16 to 32 (Exotel: "mask should be in-between 16 and 32"); got 40',
                },
            ],
            // What passed is normalized (mode and mask defaults); an IP whose mask failed is left out.
            { ...base, phoneNumbers: [{ phoneNumber: "+919876543210", mode: "pstn" }], whitelistedIps: [{ ip: "203.0.113.10", mask: 32 }] },
        ],
        [
            "lists that are not lists, by their own names",
            { trunkName: "t", phoneNumbers: "x", whitelistedIps: {}, destinationUris: 5, credentials: "pbx" },
            { accountSid: "acct" },
            [
                { property: "phoneNumbers", reason: "must be a list; got string" },
                { property: "whitelistedIps", reason: "must be a list; got object" },
                { property: "destinationUris", reason: "must be a list; got number" },
                { property: "credentials", reason: "must be a list; got string" },
            ],
            { ...base, credentials: [] },
        ],
        [
            "an IP destination outside the whitelist is reported even when another property failed",
            { trunkName: "bad-name", whitelistedIps: [{ ip: "203.0.113.10" }], destinationUris: ["198.51.100.1:5060;transport=tcp"] },
            { accountSid: "acct" },
            [
                { property: "trunkName", reason: 'may contain only letters A-Z/a-z, digits and underscores; got "bad-name"' },
                { property: "destinationUris[0]", reason: NOT_WHITELISTED("198.51.100.1") },
            ],
            { ...base, trunkName: "bad-name", whitelistedIps: [{ ip: "203.0.113.10", mask: 32 }] },
        ],
        [
            "...but not when the whitelist itself failed (its own failure says what to fix first)",
            { trunkName: "t", whitelistedIps: [{ ip: "203.0.113.10", mask: 40 }], destinationUris: ["203.0.113.10:5060;transport=tcp"] },
            { accountSid: "acct" },
            [
                {
                    property: "whitelistedIps[0].mask",
                    reason: 'must be from 16 to 32 (Exotel: "mask should be in-between 16 and 32"); got 40',
                },
            ],
            { ...base, destinationUris: ["203.0.113.10:5060;transport=tcp"] },
        ],
        [
            "adopting by sid",
            { trunkName: "t", adoptTrunkSid: "trmum1abc" },
            { accountSid: "acct" },
            [],
            { ...base, adoptTrunkSid: "trmum1abc" },
        ],
        [
            "a sid that is not one",
            { trunkName: "t", adoptTrunkSid: 5 },
            { accountSid: "acct" },
            [{ property: "adoptTrunkSid", reason: "must be an Exotel trunk SID (letters and digits); got 5" }],
            { ...base, adoptTrunkSid: 5 },
        ],
        ["adopting by name", { trunkName: "t", adoptByName: true }, { accountSid: "acct" }, [], { ...base, adoptByName: true }],
        [
            "not by name, with a sid",
            { trunkName: "t", adoptByName: false, adoptTrunkSid: "trmum1abc" },
            { accountSid: "acct" },
            [],
            { ...base, adoptByName: false, adoptTrunkSid: "trmum1abc" },
        ],
        [
            "by name, sid null",
            { trunkName: "t", adoptByName: true, adoptTrunkSid: null },
            { accountSid: "acct" },
            [],
            { ...base, adoptByName: true },
        ],
        [
            "by name and by sid",
            { trunkName: "t", adoptByName: true, adoptTrunkSid: "trmum1abc" },
            { accountSid: "acct" },
            [{ property: "adoptByName", reason: "cannot be combined with adoptTrunkSid: adopt by sid or by name, not both" }],
            { ...base, adoptByName: true, adoptTrunkSid: "trmum1abc" },
        ],
        [
            "by name given as a string",
            { trunkName: "t", adoptByName: "yes" },
            { accountSid: "acct" },
            [{ property: "adoptByName", reason: 'must be true or false; got "yes"' }],
            { ...base, adoptByName: "yes" },
        ],
        [
            "an empty credential list is managed (it removes the trunk's)",
            { trunkName: "t", credentials: [] },
            { accountSid: "acct" },
            [],
            { ...base, credentials: [] },
        ],
        [
            "a null list item is not an object",
            { trunkName: "t", whitelistedIps: [null] },
            { accountSid: "acct" },
            [{ property: "whitelistedIps[0]", reason: "must be an object { ip, mask? }; got null" }],
            base,
        ],
        [
            `at most ${MAX_LIST_ITEMS} items: the list alone is reported, its items not checked`,
            { trunkName: "t", whitelistedIps: Array.from({ length: MAX_LIST_ITEMS + 1 }, () => ({ ip: "bad" })) },
            { accountSid: "acct" },
            [{ property: "whitelistedIps", reason: `has ${MAX_LIST_ITEMS + 1} entries; at most ${MAX_LIST_ITEMS} are allowed per trunk` }],
            base,
        ],
        [
            `exactly ${MAX_LIST_ITEMS} items are accepted`,
            {
                trunkName: "t",
                phoneNumbers: Array.from({ length: MAX_LIST_ITEMS }, (_, i) => ({ phoneNumber: `+9198765${String(i).padStart(5, "0")}` })),
            },
            { accountSid: "acct" },
            [],
            {
                ...base,
                phoneNumbers: Array.from({ length: MAX_LIST_ITEMS }, (_, i) => ({
                    phoneNumber: `+9198765${String(i).padStart(5, "0")}`,
                    mode: "pstn",
                })),
            },
        ],
        [
            "a caller ID is kept",
            { trunkName: "t", callerId: "+918044556677" },
            { accountSid: "acct" },
            [],
            { ...base, callerId: "+918044556677" },
        ],
    ])("%s", (_label, raw, ctx, failures, inputs) => {
        const r = validateInputs(raw, ctx);
        expect(r.failures).toEqual(failures);
        expect(r.inputs).toStrictEqual(inputs);
    });
});
