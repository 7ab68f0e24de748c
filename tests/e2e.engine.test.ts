/**
 * End-to-end lifecycle through the real Pulumi engine (CLI built by scripts/ensure-pulumi), on the
 * emulator, asserting what the emulator saw request by request.
 */
import { DEMO_ACCOUNT, Emulator, startEmulator } from "../emulator";
import { inventoryMatchesState, TrunkStack } from "./helpers/engine";
import { apiCalls, createdSid } from "./helpers/emulator";

const ACC = DEMO_ACCOUNT.accountSid;
const T = `/v2/accounts/${ACC}/trunks`;
jest.setTimeout(300_000);

let emu: Emulator;
beforeAll(async () => {
    emu = await startEmulator();
});
afterAll(async () => {
    await emu.close();
});
beforeEach(() => {
    emu.clearLog();
    emu.faults.clear();
    emu.store.options.unknownTrunk = "404";
});

const full = (trunkName: string) => ({
    trunkName,
    phoneNumbers: [{ phoneNumber: "+918047091234" }, { phoneNumber: "+918047091235", mode: "flow" as const }],
    whitelistedIps: [{ ip: "203.0.113.10" }, { ip: "198.51.100.0", mask: 28 }],
    destinationUris: ["203.0.113.10:5061;transport=tls"],
    callerId: "+918047091234",
});

const trunksAtExotel = () => Object.values(emu.inventory()).flatMap((a) => a.trunks);

describe("lifecycle of one trunk (each test from its own new stack and an empty account)", () => {
    let s: TrunkStack;
    let n = 0;
    beforeEach(async () => {
        emu.store.reset();
        s = new TrunkStack(emu, `lifecycle-${++n}`);
        await s.open();
    });
    afterEach(async () => {
        await s.destroy().catch(() => undefined);
    });
    /** `pulumi up` of the full trunk; its sid. */
    const upFull = async (name = "e2e_main") => {
        s.spec = { main: { args: full(name) } };
        await s.up();
        return (await s.outputs()).main;
    };

    test("up creates trunk + attachments; a second preview shows no changes", async () => {
        s.spec = { main: { args: full("e2e_main") } };
        const up = await s.up();
        expect(up.summary.resourceChanges).toMatchObject({ create: 2 });
        const sid = (await s.outputs()).main;
        expect(sid).toMatch(/^trmum1/);
        expect(apiCalls(emu)).toEqual([
            `POST ${T}`,
            `POST ${T}/<sid>/whitelisted-ips`,
            `POST ${T}/<sid>/whitelisted-ips`,
            `POST ${T}/<sid>/destination-uris`,
            `POST ${T}/<sid>/phone-numbers`,
            `POST ${T}/<sid>/phone-numbers`,
            `POST ${T}/<sid>/settings`,
        ]);
        emu.clearLog();
        const pv = await s.preview();
        expect(pv.changeSummary).toEqual({ same: 2 });
        expect(emu.requests).toHaveLength(0);
    });

    test("adding/removing a number, an IP, a destination and switching a mode is an in-place update with only the needed requests", async () => {
        const sid = await upFull();
        const before = (await s.resources())[0].outputs;
        s.spec.main.args = {
            ...full("e2e_main"),
            phoneNumbers: [{ phoneNumber: "+918047091234", mode: "flow" }, { phoneNumber: "+918047091236" }],
            whitelistedIps: [{ ip: "203.0.113.10" }, { ip: "192.0.2.20" }],
            destinationUris: ["192.0.2.20:5060;transport=tcp"],
        };
        emu.clearLog();
        const up = await s.up();
        expect(up.summary.resourceChanges).toMatchObject({ update: 1, same: 1 });
        const ids = (xs: { id: string; phoneNumber?: string; ip?: string; uri?: string }[], key: string, v: string) =>
            xs.find((x) => (x as Record<string, string>)[key] === v)!.id;
        expect(apiCalls(emu).sort()).toEqual(
            [
                `DELETE ${T}/<sid>/destination-uris?id=${before.destinations[0].id}`,
                `DELETE ${T}/<sid>/whitelisted-ips?id=${ids(before.whitelistedIps, "ip", "198.51.100.0")}`,
                `POST ${T}/<sid>/whitelisted-ips`,
                `POST ${T}/<sid>/destination-uris`,
                `DELETE ${T}/<sid>/phone-numbers?id=${ids(before.phoneNumbers, "phoneNumber", "+918047091235")}`,
                `PUT ${T}/<sid>/phone-numbers/${ids(before.phoneNumbers, "phoneNumber", "+918047091234")}`,
                `POST ${T}/<sid>/phone-numbers`,
            ].sort(),
        );
        expect((await s.outputs()).main).toBe(sid);
        const inv = emu.inventory(ACC)[ACC];
        expect(inv.numbers.map((n) => `${n.phone_number}:${n.mode}`).sort()).toEqual(["+918047091234:flow", "+918047091236:pstn"]);
        expect(inv.destinations.map((d) => d.destination)).toEqual(["sip:192.0.2.20:5060;transport=tcp"]);
        emu.clearLog();
        expect((await s.preview()).changeSummary).toEqual({ same: 2 });
    });

    test("renaming the trunk replaces it, deleting the old one first", async () => {
        const sid = await upFull();
        s.spec.main.args = { ...s.spec.main.args, trunkName: "e2e_renamed" };
        emu.clearLog();
        const up = await s.up();
        expect(up.summary.resourceChanges).toMatchObject({ replace: 1 });
        const calls = apiCalls(emu);
        expect(calls[0]).toBe(`DELETE ${T}?trunk_sid=<sid>`);
        expect(emu.requests[0].query.trunk_sid).toBe(sid);
        expect(calls[1]).toBe(`POST ${T}`);
        const newSid = (await s.outputs()).main;
        expect(newSid).not.toBe(sid);
        expect(trunksAtExotel().map((t) => t.trunk_name)).toEqual(["e2e_renamed"]);
    });

    test("a trunk deleted behind Pulumi's back: refresh drops it; destroy still succeeds", async () => {
        const sid = await upFull();
        emu.store.deleteTrunk(ACC, sid);
        const r = await s.refresh();
        expect(r.summary.resourceChanges).toMatchObject({ delete: 1 });
        expect(await s.resources()).toHaveLength(0);
        emu.clearLog();
        await s.destroy();
        expect(emu.requests).toHaveLength(0);
    });
});

describe("adoption, destroy and GitOps", () => {
    test("5. adopting an existing trunk by sid, then destroy deletes it", async () => {
        const made = emu.store.createTrunk(ACC, { trunk_name: "legacy_pbx", nso_code: "ANY-ANY", domain_name: `${ACC}.pstn.exotel.com` });
        const sid = createdSid(made);
        emu.store.mapNumber(ACC, sid, { phone_number: "+918047099999" });
        const s = await new TrunkStack(emu, "adopt").open();
        s.spec = { legacy: { args: { ...full("legacy_pbx"), adoptTrunkSid: sid } } };
        emu.clearLog();
        await s.up();
        expect((await s.outputs()).legacy).toBe(sid);
        expect(apiCalls(emu).filter((c) => c === `POST ${T}`)).toEqual([]);
        const numbers = emu.inventory(ACC)[ACC].numbers.filter((n) => n.trunk_sid === sid);
        expect(numbers.map((n) => n.phone_number).sort()).toEqual(["+918047091234", "+918047091235"]);
        emu.clearLog();
        await s.destroy();
        expect(apiCalls(emu)).toEqual([`DELETE ${T}?trunk_sid=<sid>`]);
        expect(trunksAtExotel().find((t) => t.trunk_sid === sid)).toBeUndefined();
    });

    test("5b. adopting by name: the engine records the existing trunk, a second up changes nothing, destroy deletes it", async () => {
        const made = emu.store.createTrunk(ACC, { trunk_name: "named_pbx", nso_code: "ANY-ANY", domain_name: `${ACC}.pstn.exotel.com` });
        const sid = createdSid(made);
        const s = await new TrunkStack(emu, "adoptname").open();
        s.spec = { named: { args: { ...full("named_pbx"), adoptByName: true } } };
        emu.clearLog();
        const up = await s.up();
        expect(up.summary.resourceChanges).toMatchObject({ create: 2 });
        expect((await s.outputs()).named).toBe(sid);
        expect(apiCalls(emu)[0]).toBe(`GET ${T}?offset=0&page_size=50`);
        expect(apiCalls(emu).filter((c) => c === `POST ${T}`)).toEqual([]);
        expect(s.output).toMatch(new RegExp(`adopted existing trunk ${sid} \\(named_pbx\\) of account ${ACC} by name`));
        emu.clearLog();
        expect((await s.up()).summary.resourceChanges).toEqual({ same: 2 });
        expect(emu.requests).toHaveLength(0);
        emu.clearLog();
        await s.destroy();
        expect(apiCalls(emu)).toEqual([`DELETE ${T}?trunk_sid=<sid>`]);
        expect(trunksAtExotel().find((t) => t.trunk_sid === sid)).toBeUndefined();
    });

    test("6. destroy sends exactly one DELETE per trunk and nothing for attachments; the emulator is empty", async () => {
        const s = await new TrunkStack(emu, "many").open();
        s.spec = {
            a: { args: full("e2e_a") },
            b: { args: { ...full("e2e_b"), phoneNumbers: [{ phoneNumber: "+918047091300" }] } },
            c: { args: { trunkName: "e2e_c" } },
        };
        s.spec.a.args.phoneNumbers = [{ phoneNumber: "+918047091301" }, { phoneNumber: "+918047091302", mode: "flow" }];
        await s.up();
        const sids = Object.values(await s.outputs()).sort();
        emu.clearLog();
        await s.destroy();
        const lines = emu.requests.map((r) => `${r.method} ${r.url}`);
        expect(lines.sort()).toEqual(sids.map((x) => `DELETE ${T}?trunk_sid=${x}`).sort());
        for (const r of emu.requests) expect(r).toMatchObject({ authScheme: "Basic", authValid: true, status: 200 });
        const left = Object.values(emu.inventory()).reduce(
            (n, a) => n + a.trunks.length + a.numbers.length + a.ips.length + a.destinations.length + a.settings.length,
            0,
        );
        expect(left).toBe(0);
        // The request log of this scenario, for the closing note.

        console.log(`scenario 6 destroy requests:\n${lines.join("\n")}`);
    });

    test("7. GitOps: removing the resource from the program and running up deletes the trunk the same way", async () => {
        const s = await new TrunkStack(emu, "gitops").open();
        s.spec = { keep: { args: { trunkName: "e2e_keep" } }, drop: { args: full("e2e_drop") } };
        await s.up();
        const dropSid = (await s.outputs()).drop;
        delete s.spec.drop;
        emu.clearLog();
        const up = await s.up();
        expect(up.summary.resourceChanges).toMatchObject({ delete: 1 });
        expect(emu.requests.map((r) => `${r.method} ${r.url}`)).toEqual([`DELETE ${T}?trunk_sid=${dropSid}`]);
        await s.destroy();
    });
});

describe("credentials, protect, retainOnDelete and secrets", () => {
    test("8a. destroy works with credentials only in stack config (the program is not run on destroy)", async () => {
        // The provider process inherits this environment: make sure no EXOTEL_* fallback is there.
        const saved = { ...process.env };
        for (const k of Object.keys(process.env)) if (k.startsWith("EXOTEL_")) delete process.env[k];
        try {
            const s = await new TrunkStack(emu, "configonly").open();
            s.spec = { t: { args: { trunkName: "e2e_cfg" } } };
            await s.up();
            const sid = (await s.outputs()).t;
            // A program that would throw if it ran: destroy must not need it.
            s.spec = { t: { args: { trunkName: "does-not-validate" } } };
            emu.clearLog();
            await s.destroy();
            expect(apiCalls(emu)).toEqual([`DELETE ${T}?trunk_sid=<sid>`]);
            expect(emu.requests[0].query.trunk_sid).toBe(sid);
        } finally {
            process.env = saved;
        }
    });

    test("8b. protect: true blocks the delete with the engine's message", async () => {
        const s = await new TrunkStack(emu, "protect").open();
        s.spec = { p: { args: { trunkName: "e2e_protected" }, opts: { protect: true } } };
        await s.up();
        emu.clearLog();
        const err = await s.destroy().catch((e) => e);
        expect(String(err?.message ?? err)).toMatch(/protected/i);
        expect(emu.requests).toHaveLength(0);
        expect(trunksAtExotel().map((t) => t.trunk_name)).toEqual(["e2e_protected"]);
        // Unprotect through the program, then destroy deletes it with the one request.
        s.spec.p.opts = { protect: false };
        await s.up();
        emu.clearLog();
        await s.destroy();
        expect(apiCalls(emu)).toEqual([`DELETE ${T}?trunk_sid=<sid>`]);
        expect(trunksAtExotel()).toEqual([]);
    });

    test("8c. retainOnDelete: true leaves the trunk at Exotel and sends nothing", async () => {
        const s = await new TrunkStack(emu, "retain").open();
        s.spec = { r: { args: { trunkName: "e2e_retained" }, opts: { retainOnDelete: true } } };
        await s.up();
        const sid = (await s.outputs()).r;
        emu.clearLog();
        await s.destroy();
        expect(emu.requests).toHaveLength(0);
        expect(await s.resources()).toHaveLength(0);
        expect(trunksAtExotel().map((t) => t.trunk_sid)).toEqual([sid]);
        emu.store.deleteTrunk(ACC, sid);
    });

    test("9. `pulumi stack export` (secrets not shown) does not contain the API token anywhere", async () => {
        const s = await new TrunkStack(emu, "secrets").open();
        s.spec = { t: { args: full("e2e_secret") } };
        await s.up();
        const exported = s.cliExport();
        expect(exported).toContain('"exotel:apiToken"'); // the engine keeps it, encrypted
        expect(exported).toContain("ciphertext");
        const basic = Buffer.from(`${DEMO_ACCOUNT.apiKey}:${DEMO_ACCOUNT.apiToken}`).toString("base64");
        for (const text of [exported, s.rawBackend(), s.output]) {
            expect(text).not.toContain(DEMO_ACCOUNT.apiToken);
            expect(text).not.toContain(basic);
        }
        // The stored provider is there, and secret-free.
        const r = (await s.resources())[0];
        expect(typeof r.outputs.__provider).toBe("string");
        expect(r.outputs.__provider).not.toContain(DEMO_ACCOUNT.apiToken);
        await s.destroy();
        expect(await inventoryMatchesState(emu, [s])).toEqual({ atExotel: [], inState: [] });
    });
});
