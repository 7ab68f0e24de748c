/**
 * The client under injected faults, over HTTP against the emulator: what is retried, how long it waits,
 * what is never retried, deadlines, and that no credential leaks through any failure.
 */
import * as http from "http";
import { Emulator } from "../emulator";
import { ExotelClient } from "../provider/exotel/client";
import {
    ExotelAuthError,
    ExotelConflictError,
    ExotelProtocolError,
    ExotelRateLimitError,
    ExotelServerError,
    ExotelTimeoutError,
    ExotelValidationError,
} from "../provider/exotel/errors";
import { ACCOUNT, clientFor, emulator } from "./helpers/emulator";

let emu: Emulator;
const clients: ExotelClient[] = [];
const retries: string[] = [];
const mk = (extra: Parameters<typeof clientFor>[1] = {}) => {
    const c = clientFor(emu, { log: (_l, m) => retries.push(m), ...extra });
    clients.push(c);
    return c;
};

beforeAll(async () => {
    emu = await emulator();
});
afterAll(async () => {
    clients.forEach((c) => c.close());
    await emu.close();
});
beforeEach(() => {
    emu.store.reset();
    emu.faults.clear();
    emu.clearLog();
    retries.length = 0;
});

const body = { trunkName: "f_trunk", nsoCode: "ANY-ANY", domainName: `${ACCOUNT}.pstn.exotel.com` };
const attempts = (method: string, part: string) => emu.requests.filter((r) => r.method === method && r.path.endsWith(part)).length;

describe("retried", () => {
    test.each([
        ["429 with Retry-After", { kind: "status", status: 429, retryAfter: "0.05" }],
        ["429 without Retry-After", { kind: "status", status: 429 }],
        ["500", { kind: "status", status: 500 }],
        ["502 HTML page", { kind: "status", status: 502, body: "html" }],
        ["503 empty body", { kind: "status", status: 503, body: "empty" }],
        ["504", { kind: "status", status: 504 }],
        ["connection reset", { kind: "reset" }],
        ["HTTP 200 carrying a 503 body", { kind: "failureBody", code: 503, exotelCode: 1500 }],
        ["HTTP 200 carrying a 1030 rate limit body", { kind: "failureBody", code: 429, exotelCode: 1030 }],
    ] as const)("%s, twice, then success", async (_n, fault) => {
        emu.faults.add({ method: "GET", path: "/trunks", times: 2, fault: fault });
        const c = mk();
        await expect(c.listTrunks()).resolves.toEqual([]);
        expect(attempts("GET", "/trunks")).toBe(3);
        expect(retries).toHaveLength(2);
        expect(retries[0]).toMatch(
            /GET \/v2\/accounts\/demo_account\/trunks\?offset=0&page_size=50: attempt 1 failed .*; retrying in \d+\.\d s/,
        );
    });

    test("a hang past the request timeout is retried", async () => {
        emu.faults.add({ method: "GET", path: "/trunks", times: 1, fault: { kind: "hang", ms: 5000 } });
        const c = mk({ timeouts: { requestTimeoutMs: 200 } });
        await expect(c.listTrunks()).resolves.toEqual([]);
        expect(retries[0]).toMatch(/timed out after 200 ms/);
    });

    test("Retry-After is honoured (server asks 0.3 s; backoff alone would wait 5 ms)", async () => {
        emu.faults.add({ method: "GET", path: "/trunks", times: 1, fault: { kind: "status", status: 429, retryAfter: "0.3" } });
        const clock = fakeClock();
        await mk({ clock }).listTrunks();
        expect(retries[0]).toMatch(/retrying in 0\.3 s/);
        expect(clock.slept).toEqual([300]);
        expect(attempts("GET", "/trunks")).toBe(2);
    });
});

/** A clock that starts now and moves only when the client waits: no test depends on wall time. */
function fakeClock() {
    let t = Date.now();
    const slept: number[] = [];
    return {
        slept,
        now: () => t,
        sleep: async (ms: number) => {
            slept.push(ms);
            t += ms;
        },
    };
}

describe("never retried", () => {
    test.each([
        ["1002 invalid parameter", { kind: "status", status: 400, exotelCode: 1002 }, ExotelValidationError],
        ["1008 duplicate (HTTP 200 + 409)", { kind: "failureBody", code: 409, exotelCode: 1008 }, ExotelConflictError],
        ["1010 bad credentials", { kind: "status", status: 401, exotelCode: 1010 }, ExotelAuthError],
        ["1003 authorization (even as a 503)", { kind: "status", status: 503, exotelCode: 1003 }, ExotelAuthError],
        ["1011 content type", { kind: "status", status: 415, exotelCode: 1011 }, ExotelValidationError],
    ] as const)("%s fails on the first attempt", async (_n, fault, cls) => {
        emu.faults.add({ method: "POST", path: "/trunks", times: 5, fault: fault });
        const c = mk();
        await expect(c.createTrunk(body)).rejects.toBeInstanceOf(cls);
        expect(attempts("POST", "/trunks")).toBe(1);
        expect(retries).toHaveLength(0);
    });
});

describe("limits", () => {
    test("attempts run out: the last typed error itself, message untouched, with the count", async () => {
        emu.faults.add({ method: "GET", path: "/trunks", times: 10, fault: { kind: "status", status: 503 } });
        const clock = fakeClock();
        const c = mk({ retry: { limit: 3, jitter: false, backoffBaseMs: 10 }, clock });
        const err = await c.listTrunks().catch((e) => e);
        expect(err).toBeInstanceOf(ExotelServerError);
        expect(err.message).toMatch(
            /^Exotel GET \/v2\/accounts\/demo_account\/trunks\?offset=0&page_size=50 failed \(HTTP 503, code 1500, request_id \w+\): Internal server error$/,
        );
        expect(err.attempts).toBe(4);
        expect(clock.slept).toEqual([10, 20, 40]);
        expect(attempts("GET", "/trunks")).toBe(4);
    });

    test("the operation deadline stops retries before a wait would pass it: a timeout error whose cause is the last error", async () => {
        emu.faults.add({ method: "GET", path: "/trunks", times: 10, fault: { kind: "status", status: 429, retryAfter: "5" } });
        const clock = fakeClock();
        const c = mk({ clock });
        const err = await c.listTrunks({ deadline: clock.now() + 1000 }).catch((e) => e);
        expect(err).toBeInstanceOf(ExotelTimeoutError);
        expect(err.message).toMatch(/operation deadline would pass.*exotel:operationTimeoutSeconds/);
        expect(err.cause).toBeInstanceOf(ExotelRateLimitError);
        expect(err.cause.attempts).toBeUndefined();
        expect(err.attempts).toBe(1);
        expect(clock.slept).toEqual([]);
        expect(attempts("GET", "/trunks")).toBe(1);
    });
});

describe("creates whose answer is lost do not leave unknown objects", () => {
    test("trunk created, answer reset, retry gets 1008: the client returns the created trunk", async () => {
        emu.faults.add({ method: "POST", path: "/trunks", times: 1, when: "after", fault: { kind: "reset" } });
        const c = mk();
        const t = await c.createTrunk(body);
        const inv = emu.inventory(ACCOUNT)[ACCOUNT];
        expect(inv.trunks.map((x) => x.trunk_sid)).toEqual([t.trunk_sid]);
        expect(emu.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
            `POST /v2/accounts/${ACCOUNT}/trunks`,
            `POST /v2/accounts/${ACCOUNT}/trunks`,
            `GET /v2/accounts/${ACCOUNT}/trunks`,
        ]);
    });

    test("the same for a phone number mapping answered with a 502 after it was made", async () => {
        const c = mk();
        const t = await c.createTrunk(body);
        emu.faults.add({ method: "POST", path: "/phone-numbers", times: 1, when: "after", fault: { kind: "status", status: 502 } });
        const n = await c.mapPhoneNumber(t.trunk_sid, { phoneNumber: "+919876543210" });
        expect(n.id).toBe(emu.inventory(ACCOUNT)[ACCOUNT].numbers[0].id);
    });

    test("a duplicate without an earlier lost answer is still a conflict (no silent adoption)", async () => {
        const c = mk();
        await c.createTrunk(body);
        await expect(c.createTrunk(body)).rejects.toBeInstanceOf(ExotelConflictError);
    });
});

describe("credentials never leave for another host, and never appear in errors", () => {
    test("a redirect is not followed, and with the default retry policy it is requested exactly once", async () => {
        let hits = 0;
        const other = http.createServer((req, res) => {
            hits++;
            res.end(JSON.stringify({ auth: req.headers.authorization ?? null }));
        });
        await new Promise<void>((r) => other.listen(0, "127.0.0.1", () => r()));
        const port = (other.address() as { port: number }).port;
        emu.faults.add({
            method: "GET",
            path: "/trunks",
            times: 10,
            fault: { kind: "status", status: 302, body: "empty", headers: { Location: `http://127.0.0.1:${port}/steal` } },
        });
        emu.clearLog();
        const c = mk({});
        const err = await c.listTrunks().catch((e) => e);
        other.close();
        expect(err).toBeInstanceOf(ExotelProtocolError);
        expect(err.message).toMatch(/redirect, which is not followed/);
        expect(emu.requests).toHaveLength(1);
        // (was 7 requests over 5.5 s: the redirect counted as a retryable network error)
        expect(hits).toBe(0);
    });

    test("no failure mode puts the key, token or Basic header into an error", async () => {
        const secretKey = "key_visible_in_no_error";
        const secretToken = "tok_visible_in_no_error";
        const basic = Buffer.from(`${secretKey}:${secretToken}`).toString("base64");
        const seen: string[] = [];
        const own = await emulator({ accounts: { [ACCOUNT]: { apiKey: secretKey, apiToken: secretToken } } });
        const faults = [
            { kind: "reset" },
            { kind: "hang", ms: 2000 },
            { kind: "status", status: 500, body: "html" },
            { kind: "status", status: 429 },
            { kind: "failureBody", code: 409, exotelCode: 1008 },
        ] as const;
        for (const fault of faults) {
            own.faults.clear();
            own.faults.add({ path: "/trunks", times: 10, fault: fault });
            const c = new ExotelClient({
                baseUrl: own.baseUrl,
                accountSid: ACCOUNT,
                apiKey: secretKey,
                apiToken: secretToken,
                rateLimit: false,
                retry: { limit: 1, backoffBaseMs: 1, jitter: false },
                timeouts: { requestTimeoutMs: 100 },
                log: (_l, m) => seen.push(m),
            });
            clients.push(c);
            const err = await c.listTrunks().catch((e) => e);
            seen.push(err.message, String(err.stack), JSON.stringify(err));
        }
        // An unreachable port and a URL carrying credentials.
        const refused = new ExotelClient({
            baseUrl: "http://127.0.0.1:1",
            accountSid: ACCOUNT,
            apiKey: secretKey,
            apiToken: secretToken,
            rateLimit: false,
            retry: { limit: 0 },
        });
        clients.push(refused);
        const e1 = await refused.listTrunks().catch((e) => e);
        seen.push(e1.message, String(e1.stack), JSON.stringify(e1));
        let e2: Error | undefined;
        try {
            new ExotelClient({
                baseUrl: `https://${secretKey}:${secretToken}@api.in.exotel.com`,
                accountSid: ACCOUNT,
                apiKey: "k",
                apiToken: "t",
            });
        } catch (e) {
            e2 = e as Error;
        }
        seen.push(String(e2?.message), String(e2?.stack));
        await own.close();
        // Every fault was met (each request authenticated with the secret pair); 1008 is not retried.
        expect(own.requests.length).toBe(2 * faults.length - 1);
        expect(own.requests.every((r) => r.authValid && r.fault)).toBe(true);
        const all = seen.join("\n");
        expect(seen.length).toBeGreaterThan(15);
        for (const s of [secretKey, secretToken, basic]) expect(all).not.toContain(s);
    });
});
