import { DEMO_ACCOUNT, Emulator, EmulatorOptions, startEmulator } from "../../emulator";
import { Answer } from "../../emulator/records";
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

/** Every request the emulator received, as "METHOD url" with trunk sids shown as <sid>. */
export function apiCalls(emu: Emulator): string[] {
    return emu.requests.map((r) => `${r.method} ${r.url.replace(/trmum1\w+/g, "<sid>")}`);
}

/** The sid of the trunk a store call created (tests make things at "Exotel" directly, out of band). */
export function createdSid(answer: Answer): string {
    return (answer.body.response as { data: { trunk_sid: string } }).data.trunk_sid;
}

/** The id of the attachment a store call created. */
export function createdId(answer: Answer): string {
    return (answer.body.response as { data: { id: string } }).data.id;
}
