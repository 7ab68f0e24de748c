import { DEMO_ACCOUNT, Emulator, EmulatorOptions, startEmulator } from "../../emulator";
import { ExotelClient, ExotelClientOptions } from "../../provider/exotel/client";

export const ACCOUNT = DEMO_ACCOUNT.accountSid;

export function clientFor(emu: Emulator, extra: Partial<ExotelClientOptions> = {}): ExotelClient {
    return new ExotelClient({
        baseUrl: emu.baseUrl,
        accountSid: DEMO_ACCOUNT.accountSid,
        apiKey: DEMO_ACCOUNT.apiKey,
        apiToken: DEMO_ACCOUNT.apiToken,
        rateLimit: false,
        retry: { jitter: false, backoffBaseMs: 5, backoffLimitMs: 50 },
        ...extra,
    });
}

export async function emulator(opts: EmulatorOptions = {}): Promise<Emulator> {
    return startEmulator(opts);
}

/** Config for the provider's configure hook, pointing at the emulator. */
export function providerConfig(emu: Emulator, extra: Record<string, string> = {}): Record<string, string> {
    return {
        "exotel:apiKey": DEMO_ACCOUNT.apiKey,
        "exotel:apiToken": DEMO_ACCOUNT.apiToken,
        "exotel:accountSid": DEMO_ACCOUNT.accountSid,
        "exotel:baseUrl": emu.baseUrl,
        "exotel:retryBaseDelayMs": "5",
        "exotel:rateLimitRequestsPerWindow": "100000",
        "exotel:rateLimitBurst": "100000",
        ...extra,
    };
}

export function trunkCount(emu: Emulator): number {
    return Object.values(emu.inventory()).reduce((n, a) => n + a.trunks.length, 0);
}
