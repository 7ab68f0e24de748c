/**
 * One limiter per provider process: every client (every resource) of an account shares it, and it keeps
 * the emulator's enforced limit from ever answering 429. Counts and windows are asserted, not timings.
 */
import { DEMO_ACCOUNT, Emulator, startEmulator } from "../emulator";
import { ExotelClient } from "../provider/exotel/client";
import { sharedLimiter } from "../provider/exotel/rateLimiter";
import { TrunkStack } from "./helpers/engine";

jest.setTimeout(300_000);
const ACC = DEMO_ACCOUNT.accountSid;

function maxInWindow(times: number[], windowMs: number): number {
    const t = [...times].sort((a, b) => a - b);
    let best = 0;
    for (let i = 0, j = 0; j < t.length; j++) {
        while (t[j] - t[i] >= windowMs) i++;
        best = Math.max(best, j - i + 1);
    }
    return best;
}

test("sharedLimiter: one instance per account and settings, in the whole process", () => {
    const s = { requestsPerWindow: 200, windowMs: 60_000, maxConcurrent: 50, burst: 10 };
    expect(sharedLimiter("h/acc", s)).toBe(sharedLimiter("h/acc", { ...s }));
    expect(sharedLimiter("h/acc", s)).not.toBe(sharedLimiter("h/other", s));
});

describe("against the emulator's enforced limit (20 per 1 s window, 5 concurrent)", () => {
    let emu: Emulator;
    beforeAll(async () => {
        emu = await startEmulator({ rateLimit: { requests: 20, windowMs: 1000, maxConcurrent: 5 } });
    });
    afterAll(() => emu.close());
    beforeEach(() => {
        emu.store.reset();
        emu.clearLog();
    });

    test("two clients (two resources) share one budget: 60 requests, no 429", async () => {
        const mk = () =>
            new ExotelClient({
                baseUrl: emu.baseUrl,
                accountSid: ACC,
                apiKey: DEMO_ACCOUNT.apiKey,
                apiToken: DEMO_ACCOUNT.apiToken,
                rateLimit: { requestsPerWindow: 20, windowMs: 1000, maxConcurrent: 5, burst: 5 },
                retry: { limit: 0 },
            });
        const [a, b] = [mk(), mk()];
        await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).listTrunks()));
        a.close();
        b.close();
        expect(emu.requests).toHaveLength(60);
        expect(emu.requests.filter((r) => r.status === 429)).toHaveLength(0);
        expect(
            maxInWindow(
                emu.requests.map((r) => Date.parse(r.time)),
                1000,
            ),
        ).toBeLessThanOrEqual(20);
    });

    test("without our limiter the server answers 429s, and the retry policy still completes every call", async () => {
        const c = new ExotelClient({
            baseUrl: emu.baseUrl,
            accountSid: ACC,
            apiKey: DEMO_ACCOUNT.apiKey,
            apiToken: DEMO_ACCOUNT.apiToken,
            rateLimit: false,
            retry: { limit: 20, backoffBaseMs: 20 },
        });
        const settled = await Promise.allSettled(Array.from({ length: 40 }, () => c.listTrunks()));
        c.close();
        expect(settled.filter((x) => x.status === "rejected")).toEqual([]);
        expect(emu.requests.filter((r) => r.status === 429).length).toBeGreaterThan(0);
        expect(emu.requests.filter((r) => r.status === 200)).toHaveLength(40);
    });

    test("through the engine: 30 trunks created and destroyed with no 429 and the window never exceeded", async () => {
        const s = await new TrunkStack(emu, "ratelimited").open({
            config: {
                "exotel:accountSid": ACC,
                "exotel:apiKey": DEMO_ACCOUNT.apiKey,
                "exotel:baseUrl": emu.baseUrl,
                "exotel:rateLimitRequestsPerWindow": "20",
                "exotel:rateLimitWindowMs": "1000",
                "exotel:maxConcurrentRequests": "5",
                "exotel:rateLimitBurst": "5",
            },
        });
        s.spec = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`r${i}`, { args: { trunkName: `rate_${i}` } }]));
        await s.up();
        await s.destroy();
        const deletes = emu.requests.filter((r) => r.method === "DELETE");
        expect(deletes).toHaveLength(30);
        expect(emu.requests.filter((r) => r.status === 429)).toHaveLength(0);
        expect(
            maxInWindow(
                emu.requests.map((r) => Date.parse(r.time)),
                1000,
            ),
        ).toBeLessThanOrEqual(20);
        expect(Object.values(emu.inventory()).reduce((n, a) => n + a.trunks.length, 0)).toBe(0);
    });
});
