/**
 * SIP digest credentials through the provider hooks against the emulator: create, a password change, a
 * removal, refresh (which never deletes or reports what Exotel's unreliable list cannot show), the
 * trunk delete (still the seed's one request), and no password in any error or log line.
 */
import * as pulumi from "@pulumi/pulumi";
import { Emulator } from "../emulator";
import { ExotelTrunkProvider } from "../provider/engine/trunkProvider";
import { ProviderState } from "../provider/trunkTypes";
import { ACCOUNT, apiCalls, createdSid, emulator } from "./helpers/emulator";
import { checkVia, configuredProvider, createVia, FULL_TRUNK } from "./helpers/provider";

let emu: Emulator;
let p: ExotelTrunkProvider;
const logged: string[] = [];

beforeAll(async () => {
    emu = await emulator();
    for (const level of ["info", "warn", "error", "debug"] as const) {
        jest.spyOn(pulumi.log, level).mockImplementation(async (...args: unknown[]) => void logged.push(String(args[0])));
    }
});
afterAll(async () => {
    jest.restoreAllMocks();
    await emu.close();
});
beforeEach(async () => {
    emu.store.reset();
    emu.faults.clear();
    emu.clearLog();
    emu.store.options.credentialListing = "works";
    p = await configuredProvider(emu);
});

const T = `/v2/accounts/${ACCOUNT}/trunks`;
const PASSWORDS = ["alpha_pass_1", "bravo_pass_1", "alpha_pass_2"];
const TWO = {
    ...FULL_TRUNK,
    credentials: [
        { userName: "pbx_alpha", password: PASSWORDS[0], friendlyName: "front_desk" },
        { userName: "pbx_bravo", password: PASSWORDS[1] },
    ],
};
const atExotel = () => {
    const held = emu.inventory(ACCOUNT)[ACCOUNT].credentials;
    return held.map((c) => [c.user_name, c.friendly_name]).sort();
};

test("create adds each credential (one POST each) and records its id; the password goes only in that body", async () => {
    const res = await createVia(p, TWO);
    const posts = emu.requests.filter((r) => r.method === "POST" && r.path.endsWith("/credentials"));
    expect(posts.map((r) => r.body)).toEqual([
        { user_name: "pbx_alpha", password: PASSWORDS[0], friendly_name: "front_desk" },
        { user_name: "pbx_bravo", password: PASSWORDS[1] },
    ]);
    expect(res.outs.credentials).toEqual([
        { id: expect.any(String), userName: "pbx_alpha", friendlyName: "front_desk", password: PASSWORDS[0] },
        { id: expect.any(String), userName: "pbx_bravo", friendlyName: null, password: PASSWORDS[1] },
    ]);
    expect(atExotel()).toEqual([
        ["pbx_alpha", "front_desk"],
        ["pbx_bravo", null],
    ]);
});

test("a password change is one PUT of that credential; a removed one is one DELETE; nothing else", async () => {
    const created = await createVia(p, TWO);
    const [alpha, bravo] = created.outs.credentials;
    emu.clearLog();
    const news = await checkVia(p, {
        ...FULL_TRUNK,
        credentials: [{ userName: "pbx_alpha", password: PASSWORDS[2], friendlyName: "front_desk" }],
    });
    const d = await p.diff(created.id, created.outs, news);
    expect(d).toMatchObject({ changes: true, replaces: [] });
    const res = await p.update(created.id, created.outs, news);
    expect(apiCalls(emu)).toEqual([`DELETE ${T}/<sid>/credentials?id=${bravo.id}`, `PUT ${T}/<sid>/credentials/${alpha.id}`]);
    expect(emu.requests[1].body).toEqual({ password: PASSWORDS[2] });
    expect(res.outs!.credentials).toEqual([{ ...alpha, password: PASSWORDS[2] }]);
    expect(atExotel()).toEqual([["pbx_alpha", "front_desk"]]);
});

test("refresh keeps credentials as state has them, even when Exotel's list answers empty", async () => {
    const created = await createVia(p, TWO);
    emu.store.options.credentialListing = "empty";
    emu.clearLog();
    const read = await p.read(created.id, created.outs);
    expect(read.props!.credentials).toEqual(created.outs.credentials);
    expect(apiCalls(emu).filter((c) => c.includes("/credentials"))).toEqual([]);
    // And so a refreshed state plans nothing for them.
    const news = await checkVia(p, TWO);
    expect((await p.diff(created.id, read.props as ProviderState, news)).changes).toBe(false);
});

test("adoption lists the trunk's credentials and sets the password of each wanted one (Exotel never returns it)", async () => {
    const made = emu.store.createTrunk(ACCOUNT, { trunk_name: "legacy", nso_code: "ANY-ANY", domain_name: `${ACCOUNT}.pstn.exotel.com` });
    const sid = createdSid(made);
    emu.store.addCredential(ACCOUNT, sid, { user_name: "pbx_alpha", password: "unknown_old_1" });
    emu.store.addCredential(ACCOUNT, sid, { user_name: "stale_user", password: "unknown_old_2" });
    emu.clearLog();
    const res = await createVia(p, { ...TWO, trunkName: "legacy", adoptTrunkSid: sid });
    const credCalls = apiCalls(emu).filter((c) => c.includes("/credentials"));
    expect(credCalls[0]).toBe(`GET ${T}/<sid>/credentials`);
    expect(credCalls.slice(1).map((c) => c.replace(/\d+$/, "<id>"))).toEqual([
        `DELETE ${T}/<sid>/credentials?id=<id>`,
        `PUT ${T}/<sid>/credentials/<id>`,
        `POST ${T}/<sid>/credentials`,
    ]);
    expect(res.outs.credentials.map((c) => [c.userName, c.password])).toEqual([
        ["pbx_alpha", PASSWORDS[0]],
        ["pbx_bravo", PASSWORDS[1]],
    ]);
});

test("deleting the trunk sends only the seed's DELETE", async () => {
    const created = await createVia(p, TWO);
    emu.clearLog();
    await p.delete(created.id, created.outs);
    expect(apiCalls(emu)).toEqual([`DELETE ${T}?trunk_sid=<sid>`]);
});

test("a credential Exotel refuses fails the create, rolls the trunk back, and no password is in the error or the log", async () => {
    emu.faults.add({ method: "POST", path: "/credentials", times: 1, skip: 1, fault: { kind: "status", status: 400, exotelCode: 1002 } });
    logged.length = 0;
    const err = await createVia(p, TWO).catch((e) => e);
    expect(err.message).toMatch(/adding SIP credential pbx_bravo failed: Exotel POST .*\/credentials failed \(HTTP 400, code 1002,/);
    expect(err.message).toMatch(/was deleted again; nothing was left behind/);
    expect(emu.inventory(ACCOUNT)[ACCOUNT].trunks).toEqual([]);
    const text = [err.message, err.stack, JSON.stringify(err), ...logged].join("\n");
    for (const pw of PASSWORDS) expect(text).not.toContain(pw);
});
