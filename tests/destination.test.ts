/**
 * provider/validation/destination.ts as tables: destinations (each bound and each reason), FQDNs, IPv4
 * addresses, CIDR membership, the comparable key, and how a value is quoted in a reason.
 */
import { checkFqdn, destinationKey, ipInCidr, parseDestination, parseIpv4, show } from "../provider/validation/destination";

describe.each([
    // input, parsed
    ["203.0.113.10:5061;transport=tls", { host: "203.0.113.10", isIp: true, port: 5061, transport: "tls" }],
    ["sip:203.0.113.10:5060;transport=udp", { host: "203.0.113.10", isIp: true, port: 5060, transport: "udp" }],
    ["PBX.Example.com:1;transport=tcp", { host: "pbx.example.com", isIp: false, port: 1, transport: "tcp" }],
    ["a.b.co:65535;transport=tls", { host: "a.b.co", isIp: false, port: 65535, transport: "tls" }],
    // Digits and dots only at one end are a name, not an address.
    ["1.2.example.com:5061;transport=tls", { host: "1.2.example.com", isIp: false, port: 5061, transport: "tls" }],
])("parseDestination(%j)", (input, parsed) => {
    test("parses", () => expect(parseDestination(input)).toEqual(parsed));
});

describe.each([
    // input, reason
    [
        "203.0.113.10:5061",
        /^must be "<ip-or-fqdn>:<port>;transport=<tls\|tcp\|udp>", e\.g\. "203\.0\.113\.10:5061;transport=tls"; got "203\.0\.113\.10:5061"$/,
    ],
    ["x 203.0.113.10:5061;transport=tls", /^must be "<ip-or-fqdn>/],
    ["203.0.113.10:5061;transport=tls;x", /^must be "<ip-or-fqdn>/],
    ["203.0.113.10:123456;transport=tls", /^must be "<ip-or-fqdn>/],
    ["203.0.113.10:0;transport=tls", /^has port 0, which is outside 1-65535$/],
    ["203.0.113.10:65536;transport=tls", /^has port 65536, which is outside 1-65535$/],
    ["203.0.113.10:5061;transport=TLS", /^transport must be lower case \("tls", "tcp" or "udp"\); got "TLS"$/],
    ["203.0.113.10:5061;transport=sctp", /^transport must be "tls", "tcp" or "udp"; got "sctp"$/],
    ["203.0.113.256:5061;transport=tls", /^has host "203\.0\.113\.256", which is not a valid IPv4 address$/],
    ["1.2.3:5061;transport=tls", /^has host "1\.2\.3", which is not a valid IPv4 address$/],
    ["pbx:5061;transport=tls", /^has host "pbx", which is neither an IPv4 address nor a fully qualified domain name$/],
    ["-pbx.example.com:5061;transport=tls", /neither an IPv4 address nor a fully qualified domain name/],
    ["a.1.2.3:5061;transport=tls", /^has host "a\.1\.2\.3", which is neither an IPv4 address nor a fully qualified domain name$/],
])("parseDestination(%j)", (input, reason) => {
    test("refuses with the reason", () => {
        const r = parseDestination(input);
        expect(typeof r).toBe("string");
        expect(r).toMatch(reason);
    });
});

describe.each([
    ["pbx.example.com", true],
    ["a.b", true],
    ["x1.example.com", true],
    ["a-b.example.com", true],
    [`${"a".repeat(63)}.com`, true],
    [`${"a".repeat(64)}.com`, false], // a label is at most 63
    [`${"a.".repeat(125)}com`, true], // 253 characters
    [`${"a.".repeat(125)}comm`, false], // 254
    ["localhost", false], // no dot
    ["example.123", false], // an all-digit top-level label
    ["example.c0m", true],
    ["-a.example.com", false],
    ["a-.example.com", false],
    ["a..example.com", false],
    ["a_b.example.com", false],
])("checkFqdn(%j)", (v, ok) => {
    test(`is ${ok}`, () => expect(checkFqdn(v)).toBe(ok));
});

describe.each([
    ["0.0.0.0", 0],
    ["255.255.255.255", 2 ** 32 - 1],
    ["1.2.3.4", 0x01020304],
    ["10.0.0.1", 0x0a000001],
    ["1.2.3", undefined],
    ["1.2.3.4.5", undefined],
    ["1.2.3.256", undefined],
    ["1.2.3.04", undefined], // no leading zeros
    ["1.2.3.1000", undefined],
    ["1.2.3.-1", undefined],
    ["a.b.c.d", undefined],
])("parseIpv4(%j)", (v, n) => {
    test(`is ${n}`, () => expect(parseIpv4(v)).toBe(n));
});

describe.each([
    ["203.0.113.10", "203.0.113.0", 24, true],
    ["203.0.114.10", "203.0.113.0", 24, false],
    ["203.0.113.10", "203.0.113.10", 32, true],
    ["203.0.113.11", "203.0.113.10", 32, false],
    ["203.0.113.11", "203.0.113.10", 31, true],
    ["203.0.113.12", "203.0.113.10", 31, false],
    ["8.8.8.8", "0.0.0.0", 0, true],
    ["x", "203.0.113.0", 24, false],
    ["203.0.113.10", "x", 24, false],
])("ipInCidr(%s, %s/%i)", (ip, net, mask, inside) => {
    test(`is ${inside}`, () => expect(ipInCidr(ip, net, mask)).toBe(inside));
});

describe.each([
    ["sip:PBX.Example.com:5061;transport=tls", "pbx.example.com:5061;transport=tls"],
    ["203.0.113.10:5061;transport=tls", "203.0.113.10:5061;transport=tls"],
    ["sip:203.0.113.10:5061;transport=tls", "203.0.113.10:5061;transport=tls"],
    // Not parseable (Exotel may list what we would refuse): only the sip: prefix comes off.
    ["sip:Odd Value", "Odd Value"],
    ["Odd sip:Value", "Odd sip:Value"],
])("destinationKey(%j)", (v, key) => {
    test(`is ${key}`, () => expect(destinationKey(v)).toBe(key));
});

describe.each([
    ["a string, as JSON", "pbx", '"pbx"'],
    ["a number", 5, "5"],
    ["an object", { a: 1 }, '{"a":1}'],
    ["undefined (no JSON)", undefined, "undefined"],
    ["a function (no JSON)", () => 1, "() => 1"],
    ["60 characters: kept", "x".repeat(58), `"${"x".repeat(58)}"`],
    ["61 characters: cut to 57 and ...", "x".repeat(59), `"${"x".repeat(56)}...`],
])("show: %s", (_n, v, shown) => {
    test("quotes it", () => expect(show(v)).toBe(shown));
});
