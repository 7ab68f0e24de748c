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
    ] as const)("%s", (_n, olds, news, changed, replaces) => {
        const d = planDiff(olds as Partial<TrunkOutputs>, news, { accountSid: "a", region: "mumbai" });
        expect(d.changed).toEqual(changed);
        expect(d.replaces).toEqual(replaces);
    });

    test("account and region changes replace", () => {
        expect(planDiff(state() as Partial<TrunkOutputs>, want(), { accountSid: "b", region: "singapore" }).replaces).toEqual([
            "accountSid",
            "region",
        ]);
    });
});

describe("planAttachments", () => {
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
