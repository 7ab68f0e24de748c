/**
 * A trunk's own `connection` (another Exotel account) through the provider hooks, against an emulator
 * serving two accounts with different credentials: every request of that trunk goes to its account
 * with its credentials, stack config keeps serving the others, and the token never leaves in a message.
 */
import { DEMO_ACCOUNT, Emulator, startEmulator } from "../emulator";
import { ExotelTrunkProvider } from "../provider/engine/trunkProvider";
import { configuredProvider, checkVia, createVia, FULL_TRUNK, unchecked } from "./helpers/provider";

const B = { accountSid: "acct_singapore", apiKey: "key_b", apiToken: "token_b_never_shown" };
let emu: Emulator;
let p: ExotelTrunkProvider;

beforeAll(async () => {
    emu = await startEmulator({
        accounts: {
            [DEMO_ACCOUNT.accountSid]: { apiKey: DEMO_ACCOUNT.apiKey, apiToken: DEMO_ACCOUNT.apiToken },
            [B.accountSid]: { apiKey: B.apiKey, apiToken: B.apiToken },
        },
    });
});
afterAll(() => emu.close());
beforeEach(async () => {
    emu.store.reset();
    emu.clearLog();
    p = await configuredProvider(emu);
});

const connection = () => ({ ...B, baseUrl: emu.baseUrl });
const who = () => emu.requests.map((r) => `${r.method} ${r.path.split("/").slice(0, 4).join("/")} as ${r.authUser} (${r.status})`);

test("a trunk with a connection lives in that account; one without uses the stack's; each with its own credentials", async () => {
    const mine = await createVia(p, { ...FULL_TRUNK, trunkName: "stack_trunk" });
    const theirs = await createVia(p, { ...FULL_TRUNK, trunkName: "sg_trunk", connection: connection() });
    expect(mine.outs.accountSid).toBe(DEMO_ACCOUNT.accountSid);
    expect(theirs.outs).toMatchObject({ accountSid: B.accountSid, region: "custom", domainName: `${B.accountSid}.pstn.exotel.com` });
    expect(emu.inventory(B.accountSid)[B.accountSid].trunks.map((t) => t.trunk_name)).toEqual(["sg_trunk"]);
    expect(emu.inventory(DEMO_ACCOUNT.accountSid)[DEMO_ACCOUNT.accountSid].trunks.map((t) => t.trunk_name)).toEqual(["stack_trunk"]);
    for (const r of emu.requests) {
        expect(r.authValid).toBe(true);
        expect(r.authUser).toBe(r.path.startsWith(`/v2/accounts/${B.accountSid}/`) ? B.apiKey : DEMO_ACCOUNT.apiKey);
    }
    expect(new Set(who())).toEqual(
        new Set([`POST /v2/accounts/${DEMO_ACCOUNT.accountSid} as demo_key (200)`, `POST /v2/accounts/${B.accountSid} as key_b (200)`]),
    );

    // Refresh and delete use the connection kept in state: the right account, the right key.
    emu.clearLog();
    await p.read(theirs.id, theirs.outs);
    await p.delete(theirs.id, theirs.outs);
    await p.delete(mine.id, mine.outs);
    expect(emu.requests.filter((r) => r.method === "DELETE").map((r) => `${r.url} as ${r.authUser}`)).toEqual([
        `/v2/accounts/${B.accountSid}/trunks?trunk_sid=${theirs.id} as key_b`,
        `/v2/accounts/${DEMO_ACCOUNT.accountSid}/trunks?trunk_sid=${mine.id} as demo_key`,
    ]);
    expect(emu.requests.filter((r) => r.method === "GET").every((r) => r.authUser === B.apiKey)).toBe(true);
});

test("moving a trunk to another account replaces it; a new token for the same account is an update that sends nothing", async () => {
    const t = await createVia(p, { ...FULL_TRUNK, trunkName: "sg_trunk", connection: connection() });
    const moved = await p.diff(t.id, t.outs, await checkVia(p, { ...FULL_TRUNK, trunkName: "sg_trunk" }));
    // (the default domain follows the account, so it changes too)
    expect(moved).toMatchObject({ changes: true, replaces: ["domainName", "accountSid"], deleteBeforeReplace: true });
    const rotated = await checkVia(p, {
        ...FULL_TRUNK,
        trunkName: "sg_trunk",
        connection: { ...connection(), apiToken: "token_b_rotated" },
    });
    expect(await p.diff(t.id, t.outs, rotated)).toMatchObject({ changes: true, replaces: [] });
    emu.clearLog();
    // (the emulator does not know the rotated token; the update must not need a request)
    const res = await p.update(t.id, t.outs, rotated);
    expect(emu.requests).toEqual([]);
    expect(res.outs!.connection).toMatchObject({ apiToken: "token_b_rotated" });
});

test("bad connection credentials fail with a message that names the account, never the token", async () => {
    const err = await createVia(p, {
        ...FULL_TRUNK,
        trunkName: "sg_trunk",
        connection: { ...connection(), apiToken: "wrong_token_value" },
    }).catch((e) => e);
    expect(err.message).toMatch(/HTTP 401/);
    expect(err.message).toContain(`/v2/accounts/${B.accountSid}/trunks`);
    expect(`${err.message}\n${err.stack}`).not.toMatch(/wrong_token_value|token_b_never_shown/);
    const checked = await p.check(unchecked({}), unchecked({ ...FULL_TRUNK, connection: { ...connection(), region: "moon" } }));
    expect(checked.failures).toEqual([
        { property: "connection.region", reason: 'must be "mumbai" (api.in.exotel.com) or "singapore" (api.exotel.com); got "moon"' },
    ]);
});
