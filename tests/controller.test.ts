/**
 * The trunk controller against the emulator over HTTP (cancel, deadlines, a trunk deleted out of band,
 * refused credentials, previews), and the plugin's pure parts around it: the wire codec, the command line,
 * the provider's own CheckConfig / DiffConfig.
 */
import { DEMO_ACCOUNT, Emulator, startEmulator } from "../emulator";
import { Accounts } from "../provider/engine/accounts";
import { TrunkController } from "../provider/engine/trunkController";
import { ResourceStateError } from "../provider/errors/ResourceStateError";
import { engineAddress } from "../provider/plugin/args";
import { decode, encode, SECRET_SIG, SIG } from "../provider/plugin/codec";
import { checkConfig, configGetter, diffConfig } from "../provider/plugin/providerConfig";
import { TrunkWire } from "../provider/plugin/trunkWire";
import { NormalizedInputs, TrunkOutputs } from "../provider/trunkTypes";
import { UNKNOWN, UNKNOWN_SENTINEL } from "../provider/unknown";

const secret = (value: unknown) => ({ [SIG]: SECRET_SIG, value });

let emu: Emulator;
const logs: string[] = [];

function controller(settings: Record<string, string> = {}): TrunkController {
    const accounts = new Accounts((level, text, urn) => logs.push(`${level} ${urn ?? "-"} ${text}`));
    accounts.configure(configGetter({ ...DEMO_ACCOUNT, baseUrl: emu.baseUrl, retryBaseDelayMs: "5", ...settings }));
    return new TrunkController(accounts, "plugin");
}

function trunk(name: string, extra: Partial<NormalizedInputs> = {}): NormalizedInputs {
    return {
        trunkName: name,
        nsoCode: "ANY-ANY",
        domainName: `${DEMO_ACCOUNT.accountSid}.pstn.exotel.com`,
        phoneNumbers: [
            { phoneNumber: "+919876543210", mode: "pstn" },
            { phoneNumber: "+919876543211", mode: "flow" },
        ],
        whitelistedIps: [
            { ip: "203.0.113.10", mask: 32 },
            { ip: "203.0.113.11", mask: 32 },
        ],
        destinationUris: ["sip.example.com:5061;transport=tls"],
        callerId: "+919876543210",
        ...extra,
    };
}

const trunksAtExotel = () => emu.inventory(DEMO_ACCOUNT.accountSid)[DEMO_ACCOUNT.accountSid]?.trunks ?? [];

beforeEach(async () => {
    emu = await startEmulator();
    logs.length = 0;
});
afterEach(() => emu.close());

describe("cancel (Pulumi's Cancel, after Ctrl-C)", () => {
    test("during a create: no request starts after it, no rollback; the trunk comes back as partial state for the next up", async () => {
        emu.setLatency(150);
        const ctl = controller();
        const abort = new AbortController();
        // Cancel once the trunk exists and its attachments are being added.
        const timer = setInterval(() => {
            if (emu.requests.some((r) => r.method === "POST" && /whitelisted-ips|phone-numbers/.test(r.url))) abort.abort();
        }, 5);
        const err = await ctl.create(trunk("cancelled"), { signal: abort.signal, urn: "urn:t" }).catch((e: unknown) => e);
        clearInterval(timer);
        const cancelledAt = Date.now();
        expect(err).toBeInstanceOf(ResourceStateError);
        const partial = err as ResourceStateError;
        expect(partial.message).toMatch(/was cancelled.*recorded in the stack's state.*`pulumi up` finishes it/);
        expect(trunksAtExotel().map((t) => t.trunk_sid)).toEqual([partial.id]);
        expect(emu.requests.filter((r) => r.method === "DELETE")).toEqual([]);
        // What state records is what Exotel has.
        const held = emu.inventory(DEMO_ACCOUNT.accountSid)[DEMO_ACCOUNT.accountSid];
        expect(partial.properties.phoneNumbers.map((n) => n.phoneNumber).sort()).toEqual(held.numbers.map((n) => n.phone_number).sort());
        expect(partial.properties.whitelistedIps.map((w) => w.ip).sort()).toEqual(held.ips.map((w) => w.ip).sort());
        // Nothing was sent after the cancel (requests in flight then were answered): wait, then count.
        const sent = emu.requests.length;
        await new Promise((r) => setTimeout(r, 500));
        expect(emu.requests.length).toBe(sent);
        expect(Date.parse(emu.requests[emu.requests.length - 1].time)).toBeLessThanOrEqual(cancelledAt);
    });

    test("a request waiting for the rate limiter is dropped at once, never sent", async () => {
        const ctl = controller({ rateLimitRequestsPerWindow: "2", rateLimitWindowMs: "60000", rateLimitBurst: "2" });
        const abort = new AbortController();
        const started = Date.now();
        const op = ctl.create(trunk("limited"), { signal: abort.signal }).catch((e: unknown) => e);
        setTimeout(() => abort.abort(), 300);
        const err = (await op) as Error;
        expect(Date.now() - started).toBeLessThan(3000);
        expect(err.message).toMatch(/cancelled/);
        expect(emu.requests.length).toBeLessThanOrEqual(2);
    });
});

test("a deadline (customTimeouts) ends a delete Exotel never answers after about that long; the trunk stays", async () => {
    const ctl = controller();
    const { id, outs } = await ctl.create(trunk("slowdel"), {});
    emu.faults.add({ method: "DELETE", path: "/trunks", times: 100, fault: { kind: "hang", ms: 30_000 } });
    const started = Date.now();
    const err = (await ctl.delete(id, outs as TrunkOutputs, { deadline: Date.now() + 1500 }).catch((e: unknown) => e)) as Error;
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(1400);
    expect(took).toBeLessThan(5000);
    expect(err.message).toMatch(/timed out|deadline/);
    expect(err.message).toMatch(/NOT deleted/);
    expect(trunksAtExotel().map((t) => t.trunk_sid)).toEqual([id]);
});

test("an update of a trunk deleted out of band says to run pulumi refresh", async () => {
    const ctl = controller();
    const { id, outs } = await ctl.create(trunk("gone"), {});
    emu.store.deleteTrunk(DEMO_ACCOUNT.accountSid, id);
    const err = (await ctl
        .update(id, outs as TrunkOutputs, trunk("gone", { callerId: "+919876543211" }), {})
        .catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/no longer exists at Exotel.*`pulumi refresh` \(or `pulumi up --refresh`\)/);
    expect(err).not.toBeInstanceOf(ResourceStateError);
});

test("refused credentials on create name the settings to fix; nothing is created", async () => {
    const ctl = controller({ apiToken: "wrong_token_value_1" });
    const err = (await ctl.create(trunk("badauth"), {}).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/refused the credentials.*exotel:apiKey \/ exotel:apiToken/);
    expect(err.message).not.toContain("wrong_token_value_1");
    expect(trunksAtExotel()).toEqual([]);
});

test("previews send nothing; unknown inputs give unknown outputs; log lines carry the resource's URN", async () => {
    const ctl = controller();
    const { id, outs } = await ctl.create(trunk("pv"), {});
    emu.clearLog();
    const created = await ctl.create({ ...trunk("pv2"), whitelistedIps: UNKNOWN }, { preview: true });
    expect(created.id).toBe("");
    expect(created.outs.trunkSid).toBe(UNKNOWN);
    const updated = await ctl.update(id, outs as TrunkOutputs, { ...trunk("pv"), phoneNumbers: UNKNOWN }, { preview: true });
    expect(updated.trunkSid).toBe(id);
    expect(updated.phoneNumbers).toBe(UNKNOWN);
    expect(updated.whitelistedIps).toEqual((outs as TrunkOutputs).whitelistedIps);
    expect(ctl.diff(outs as TrunkOutputs, { ...trunk("pv"), phoneNumbers: UNKNOWN }).changed).toEqual(["phoneNumbers"]);
    expect(emu.requests).toEqual([]);
    await ctl.delete(id, outs as TrunkOutputs, { urn: "urn:pulumi:dev::p::exotel:index:Trunk::pv" });
    expect(logs).toContainEqual(expect.stringMatching(/^info urn:pulumi:dev::p::exotel:index:Trunk::pv \[exotel\] deleted trunk/));
});

describe("the plugin's wire codec", () => {
    test("decode: secrets unwrapped at any depth with their paths, the sentinel as UNKNOWN", () => {
        const d = decode({ a: secret([{ ip: secret("1.2.3.4") }, UNKNOWN_SENTINEL]), b: "x" });
        expect(d.values).toEqual({ a: [{ ip: "1.2.3.4" }, UNKNOWN], b: "x" });
        expect(d.secrets).toEqual([["a"], ["a", 0, "ip"]]);
    });
    test("encode: paths marked where they are, else the nearest value above; nulls at the top left alone", () => {
        expect(encode({ a: [{ ip: "1" }, { ip: "2" }], b: null, c: UNKNOWN }, [["a", 1, "ip"], ["a", 5, "ip"], ["b"], ["c"]])).toEqual({
            a: secret([{ ip: "1" }, { ip: secret("2") }]),
            b: null,
            c: secret(UNKNOWN_SENTINEL),
        });
    });
});

test("the engine's address is the plugin's last positional argument", () => {
    expect(engineAddress(["127.0.0.1:1234"])).toBe("127.0.0.1:1234");
    expect(engineAddress(["--tracing", "file:///tmp/t.json", "127.0.0.1:1234"])).toBe("127.0.0.1:1234");
    expect(engineAddress(["--logtostderr", "-v=9", "tracer.example:80", "127.0.0.1:99"])).toBe("127.0.0.1:99");
    expect(engineAddress([])).toBeUndefined();
});

describe("the provider's own configuration", () => {
    test("DiffConfig: an account or endpoint change (or one not known yet) replaces the provider; a token or timeout change does not", () => {
        const was = { accountSid: "a", apiKey: "k", apiToken: "t", baseUrl: "http://127.0.0.1:1", version: "1" };
        expect(diffConfig(was, { ...was, accountSid: "b", apiKey: "k2" })).toMatchObject({
            changed: ["accountSid", "apiKey"],
            replaces: ["accountSid"],
        });
        expect(diffConfig(was, { ...was, region: "mumbai" }).replaces).toEqual(["region"]);
        expect(diffConfig(was, { ...was, baseUrl: UNKNOWN }).replaces).toEqual(["baseUrl"]);
        expect(diffConfig(was, { ...was, apiToken: "t2", maxRetries: "3", version: "2" })).toMatchObject({
            changed: ["apiToken", "maxRetries"],
            replaces: [],
        });
        expect(diffConfig(was, { ...was, accountSid: "b" }).detailed.accountSid.kind).toBe("UPDATE_REPLACE");
    });
    test("CheckConfig: each bad setting named by its property; missing ones left to where they are used", () => {
        expect(checkConfig({ region: "atlantis", maxRetries: "99" })).toEqual([
            { property: "region", reason: expect.stringMatching(/^exotel:region \(EXOTEL_REGION\) must be "mumbai"/) },
            { property: "maxRetries", reason: expect.stringMatching(/must be a number from 0 to 50/) },
        ]);
        expect(checkConfig({ region: UNKNOWN })).toEqual([]);
    });
});

test("the plugin scrubs a secret input's value from what leaves it: a check failure that quotes it shows [redacted]", () => {
    const accounts = new Accounts(() => undefined);
    accounts.configure(configGetter({ ...DEMO_ACCOUNT, baseUrl: emu.baseUrl }));
    const wire = new TrunkWire(new TrunkController(accounts, "plugin"));
    const { failures } = wire.check({ trunkName: "t", callerId: secret("+91-secret-caller") });
    expect(failures).toEqual([{ property: "callerId", reason: expect.stringContaining("[redacted]") }]);
    expect(JSON.stringify(failures)).not.toContain("secret-caller");
});
