import { planAttachments, planDiff, planRequestCount } from "../provider/engine/plan";
import { NormalizedInputs, TrunkOutputs } from "../provider/trunkTypes";

const want = (over: Partial<NormalizedInputs> = {}): NormalizedInputs => ({
    trunkName: "t",
    nsoCode: "ANY-ANY",
    domainName: "a.pstn.exotel.com",
    phoneNumbers: [],
    whitelistedIps: [],
    destinationUris: [],
    credentials: [],
    ...over,
});
const state = (over: Record<string, unknown> = {}) => ({ ...want(), accountSid: "a", region: "mumbai", ...over });

describe("planDiff", () => {
    test.each([
        ["nothing", state(), want(), [], []],
        [
            "key order from protobuf",
            state({ phoneNumbers: [{ mode: "pstn", id: "1", phoneNumber: "+911" }] }),
            want({ phoneNumbers: [{ phoneNumber: "+911", mode: "pstn" }] }),
            [],
            [],
        ],
        [
            "state without lists (older state) against empty lists: no change",
            state({ phoneNumbers: undefined, whitelistedIps: undefined, destinationUris: undefined }),
            want(),
            [],
            [],
        ],
        [
            "state without lists against one entry each: each list changed",
            state({ phoneNumbers: undefined, whitelistedIps: undefined, destinationUris: undefined }),
            want({
                phoneNumbers: [{ phoneNumber: "+911", mode: "pstn" }],
                whitelistedIps: [{ ip: "1.2.3.4", mask: 32 }],
                destinationUris: ["1.2.3.4:5060;transport=tcp"],
            }),
            ["phoneNumbers", "whitelistedIps", "destinationUris"],
            [],
        ],
        ["name", state(), want({ trunkName: "u" }), ["trunkName"], ["trunkName"]],
        ["nso", state(), want({ nsoCode: "IND-ANY" }), ["nsoCode"], ["nsoCode"]],
        ["domain", state(), want({ domainName: "b.pstn.exotel.com" }), ["domainName"], ["domainName"]],
        [
            "mode",
            state({ phoneNumbers: [{ id: "1", phoneNumber: "+911", mode: "pstn" }] }),
            want({ phoneNumbers: [{ phoneNumber: "+911", mode: "flow" }] }),
            ["phoneNumbers"],
            [],
        ],
        [
            "mask",
            state({ whitelistedIps: [{ id: "1", ip: "1.2.3.4", mask: 32 }] }),
            want({ whitelistedIps: [{ ip: "1.2.3.4", mask: 24 }] }),
            ["whitelistedIps"],
            [],
        ],
        [
            "destination sip: prefix only",
            state({ destinationUris: ["h.example.com:5061;transport=tls"] }),
            want({ destinationUris: ["sip:h.example.com:5061;transport=tls"] }),
            ["destinationUris"],
            [],
        ],
        ["caller id removed", state({ callerId: "+911" }), want(), ["callerId"], []],
        ["adopt sid recorded", state(), want({ adoptTrunkSid: "trmum1abc" }), ["adoptTrunkSid"], []],
        [
            "the same destinations, written with sip: and an upper-case host both times",
            state({ destinationUris: ["sip:H.Example.com:5061;transport=tls"] }),
            want({ destinationUris: ["sip:H.Example.com:5061;transport=tls"] }),
            [],
            [],
        ],
        [
            "destinations reordered: a change, not a replacement",
            state({ destinationUris: ["a.example.com:5061;transport=tls", "b.example.com:5061;transport=tls"] }),
            want({ destinationUris: ["b.example.com:5061;transport=tls", "a.example.com:5061;transport=tls"] }),
            ["destinationUris"],
            [],
        ],
        [
            "another destination",
            state({ destinationUris: ["a.example.com:5061;transport=tls"] }),
            want({ destinationUris: ["a.example.com:5060;transport=tls"] }),
            ["destinationUris"],
            [],
        ],
        ["caller ID null in state, absent in inputs", state({ callerId: null }), want(), [], []],
        ["caller ID set", state(), want({ callerId: "+911" }), ["callerId"], []],
        [
            "credentials not given: not managed, whatever state holds",
            state({ credentials: [{ id: "1", userName: "u", password: "p_pass_123", friendlyName: null }] }),
            want({ credentials: undefined }),
            [],
            [],
        ],
        [
            "credentials: key order and a null vs absent friendly name are no change",
            state({ credentials: [{ password: "p_pass_123", id: "1", friendlyName: null, userName: "u" }] }),
            want({ credentials: [{ userName: "u", password: "p_pass_123" }] }),
            [],
            [],
        ],
        [
            "credentials: a new password",
            state({ credentials: [{ id: "1", userName: "u", password: "p_pass_123", friendlyName: null }] }),
            want({ credentials: [{ userName: "u", password: "q_pass_123" }] }),
            ["credentials"],
            [],
        ],
        [
            "credentials: in another order",
            state({
                credentials: [
                    { id: "1", userName: "a", password: "p_pass_123", friendlyName: null },
                    { id: "2", userName: "b", password: "p_pass_123", friendlyName: null },
                ],
            }),
            want({
                credentials: [
                    { userName: "b", password: "p_pass_123" },
                    { userName: "a", password: "p_pass_123" },
                ],
            }),
            [],
            [],
        ],
        [
            "connection: key order is no change",
            state({ connection: { apiToken: "t", accountSid: "a2", apiKey: "k" } }),
            want({ connection: { accountSid: "a2", apiKey: "k", apiToken: "t" } }),
            [],
            [],
        ],
        ["connection: null in state, absent in inputs", state({ connection: null }), want(), [], []],
        [
            "connection: another token",
            state({ connection: { accountSid: "a2", apiKey: "k", apiToken: "t" } }),
            want({ connection: { accountSid: "a2", apiKey: "k", apiToken: "t2" } }),
            ["connection"],
            [],
        ],
        ["adopt sid null in state, absent in inputs", state({ adoptTrunkSid: null }), want(), [], []],
        ["adopt by name: absent and false are the same", state(), want({ adoptByName: false }), [], []],
        ["adopt by name set", state({ adoptByName: false }), want({ adoptByName: true }), ["adoptByName"], []],
        [
            "a number without a mode in state is pstn",
            state({ phoneNumbers: [{ id: "1", phoneNumber: "+911", mode: null }] }),
            want({ phoneNumbers: [{ phoneNumber: "+911", mode: "pstn" }] }),
            [],
            [],
        ],
        [
            "numbers and IPs in another order are no change",
            state({
                phoneNumbers: [
                    { id: "1", phoneNumber: "+911", mode: "pstn" },
                    { id: "2", phoneNumber: "+912", mode: "pstn" },
                ],
                whitelistedIps: [
                    { id: "1", ip: "1.1.1.1", mask: 32 },
                    { id: "2", ip: "2.2.2.2", mask: 32 },
                ],
            }),
            want({
                phoneNumbers: [
                    { phoneNumber: "+912", mode: "pstn" },
                    { phoneNumber: "+911", mode: "pstn" },
                ],
                whitelistedIps: [
                    { ip: "2.2.2.2", mask: 32 },
                    { ip: "1.1.1.1", mask: 32 },
                ],
            }),
            [],
            [],
        ],
    ] as const)("%s", (_n, olds, news, changed, replaces) => {
        const d = planDiff(olds as Partial<TrunkOutputs>, news, { accountSid: "a", region: "mumbai" });
        expect(d.changed).toEqual(changed);
        expect(d.replaces).toEqual(replaces);
    });

    test.each([
        ["no account known: nothing to compare", undefined, []],
        ["the same account and region", { accountSid: "a", region: "mumbai" }, []],
        ["another account only", { accountSid: "b" }, ["accountSid"]],
        ["another region only", { region: "singapore" }, ["region"]],
    ] as const)("account and region: %s", (_n, account, replaces) => {
        const d = planDiff(state() as Partial<TrunkOutputs>, want(), account);
        expect(d.replaces).toEqual(replaces);
        expect(d.changed).toEqual(replaces);
    });

    test("state without an account or region (older state) replaces nothing", () => {
        const olds = { ...state(), accountSid: undefined, region: undefined } as Partial<TrunkOutputs>;
        expect(planDiff(olds, want(), { accountSid: "b", region: "singapore" }).replaces).toEqual([]);
    });

    test("account and region changes replace", () => {
        expect(planDiff(state() as Partial<TrunkOutputs>, want(), { accountSid: "b", region: "singapore" }).replaces).toEqual([
            "accountSid",
            "region",
        ]);
    });
});

describe("planAttachments", () => {
    const none = { phoneNumbers: [], whitelistedIps: [], destinations: [], credentials: [] };

    test("a destination Exotel lists without sipUri is matched by its uri", () => {
        const p = planAttachments(
            { ...none, destinations: [{ id: "20", uri: "1.1.1.1:5061;transport=tls", sipUri: "" }] },
            want({ destinationUris: ["1.1.1.1:5061;transport=tls"] }),
        );
        expect([p.addDestinations, p.removeDestinations]).toEqual([[], []]);
    });

    test("a destination is matched by its key: sip: and case do not matter; an unwanted one is removed", () => {
        const keep = { id: "20", uri: "x", sipUri: "sip:H.example.com:5061;transport=tls" };
        const drop = { id: "21", uri: "y", sipUri: "sip:2.2.2.2:5060;transport=udp" };
        const p = planAttachments({ ...none, destinations: [keep, drop] }, want({ destinationUris: ["h.EXAMPLE.com:5061;transport=tls"] }));
        expect(p.addDestinations).toEqual([]);
        expect(p.removeDestinations).toEqual([drop]);
    });

    test.each([
        // name, have (friendly name, password), want (friendly name, password), the update or none
        ["the same", "desk", "same_pass_1", "desk", "same_pass_1", undefined],
        ["a friendly name not given is left alone", "desk", "same_pass_1", undefined, "same_pass_1", undefined],
        ["a new friendly name", null, "same_pass_1", "lobby", "same_pass_1", { friendlyName: "lobby" }],
        ["another friendly name", "desk", "same_pass_1", "lobby", "same_pass_1", { friendlyName: "lobby" }],
        ["a new password only", "desk", "old_pass_1", "desk", "new_pass_1", { password: "new_pass_1" }],
        ["both", "desk", "old_pass_1", "lobby", "new_pass_1", { password: "new_pass_1", friendlyName: "lobby" }],
    ] as const)("credential update: %s", (_n, haveName, havePass, wantName, wantPass, update) => {
        const p = planAttachments(
            { ...none, credentials: [{ id: "30", userName: "pbx", friendlyName: haveName, password: havePass }] },
            want({ credentials: [{ userName: "pbx", password: wantPass, ...(wantName === undefined ? {} : { friendlyName: wantName }) }] }),
        );
        expect(p.updateCredentials).toEqual(update ? [{ id: "30", userName: "pbx", ...update }] : []);
        expect([p.addCredentials, p.removeCredentials]).toEqual([[], []]);
    });

    test("credentials not given: none added, updated or removed", () => {
        const p = planAttachments(
            { ...none, credentials: [{ id: "30", userName: "pbx", friendlyName: null, password: "" }] },
            want({ credentials: undefined }),
        );
        expect([p.addCredentials, p.updateCredentials, p.removeCredentials]).toEqual([[], [], []]);
    });

    test.each([
        ["kept", "+911", "+911", undefined],
        ["set", undefined, "+911", { set: "+911" }],
        ["changed", "+911", "+912", { set: "+912" }],
        ["removed", "+911", undefined, { delete: true }],
    ] as const)("caller ID %s", (_n, have, wanted, step) => {
        expect(planAttachments({ ...none, callerId: have }, want({ callerId: wanted })).callerId).toEqual(step);
    });

    test("planRequestCount counts every step once, destinations added as one batch", () => {
        const ip = { id: "1", ip: "1.1.1.1", mask: 32 };
        const n = { id: "1", phoneNumber: "+911", mode: "pstn" as const };
        const d = { id: "1", uri: "u", sipUri: "s" };
        const c = { id: "1", userName: "u", friendlyName: null, password: "p" };
        expect(
            planRequestCount({
                addIps: [ip, ip],
                removeIps: [ip, ip, ip],
                addDestinations: ["a", "b", "c", "d"],
                removeDestinations: [d, d, d, d, d],
                addNumbers: [n, n, n, n, n, n],
                updateNumbers: [n, n, n, n, n, n, n],
                removeNumbers: Array(8).fill(n),
                addCredentials: Array(9).fill({ userName: "u", password: "p" }),
                updateCredentials: Array(10).fill({ id: "1", userName: "u" }),
                removeCredentials: Array(11).fill(c),
                callerId: { delete: true },
            }),
        ).toBe(2 + 3 + 1 + 5 + 6 + 7 + 8 + 9 + 10 + 11 + 1);
        const empty = planAttachments(none, want());
        expect(planRequestCount(empty)).toBe(0);
    });

    test("fewest requests: add missing, remove extra, switch mode in place, re-add on mask change", () => {
        const plan = planAttachments(
            {
                phoneNumbers: [
                    { id: "1", phoneNumber: "+911", mode: "pstn" },
                    { id: "2", phoneNumber: "+912", mode: "pstn" },
                ],
                whitelistedIps: [
                    { id: "10", ip: "1.1.1.1", mask: 32 },
                    { id: "11", ip: "2.2.2.2", mask: 32 },
                ],
                destinations: [{ id: "20", uri: "1.1.1.1:5061;transport=tls", sipUri: "sip:1.1.1.1:5061;transport=tls" }],
                callerId: "+911",
                credentials: [
                    { id: "30", userName: "pbx1", friendlyName: null, password: "old_pass_1" },
                    { id: "31", userName: "pbx_gone", friendlyName: null, password: "gone_pass_1" },
                    { id: "32", userName: "pbx_same", friendlyName: "desk", password: "same_pass_1" },
                ],
            },
            want({
                phoneNumbers: [
                    { phoneNumber: "+911", mode: "flow" },
                    { phoneNumber: "+913", mode: "pstn" },
                ],
                whitelistedIps: [
                    { ip: "1.1.1.1", mask: 32 },
                    { ip: "2.2.2.2", mask: 24 },
                ],
                destinationUris: ["1.1.1.1:5061;transport=tls", "h.example.com:5061;transport=tls"],
                callerId: "+911",
                credentials: [
                    { userName: "pbx1", password: "new_pass_1" },
                    { userName: "pbx2", password: "pbx2_pass_1", friendlyName: "lobby" },
                    { userName: "pbx_same", password: "same_pass_1", friendlyName: "desk" },
                ],
            }),
        );
        expect(plan).toEqual({
            addIps: [{ ip: "2.2.2.2", mask: 24 }],
            removeIps: [{ id: "11", ip: "2.2.2.2", mask: 32 }],
            addDestinations: ["h.example.com:5061;transport=tls"],
            removeDestinations: [],
            addNumbers: [{ phoneNumber: "+913", mode: "pstn" }],
            updateNumbers: [{ id: "1", phoneNumber: "+911", mode: "flow" }],
            removeNumbers: [{ id: "2", phoneNumber: "+912", mode: "pstn" }],
            // A password change updates that credential (only the password is sent); an unchanged one costs nothing.
            addCredentials: [{ userName: "pbx2", password: "pbx2_pass_1", friendlyName: "lobby" }],
            updateCredentials: [{ id: "30", userName: "pbx1", password: "new_pass_1" }],
            removeCredentials: [{ id: "31", userName: "pbx_gone", friendlyName: null, password: "gone_pass_1" }],
        });
        expect(planRequestCount(plan)).toBe(9);
    });

    test("from empty (create): 2 IPs + 1 batch + 2 numbers + caller ID = 6 requests", () => {
        const p = planAttachments(
            { phoneNumbers: [], whitelistedIps: [], destinations: [], credentials: [] },
            want({
                phoneNumbers: [
                    { phoneNumber: "+911", mode: "pstn" },
                    { phoneNumber: "+912", mode: "flow" },
                ],
                whitelistedIps: [
                    { ip: "1.1.1.1", mask: 32 },
                    { ip: "2.2.2.0", mask: 24 },
                ],
                destinationUris: ["1.1.1.1:5061;transport=tls"],
                callerId: "+911",
            }),
        );
        expect(planRequestCount(p)).toBe(6);
    });
});
