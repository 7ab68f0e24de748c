import { Emulator } from "../emulator";
import { ExotelClient } from "../provider/exotel/client";
import {
    ExotelAuthError,
    ExotelConflictError,
    ExotelError,
    ExotelNetworkError,
    ExotelProtocolError,
    ExotelNotFoundError,
    ExotelPartialFailureError,
    ExotelRateLimitError,
    ExotelServerError,
    ExotelValidationError,
} from "../provider/exotel/errors";
import { ACCOUNT, clientFor, emulator } from "./helpers/emulator";

let emu: Emulator;
let client: ExotelClient;

beforeAll(async () => {
    emu = await emulator();
});
afterAll(async () => {
    client?.close();
    await emu.close();
});
beforeEach(() => {
    emu.store.reset();
    emu.faults.clear();
    emu.clearLog();
    emu.store.options.unknownTrunk = "404";
    emu.store.options.duplicateTrunkHttpStatus = 200;
    client?.close();
    client = clientFor(emu);
});

const newTrunk = (name = "t_one") => client.createTrunk({ trunkName: name, nsoCode: "ANY-ANY", domainName: `${ACCOUNT}.pstn.exotel.com` });

describe("trunks", () => {
    test("create returns Exotel's trunk object and sends the documented body with basic auth", async () => {
        const t = await newTrunk();
        expect(t.trunk_sid).toMatch(/^trmum1[0-9a-f]{18}1a1n$/);
        expect(t).toMatchObject({ trunk_name: "t_one", status: "active", auth_type: "IP-WHITELIST", nso_code: "ANY-ANY" });
        const [req] = emu.requests;
        expect(req).toMatchObject({
            method: "POST",
            url: `/v2/accounts/${ACCOUNT}/trunks`,
            authScheme: "Basic",
            authValid: true,
            contentType: "application/json",
        });
        expect(req.body).toEqual({ trunk_name: "t_one", nso_code: "ANY-ANY", domain_name: `${ACCOUNT}.pstn.exotel.com` });
    });

    test("duplicate name arrives as HTTP 200 with a 409 body and is a conflict error", async () => {
        await newTrunk();
        const err = await newTrunk().catch((e) => e);
        expect(err).toBeInstanceOf(ExotelConflictError);
        expect(err).toMatchObject({ httpStatus: 200, responseCode: 409, exotelCode: 1008 });
        expect(err.requestId).toMatch(/^[0-9a-f]{32}$/);
    });

    test("duplicate name as a real HTTP 409 is the same error", async () => {
        emu.store.options.duplicateTrunkHttpStatus = 409;
        await newTrunk();
        await expect(newTrunk()).rejects.toMatchObject({ name: "ExotelConflictError", httpStatus: 409, exotelCode: 1008 });
    });

    test("getTrunk finds by sid, listTrunks follows next_page_uri across pages", async () => {
        const made = [];
        for (let i = 0; i < 55; i++) made.push(await newTrunk(`t_${i}`));
        emu.clearLog();
        const all = await client.listTrunks();
        expect(all).toHaveLength(55);
        expect(emu.requests.map((r) => r.url)).toEqual([
            `/v2/accounts/${ACCOUNT}/trunks?offset=0&page_size=50`,
            `/v2/accounts/${ACCOUNT}/trunks?offset=50&page_size=50`,
        ]);
        expect((await client.getTrunk(made[3].trunk_sid))?.trunk_name).toBe("t_3");
        expect(await client.getTrunk("trmum1000000000000000000001a1n")).toBeUndefined();
    });

    test("delete sends DELETE /trunks?trunk_sid= and cascades attachments", async () => {
        const t = await newTrunk();
        await client.addWhitelistedIp(t.trunk_sid, { ip: "203.0.113.10" });
        await client.mapPhoneNumber(t.trunk_sid, { phoneNumber: "+919876543210" });
        emu.clearLog();
        const gone = await client.deleteTrunk(t.trunk_sid);
        expect(gone.trunk_sid).toBe(t.trunk_sid);
        expect(emu.requests.map((r) => `${r.method} ${r.url}`)).toEqual([`DELETE /v2/accounts/${ACCOUNT}/trunks?trunk_sid=${t.trunk_sid}`]);
        const inv = emu.inventory(ACCOUNT)[ACCOUNT];
        expect(inv.trunks).toHaveLength(0);
        expect(inv.ips).toHaveLength(0);
        expect(inv.numbers).toHaveLength(0);
    });

    test.each([
        ["404", ExotelNotFoundError, 404, 1000],
        ["403", ExotelAuthError, 403, 1003],
    ] as const)("deleting an unknown trunk (%s style) is a typed error", async (style, cls, status, code) => {
        emu.store.options.unknownTrunk = style;
        const err = await client.deleteTrunk("trmum1000000000000000000001a1n").catch((e) => e);
        expect(err).toBeInstanceOf(cls);
        expect(err).toMatchObject({ httpStatus: status, exotelCode: code });
    });
});

describe("attachments", () => {
    test("numbers: map, duplicate (200+409), list, update mode, unmap", async () => {
        const t = await newTrunk();
        const n = await client.mapPhoneNumber(t.trunk_sid, { phoneNumber: "+919876543210", mode: "flow" });
        expect(n).toMatchObject({ phone_number: "+919876543210", mode: "flow" });
        expect(n.id).toMatch(/^\d+$/);
        await expect(client.mapPhoneNumber(t.trunk_sid, { phoneNumber: "+919876543210" })).rejects.toMatchObject({
            name: "ExotelConflictError",
            httpStatus: 200,
            responseCode: 409,
        });
        const updated = await client.updatePhoneNumber(t.trunk_sid, n.id, { phoneNumber: n.phone_number, mode: "pstn" });
        expect(updated.mode).toBe("pstn");
        expect((await client.listPhoneNumbers(t.trunk_sid)).map((x) => x.mode)).toEqual(["pstn"]);
        await client.unmapPhoneNumber(t.trunk_sid, n.id);
        expect(await client.listPhoneNumbers(t.trunk_sid)).toEqual([]);
    });

    test("IPs: add with default mask 32, duplicate is a conflict, bad mask is a validation error", async () => {
        const t = await newTrunk();
        const w = await client.addWhitelistedIp(t.trunk_sid, { ip: "203.0.113.10" });
        expect(w).toMatchObject({ ip: "203.0.113.10", mask: 32, friendly_name: null });
        await expect(client.addWhitelistedIp(t.trunk_sid, { ip: "203.0.113.10" })).rejects.toBeInstanceOf(ExotelConflictError);
        await expect(client.addWhitelistedIp(t.trunk_sid, { ip: "203.0.113.11", mask: 8 })).rejects.toMatchObject({
            name: "ExotelValidationError",
            exotelCode: 1002,
            description: "mask should be in-between 16 and 32",
        });
        await client.removeWhitelistedIp(t.trunk_sid, w.id);
        expect(await client.listWhitelistedIps(t.trunk_sid)).toEqual([]);
    });

    test("destinations: batch with a 207 partial failure reports failed and created items", async () => {
        const t = await newTrunk();
        await client.addWhitelistedIp(t.trunk_sid, { ip: "203.0.113.10" });
        const err = await client
            .addDestinationUris(t.trunk_sid, [
                "203.0.113.10:5061;transport=tls",
                "198.51.100.7:5061;transport=tls",
                "sip.example.com:5061;transport=tls",
            ])
            .catch((e) => e);
        expect(err).toBeInstanceOf(ExotelPartialFailureError);
        expect(err.httpStatus).toBe(207);
        expect(err.failures).toEqual([
            expect.objectContaining({
                index: 1,
                item: "198.51.100.7:5061;transport=tls",
                exotelCode: 1002,
                description: "Destination not whitelisted",
            }),
        ]);
        expect(err.succeeded.map((d: { destination: string }) => d.destination)).toEqual([
            "sip:203.0.113.10:5061;transport=tls",
            "sip:sip.example.com:5061;transport=tls",
        ]);
        expect((await client.listDestinationUris(t.trunk_sid)).length).toBe(2);
    });

    test("caller ID: settings batch, list, delete", async () => {
        const t = await newTrunk();
        const s = await client.setCallerId(t.trunk_sid, "+918044556677");
        expect(s).toEqual([expect.objectContaining({ name: "trunk_external_alias", value: "+918044556677" })]);
        expect(await client.listSettings(t.trunk_sid)).toEqual([expect.objectContaining({ value: "+918044556677" })]);
        await client.deleteSetting(t.trunk_sid, "trunk_external_alias");
        expect(await client.listSettings(t.trunk_sid)).toEqual([]);
    });
});

describe("errors never carry credentials", () => {
    test("bad credentials are 401/1010 auth errors without the token or key in message or fields", async () => {
        const bad = clientFor(emu, { apiKey: "wrong_key_value", apiToken: "super_secret_token_123" });
        const err = await bad.listTrunks().catch((e) => e);
        bad.close();
        expect(err).toBeInstanceOf(ExotelAuthError);
        expect(err).toMatchObject({ httpStatus: 401, exotelCode: 1010 });
        const everything = JSON.stringify({ ...err, message: err.message, stack: err.stack });
        expect(everything).not.toContain("super_secret_token_123");
        expect(everything).not.toContain("wrong_key_value");
        expect(everything).not.toContain(Buffer.from("wrong_key_value:super_secret_token_123").toString("base64"));
    });

    test("a connection failure is a network error without URL credentials", async () => {
        const c = new ExotelClient({
            baseUrl: `http://127.0.0.1:1`,
            accountSid: ACCOUNT,
            apiKey: "k_visible_key",
            apiToken: "t_secret_token_456",
            rateLimit: false,
            retry: { limit: 1, jitter: false, backoffBaseMs: 1 },
        });
        const err = await c.listTrunks().catch((e) => e);
        c.close();
        expect(err).toBeInstanceOf(ExotelNetworkError);
        expect(err.attempts).toBe(2);
        expect(err.message).toMatch(/ECONNREFUSED/);
        expect(JSON.stringify({ ...err, m: err.message, s: err.stack })).not.toMatch(/t_secret_token_456|k_visible_key/);
    });

    test("base URLs: credentials, plain http to a remote host, and garbage are refused", () => {
        const mk = (baseUrl: string) => () => new ExotelClient({ baseUrl, accountSid: ACCOUNT, apiKey: "k", apiToken: "t" });
        expect(mk("https://key:tok@api.in.exotel.com")).toThrow(/must not contain credentials/);
        expect(mk("http://api.in.exotel.com")).toThrow(/must use https/);
        expect(mk("not a url")).toThrow(/not a valid URL/);
        expect(mk("http://127.0.0.1:9")).not.toThrow();
        expect(mk("https://api.exotel.com")).not.toThrow();
    });
});

describe("error classes", () => {
    test.each([
        [{ kind: "status", status: 500 }, ExotelServerError],
        [{ kind: "status", status: 429, retryAfter: "0" }, ExotelRateLimitError],
        [{ kind: "status", status: 400, exotelCode: 1002 }, ExotelValidationError],
        [{ kind: "failureBody", code: 409, exotelCode: 1008 }, ExotelConflictError],
        [{ kind: "status", status: 502, body: "html" }, ExotelServerError],
    ] as const)("fault %j becomes %p", async (fault, cls) => {
        const c = clientFor(emu, { retry: { limit: 0 } });
        emu.faults.add({ path: "/trunks", times: 1, fault: fault });
        const err = await c.listTrunks().catch((e) => e);
        c.close();
        expect(err).toBeInstanceOf(cls);
        expect(err).toBeInstanceOf(ExotelError);
    });

    test("an HTML page on HTTP 200 is a protocol error, not retried under the default policy", async () => {
        const c = clientFor(emu, { retry: { jitter: false, backoffBaseMs: 5 } });
        emu.clearLog();
        emu.faults.add({ path: "/trunks", times: 10, fault: { kind: "status", status: 200, body: "html" } });
        const err = await c.listTrunks().catch((e) => e);
        c.close();
        expect(err).toBeInstanceOf(ExotelProtocolError);
        expect(err).not.toBeInstanceOf(ExotelNetworkError);
        expect(err.message).toMatch(/HTTP 200 without an Exotel JSON envelope \(content type text\/html\)/);
        expect(emu.requests).toHaveLength(1);
    });
});
