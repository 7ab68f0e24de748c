import { Emulator } from "../emulator";
import { ACCOUNT, emulator, providerConfig, trunkCount } from "./helpers/emulator";
import { FULL_TRUNK } from "./helpers/provider";
import { DIFF, Host, req, startHost, StoredTrunk, storedTrunk } from "./helpers/providerHost";

let emu: Emulator;
let host: Host;
let providerText: string;
let stored: StoredTrunk;
/** A trunk's own account (its `connection` argument), beside the stack's `exotel:*` config. */
const CONNECTION = { accountSid: "conn_account", apiKey: "conn-key-5f1e", apiToken: "conn-token-9c3a7d", region: "mumbai" };

beforeAll(async () => {
    emu = await emulator();
    // Serialized in a program that holds credentials twice: in the stack config (the token a secret, as
    // `pulumi config set --secret` leaves it) and in the trunk's `connection`.
    stored = await storedTrunk(providerConfig(emu), ["exotel:apiToken"], { connection: CONNECTION });
    providerText = stored.providerText;
    host = await startHost();
    await host.call("configure", req.configure(providerConfig(emu)));
});
afterAll(async () => {
    await host?.stop();
    await emu.close();
});

test("the serialized provider is a small proxy: no credential, loads pulumi-exotel at run time", () => {
    const cfg = providerConfig(emu);
    // The program had every credential (the resource's inputs carry its connection, token and all), and the
    // proxy stored beside them holds none: neither the stack config's nor the connection's.
    expect(stored.inputs.connection).toMatchObject({ value: CONNECTION }); // kept as a secret
    expect(providerText).not.toContain(cfg["exotel:apiToken"]);
    expect(providerText).not.toContain(cfg["exotel:apiKey"]);
    expect(providerText).not.toContain(CONNECTION.apiToken);
    expect(providerText).not.toContain(CONNECTION.apiKey);
    expect(providerText).not.toContain(CONNECTION.accountSid);
    // Stored in every resource's inputs and outputs: pinned at 2 KiB (far below the 64 KiB a gRPC error
    // trailer can carry, where partially created resources travel). One serialized hook: `configure`.
    expect(Buffer.byteLength(providerText)).toBeLessThanOrEqual(2048);
    expect([...providerText.matchAll(/^function __f\d+/gm)]).toHaveLength(3);
    // Only Node built-ins are required by name; the implementation is resolved from the project
    // directory as `pulumi-exotel/runtime` (never a deep path into the package: its exports map refuses those).
    const requires = [...new Set([...providerText.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]))].sort();
    expect(requires).toEqual(["module", "path"]);
    expect(providerText).toContain('"pulumi-exotel/runtime"');
    expect(providerText).not.toMatch(/pulumi-exotel\/dist/);
});

test("Configure/Check/Diff/Create/Read/Update/Delete through the real provider host", async () => {
    await host.call("configure", req.configure({ ...providerConfig(emu), __provider: "ignored" }));

    // Check: normalizes, keeps __provider, sends nothing.
    emu.clearLog();
    const news = { ...FULL_TRUNK, __provider: providerText };
    const checked = await host.call("check", req.check({}, news));
    expect(checked.toObject().failuresList).toEqual([]);
    const inputs = checked.getInputs().toJavaScript();
    expect(inputs).toMatchObject({
        trunkName: "full_trunk",
        nsoCode: "ANY-ANY",
        domainName: `${ACCOUNT}.pstn.exotel.com`,
        __provider: providerText,
    });
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
    const allowedKeys = new Set([
        "trunk_name",
        "nso_code",
        "domain_name",
        "ip",
        "mask",
        "destinations",
        "destination",
        "phone_number",
        "mode",
        "settings",
        "name",
        "value",
    ]);
    const keys = (o: unknown): string[] =>
        o && typeof o === "object" ? Object.entries(o).flatMap(([k, v]) => (Array.isArray(o) ? keys(v) : [k, ...keys(v)])) : [];
    for (const r of emu.requests) for (const k of keys(r.body)) expect(allowedKeys.has(k)).toBe(true);

    // Diff: unchanged -> none; mode switch -> some, no replace; rename -> replace.
    const same = await host.call("diff", req.diff(id, outs, inputs));
    expect(same.getChanges()).toBe(DIFF.DIFF_NONE);
    const next = (
        await host.call(
            "check",
            req.check(inputs, { ...FULL_TRUNK, phoneNumbers: [{ phoneNumber: "+919876543210", mode: "flow" }], __provider: providerText }),
        )
    )
        .getInputs()
        .toJavaScript();
    const d2 = await host.call("diff", req.diff(id, outs, next));
    expect(d2.getChanges()).toBe(DIFF.DIFF_SOME);
    expect(d2.getReplacesList()).toEqual([]);
    const renamed = (await host.call("check", req.check(inputs, { ...FULL_TRUNK, trunkName: "renamed", __provider: providerText })))
        .getInputs()
        .toJavaScript();
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

describe("errors through the real host keep their class, message and partial state", () => {
    afterEach(() => emu.faults.clear()); // whatever a test's outcome, no fault outlives it
    const statusproto = require("@pulumi/pulumi/proto/status_pb");
    const provproto = require("@pulumi/pulumi/proto/provider_pb");

    test("a duplicate trunk name reports Exotel's conflict, with code and request id", async () => {
        emu.store.reset();
        await host.call("configure", req.configure(providerConfig(emu)));
        const inputs = (await host.call("check", req.check({}, { trunkName: "dup_trunk", __provider: providerText })))
            .getInputs()
            .toJavaScript();
        await host.call("create", req.create(inputs));
        const err = await host.call("create", req.create(inputs)).catch((e) => e);
        expect(err.details).toMatch(
            /^Exotel POST \/v2\/accounts\/demo_account\/trunks failed \(HTTP 200, response.code 409, code 1008, request_id [0-9a-f]{32}\): Duplicate resource: Unable to create trunk with name dup_trunk$/,
        );
    });

    test("create whose cleanup fails returns ErrorResourceInitFailed with id and properties (incl. __provider)", async () => {
        emu.store.reset();
        emu.faults.add({ method: "POST", path: "/phone-numbers", times: 1, fault: { kind: "status", status: 400, exotelCode: 1002 } });
        emu.faults.add({ method: "DELETE", path: "/trunks", times: 1, fault: { kind: "status", status: 400, exotelCode: 1002 } });
        const inputs = (await host.call("check", req.check({}, { ...FULL_TRUNK, __provider: providerText }))).getInputs().toJavaScript();
        const err = await host.call("create", req.create(inputs)).catch((e) => e);
        expect(err.details).toMatch(/mapping phone number \+919876543210 failed.*deleting it again also failed/);
        const bin = err.metadata.get("grpc-status-details-bin")[0];
        const status = statusproto.Status.deserializeBinary(bin);
        const detail = provproto.ErrorResourceInitFailed.deserializeBinary(status.getDetailsList()[0].getValue());
        const props = detail.getProperties().toJavaScript();
        const sid = detail.getId();
        expect(sid).toMatch(/^trmum1/);
        expect(props).toMatchObject({ trunkSid: sid, __provider: providerText, destinationUris: ["203.0.113.10:5061;transport=tls"] });
        expect(props.phoneNumbers).toEqual([]);
        expect(trunkCount(emu)).toBe(1);
    });
});
