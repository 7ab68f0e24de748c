/**
 * The one mapping from Exotel's trunk to ExotelTrunk's outputs, as pure functions: every output key is
 * present (null when Exotel has no value), Exotel's own values win over what state knew, input-only
 * fields are kept as written and never copied from an old state, and a refresh keeps the order state had.
 */
import { attachmentsOf, inStateOrder, OutputContext, trunkOutputs, withAttachments } from "../provider/engine/outputs";
import { TrunkData } from "../provider/exotel/types";
import { CurrentAttachments, OUTPUT_KEYS, TrunkOutputs } from "../provider/trunkTypes";

const none: CurrentAttachments = { phoneNumbers: [], whitelistedIps: [], destinations: [], credentials: [] };
const ctx = (kept: OutputContext["kept"] = {}): OutputContext => ({
    accountSid: "acc",
    region: "mumbai",
    known: { trunkName: "known-name", nsoCode: "known-nso", domainName: "known.domain" },
    kept,
});
const trunk = (extra: Partial<TrunkData> = {}): TrunkData => ({ trunk_sid: "trmum1a", trunk_name: "t", ...extra });

describe("trunkOutputs", () => {
    test("Exotel's fields camelCased; non-strings as JSON; absent ones null; every output key present", () => {
        const out = trunkOutputs(
            trunk({
                status: "active",
                auth_type: "ip",
                registration_enabled: false as unknown as string,
                date_created: "d1",
                nso_code: "N",
                domain_name: "D",
            }),
            none,
            ctx(),
        );
        expect(out).toMatchObject({
            trunkSid: "trmum1a",
            trunkName: "t",
            nsoCode: "N",
            domainName: "D",
            accountSid: "acc",
            region: "mumbai",
            status: "active",
            authType: "ip",
            registrationEnabled: "false",
            edgePreference: null,
            secureTrunking: null,
            dateCreated: "d1",
            dateUpdated: null,
            callerId: null,
            links: {},
        });
        expect(Object.keys(out).sort()).toEqual([...OUTPUT_KEYS].sort());
    });

    test("a null field from Exotel is null, not the string 'null'", () => {
        expect(trunkOutputs(trunk({ status: null as unknown as string }), none, ctx()).status).toBeNull();
    });

    test("what state knew fills the trunk's own fields only when Exotel's answer leaves them out", () => {
        const out = trunkOutputs({ trunk_sid: "trmum1a" } as TrunkData, none, ctx());
        expect([out.trunkName, out.nsoCode, out.domainName]).toEqual(["known-name", "known-nso", "known.domain"]);
        const theirs = trunkOutputs(trunk({ trunk_name: "theirs" }), none, ctx());
        expect(theirs.trunkName).toBe("theirs");
    });

    test("link fields go under links, by their output names, only when present", () => {
        const out = trunkOutputs(
            trunk({ phone_numbers: "/p", whitelisted_ips: "/w", destination_uris: "/d", credentials: "/c" }),
            none,
            ctx(),
        );
        expect(out.links).toEqual({ phoneNumbers: "/p", whitelistedIps: "/w", destinationUris: "/d", credentials: "/c" });
        const one = trunkOutputs(trunk({ phone_numbers: "/p", credentials: null as unknown as string }), none, ctx()).links;
        expect(Object.keys(one)).toEqual(["phoneNumbers"]); // no key for an absent or null link, not even undefined
    });

    test("attachments: destinationUris as the user wrote them; caller ID or null", () => {
        const attached: CurrentAttachments = {
            ...none,
            destinations: [{ id: "d1", uri: "1.2.3.4:5060", sipUri: "sip:1.2.3.4:5060" }],
            callerId: "+91",
        };
        const out = trunkOutputs(trunk(), attached, ctx());
        expect(out.destinationUris).toEqual(["1.2.3.4:5060"]);
        expect(out.destinations).toEqual(attached.destinations);
        expect(out.callerId).toBe("+91");
    });

    test.each([
        ["nothing kept", {}, {}],
        ["an adopted sid", { adoptTrunkSid: "trmum1x" }, { adoptTrunkSid: "trmum1x" }],
        ["adopt by name, false kept as false", { adoptByName: false }, { adoptByName: false }],
        [
            "a connection",
            { connection: { accountSid: "a2", apiKey: "k", apiToken: "t" } },
            { connection: { accountSid: "a2", apiKey: "k", apiToken: "t" } },
        ],
    ] as const)("input-only fields: %s", (_n, kept, expected) => {
        const out = trunkOutputs(trunk(), none, ctx(kept)) as TrunkOutputs & Record<string, unknown>;
        expect({ adoptTrunkSid: out.adoptTrunkSid, adoptByName: out.adoptByName, connection: out.connection }).toEqual({
            adoptTrunkSid: undefined,
            adoptByName: undefined,
            connection: undefined,
            ...expected,
        });
        for (const k of ["adoptTrunkSid", "adoptByName", "connection"]) expect(k in out).toBe(k in expected);
    });
});

describe("withAttachments", () => {
    const state = trunkOutputs(
        trunk({ status: "active" }),
        none,
        ctx({ adoptTrunkSid: "old", connection: { accountSid: "a", apiKey: "k", apiToken: "t" } }),
    );

    test("the trunk's own fields unchanged, the attachments replaced", () => {
        const attached: CurrentAttachments = { ...none, phoneNumbers: [{ id: "n1", phoneNumber: "+91", mode: "pstn" }], callerId: "+91" };
        const out = withAttachments(state, attached, {});
        expect(out.status).toBe("active");
        expect(out.phoneNumbers).toEqual(attached.phoneNumbers);
        expect(out.callerId).toBe("+91");
    });

    test("input-only fields come from `kept`, never from the old state", () => {
        const out = withAttachments(state, none, { adoptByName: true }) as TrunkOutputs & Record<string, unknown>;
        expect("adoptTrunkSid" in out).toBe(false);
        expect("connection" in out).toBe(false);
        expect(out.adoptByName).toBe(true);
    });

    test("the serialized provider is never copied into outputs; keys an older state lacked become null", () => {
        const old = { ...state, __provider: "exports.handler = …" } as TrunkOutputs & { __provider?: string };
        delete (old as Partial<TrunkOutputs>).dateUpdated;
        const out = withAttachments(old, none, {}) as TrunkOutputs & Record<string, unknown>;
        expect("__provider" in out).toBe(false);
        expect(out.dateUpdated).toBeNull();
    });
});

describe("attachmentsOf", () => {
    test("from state, with missing lists empty and a null caller ID as none", () => {
        expect(attachmentsOf({})).toEqual({ ...none, callerId: undefined });
        expect(attachmentsOf({ callerId: null })).toEqual({ ...none, callerId: undefined });
        const ips = [{ id: "i1", ip: "1.2.3.4", mask: 32 }];
        expect(attachmentsOf({ whitelistedIps: ips, callerId: "+91" })).toEqual({ ...none, whitelistedIps: ips, callerId: "+91" });
    });
});

describe("inStateOrder", () => {
    const n = (id: string) => ({ id, phoneNumber: id, mode: "pstn" as const });

    test.each([
        // name, fresh from Exotel (ids), state's order (ids) or undefined, expected
        ["state's order kept", ["c", "a", "b"], ["a", "b", "c"], ["a", "b", "c"]],
        ["new entries after the known ones, oldest first (Exotel lists newest first)", ["n2", "a", "n1"], ["a"], ["a", "n1", "n2"]],
        ["no state: Exotel's order reversed (oldest first)", ["c", "b", "a"], undefined, ["a", "b", "c"]],
        ["entries gone from Exotel are not invented", ["b"], ["a", "b"], ["b"]],
    ])("%s", (_n, fresh, before, expected) => {
        const out = inStateOrder({ ...none, phoneNumbers: fresh.map(n) }, before ? { phoneNumbers: before.map(n) } : {});
        expect(out.phoneNumbers.map((x) => x.id)).toEqual(expected);
    });

    test("each list by its own state; other fields untouched", () => {
        const a: CurrentAttachments = {
            phoneNumbers: [n("p2"), n("p1")],
            whitelistedIps: [
                { id: "i2", ip: "2", mask: 32 },
                { id: "i1", ip: "1", mask: 32 },
            ],
            destinations: [
                { id: "d2", uri: "2", sipUri: "sip:2" },
                { id: "d1", uri: "1", sipUri: "sip:1" },
            ],
            callerId: "+91",
            credentials: [{ id: "c1", userName: "u", friendlyName: null, password: "" }],
        };
        const out = inStateOrder(a, {
            phoneNumbers: [n("p2"), n("p1")],
            whitelistedIps: [{ id: "i1", ip: "1", mask: 32 }],
            destinations: [
                { id: "d1", uri: "1", sipUri: "sip:1" },
                { id: "d2", uri: "2", sipUri: "sip:2" },
            ],
        });
        expect(out.phoneNumbers.map((x) => x.id)).toEqual(["p2", "p1"]);
        expect(out.whitelistedIps.map((x) => x.id)).toEqual(["i1", "i2"]);
        expect(out.destinations.map((x) => x.id)).toEqual(["d1", "d2"]);
        expect(out.callerId).toBe("+91");
        expect(out.credentials).toBe(a.credentials);
    });
});
