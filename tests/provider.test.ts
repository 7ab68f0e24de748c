import * as pulumi from "@pulumi/pulumi";
import { Emulator } from "../emulator";
import { ExotelTrunkProvider } from "../provider/engine/trunkProvider";
import { ProviderState } from "../provider/trunkTypes";
import { ACCOUNT, apiCalls, createdId, createdSid, emulator, trunkCount } from "./helpers/emulator";
import { checkVia, configuredProvider, createVia, FULL_TRUNK, unchecked } from "./helpers/provider";

let emu: Emulator;
let p: ExotelTrunkProvider;

beforeAll(async () => {
    emu = await emulator();
});
afterAll(async () => {
    await emu.close();
});
beforeEach(async () => {
    emu.store.reset();
    emu.faults.clear();
    emu.clearLog();
    emu.store.options.unknownTrunk = "404";
    p = await configuredProvider(emu);
});

describe("create", () => {
    test("creates the trunk, then IPs, destinations, numbers, caller ID; outputs carry every field and id", async () => {
        const res = await createVia(p, FULL_TRUNK);
        const o = res.outs;
        expect(res.id).toBe(o.trunkSid);
        expect(apiCalls(emu)).toEqual([
            `POST /v2/accounts/${ACCOUNT}/trunks`,
            "POST /v2/accounts/demo_account/trunks/<sid>/whitelisted-ips",
            "POST /v2/accounts/demo_account/trunks/<sid>/whitelisted-ips",
            "POST /v2/accounts/demo_account/trunks/<sid>/destination-uris",
            "POST /v2/accounts/demo_account/trunks/<sid>/phone-numbers",
            "POST /v2/accounts/demo_account/trunks/<sid>/phone-numbers",
            "POST /v2/accounts/demo_account/trunks/<sid>/settings",
        ]);
        expect(o).toMatchObject({
            trunkName: "full_trunk",
            nsoCode: "ANY-ANY",
            domainName: `${ACCOUNT}.pstn.exotel.com`,
            accountSid: ACCOUNT,
            region: "custom",
            status: "active",
            authType: "IP-WHITELIST",
            registrationEnabled: "disabled",
            edgePreference: "auto",
            secureTrunking: "disabled",
            callerId: "+918044556677",
            destinationUris: ["203.0.113.10:5061;transport=tls"],
        });
        expect(o.links.phoneNumbers).toBe(`/v2/accounts/${ACCOUNT}/trunks/${o.trunkSid}/phone-numbers`);
        expect(o.dateCreated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        expect(o.phoneNumbers).toEqual([
            { id: expect.stringMatching(/^\d+$/), phoneNumber: "+919876543210", mode: "pstn" },
            { id: expect.stringMatching(/^\d+$/), phoneNumber: "+919876543211", mode: "flow" },
        ]);
        expect(o.whitelistedIps).toEqual([
            { id: expect.any(String), ip: "203.0.113.10", mask: 32 },
            { id: expect.any(String), ip: "198.51.100.0", mask: 24 },
        ]);
        expect(o.destinations).toEqual([
            expect.objectContaining({
                uri: "203.0.113.10:5061;transport=tls",
                sipUri: "sip:203.0.113.10:5061;transport=tls",
                priority: 0,
                weight: 1,
            }),
        ]);
        // only known fields are sent to Exotel
        for (const r of emu.requests) expect(JSON.stringify(r.body ?? {})).not.toMatch(/__provider|trunkName|adoptTrunkSid/);
    });

    test("a failing later step deletes the trunk again and says what failed", async () => {
        emu.faults.add({ method: "POST", path: "/phone-numbers", times: 1, fault: { kind: "status", status: 400, exotelCode: 1002 } });
        const err = await createVia(p, FULL_TRUNK).catch((e) => e);
        expect(err.message).toMatch(/mapping phone number \+919876543210 failed.*was deleted again/);
        expect(err.id).toBeUndefined();
        expect(trunkCount(emu)).toBe(0);
        expect(apiCalls(emu).at(-1)).toBe("DELETE /v2/accounts/demo_account/trunks?trunk_sid=<sid>");
    });

    test("if the cleanup fails too, the error carries id and properties (engine records a partial resource)", async () => {
        emu.faults.add({ method: "POST", path: "/settings", times: 1, fault: { kind: "status", status: 400, exotelCode: 1002 } });
        emu.faults.add({ method: "DELETE", path: "/trunks", times: 50, fault: { kind: "status", status: 400, exotelCode: 1002 } });
        const err = await createVia(p, { ...FULL_TRUNK, __provider: "serialized" }).catch((e) => e);
        expect(err.id).toMatch(/^trmum1/);
        expect(err.properties.__provider).toBe("serialized");
        expect(err.properties.trunkSid).toBe(err.id);
        expect(err.properties.phoneNumbers).toHaveLength(2);
        expect(err.properties.callerId).toBeNull();
        expect(err.message).toMatch(/deleting it again also failed/);
        expect(trunkCount(emu)).toBe(1);
    });
});

describe("diff", () => {
    const base = async () => (await createVia(p, FULL_TRUNK)).outs;
    const checked = (raw: Record<string, unknown>) => checkVia(p, raw);

    test("no change -> changes false; attachments -> in-place; name/nso/domain -> replace, delete first", async () => {
        const olds = { ...(await base()), __provider: "v1" };
        // What an in-place update cannot change: the trunk itself (attachments and caller ID move).
        const stables = [
            "trunkSid",
            "trunkName",
            "nsoCode",
            "domainName",
            "accountSid",
            "region",
            "status",
            "authType",
            "registrationEnabled",
            "edgePreference",
            "secureTrunking",
            "dateCreated",
            "dateUpdated",
            "links",
        ];
        expect(await p.diff(olds.trunkSid, olds, { ...(await checked(FULL_TRUNK)), __provider: "v1" })).toEqual({
            changes: false,
            replaces: [],
            stables,
            deleteBeforeReplace: false,
        });
        const moved = await p.diff(olds.trunkSid, olds, {
            ...(await checked({ ...FULL_TRUNK, callerId: "+918000000000" })),
            __provider: "v1",
        });
        expect(moved).toEqual({ changes: true, replaces: [], stables, deleteBeforeReplace: false });
        const renamed = await p.diff(olds.trunkSid, olds, { ...(await checked({ ...FULL_TRUNK, trunkName: "other" })), __provider: "v1" });
        expect(renamed).toEqual({ changes: true, replaces: ["trunkName"], stables: [], deleteBeforeReplace: true });
        const provider = await p.diff(olds.trunkSid, olds, { ...(await checked(FULL_TRUNK)), __provider: "v2" });
        expect(provider.changes).toBe(true);
        expect(provider.replaces).toEqual([]);
    });

    test("list order does not matter", async () => {
        const olds = await base();
        const reordered = {
            ...FULL_TRUNK,
            phoneNumbers: [...FULL_TRUNK.phoneNumbers].reverse(),
            whitelistedIps: [...FULL_TRUNK.whitelistedIps].reverse(),
        };
        expect((await p.diff(olds.trunkSid, olds, await checked(reordered))).changes).toBe(false);
    });

    test("another account, reached through the trunk's own connection, forces a replacement", async () => {
        const connection = { accountSid: "someone_else", apiKey: "k_else", apiToken: "t_else_secret", baseUrl: emu.baseUrl };
        const olds = { ...(await base()), accountSid: "someone_else", connection };
        expect((await p.diff(olds.trunkSid, olds, await checked(FULL_TRUNK))).replaces).toEqual(["accountSid"]);
    });

    test("another account the stack can no longer reach is refused before any request, saying how to move", async () => {
        const olds = { ...(await base()), accountSid: "someone_else" };
        emu.clearLog();
        const err = await p.diff(olds.trunkSid, olds, await checked(FULL_TRUNK)).then<Error, Error>(
            () => new Error("no error"),
            (e: Error) => e,
        );
        expect(err.message).toMatch(/is in Exotel account someone_else, but exotel:accountSid is demo_account/);
        expect(err.message).toMatch(
            /back to someone_else's, run `pulumi up`.*and then `pulumi destroy`.*then set the new account's and run `pulumi up`/,
        );
        expect(emu.requests).toHaveLength(0);
    });
});

describe("update", () => {
    test("reconciles with the fewest requests and keeps the trunk", async () => {
        const created = await createVia(p, FULL_TRUNK);
        emu.clearLog();
        const next = {
            ...FULL_TRUNK,
            phoneNumbers: [{ phoneNumber: "+919876543210", mode: "flow" }, { phoneNumber: "+919876543212" }],
            whitelistedIps: [{ ip: "203.0.113.10" }, { ip: "192.0.2.5" }],
            destinationUris: ["203.0.113.10:5061;transport=tls", "sip.example.com:5061;transport=tls"],
            callerId: undefined,
        };
        const news = await checkVia(p, next);
        const res = await p.update(created.id, created.outs, news);
        expect(apiCalls(emu).sort()).toEqual(
            [
                "DELETE /v2/accounts/demo_account/trunks/<sid>/whitelisted-ips?id=" + created.outs.whitelistedIps[1].id,
                "POST /v2/accounts/demo_account/trunks/<sid>/whitelisted-ips",
                "POST /v2/accounts/demo_account/trunks/<sid>/destination-uris",
                "DELETE /v2/accounts/demo_account/trunks/<sid>/phone-numbers?id=" + created.outs.phoneNumbers[1].id,
                "PUT /v2/accounts/demo_account/trunks/<sid>/phone-numbers/" + created.outs.phoneNumbers[0].id,
                "POST /v2/accounts/demo_account/trunks/<sid>/phone-numbers",
                "DELETE /v2/accounts/demo_account/trunks/<sid>/settings?name=trunk_external_alias",
            ].sort(),
        );
        expect(res.outs!.trunkSid).toBe(created.id);
        expect(res.outs!.callerId).toBeNull();
        // A state whose caller ID is null (none) and inputs without one: nothing to do, no request.
        emu.clearLog();
        const again = await p.update(created.id, res.outs, news);
        expect(apiCalls(emu)).toEqual([]);
        expect(again.outs!.callerId).toBeNull();
        const inv = emu.inventory(ACCOUNT)[ACCOUNT];
        expect(inv.numbers.map((n) => [n.phone_number, n.mode])).toEqual([
            ["+919876543210", "flow"],
            ["+919876543212", "pstn"],
        ]);
        expect(inv.ips.map((i) => i.ip).sort()).toEqual(["192.0.2.5", "203.0.113.10"]);
        expect(inv.destinations).toHaveLength(2);
        expect(inv.settings).toHaveLength(0);
    });

    test("a failing step records exactly what was applied", async () => {
        const created = await createVia(p, FULL_TRUNK);
        emu.faults.add({ method: "POST", path: "/phone-numbers", times: 1, fault: { kind: "status", status: 400, exotelCode: 1002 } });
        const news = await checkVia(p, {
            ...FULL_TRUNK,
            whitelistedIps: [...FULL_TRUNK.whitelistedIps, { ip: "192.0.2.9" }],
            phoneNumbers: [...FULL_TRUNK.phoneNumbers, { phoneNumber: "+15550001111" }],
        });
        const err = await p.update(created.id, created.outs, { ...news, __provider: "x" }).catch((e) => e);
        expect(err.id).toBe(created.id);
        expect(err.properties.whitelistedIps.map((w: { ip: string }) => w.ip)).toContain("192.0.2.9");
        expect(err.properties.phoneNumbers).toHaveLength(2);
        expect(err.properties.__provider).toBe("x");
    });
});

describe("read", () => {
    test("rebuilds outputs from Exotel, and drops a trunk that is gone", async () => {
        const created = await createVia(p, FULL_TRUNK);
        const again = await p.read(created.id, created.outs);
        expect(again.id).toBe(created.id);
        expect(again.props).toEqual(created.outs);
        emu.store.deleteTrunk(ACCOUNT, created.id);
        expect(await p.read(created.id, created.outs)).toEqual({});
    });
});

describe("delete", () => {
    test("exactly one request on the happy path: the seed's DELETE", async () => {
        const created = await createVia(p, FULL_TRUNK);
        emu.clearLog();
        await p.delete(created.id, created.outs);
        expect(emu.requests).toHaveLength(1);
        expect(emu.requests[0]).toMatchObject({
            method: "DELETE",
            url: `/v2/accounts/${ACCOUNT}/trunks?trunk_sid=${created.id}`,
            authScheme: "Basic",
            authValid: true,
        });
        expect(emu.requests[0].body).toBeUndefined();
        expect(trunkCount(emu)).toBe(0);
    });

    test("already gone (404/1000) is success", async () => {
        const created = await createVia(p, FULL_TRUNK);
        emu.store.deleteTrunk(ACCOUNT, created.id);
        emu.clearLog();
        await expect(p.delete(created.id, created.outs)).resolves.toBeUndefined();
        expect(apiCalls(emu)).toEqual(["DELETE /v2/accounts/demo_account/trunks?trunk_sid=<sid>"]);
    });

    test("already gone as 403/1003 is success only after listing trunks proves the credentials", async () => {
        emu.store.options.unknownTrunk = "403";
        const created = await createVia(p, FULL_TRUNK);
        emu.store.deleteTrunk(ACCOUNT, created.id);
        emu.clearLog();
        await p.delete(created.id, created.outs);
        expect(apiCalls(emu)).toEqual([
            "DELETE /v2/accounts/demo_account/trunks?trunk_sid=<sid>",
            "GET /v2/accounts/demo_account/trunks?offset=0&page_size=50",
        ]);
    });

    test("bad credentials fail at once with a clear message and no secret", async () => {
        const created = await createVia(p, FULL_TRUNK);
        const bad = await configuredProvider(emu, { "exotel:apiToken": "wrong_token_secret_9" });
        emu.clearLog();
        const err = await bad.delete(created.id, created.outs).catch((e) => e);
        expect(err.message).toMatch(/refused the credentials.*NOT deleted/);
        expect(err.message + err.stack).not.toContain("wrong_token_secret_9");
        expect(emu.requests).toHaveLength(1);
        expect(trunkCount(emu)).toBe(1);
    });

    test("a trunk of another account is not deleted through this one", async () => {
        const created = await createVia(p, FULL_TRUNK);
        emu.clearLog();
        const err = await p.delete(created.id, { ...created.outs, accountSid: "other_acct" }).catch((e) => e);
        expect(err.message).toMatch(/belongs to Exotel account other_acct/);
        expect(emu.requests).toHaveLength(0);
    });
});

describe("adopt", () => {
    test("adoptTrunkSid takes over an existing trunk and reconciles attachments", async () => {
        const made = emu.store.createTrunk(ACCOUNT, {
            trunk_name: "legacy",
            nso_code: "ANY-ANY",
            domain_name: `${ACCOUNT}.pstn.exotel.com`,
        });
        const sid = createdSid(made);
        const legacyIp = createdId(emu.store.addIp(ACCOUNT, sid, { ip: "192.0.2.1" }));
        emu.clearLog();
        const res = await createVia(p, { ...FULL_TRUNK, trunkName: "legacy", adoptTrunkSid: sid });
        expect(res.id).toBe(sid);
        expect(
            apiCalls(emu).filter(
                (c) => c.startsWith("POST /v2/accounts/demo_account/trunks ") || c === "POST /v2/accounts/demo_account/trunks",
            ),
        ).toEqual([]);
        expect(apiCalls(emu).slice(0, 5)).toEqual([
            "GET /v2/accounts/demo_account/trunks?trunk_sid=<sid>",
            "GET /v2/accounts/demo_account/trunks/<sid>/phone-numbers",
            "GET /v2/accounts/demo_account/trunks/<sid>/whitelisted-ips",
            "GET /v2/accounts/demo_account/trunks/<sid>/destination-uris",
            "GET /v2/accounts/demo_account/trunks/<sid>/settings",
        ]);
        expect(apiCalls(emu)).toContain(`DELETE /v2/accounts/demo_account/trunks/<sid>/whitelisted-ips?id=${legacyIp}`);
        expect(res.outs.whitelistedIps.map((w: { ip: string }) => w.ip).sort()).toEqual(["198.51.100.0", "203.0.113.10"]);
        expect(trunkCount(emu)).toBe(1);
    });

    const legacyTrunk = (account: string, name: string) =>
        (
            emu.store.createTrunk(account, { trunk_name: name, nso_code: "ANY-ANY", domain_name: `${account}.pstn.exotel.com` }).body
                .response as {
                data: { trunk_sid: string };
            }
        ).data.trunk_sid;

    test("adoptByName finds the account's trunk of that name and takes it over, saying what it took", async () => {
        legacyTrunk(ACCOUNT, "other_pbx");
        const sid = legacyTrunk(ACCOUNT, "legacy");
        emu.store.mapNumber(ACCOUNT, sid, { phone_number: "+918047099999" });
        emu.clearLog();
        const logged: string[] = [];
        const info = jest.spyOn(pulumi.log, "info").mockImplementation(async (m: string) => void logged.push(m));
        const res = await createVia(p, { ...FULL_TRUNK, trunkName: "legacy", adoptByName: true });
        info.mockRestore();
        expect(res.id).toBe(sid);
        expect(res.outs.adoptByName).toBe(true);
        expect(apiCalls(emu)[0]).toBe("GET /v2/accounts/demo_account/trunks?offset=0&page_size=50");
        expect(apiCalls(emu)).not.toContain("POST /v2/accounts/demo_account/trunks");
        expect(apiCalls(emu).filter((c) => c.startsWith("DELETE /v2/accounts/demo_account/trunks/<sid>/phone-numbers?id="))).toHaveLength(
            1,
        );
        const numbers = emu.inventory(ACCOUNT)[ACCOUNT].numbers.map((n) => n.phone_number);
        expect(numbers.sort()).toEqual(["+919876543210", "+919876543211"]);
        expect(logged.join("\n")).toMatch(
            new RegExp(
                `adopted existing trunk ${sid} \\(legacy\\) of account ${ACCOUNT} by name; it now has 2 number\\(s\\), 2 IP\\(s\\), 1 destination\\(s\\)`,
            ),
        );
        expect(trunkCount(emu)).toBe(2);
    });

    test("adoptByName with no trunk of that name fails and creates nothing", async () => {
        emu.clearLog();
        const err = await createVia(p, { ...FULL_TRUNK, trunkName: "nowhere", adoptByName: true }).catch((e) => e);
        expect(err.message).toMatch(/adoptByName: Exotel account demo_account has no trunk named "nowhere"; nothing was created/);
        expect(apiCalls(emu)).toEqual(["GET /v2/accounts/demo_account/trunks?offset=0&page_size=50"]);
        expect(trunkCount(emu)).toBe(0);
    });

    test("adoptByName never takes a trunk of another account, even one with the same name", async () => {
        const other = await emulator({
            accounts: { demo_account: { apiKey: "demo_key", apiToken: "demo_token_not_secret" }, acct_b: { apiKey: "kb", apiToken: "tb" } },
        });
        try {
            const theirs = createdSid(
                other.store.createTrunk("acct_b", {
                    trunk_name: "shared_name",
                    nso_code: "ANY-ANY",
                    domain_name: "acct_b.pstn.exotel.com",
                }),
            );
            const mine = await configuredProvider(other);
            const err = await createVia(mine, { ...FULL_TRUNK, trunkName: "shared_name", adoptByName: true }).catch((e) => e);
            expect(err.message).toMatch(/has no trunk named "shared_name"/);
            expect(other.requests.every((r) => r.url.startsWith("/v2/accounts/demo_account/"))).toBe(true);
            expect(other.inventory("acct_b").acct_b.trunks.map((t) => t.trunk_sid)).toEqual([theirs]);
        } finally {
            await other.close();
        }
    });

    test("adoptByName and adoptTrunkSid together are refused by check", async () => {
        const res = await p.check(unchecked({}), unchecked({ ...FULL_TRUNK, adoptByName: true, adoptTrunkSid: "trmum1abc" }));
        expect(res.failures).toEqual([
            { property: "adoptByName", reason: "cannot be combined with adoptTrunkSid: adopt by sid or by name, not both" },
        ]);
    });

    test("a name mismatch is refused without changes", async () => {
        const made = emu.store.createTrunk(ACCOUNT, {
            trunk_name: "legacy",
            nso_code: "ANY-ANY",
            domain_name: `${ACCOUNT}.pstn.exotel.com`,
        });
        const sid = createdSid(made);
        await expect(createVia(p, { ...FULL_TRUNK, adoptTrunkSid: sid })).rejects.toThrow(/named "legacy"/);
    });
});

describe("configuration", () => {
    test("a missing value names both the config key and the environment variable", async () => {
        const bare = new ExotelTrunkProvider();
        const saved = { ...process.env };
        for (const k of Object.keys(process.env)) if (k.startsWith("EXOTEL_")) delete process.env[k];
        try {
            await bare.configure({ config: { get: () => undefined, require: () => "" } });
            const err = await bare.delete("trmum1x", { trunkSid: "trmum1x" } as ProviderState).catch((e) => e);
            expect(err.message).toMatch(/exotel:apiKey is not set.*EXOTEL_API_KEY/);
            expect(err.message).toMatch(/exotel:apiToken is not set.*--secret.*EXOTEL_API_TOKEN/);
            expect(err.message).toMatch(/exotel:accountSid.*EXOTEL_ACCOUNT_SID/);
            expect(err.message).toMatch(/exotel:region.*EXOTEL_REGION/);
        } finally {
            process.env = saved;
        }
    });

    test("environment variables are the fallback", async () => {
        const saved = { ...process.env };
        Object.assign(process.env, {
            EXOTEL_API_KEY: "demo_key",
            EXOTEL_API_TOKEN: "demo_token_not_secret",
            EXOTEL_ACCOUNT_SID: ACCOUNT,
            EXOTEL_BASE_URL: emu.baseUrl,
        });
        try {
            const envOnly = new ExotelTrunkProvider();
            await envOnly.configure({ config: { get: () => undefined, require: () => "" } });
            const res = await createVia(envOnly, { trunkName: "from_env" });
            expect(res.outs.domainName).toBe(`${ACCOUNT}.pstn.exotel.com`);
        } finally {
            process.env = saved;
        }
    });
});
