/**
 * The client-side limiter through the real engine: a stack of 30 trunks created and destroyed against the
 * emulator's enforced limit (20 per 2 s window, 5 concurrent) with no 429 and the window never exceeded.
 * The emulator runs in its own process, as the shared-account suites' does: one inside this process, busy with
 * the engine, reads requests late and in bursts (measured in the benchmark); with seven suite groups at once on
 * 2 cores this test once saw 31 DELETEs (one trunk's delete sent twice), the reason not recorded then. It is now:
 * every 429 is listed with its cause before the counts, and the window is 2 s (was 1 s: a few ms of jitter
 * between the provider's pacing and the emulator's clock weigh half as much).
 */
import { DEMO_ACCOUNT } from "../emulator";
import { EmulatorProcess, startEmulatorProcess } from "../testing/emulatorProcess";
import { TrunkStack } from "./helpers/engine";
import { maxInWindow } from "./helpers/windows";

jest.setTimeout(300_000);
const ACC = DEMO_ACCOUNT.accountSid;

let emu: EmulatorProcess;
beforeAll(async () => {
    emu = await startEmulatorProcess(["--rate-limit", "20/2000", "--max-concurrent", "5"]);
});
afterAll(() => emu.close());

test("through the engine: 30 trunks created and destroyed with no 429 and the window never exceeded", async () => {
    const s = await new TrunkStack(emu, "ratelimited").open({
        config: {
            "exotel:accountSid": ACC,
            "exotel:apiKey": DEMO_ACCOUNT.apiKey,
            "exotel:baseUrl": emu.baseUrl,
            "exotel:rateLimitRequestsPerWindow": "20",
            "exotel:rateLimitWindowMs": "2000",
            "exotel:maxConcurrentRequests": "5",
            "exotel:rateLimitBurst": "5",
        },
    });
    s.spec = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`r${i}`, { args: { trunkName: `rate_${i}` } }]));
    await s.up();
    await s.destroy();
    const requests = await emu.requests();
    // Every refusal, with why (window full or too many in flight), before the counts it would explain.
    expect(requests.filter((r) => r.status === 429).map((r) => `${r.method} ${r.url}: ${r.fault ?? ""}`)).toEqual([]);
    expect(requests.filter((r) => r.method === "DELETE")).toHaveLength(30);
    expect(
        maxInWindow(
            requests.map((r) => Date.parse(r.time)),
            2000,
        ),
    ).toBeLessThanOrEqual(20);
    expect(Object.values(await emu.inventory()).reduce((n, a) => n + a.trunks.length, 0)).toBe(0);
});
