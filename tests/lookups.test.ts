/**
 * Lookups against the emulator: by sid, by name, the whole account, another account through a
 * connection; a clear error naming what was looked up; never a password.
 */
import { DEMO_ACCOUNT, Emulator, startEmulator } from "../emulator";
import { getTrunk, listTrunks } from "../provider/lookups";
import { configuredProvider, createVia, FULL_TRUNK } from "./helpers/provider";

const B = { accountSid: "acct_b", apiKey: "key_b", apiToken: "token_b_never_shown" };
let emu: Emulator;
let saved: NodeJS.ProcessEnv;

beforeAll(async () => {
    emu = await startEmulator({
        accounts: { [DEMO_ACCOUNT.accountSid]: { apiKey: DEMO_ACCOUNT.apiKey, apiToken: DEMO_ACCOUNT.apiToken }, [B.accountSid]: B },
    });
    // Outside a Pulumi program the lookups read EXOTEL_* (stack config is not there).
    saved = { ...process.env };
    Object.assign(process.env, {
        EXOTEL_ACCOUNT_SID: DEMO_ACCOUNT.accountSid,
        EXOTEL_API_KEY: DEMO_ACCOUNT.apiKey,
        EXOTEL_API_TOKEN: DEMO_ACCOUNT.apiToken,
        EXOTEL_BASE_URL: emu.baseUrl,
    });
    const p = await configuredProvider(emu);
    await createVia(p, { ...FULL_TRUNK, trunkName: "main_pbx", credentials: [{ userName: "pbx", password: "secret_pass_1" }] });
    await createVia(p, { trunkName: "spare" });
    await createVia(p, { trunkName: "other_pbx", connection: { ...B, baseUrl: emu.baseUrl } });
});
afterAll(async () => {
    process.env = saved;
    await emu.close();
});

test("getTrunk by name and by sid give the same trunk with its attachments, with GET requests only; no password anywhere", async () => {
    emu.clearLog();
    const byName = await getTrunk({ trunkName: "main_pbx" });
    const bySid = await getTrunk({ trunkSid: byName.trunkSid });
    expect(bySid).toEqual(byName);
    expect(byName).toMatchObject({
        trunkName: "main_pbx",
        accountSid: DEMO_ACCOUNT.accountSid,
        callerId: FULL_TRUNK.callerId,
        destinationUris: FULL_TRUNK.destinationUris,
        credentials: [{ id: expect.any(String), userName: "pbx", friendlyName: null }],
    });
    expect(byName.phoneNumbers.map((n) => n.phoneNumber).sort()).toEqual(FULL_TRUNK.phoneNumbers.map((n) => n.phoneNumber).sort());
    expect(JSON.stringify(byName)).not.toContain("secret_pass_1");
    expect(emu.requests.length).toBeGreaterThan(0);
    expect(emu.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.url}`)).toEqual([]);
});

test("not found names what was looked up and where", async () => {
    await expect(getTrunk({ trunkName: "nope" })).rejects.toThrow('getTrunk: Exotel account demo_account has no trunk named "nope"');
    await expect(getTrunk({ trunkSid: "trmum1doesnotexist" })).rejects.toThrow(
        "getTrunk: Exotel account demo_account has no trunk trmum1doesnotexist",
    );
});

test("listTrunks returns the account's trunks only; a connection reaches another account", async () => {
    expect((await listTrunks()).map((t) => t.trunkName).sort()).toEqual(["main_pbx", "spare"]);
    const theirs = await listTrunks({ connection: { ...B, baseUrl: emu.baseUrl }, withAttachments: false });
    expect(theirs.map((t) => [t.trunkName, t.accountSid])).toEqual([["other_pbx", B.accountSid]]);
});
