/**
 * No orphan, no loss, through the real engine: a failure injected at each step of create and update,
 * then Exotel's inventory (the emulator) must equal Pulumi's state, attachment by attachment; and a
 * provider killed in the middle of a destroy, then the destroy run again.
 */
import { DEMO_ACCOUNT, Emulator, Fault, startEmulator } from "../emulator";
import { exotelView, stateView } from "./helpers/consistency";
import { TrunkStack } from "./helpers/engine";
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

const full = {
    trunkName: "orphan_test",
    phoneNumbers: [{ phoneNumber: "+918047091234" }, { phoneNumber: "+918047091235", mode: "flow" as const }],
    whitelistedIps: [{ ip: "203.0.113.10" }, { ip: "198.51.100.0", mask: 28 }],
    destinationUris: ["203.0.113.10:5061;transport=tls"],
    callerId: "+918047091234",
};
const bad: Fault = { kind: "status", status: 400, exotelCode: 1002 };

const config = (emuUrl: string) => ({
    "exotel:accountSid": ACC,
    "exotel:apiKey": DEMO_ACCOUNT.apiKey,
    "exotel:baseUrl": emuUrl,
    "exotel:retryBaseDelayMs": "5",
    "exotel:maxRetries": "2",
});

/** [label, method, path part, nth matching call that fails (1-based)] for each step of a create. */
const CREATE_STEPS: [string, string, string, number][] = [
    ["POST /trunks", "POST", "/trunks", 1],
    ["1st whitelisted IP", "POST", "/whitelisted-ips", 1],
    ["2nd whitelisted IP", "POST", "/whitelisted-ips", 2],
    ["destination batch", "POST", "/destination-uris", 1],
    ["1st phone number", "POST", "/phone-numbers", 1],
    ["2nd phone number", "POST", "/phone-numbers", 2],
    ["caller ID", "POST", "/settings", 1],
];

describe.each([
    ["cleanup succeeds", false],
    ["cleanup fails too (partial resource recorded)", true],
])("create fails at each step, %s", (_label, cleanupFails) => {
    test.each(CREATE_STEPS)(
        "at %s: emulator inventory equals state, then up finishes and destroy empties",
        async (_step, method, part, nth) => {
            emu.store.reset();
            emu.faults.clear();
            const s = await new TrunkStack(emu, `c${cleanupFails ? "p" : "c"}${part.replace(/\W/g, "")}${nth}`).open({
                config: config(emu.baseUrl),
                secrets: { "exotel:apiToken": DEMO_ACCOUNT.apiToken },
            });
            s.spec = { t: { args: full } };
            emu.faults.add({ method, path: part, skip: nth - 1, times: 1, fault: bad });
            if (cleanupFails) emu.faults.add({ method: "DELETE", path: "/trunks", times: 1, fault: bad });
            const err = await s.up().catch((e) => e);
            const path = part === "/trunks" ? `/v2/accounts/${ACC}/trunks` : `/v2/accounts/${ACC}/trunks/trmum1\\w+${part}`;
            const failedStep = new RegExp(`Exotel ${method} ${path} failed \\(HTTP 400, code 1002[,)]`);
            const message = String(err?.message ?? "");
            expect(message).toMatch(failedStep);
            if (part === "/trunks") expect(message).not.toMatch(/deleted again|deleting it again/);
            else if (cleanupFails) expect(message).toMatch(/deleting it again also failed: .*The trunk is recorded in the stack state/);
            else expect(message).toMatch(/The new trunk trmum1\w+ was deleted again; nothing was left behind/);
            expect(emu.faults.list()[0].hits).toBe(1);
            expect(await stateView([s])).toEqual(exotelView(emu));
            const trunks = Object.keys(exotelView(emu));
            if (part === "/trunks" || !cleanupFails) expect(trunks).toHaveLength(0);
            else expect(trunks).toHaveLength(1);

            // The next `up` completes the trunk (or creates it), and state still equals Exotel.
            emu.faults.clear();
            await s.up();
            const view = exotelView(emu) as Record<string, { numbers: string[]; ips: string[]; destinations: string[]; callerId: string }>;
            expect(await stateView([s])).toEqual(view);
            const [only] = Object.values(view);
            expect([only.numbers.length, only.ips.length, only.destinations.length, only.callerId]).toEqual([2, 2, 1, "+918047091234"]);
            await s.destroy();
            expect(exotelView(emu)).toEqual({});
            expect(await s.resources()).toHaveLength(0);
        },
    );
});

test("207: one destination of a batch fails during create; nothing is left behind", async () => {
    emu.store.reset();
    const s = await new TrunkStack(emu, "partial207").open({
        config: config(emu.baseUrl),
        secrets: { "exotel:apiToken": DEMO_ACCOUNT.apiToken },
    });
    s.spec = { t: { args: { ...full, destinationUris: ["203.0.113.10:5061;transport=tls", "sip.example.com:5061;transport=tls"] } } };
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

test.each(UPDATE_STEPS)(
    "update fails while %s: state records exactly what Exotel holds; the next up finishes",
    async (_step, method, part) => {
        emu.store.reset();
        emu.faults.clear();
        const s = await new TrunkStack(emu, `u${method}${part.replace(/\W/g, "")}`).open({
            config: config(emu.baseUrl),
            secrets: { "exotel:apiToken": DEMO_ACCOUNT.apiToken },
        });
        s.spec = { t: { args: full } };
        await s.up();
        s.spec.t.args = {
            ...full,
            phoneNumbers: [{ phoneNumber: "+918047091234", mode: "flow" }, { phoneNumber: "+918047091236" }],
            whitelistedIps: [{ ip: "203.0.113.10" }, { ip: "192.0.2.20" }],
            destinationUris: ["192.0.2.20:5060;transport=tcp"],
            callerId: "+918047091236",
        };
        emu.faults.add({ method, path: part, times: 1, fault: bad });
        const err = await s.up().catch((e) => e);
        expect(String(err?.message ?? "")).toMatch(/updating Exotel trunk/);
        expect(await stateView([s])).toEqual(exotelView(emu));
        emu.faults.clear();
        await s.up();
        expect(await stateView([s])).toEqual(exotelView(emu));
        const [only] = Object.values(exotelView(emu)) as { numbers: string[]; destinations: string[]; callerId: string }[];
        expect(only.numbers.map((n) => n.split(":").slice(1).join(":"))).toEqual(["+918047091234:flow", "+918047091236:pstn"]);
        expect(only.callerId).toBe("+918047091236");
        await s.destroy();
        expect(exotelView(emu)).toEqual({});
    },
);

test("the provider killed in the middle of a destroy: running destroy again completes it", async () => {
    emu.store.reset();
    emu.faults.clear();
    const s = await new TrunkStack(emu, "killed").open({
        config: config(emu.baseUrl),
        secrets: { "exotel:apiToken": DEMO_ACCOUNT.apiToken },
    });
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
    const s = await new TrunkStack(emu, "retrylog").open({
        config: config(emu.baseUrl),
        secrets: { "exotel:apiToken": DEMO_ACCOUNT.apiToken },
    });
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
