/**
 * No orphan, no loss, through the real engine: a failure injected at each step of create and update,
 * then Exotel's inventory (the emulator) must equal Pulumi's state, attachment by attachment; and a
 * provider killed in the middle of a destroy, then the destroy run again.
 */
import { DEMO_ACCOUNT, Emulator, Fault, startEmulator } from "../emulator";
import { exotelView, stateView } from "./helpers/consistency";
import { TrunkStack, UNTHROTTLED } from "./helpers/engine";
import { providerPids } from "../testing/engine";

jest.setTimeout(600_000);
const ACC = DEMO_ACCOUNT.accountSid;

let emu: Emulator;
beforeAll(async () => {
    emu = await startEmulator();
});
afterAll(async () => {
    await emu.close();
});

/** The full trunk of row `i`: every kind of attachment, each value its own (numbers are unique per account). */
const fullTrunk = (i: number, trunkName: string) => {
    const first = `+9180470${91200 + i * 10}`;
    return {
        trunkName,
        phoneNumbers: [{ phoneNumber: first }, { phoneNumber: `+9180470${91201 + i * 10}`, mode: "flow" as const }],
        whitelistedIps: [{ ip: `203.0.113.${10 + i}` }, { ip: `198.51.100.${16 * i}`, mask: 28 }],
        destinationUris: [`203.0.113.${10 + i}:5061;transport=tls`],
        callerId: first,
    };
};
const bad: Fault = { kind: "status", status: 400, exotelCode: 1002 };

const config = (emuUrl: string) => ({
    "exotel:accountSid": ACC,
    "exotel:apiKey": DEMO_ACCOUNT.apiKey,
    "exotel:baseUrl": emuUrl,
    "exotel:retryBaseDelayMs": "5",
    "exotel:maxRetries": "2",
    ...UNTHROTTLED,
});

/** A new stack on the emulator, retries quick (5 ms base, 2 retries). */
const openStack = (name: string) =>
    new TrunkStack(emu, name).open({ config: config(emu.baseUrl), secrets: { "exotel:apiToken": DEMO_ACCOUNT.apiToken } });

/** [label, method, path part, nth of that trunk's matching calls that fails (1-based)] for each step of a create. */
const CREATE_STEPS: [string, string, string, number][] = [
    ["POST /trunks", "POST", "/trunks", 1],
    ["1st whitelisted IP", "POST", "/whitelisted-ips", 1],
    ["2nd whitelisted IP", "POST", "/whitelisted-ips", 2],
    ["destination batch", "POST", "/destination-uris", 1],
    ["1st phone number", "POST", "/phone-numbers", 1],
    ["2nd phone number", "POST", "/phone-numbers", 2],
    ["caller ID", "POST", "/settings", 1],
];

type View = Record<string, { trunkName: string; numbers: string[]; ips: string[]; destinations: string[]; callerId: string | null }>;
const byName = (v: Record<string, unknown>) => Object.fromEntries(Object.values(v as View).map((t) => [t.trunkName, t]));

// One stack holds a trunk per step, each with a fault aimed at it (the emulator's `trunkName`): one `up`
// fails every step at once (`--continue-on-error`, so the engine tries every trunk), instead of a stack
// and three engine runs per step. Each trunk's own error, cleanup and state are checked separately.
describe.each([
    ["cleanup succeeds", false],
    ["cleanup fails too (partial resource recorded)", true],
])("create fails at each step, %s", (_label, cleanupFails) => {
    test("at every step: the error names the step, the emulator inventory equals state; then up finishes and destroy empties", async () => {
        emu.store.reset();
        emu.faults.clear();
        const v = cleanupFails ? "cp" : "cc";
        const s = await openStack(`create${v}`);
        const names = CREATE_STEPS.map((_, i) => `${v}_step${i}`);
        s.spec = Object.fromEntries(names.map((n, i) => [n, { args: fullTrunk(i, n) }]));
        CREATE_STEPS.forEach(([, method, part, nth], i) => {
            emu.faults.add({ method, path: part, trunkName: names[i], skip: nth - 1, times: 1, fault: bad });
            if (cleanupFails) emu.faults.add({ method: "DELETE", path: "/trunks", trunkName: names[i], times: 1, fault: bad });
        });
        await expect(s.up({ continueOnError: true })).rejects.toThrow();

        CREATE_STEPS.forEach(([step, method, part], i) => {
            const message = (s.errors[names[i]] ?? []).join("\n");
            const path = part === "/trunks" ? `/v2/accounts/${ACC}/trunks` : `/v2/accounts/${ACC}/trunks/trmum1\\w+${part}`;
            expect({ step, message }).toEqual({
                step,
                message: expect.stringMatching(new RegExp(`Exotel ${method} ${path} failed \\(HTTP 400, code 1002[,)]`)),
            });
            if (part === "/trunks") expect(message).not.toMatch(/deleted again|deleting it again/);
            else if (cleanupFails) expect(message).toMatch(/deleting it again also failed: .*The trunk is recorded in the stack state/);
            else expect(message).toMatch(/The new trunk trmum1\w+ was deleted again; nothing was left behind/);
        });
        // Each step's fault met its own trunk once (a cleanup DELETE only after a trunk was made).
        expect(emu.faults.list().map((f) => [f.rule.trunkName, f.rule.method, f.hits])).toEqual(
            CREATE_STEPS.flatMap(([, method, part], i) => [
                [names[i], method, 1],
                ...(cleanupFails ? [[names[i], "DELETE", part === "/trunks" ? 0 : 1]] : []),
            ]),
        );
        expect(await stateView([s])).toEqual(exotelView(emu));
        const left = Object.keys(byName(exotelView(emu))).sort();
        expect(left).toEqual(cleanupFails ? names.slice(1) : []);

        // The next `up` completes each trunk (or creates it), and state still equals Exotel.
        emu.faults.clear();
        await s.up();
        const view = exotelView(emu);
        expect(await stateView([s])).toEqual(view);
        const trunks = byName(view);
        expect(Object.keys(trunks).sort()).toEqual(names);
        names.forEach((n, i) => {
            const t = trunks[n];
            expect([n, t.numbers.length, t.ips.length, t.destinations.length, t.callerId]).toEqual([n, 2, 2, 1, fullTrunk(i, n).callerId]);
        });
        await s.destroy();
        expect(exotelView(emu)).toEqual({});
        expect(await s.resources()).toHaveLength(0);
    });
});

test("207: one destination of a batch fails during create; nothing is left behind", async () => {
    emu.store.reset();
    emu.faults.clear();
    const s = await openStack("partial207");
    s.spec = {
        t: {
            args: {
                ...fullTrunk(0, "orphan_test"),
                destinationUris: ["203.0.113.10:5061;transport=tls", "sip.example.com:5061;transport=tls"],
            },
        },
    };
    emu.faults.add({ method: "POST", path: "/destination-uris", times: 1, fault: { kind: "partial", failIndexes: [1] } });
    const err = await s.up().catch((e) => e);
    expect(String(err.message)).toMatch(/failed for 1 of 2 item\(s\): sip\.example\.com:5061;transport=tls/);
    expect(exotelView(emu)).toEqual({});
    expect(await s.resources()).toHaveLength(0);
});

const UPDATE_STEPS: [string, string, string][] = [
    ["removing the old destination", "DELETE", "/destination-uris"],
    ["removing the old IP", "DELETE", "/whitelisted-ips"],
    ["adding the new IP", "POST", "/whitelisted-ips"],
    ["adding the new destination", "POST", "/destination-uris"],
    ["unmapping a number", "DELETE", "/phone-numbers"],
    ["switching a mode", "PUT", "/phone-numbers"],
    ["mapping a number", "POST", "/phone-numbers"],
    ["changing the caller ID", "POST", "/settings"],
];

test("update fails at each step: state records exactly what Exotel holds; the next up finishes", async () => {
    emu.store.reset();
    emu.faults.clear();
    const s = await openStack("updates");
    const names = UPDATE_STEPS.map((_, i) => `upd_step${i}`);
    s.spec = Object.fromEntries(names.map((n, i) => [n, { args: fullTrunk(i, n) }]));
    await s.up();
    // Every trunk: one number's mode switched, one unmapped, one mapped; an IP and the destination replaced; a new caller ID.
    const changed = (i: number, n: string) => {
        const t = fullTrunk(i, n);
        const added = `+9180470${91209 + i * 10}`;
        return {
            ...t,
            phoneNumbers: [{ phoneNumber: t.phoneNumbers[0].phoneNumber, mode: "flow" as const }, { phoneNumber: added }],
            whitelistedIps: [t.whitelistedIps[0], { ip: `192.0.2.${20 + i}` }],
            destinationUris: [`192.0.2.${20 + i}:5060;transport=tcp`],
            callerId: added,
        };
    };
    names.forEach((n, i) => (s.spec[n].args = changed(i, n)));
    UPDATE_STEPS.forEach(([, method, part], i) => emu.faults.add({ method, path: part, trunkName: names[i], times: 1, fault: bad }));
    await expect(s.up({ continueOnError: true })).rejects.toThrow();
    UPDATE_STEPS.forEach(([step], i) => {
        expect({ step, errors: s.errors[names[i]] }).toEqual({ step, errors: [expect.stringMatching(/updating Exotel trunk/)] });
    });
    expect(emu.faults.list().map((f) => f.hits)).toEqual(UPDATE_STEPS.map(() => 1));
    expect(await stateView([s])).toEqual(exotelView(emu));
    emu.faults.clear();
    await s.up();
    expect(await stateView([s])).toEqual(exotelView(emu));
    const trunks = byName(exotelView(emu));
    names.forEach((n, i) => {
        const want = changed(i, n);
        expect([n, trunks[n].numbers.map((x) => x.split(":").slice(1).join(":")), trunks[n].callerId]).toEqual([
            n,
            [`${want.phoneNumbers[0].phoneNumber}:flow`, `${want.phoneNumbers[1].phoneNumber}:pstn`].sort(),
            want.callerId,
        ]);
    });
    await s.destroy();
    expect(exotelView(emu)).toEqual({});
});

test("the provider killed in the middle of a destroy: running destroy again completes it", async () => {
    emu.store.reset();
    emu.faults.clear();
    const s = await openStack("killed");
    s.spec = Object.fromEntries(Array.from({ length: 4 }, (_, i) => [`k${i}`, { args: { trunkName: `killed_${i}` } }]));
    await s.up();
    // Exotel deletes the first trunk but its answer never comes; meanwhile the provider process dies.
    emu.faults.add({ method: "DELETE", path: "/trunks", times: 1, when: "after", fault: { kind: "hang", ms: 60_000 } });
    emu.clearLog();
    const destroying = s.destroy().then(
        () => "finished",
        (e) => `failed: ${String(e?.message ?? e).slice(0, 200)}`,
    );
    const t0 = Date.now();
    while (!emu.requests.some((r) => r.method === "DELETE") && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 20));
    const pids = providerPids(s.dirs.workDir);
    expect(pids.length).toBeGreaterThan(0);
    for (const pid of pids) process.kill(pid, "SIGKILL");
    expect(await destroying).toMatch(/^failed/);
    const atExotel = Object.keys(exotelView(emu)).length;
    const inState = (await s.resources()).length;
    expect(atExotel).toBeLessThan(4); // the hung DELETE was carried out at Exotel
    expect(inState).toBeGreaterThan(atExotel); // ...but the engine never heard of it
    emu.faults.clear();
    emu.clearLog();
    await s.destroy();
    expect(exotelView(emu)).toEqual({});
    expect(await s.resources()).toHaveLength(0);
    // One DELETE per trunk still in state; those already gone answered 404 and counted as deleted.
    expect(emu.requests.filter((r) => r.method === "DELETE")).toHaveLength(inState);
    expect(emu.requests.filter((r) => r.status === 404)).toHaveLength(inState - atExotel);
    expect(s.output).toMatch(/was already gone at Exotel \(404\/1000\)/);
});

test("a destroy that meets 503s waits, says why in Pulumi's output, and completes with no orphan", async () => {
    emu.store.reset();
    emu.faults.clear();
    const s = await openStack("retrylog");
    s.spec = { t: { args: { trunkName: "retry_log" } } };
    await s.up();
    emu.faults.add({ method: "DELETE", path: "/trunks", times: 2, fault: { kind: "status", status: 503, retryAfter: "0.2" } });
    emu.clearLog();
    await s.destroy();
    expect(emu.requests.filter((r) => r.method === "DELETE").map((r) => r.status)).toEqual([503, 503, 200]);
    expect(s.output).toMatch(
        /\[exotel\] DELETE \/v2\/accounts\/demo_account\/trunks\?trunk_sid=trmum1\w+: attempt 1 failed \(.*HTTP 503.*\); retrying in 0\.2 s/,
    );
    expect(s.output).toMatch(/attempt 2 failed/);
    // What users see in the log holds no credential.
    expect(s.output).not.toContain(DEMO_ACCOUNT.apiToken);
    expect(s.output).not.toContain(Buffer.from(`${DEMO_ACCOUNT.apiKey}:${DEMO_ACCOUNT.apiToken}`).toString("base64"));
    expect(exotelView(emu)).toEqual({});
    expect(await s.resources()).toHaveLength(0);
});
