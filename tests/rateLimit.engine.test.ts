/**
 * The client-side limiter through the real engine: a stack of 30 trunks created and destroyed against the
 * emulator's enforced limit (20 per 1 s window, 5 concurrent) with no 429 and the window never exceeded.
 */
import { DEMO_ACCOUNT, Emulator, startEmulator } from "../emulator";
import { TrunkStack } from "./helpers/engine";
import { busiestWindow } from "./helpers/windows";

jest.setTimeout(300_000);
const ACC = DEMO_ACCOUNT.accountSid;

let emu: Emulator;
beforeAll(async () => {
    emu = await startEmulator({ rateLimit: { requests: 20, windowMs: 1000, maxConcurrent: 5 } });
});
afterAll(() => emu.close());

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
    expect(busiestWindow(emu, 1000)).toBeLessThanOrEqual(20);
    expect(Object.values(emu.inventory()).reduce((n, a) => n + a.trunks.length, 0)).toBe(0);
});
