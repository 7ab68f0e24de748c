/** The emulator as users run it: the package bin, persistence, per-account isolation, admin endpoints. */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import axios from "axios";
import { startEmulator } from "../emulator";

const ROOT = path.resolve(__dirname, "..");
const auth = (u: string, p: string) => ({ username: u, password: p });

test("pulumi-exotel-emulator prints its base URL and serves the API; SIGTERM stops it", async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    const bin = path.join(ROOT, pkg.bin["pulumi-exotel-emulator"]);
    expect(fs.readFileSync(bin, "utf8").startsWith("#!/usr/bin/env node")).toBe(true);
    const proc = spawn(process.execPath, [bin, "--account", "acc1:key1:tok1", "--unknown-trunk", "403"], {
        stdio: ["ignore", "pipe", "pipe"],
    });
    const url: string = await new Promise((resolve, reject) => {
        let out = "";
        proc.stdout.on("data", (d) => {
            out += d;
            const m = /^(http:\/\/127\.0\.0\.1:\d+)\s*$/m.exec(out);
            if (m) resolve(m[1]);
        });
        proc.on("exit", (c) => reject(new Error(`exited ${c}`)));
    });
    const ok = await axios.post(
        `${url}/v2/accounts/acc1/trunks`,
        { trunk_name: "cli_t", nso_code: "ANY-ANY", domain_name: "acc1.pstn.exotel.com" },
        { auth: auth("key1", "tok1") },
    );
    expect(ok.data.response.data.trunk_name).toBe("cli_t");
    const gone = await axios.delete(`${url}/v2/accounts/acc1/trunks?trunk_sid=trmum1nope`, {
        auth: auth("key1", "tok1"),
        validateStatus: () => true,
    });
    expect([gone.status, gone.data.response.error_data.code]).toEqual([403, 1003]);
    const log = await axios.get(`${url}/__emulator/requests`);
    expect(log.data.map((r: { method: string }) => r.method)).toEqual(["POST", "DELETE"]);
    const exited = new Promise((r) => proc.on("exit", r));
    proc.kill("SIGTERM");
    await exited;
});

test("persistence: state survives a restart", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "emu-")), "state.json");
    const a = await startEmulator({ persistPath: file });
    a.store.createTrunk("demo_account", { trunk_name: "kept", nso_code: "ANY-ANY", domain_name: "demo_account.pstn.exotel.com" });
    await a.close();
    const b = await startEmulator({ persistPath: file });
    expect(b.inventory("demo_account").demo_account.trunks.map((t) => t.trunk_name)).toEqual(["kept"]);
    await b.close();
});

test("accounts are isolated: a key cannot reach another account, and trunks are per account", async () => {
    const emu = await startEmulator({ accounts: { a1: { apiKey: "k1", apiToken: "t1" }, a2: { apiKey: "k2", apiToken: "t2" } } });
    const body = { trunk_name: "same_name", nso_code: "ANY-ANY", domain_name: "x.pstn.exotel.com" };
    await axios.post(`${emu.baseUrl}/v2/accounts/a1/trunks`, body, { auth: auth("k1", "t1") });
    const second = await axios.post(`${emu.baseUrl}/v2/accounts/a2/trunks`, body, { auth: auth("k2", "t2") });
    expect(second.data.response.status).toBe("success");
    const cross = await axios.get(`${emu.baseUrl}/v2/accounts/a2/trunks`, { auth: auth("k1", "t1"), validateStatus: () => true });
    expect([cross.status, cross.data.response.error_data.code]).toEqual([401, 1010]);
    expect(emu.requests.at(-1)).toMatchObject({ authUser: "k1", authValid: false });
    expect(JSON.stringify(emu.requests)).not.toContain("t1");
    await emu.close();
});

test("Exotel's request rules: JSON content type (415/1011), malformed JSON (400/1007), trailing .json tolerated", async () => {
    const emu = await startEmulator();
    const a = auth("demo_key", "demo_token_not_secret");
    const plain = await axios.post(`${emu.baseUrl}/v2/accounts/demo_account/trunks`, "trunk_name=x", {
        auth: a,
        headers: { "Content-Type": "text/plain" },
        validateStatus: () => true,
    });
    expect([plain.status, plain.data.response.error_data]).toEqual([
        415,
        { code: 1011, message: "unsupported content type", description: "text/plain" },
    ]);
    const broken = await axios.post(`${emu.baseUrl}/v2/accounts/demo_account/trunks`, '{"trunk_name":', {
        auth: a,
        headers: { "Content-Type": "application/json" },
        transformRequest: [(d) => d],
        validateStatus: () => true,
    });
    expect([broken.status, broken.data.response.error_data.code]).toEqual([400, 1007]);
    const list = await axios.get(`${emu.baseUrl}/v2/accounts/demo_account/trunks.json`, { auth: a });
    expect(list.data.response).toEqual([]);
    await emu.close();
});

test("a fault aimed at one trunk (trunkName) hits only that trunk's requests: its create, paths and delete by sid; skip counts its own", async () => {
    const emu = await startEmulator();
    const a = auth("demo_key", "demo_token_not_secret");
    const api = `${emu.baseUrl}/v2/accounts/demo_account`;
    const opts = { auth: a, validateStatus: () => true };
    const create = (name: string) =>
        axios.post(`${api}/trunks`, { trunk_name: name, nso_code: "ANY-ANY", domain_name: "demo_account.pstn.exotel.com" }, opts);
    const bad = { kind: "status" as const, status: 400, exotelCode: 1002 };
    emu.faults.add({ method: "POST", path: "/trunks", trunkName: "c_trunk", times: 1, fault: bad });
    emu.faults.add({ method: "POST", path: "/whitelisted-ips", trunkName: "b_trunk", skip: 1, times: 1, fault: bad });
    emu.faults.add({ method: "DELETE", path: "/trunks", trunkName: "a_trunk", times: 1, fault: bad });
    const [ra, rb, rc] = [await create("a_trunk"), await create("b_trunk"), await create("c_trunk")];
    expect([ra.status, rb.status, rc.status]).toEqual([200, 200, 400]);
    const sid = (r: typeof ra) => (r.data as { response: { data: { trunk_sid: string } } }).response.data.trunk_sid;
    const ip = (trunk: string, n: number) => axios.post(`${api}/trunks/${trunk}/whitelisted-ips`, { ip: `203.0.113.${n}`, mask: 32 }, opts);
    // a_trunk's IPs pass; b_trunk's first passes (skipped), its second fails, its third passes.
    const statuses = [];
    for (const [t, n] of [
        [sid(ra), 1],
        [sid(rb), 2],
        [sid(ra), 3],
        [sid(rb), 4],
        [sid(rb), 5],
    ] as const)
        statuses.push((await ip(t, n)).status);
    expect(statuses).toEqual([200, 200, 200, 400, 200]);
    // The delete of b_trunk passes; a_trunk's (by its sid in the query) fails once, then passes.
    const del = async (s: string) => (await axios.delete(`${api}/trunks?trunk_sid=${s}`, opts)).status;
    expect([await del(sid(rb)), await del(sid(ra)), await del(sid(ra))]).toEqual([200, 400, 200]);
    expect(emu.faults.list().map((f) => f.hits)).toEqual([1, 1, 1]);
    expect(emu.inventory().demo_account.trunks).toEqual([]);
    await emu.close();
});

test("token rotation: after setAccountToken (or POST /__emulator/accounts) only the new token is accepted; an out-of-band delete leaves nothing", async () => {
    const emu = await startEmulator({ accounts: { a1: { apiKey: "k1", apiToken: "old_tok" } } });
    const list = (tok: string) => axios.get(`${emu.baseUrl}/v2/accounts/a1/trunks`, { auth: auth("k1", tok), validateStatus: () => true });
    expect((await list("old_tok")).status).toBe(200);
    emu.setAccountToken("a1", "new_tok");
    expect([(await list("old_tok")).status, (await list("new_tok")).status]).toEqual([401, 200]);
    const rotated = await axios.post(`${emu.baseUrl}/__emulator/accounts`, { accountSid: "a1", apiToken: "newer_tok" });
    expect(JSON.stringify(rotated.data)).not.toContain("newer_tok");
    expect([(await list("new_tok")).status, (await list("newer_tok")).status]).toEqual([401, 200]);
    const unknown = await axios.post(
        `${emu.baseUrl}/__emulator/accounts`,
        { accountSid: "nope", apiToken: "x" },
        { validateStatus: () => true },
    );
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(emu.requests)).not.toMatch(/old_tok|new_tok|newer_tok/);
    // A trunk deleted out of band (not through the API): gone from the account, no request logged.
    const made = emu.store.createTrunk("a1", { trunk_name: "oob", nso_code: "ANY-ANY", domain_name: "a1.pstn.exotel.com" });
    const sid = (made.body as { response: { data: { trunk_sid: string } } }).response.data.trunk_sid;
    emu.clearLog();
    emu.store.deleteTrunk("a1", sid);
    expect([emu.inventory("a1").a1.trunks, emu.requests]).toEqual([[], []]);
    await emu.close();
});

test("latency: setLatency (or POST /__emulator/options {latencyMs}) delays every answer; the log keeps each request's arrival time", async () => {
    const emu = await startEmulator();
    const a = auth("demo_key", "demo_token_not_secret");
    const timed = async () => {
        const t0 = Date.now();
        await axios.get(`${emu.baseUrl}/v2/accounts/demo_account/trunks`, { auth: a });
        return Date.now() - t0;
    };
    emu.setLatency(300);
    const sent = Date.now();
    expect(await timed()).toBeGreaterThanOrEqual(290);
    // The logged time is when the request arrived, not when it was answered.
    expect(Date.parse(emu.requests[0].time) - sent).toBeLessThan(200);
    await axios.post(`${emu.baseUrl}/__emulator/options`, { latencyMs: 0 });
    expect(await timed()).toBeLessThan(200);
    expect((await axios.post(`${emu.baseUrl}/__emulator/options`, { latencyMs: -1 }, { validateStatus: () => true })).status).toBe(400);
    expect(() => emu.setLatency(-5)).toThrow(/>= 0/);
    await emu.close();
});
