/**
 * One limiter per provider process: every client (every resource) of an account shares it, and it keeps
 * the emulator's enforced limit from ever answering 429. Counts and windows are asserted, not timings, on a
 * virtual clock that the limiter, the clients' retries and the emulator's window all read: time stands still
 * while a request is in flight, so a loaded machine cannot push two windows' requests into one.
 */
import { DEMO_ACCOUNT, Emulator, startEmulator } from "../emulator";
import { ExotelClient, ExotelClientOptions } from "../provider/exotel/client";
import { accountLimiter } from "../provider/exotel/rateLimit/accountLimiter";
import { busiestWindow } from "./helpers/windows";
import { virtualTime } from "./helpers/virtualTime";

const ACC = DEMO_ACCOUNT.accountSid;

test("accountLimiter: one instance per account and settings, in the whole process", () => {
    const s = { requestsPerWindow: 200, windowMs: 60_000, maxConcurrent: 50, burst: 10 };
    const log = () => undefined;
    expect(accountLimiter("h/acc", s, log)).toBe(accountLimiter("h/acc", { ...s }, log));
    expect(accountLimiter("h/acc", s, log)).not.toBe(accountLimiter("h/other", s, log));
});

describe("against the emulator's enforced limit (20 per 1 s window, 5 concurrent), on a virtual clock", () => {
    // A clock and an emulator of its own for each test (the emulator's window counts the clock's time), both
    // ended after it whatever the outcome.
    let time: ReturnType<typeof virtualTime> | undefined;
    let emu: Emulator;
    const clients: ExotelClient[] = [];
    beforeEach(async () => {
        time = virtualTime();
        emu = await startEmulator({ rateLimit: { requests: 20, windowMs: 1000, maxConcurrent: 5 } });
    });
    afterEach(async () => {
        clients.splice(0).forEach((c) => c.close());
        await emu?.close();
        time?.uninstall();
        time = undefined;
    });
    const client = (extra: Partial<ExotelClientOptions>) => {
        const c = new ExotelClient({
            baseUrl: emu.baseUrl,
            accountSid: ACC,
            apiKey: DEMO_ACCOUNT.apiKey,
            apiToken: DEMO_ACCOUNT.apiToken,
            ...extra,
        });
        clients.push(c);
        time!.track(c);
        return c;
    };

    test("two clients (two resources) share one budget: 60 requests, no 429", async () => {
        const mk = () => client({ rateLimit: { requestsPerWindow: 20, windowMs: 1000, maxConcurrent: 5, burst: 5 }, retry: { limit: 0 } });
        const [a, b] = [mk(), mk()];
        await time!.settle(Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).listTrunks())));
        expect(emu.requests).toHaveLength(60);
        expect(emu.requests.filter((r) => r.status === 429)).toHaveLength(0);
        expect(busiestWindow(emu, 1000)).toBeLessThanOrEqual(20);
    });

    test("without our limiter the server answers 429s, and the retry policy still completes every call", async () => {
        const c = client({ rateLimit: false, retry: { limit: 20, backoffBaseMs: 20 } });
        const settled = await time!.settle(Promise.allSettled(Array.from({ length: 40 }, () => c.listTrunks())));
        expect(settled.filter((x) => x.status === "rejected")).toEqual([]);
        expect(emu.requests.filter((r) => r.status === 429).length).toBeGreaterThan(0);
        expect(emu.requests.filter((r) => r.status === 200)).toHaveLength(40);
    });
});

test("the emulator's blind mode: a 429 without Retry-After (as Exotel documents none)", async () => {
    const http = await import("http");
    const emu = await startEmulator({ rateLimit: { requests: 1, windowMs: 60_000, retryAfter: false } });
    const get = () =>
        new Promise<{ status: number; retryAfter?: string }>((resolve, reject) => {
            const auth = Buffer.from(`${DEMO_ACCOUNT.apiKey}:${DEMO_ACCOUNT.apiToken}`).toString("base64");
            http.get(`${emu.baseUrl}/v2/accounts/${ACC}/trunks`, { headers: { Authorization: `Basic ${auth}` } }, (res) => {
                res.resume();
                res.on("end", () => resolve({ status: res.statusCode!, retryAfter: res.headers["retry-after"] }));
            }).on("error", reject);
        });
    expect((await get()).status).toBe(200);
    expect(await get()).toEqual({ status: 429, retryAfter: undefined });
    emu.setRateLimit({ requests: 1, windowMs: 60_000 });
    await get();
    const withHeader = await get();
    expect(withHeader.status).toBe(429);
    expect(Number(withHeader.retryAfter)).toBeGreaterThan(0);
    await emu.close();
});
