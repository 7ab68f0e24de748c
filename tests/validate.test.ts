import { Emulator } from "../emulator";
import { MAX_LIST_ITEMS, validateInputs } from "../provider/validation/validate";
import { UNKNOWN } from "../provider/unknown";
import { emulator } from "./helpers/emulator";
import { configuredProvider, unchecked } from "./helpers/provider";

const ok = { trunkName: "good_trunk" };
const ip = (i: number) => `10.${Math.floor(i / 250)}.${i % 250}.1`;

/** [description, inputs, property the failure must name] */
const BAD: [string, Record<string, unknown>, string][] = [
    ["missing name", {}, "trunkName"],
    ["empty name", { trunkName: "" }, "trunkName"],
    ["17-char name", { trunkName: "a".repeat(17) }, "trunkName"],
    ["hyphen in name", { trunkName: "my-trunk" }, "trunkName"],
    ["dot in name", { trunkName: "my.trunk" }, "trunkName"],
    ["space in name", { trunkName: "my trunk" }, "trunkName"],
    ["unicode name", { trunkName: "trünk" }, "trunkName"],
    ["emoji name", { trunkName: "trunk📞" }, "trunkName"],
    ["numeric name", { trunkName: 12345 }, "trunkName"],
    ["name as list", { trunkName: ["a"] }, "trunkName"],
    ["nso 'any any'", { ...ok, nsoCode: "any any" }, "nsoCode"],
    ["nso lower case", { ...ok, nsoCode: "any-any" }, "nsoCode"],
    ["nso empty", { ...ok, nsoCode: "" }, "nsoCode"],
    ["nso number", { ...ok, nsoCode: 5 }, "nsoCode"],
    ["domain wrong suffix", { ...ok, domainName: "acct.exotel.com" }, "domainName"],
    ["domain empty", { ...ok, domainName: "" }, "domainName"],
    ["domain only suffix", { ...ok, domainName: ".pstn.exotel.com" }, "domainName"],
    ["domain bad label", { ...ok, domainName: "a_b.acct.pstn.exotel.com" }, "domainName"],
    ["domain bad account label", { ...ok, domainName: "a b.pstn.exotel.com" }, "domainName"],
    ["numbers not a list", { ...ok, phoneNumbers: "+919876543210" }, "phoneNumbers"],
    ["number as string item", { ...ok, phoneNumbers: ["+919876543210"] }, "phoneNumbers[0]"],
    ["number without +", { ...ok, phoneNumbers: [{ phoneNumber: "919876543210" }] }, "phoneNumbers[0].phoneNumber"],
    ["number with spaces", { ...ok, phoneNumbers: [{ phoneNumber: "+91 98765 43210" }] }, "phoneNumbers[0].phoneNumber"],
    ["number with dashes", { ...ok, phoneNumbers: [{ phoneNumber: "+91-9876543210" }] }, "phoneNumbers[0].phoneNumber"],
    ["number too long", { ...ok, phoneNumbers: [{ phoneNumber: "+1234567890123456" }] }, "phoneNumbers[0].phoneNumber"],
    ["number leading 0", { ...ok, phoneNumbers: [{ phoneNumber: "+0123456789" }] }, "phoneNumbers[0].phoneNumber"],
    ["number empty", { ...ok, phoneNumbers: [{ phoneNumber: "" }] }, "phoneNumbers[0].phoneNumber"],
    ["number missing", { ...ok, phoneNumbers: [{ mode: "flow" }] }, "phoneNumbers[0].phoneNumber"],
    ["number as int", { ...ok, phoneNumbers: [{ phoneNumber: 919876543210 }] }, "phoneNumbers[0].phoneNumber"],
    ["arabic-indic digits", { ...ok, phoneNumbers: [{ phoneNumber: "+٩١٩٨٧٦٥٤٣٢١٠" }] }, "phoneNumbers[0].phoneNumber"],
    ["mode upper case", { ...ok, phoneNumbers: [{ phoneNumber: "+919876543210", mode: "PSTN" }] }, "phoneNumbers[0].mode"],
    ["mode unknown", { ...ok, phoneNumbers: [{ phoneNumber: "+919876543210", mode: "sip" }] }, "phoneNumbers[0].mode"],
    [
        "duplicate numbers",
        { ...ok, phoneNumbers: [{ phoneNumber: "+919876543210" }, { phoneNumber: "+919876543210", mode: "flow" }] },
        "phoneNumbers[1].phoneNumber",
    ],
    ["unknown number field", { ...ok, phoneNumbers: [{ phoneNumber: "+919876543210", id: "1" }] }, "phoneNumbers[0].id"],
    [
        "too many numbers",
        {
            ...ok,
            phoneNumbers: Array.from({ length: MAX_LIST_ITEMS + 1 }, (_, i) => ({ phoneNumber: `+9198765${String(i).padStart(5, "0")}` })),
        },
        "phoneNumbers",
    ],
    ["ips not a list", { ...ok, whitelistedIps: { ip: "203.0.113.1" } }, "whitelistedIps"],
    ["ip octet 256", { ...ok, whitelistedIps: [{ ip: "203.0.113.256" }] }, "whitelistedIps[0].ip"],
    ["ip three octets", { ...ok, whitelistedIps: [{ ip: "203.0.113" }] }, "whitelistedIps[0].ip"],
    ["ip leading zero", { ...ok, whitelistedIps: [{ ip: "203.0.113.01" }] }, "whitelistedIps[0].ip"],
    ["ipv6", { ...ok, whitelistedIps: [{ ip: "2001:db8::1" }] }, "whitelistedIps[0].ip"],
    ["ip host name", { ...ok, whitelistedIps: [{ ip: "pbx.example.com" }] }, "whitelistedIps[0].ip"],
    ["ip empty", { ...ok, whitelistedIps: [{ ip: "" }] }, "whitelistedIps[0].ip"],
    ["ip with cidr", { ...ok, whitelistedIps: [{ ip: "203.0.113.0/24" }] }, "whitelistedIps[0].ip"],
    ["mask 15", { ...ok, whitelistedIps: [{ ip: "203.0.113.1", mask: 15 }] }, "whitelistedIps[0].mask"],
    ["mask 33", { ...ok, whitelistedIps: [{ ip: "203.0.113.1", mask: 33 }] }, "whitelistedIps[0].mask"],
    ["mask negative", { ...ok, whitelistedIps: [{ ip: "203.0.113.1", mask: -1 }] }, "whitelistedIps[0].mask"],
    ["mask fraction", { ...ok, whitelistedIps: [{ ip: "203.0.113.1", mask: 24.5 }] }, "whitelistedIps[0].mask"],
    ["mask string", { ...ok, whitelistedIps: [{ ip: "203.0.113.1", mask: "24" }] }, "whitelistedIps[0].mask"],
    ["duplicate ips", { ...ok, whitelistedIps: [{ ip: "203.0.113.1" }, { ip: "203.0.113.1", mask: 24 }] }, "whitelistedIps[1].ip"],
    ["too many ips", { ...ok, whitelistedIps: Array.from({ length: MAX_LIST_ITEMS + 1 }, (_, i) => ({ ip: ip(i) })) }, "whitelistedIps"],
    ["destination without port", { ...ok, destinationUris: ["sip.example.com;transport=tls"] }, "destinationUris[0]"],
    ["destination without transport", { ...ok, destinationUris: ["sip.example.com:5061"] }, "destinationUris[0]"],
    ["destination transport sctp", { ...ok, destinationUris: ["sip.example.com:5061;transport=sctp"] }, "destinationUris[0]"],
    ["destination transport TLS upper", { ...ok, destinationUris: ["sip.example.com:5061;transport=TLS"] }, "destinationUris[0]"],
    ["destination port 0", { ...ok, destinationUris: ["sip.example.com:0;transport=tls"] }, "destinationUris[0]"],
    ["destination port 70000", { ...ok, destinationUris: ["sip.example.com:70000;transport=tls"] }, "destinationUris[0]"],
    ["destination single label", { ...ok, destinationUris: ["localhost:5061;transport=tls"] }, "destinationUris[0]"],
    ["destination bad ip", { ...ok, destinationUris: ["999.1.1.1:5061;transport=tls"] }, "destinationUris[0]"],
    ["destination not whitelisted", { ...ok, destinationUris: ["203.0.113.9:5061;transport=tls"] }, "destinationUris[0]"],
    [
        "destination outside mask",
        { ...ok, whitelistedIps: [{ ip: "203.0.113.0", mask: 24 }], destinationUris: ["203.0.114.9:5061;transport=tls"] },
        "destinationUris[0]",
    ],
    [
        "duplicate destinations",
        { ...ok, destinationUris: ["sip.example.com:5061;transport=tls", "SIP.example.com:5061;transport=tls"] },
        "destinationUris[1]",
    ],
    ["destination object", { ...ok, destinationUris: [{ destination: "sip.example.com:5061;transport=tls" }] }, "destinationUris[0]"],
    ["destination empty", { ...ok, destinationUris: [""] }, "destinationUris[0]"],
    ["caller id without +", { ...ok, callerId: "918044556677" }, "callerId"],
    ["caller id letters", { ...ok, callerId: "+91CALLME" }, "callerId"],
    ["caller id number", { ...ok, callerId: 918044556677 }, "callerId"],
    ["adopt sid with symbols", { ...ok, adoptTrunkSid: "trmum1-../x" }, "adoptTrunkSid"],
    ["credentials not a list", { ...ok, credentials: { userName: "a", password: "password_1" } }, "credentials"],
    ["credential as string", { ...ok, credentials: ["pbx:password_1"] }, "credentials[0]"],
    ["credential without user", { ...ok, credentials: [{ password: "password_1" }] }, "credentials[0].userName"],
    ["credential user with space", { ...ok, credentials: [{ userName: "my pbx", password: "password_1" }] }, "credentials[0].userName"],
    ["credential without password", { ...ok, credentials: [{ userName: "pbx" }] }, "credentials[0].password"],
    ["credential password too short", { ...ok, credentials: [{ userName: "pbx", password: "short_1" }] }, "credentials[0].password"],
    ["credential password with hyphen", { ...ok, credentials: [{ userName: "pbx", password: "pass-word-1" }] }, "credentials[0].password"],
    [
        "credential friendly name with hyphen",
        { ...ok, credentials: [{ userName: "pbx", password: "password_1", friendlyName: "front-desk" }] },
        "credentials[0].friendlyName",
    ],
    [
        "duplicate credential user names",
        {
            ...ok,
            credentials: [
                { userName: "pbx", password: "password_1" },
                { userName: "pbx", password: "password_2" },
            ],
        },
        "credentials[1].userName",
    ],
    ["unknown credential field", { ...ok, credentials: [{ userName: "pbx", password: "password_1", realm: "x" }] }, "credentials[0].realm"],
    ["connection not an object", { ...ok, connection: "acct:key:token" }, "connection"],
    ["connection without token", { ...ok, connection: { accountSid: "a", apiKey: "k", region: "mumbai" } }, "connection.apiToken"],
    [
        "connection bad account",
        { ...ok, connection: { accountSid: "a b", apiKey: "k", apiToken: "t", region: "mumbai" } },
        "connection.accountSid",
    ],
    ["connection without region or host", { ...ok, connection: { accountSid: "a", apiKey: "k", apiToken: "t" } }, "connection.region"],
    ["connection bad region", { ...ok, connection: { accountSid: "a", apiKey: "k", apiToken: "t", region: "us" } }, "connection.region"],
    [
        "connection http host",
        { ...ok, connection: { accountSid: "a", apiKey: "k", apiToken: "t", baseUrl: "http://api.exotel.com" } },
        "connection.baseUrl",
    ],
    [
        "connection unknown field",
        { ...ok, connection: { accountSid: "a", apiKey: "k", apiToken: "t", region: "mumbai", sid: "x" } },
        "connection.sid",
    ],
    ["adopt both ways", { ...ok, adoptTrunkSid: "trmum1abc", adoptByName: true }, "adoptByName"],
    ["adopt by name not boolean", { ...ok, adoptByName: "yes" }, "adoptByName"],
    ["unknown property", { ...ok, trunk_name: "snake" }, "trunk_name"],
    ["unknown property typo", { ...ok, phoneNumber: [] }, "phoneNumber"],
];

/** What the reason for a property must say: the rule (or the entry it duplicates), in the user's terms. */
const RULES: [RegExp, RegExp][] = [
    [/^trunkName$/, /is required|must not be empty|letters.*digits.*underscores|1-16|at most 16 characters/],
    [/^nsoCode$/, /"ANY-ANY"/],
    [/^domainName$/, /\.pstn\.exotel\.com|must not be empty|label/],
    [/^(phoneNumbers|whitelistedIps|destinationUris)$/, /must be a list|at most \d+ are allowed/],
    [/^phoneNumbers\[\d+\]$/, /must be an object \{ phoneNumber, mode\? \}/],
    [/\.phoneNumber$/, /must be (an )?E\.164|duplicates phoneNumbers\[\d+\]|is required/],
    [/\.mode$/, /must be "pstn" or "flow"/],
    [/\.ip$/, /IPv4 dotted quad|duplicates whitelistedIps\[\d+\]|is required/],
    [/\.mask$/, /from 16 to 32/],
    [
        /^destinationUris\[\d+\]$/,
        new RegExp(
            [
                "<ip-or-fqdn>:<port>;transport=<tls\\|tcp\\|udp>",
                'transport must be (lower case \\()?"tls", "tcp" or "udp"',
                "has port \\d+, which is outside 1-65535",
                "neither an IPv4 address nor a fully qualified domain name|not a valid IPv4 address",
                "not in this trunk's whitelistedIps",
                "duplicates destinationUris\\[\\d+\\]",
            ].join("|"),
        ),
    ],
    [/^callerId$/, /must be (an )?E\.164/],
    [/^adoptTrunkSid$/, /Exotel trunk SID/],
    [/^adoptByName$/, /must be true or false|cannot be combined with adoptTrunkSid/],
    [/^credentials$/, /must be a list|at most \d+ are allowed/],
    [/^credentials\[\d+\]$/, /must be an object \{ userName, password, friendlyName\? \}/],
    [/^credentials\[\d+\]\.userName$/, /is required|1-64 letters, digits|duplicates credentials\[\d+\]/],
    [/^credentials\[\d+\]\.password$/, /is required|8-128 letters, digits or underscores/],
    [/^credentials\[\d+\]\.friendlyName$/, /at most 32 letters, digits or underscores/],
    [/^connection$/, /must be an object \{ accountSid, apiKey, apiToken/],
    [/^connection\.(apiKey|apiToken)$/, /is required/],
    [/^connection\.accountSid$/, /is required|must be an Exotel account SID/],
    [/^connection\.region$/, /is required unless baseUrl is set|must be "mumbai"/],
    [/^connection\.baseUrl$/, /must use https/],
    [/^connection\.\w+$/, /is not a connection property/],
    [/^credentials\[\d+\]\.\w+$/, /is not a credential property/],
    [/\.[a-z]\w*$/, /is not an? [\w-]+ property/],
    [/^[\w]+$/, /is not an ExotelTrunk property \(known: trunkName/],
];
function ruleFor(property: string): RegExp {
    const rule = RULES.find(([p]) => p.test(property));
    if (!rule) throw new Error(`no rule for ${property}`);
    return rule[1];
}

describe("validateInputs (pure)", () => {
    test.each(BAD)("%s is rejected, naming the property and the rule it breaks", (_name, input, property) => {
        const { failures } = validateInputs(input, { accountSid: "acct" });
        const failure = failures.find((f) => f.property === property);
        expect(failure).toBeDefined();
        expect(failure!.reason).toMatch(ruleFor(property));
    });

    test.each([
        ["minimal", { trunkName: "t" }],
        ["max length name", { trunkName: "A_b_3".padEnd(16, "x") }],
        [
            "full",
            {
                trunkName: "full_trunk",
                nsoCode: "ANY-ANY",
                domainName: "acct.pstn.exotel.com",
                phoneNumbers: [{ phoneNumber: "+919876543210" }, { phoneNumber: "+14155550100", mode: "flow" }],
                whitelistedIps: [{ ip: "203.0.113.10" }, { ip: "198.51.100.0", mask: 24 }],
                destinationUris: [
                    "203.0.113.10:5061;transport=tls",
                    "198.51.100.77:5060;transport=tcp",
                    "pbx.example.com:5060;transport=udp",
                ],
                callerId: "+918044556677",
            },
        ],
        [
            "unknown values during preview",
            { trunkName: UNKNOWN, whitelistedIps: UNKNOWN, destinationUris: ["203.0.113.10:5061;transport=tls"] },
        ],
    ])("%s is accepted", (_n, input) => {
        expect(validateInputs(input, { accountSid: "acct" }).failures).toEqual([]);
    });

    test("defaults are filled in", () => {
        const { inputs } = validateInputs(
            { trunkName: "t", phoneNumbers: [{ phoneNumber: "+919876543210" }], whitelistedIps: [{ ip: "203.0.113.1" }] },
            { accountSid: "acct" },
        );
        expect(inputs).toEqual({
            trunkName: "t",
            nsoCode: "ANY-ANY",
            domainName: "acct.pstn.exotel.com",
            phoneNumbers: [{ phoneNumber: "+919876543210", mode: "pstn" }],
            whitelistedIps: [{ ip: "203.0.113.1", mask: 32 }],
            destinationUris: [],
        });
        // Credentials not given are not managed (left alone); an empty list means "none".
        expect(validateInputs({ trunkName: "t", credentials: [] }, { accountSid: "acct" }).inputs.credentials).toEqual([]);
    });

    test("a connection's account gives the default domain, and its fields are normalized", () => {
        const connection = { accountSid: "acct_b", apiKey: "kb", apiToken: "tok_b_secret", region: "Singapore" };
        const { failures, inputs } = validateInputs({ trunkName: "t", connection }, { accountSid: "acct" });
        expect(failures).toEqual([]);
        expect(inputs.domainName).toBe("acct_b.pstn.exotel.com");
        expect(inputs.connection).toEqual({ ...connection, region: "singapore" });
        // The default, written out (as `pulumi import` writes it), is valid too: an account SID may hold `_`.
        expect(validateInputs({ trunkName: "t", domainName: inputs.domainName }, { accountSid: "acct_b" }).failures).toEqual([]);
    });

    test("no reason ever shows a password or a connection token", () => {
        const { failures } = validateInputs(
            {
                trunkName: "t",
                credentials: [{ userName: "pbx", password: "has spaces and-secret-value" }],
                connection: { accountSid: "bad sid!", apiKey: "k", apiToken: "tok-secret-value", region: "mars" },
            },
            { accountSid: "acct" },
        );
        expect(failures.map((f) => f.property).sort()).toEqual(["connection.accountSid", "connection.region", "credentials[0].password"]);
        expect(JSON.stringify(failures)).not.toMatch(/secret-value/);
    });

    test("one failure per problem", () => {
        const { failures } = validateInputs(
            { trunkName: "bad-name", callerId: "x", whitelistedIps: [{ ip: "1.2.3", mask: 99 }] },
            { accountSid: "a" },
        );
        expect(failures.map((f) => f.property).sort()).toEqual(["callerId", "trunkName", "whitelistedIps[0].ip", "whitelistedIps[0].mask"]);
    });
});

describe("check through the provider sends nothing to Exotel", () => {
    let emu: Emulator;
    beforeAll(async () => {
        emu = await emulator();
    });
    afterAll(() => emu.close());

    test("every bad input: failures naming the property, zero requests logged", async () => {
        const p = await configuredProvider(emu);
        emu.clearLog();
        for (const [, input, property] of BAD) {
            const res = await p.check(unchecked({}), unchecked(input));
            expect(res.failures?.map((f) => f.property)).toContain(property);
        }
        expect(emu.requests).toHaveLength(0);
    });
});
