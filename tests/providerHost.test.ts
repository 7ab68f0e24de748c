import { Emulator } from "../emulator";
import { ACCOUNT, emulator, providerConfig, trunkCount } from "./helpers/emulator";
import { FULL_TRUNK } from "./helpers/provider";
import { DIFF, Host, req, serializedProvider, startHost } from "./helpers/providerHost";

let emu: Emulator;
let host: Host;
let providerText: string;

beforeAll(async () => {
    emu = await emulator();
    providerText = serializedProvider();
    host = await startHost();
});
afterAll(async () => {
    await host?.stop();
    await emu.close();
});

test("the serialized provider holds no credential and requires only npm packages and Node built-ins", () => {
    const cfg = providerConfig(emu);
    expect(providerText).not.toContain(cfg["exotel:apiToken"]);
    expect(providerText).not.toContain(cfg["exotel:apiKey"]);
    const requires = [...providerText.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]).sort();
    expect(requires).toEqual(["@pulumi/pulumi/log/index.js", "axios/dist/node/axios.cjs", "bottleneck/lib/index.js", "http", "https"]);
});

test("Configure/Check/Diff/Create/Read/Update/Delete through the real provider host", async () => {
    await host.call("configure", req.configure({ ...providerConfig(emu), __provider: "ignored" }));

    // Check: normalizes, keeps __provider, sends nothing.
    emu.clearLog();
    const news = { ...FULL_TRUNK, __provider: providerText };
    const checked = (await host.call("check", req.check({}, news))).toObject();
    expect(checked.failuresList).toEqual([]);
    const inputs = (await host.call("check", req.check({}, news))).getInputs().toJavaScript();
    expect(inputs).toMatchObject({ trunkName: "full_trunk", nsoCode: "ANY-ANY", domainName: `${ACCOUNT}.pstn.exotel.com`, __provider: providerText });
    const bad = (await host.call("check", req.check({}, { trunkName: "bad-name", __provider: providerText }))).toObject();
    expect(bad.failuresList).toEqual([{ property: "trunkName", reason: expect.stringContaining("letters") }]);
    expect(emu.requests).toHaveLength(0);

    // Create.
    const created = await host.call("create", req.create(inputs));
    const id: string = created.getId();
    const outs = created.getProperties().toJavaScript();
    expect(id).toMatch(/^trmum1/);
    expect(outs).toMatchObject({ trunkSid: id, accountSid: ACCOUNT, callerId: "+918044556677", __provider: providerText });
    expect(trunkCount(emu)).toBe(1);
    // Nothing but Exotel's own fields was sent.
    for (const r of emu.requests) {
        expect(r.authScheme).toBe("Basic");
        expect(r.authValid).toBe(true);
        const body = JSON.stringify(r.body ?? {});
        expect(body).not.toMatch(/__provider|trunkName|phoneNumbers|whitelistedIps|destinationUris|callerId/);
    }
    const allowedKeys = new Set(["trunk_name", "nso_code", "domain_name", "ip", "mask", "destinations", "destination", "phone_number", "mode", "settings", "name", "value"]);
    const keys = (o: unknown): string[] =>
        o && typeof o === "object" ? Object.entries(o as object).flatMap(([k, v]) => (Array.isArray(o) ? keys(v) : [k, ...keys(v)])) : [];
    for (const r of emu.requests) for (const k of keys(r.body)) expect(allowedKeys.has(k)).toBe(true);

    // Diff: unchanged -> none; mode switch -> some, no replace; rename -> replace.
    const same = await host.call("diff", req.diff(id, outs, inputs));
    expect(same.getChanges()).toBe(DIFF.DIFF_NONE);
    const next = (await host.call("check", req.check(inputs, { ...FULL_TRUNK, phoneNumbers: [{ phoneNumber: "+919876543210", mode: "flow" }], __provider: providerText }))).getInputs().toJavaScript();
    const d2 = await host.call("diff", req.diff(id, outs, next));
    expect(d2.getChanges()).toBe(DIFF.DIFF_SOME);
    expect(d2.getReplacesList()).toEqual([]);
    const renamed = (await host.call("check", req.check(inputs, { ...FULL_TRUNK, trunkName: "renamed", __provider: providerText }))).getInputs().toJavaScript();
    const d3 = await host.call("diff", req.diff(id, outs, renamed));
    expect(d3.getReplacesList()).toEqual(["trunkName"]);
    expect(d3.getDeletebeforereplace()).toBe(true);
    const d4 = await host.call("diff", req.diff(id, outs, { ...inputs, __provider: providerText + "\n// v2" }));
    expect(d4.getChanges()).toBe(DIFF.DIFF_SOME);

    // Update: one number unmapped, one mode switched.
    emu.clearLog();
    const updated = (await host.call("update", req.update(id, outs, next))).getProperties().toJavaScript();
    expect(emu.requests.map((r) => r.method).sort()).toEqual(["DELETE", "PUT"]);
    expect(updated.phoneNumbers).toEqual([{ id: outs.phoneNumbers[0].id, phoneNumber: "+919876543210", mode: "flow" }]);
    expect(updated.trunkSid).toBe(id);

    // Read (refresh) matches what update returned.
    const read = await host.call("read", req.read(id, updated));
    expect(read.getId()).toBe(id);
    expect(read.getProperties().toJavaScript()).toEqual(updated);

    // Delete: exactly the seed's request.
    emu.clearLog();
    await host.call("delete", req.delete(id, updated));
    expect(emu.requests).toHaveLength(1);
    const del = emu.requests[0];
    expect(`${del.method} ${del.url}`).toBe(`DELETE /v2/accounts/${ACCOUNT}/trunks?trunk_sid=${id}`);
    expect(del.authScheme).toBe("Basic");
    expect(del.authUser).toBe(providerConfig(emu)["exotel:apiKey"]);
    expect(del.authValid).toBe(true);
    expect(del.body).toBeUndefined();
    expect(trunkCount(emu)).toBe(0);

    // Read after delete: no id, so the engine drops it.
    const gone = await host.call("read", req.read(id, updated));
    expect(gone.getId()).toBe("");

    // Nothing secret in what the host printed.
    expect(host.stderr() + host.stdout()).not.toContain(providerConfig(emu)["exotel:apiToken"]);
});
