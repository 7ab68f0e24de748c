/**
 * Engine-protocol acceptance suite (issue 24), the dynamic form as users get it: the package packed with
 * `npm pack`, installed into a copy of examples/ts-protocol outside the checkout, run by the real `pulumi` CLI
 * and Node.js language host against the emulator over HTTP on loopback. What it checks is what only the real
 * engine shows:
 *
 *   1. an input that is unknown in a preview (a list, or one value inside a list entry, computed from a trunk
 *      created in the same update) previews as an update, writes nothing, and applies;
 *   2. an in-place change keeps `trunkSid` known in its preview (seen from the program, with an apply: Pulumi
 *      prints no top-level stack output while it is unknown);
 *   3. a change of the stack's account (`exotel:accountSid`) fails preview and up with an error naming both
 *      accounts, before any write; the move the error describes works;
 *   4. a pending change on a trunk deleted out of band fails saying to refresh, and `pulumi up --refresh` mends it.
 *
 * Each test has its own stack and its own emulator: nothing one test does is seen by the next. The lane
 * (PULUMI_EXOTEL_LANE) picks the CLI and `@pulumi/pulumi`, as for tests/consumer.test.ts. Command lines,
 * requests and the outputs that matter go to $TMPDIR/pulumi-exotel-protocol-consumer-<lane>.log.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { isDeepStrictEqual } from "util";
import { DEMO_ACCOUNT, Emulator, startEmulator } from "../emulator";
import { ConsumerProject, ensurePulumi, laneFromEnv, packPackage, RunResult } from "../testing/consumer";

jest.setTimeout(300_000);

const lane = laneFromEnv();
const ACC = DEMO_ACCOUNT;
/** The account a stack moves to in test 3. */
const SECOND = { accountSid: "acct_second", apiKey: "second_key", apiToken: "second_token_never_in_plaintext" };
const reportFile = path.join(os.tmpdir(), `pulumi-exotel-protocol-consumer-${lane.name}.log`);
const report = (line: string) => fs.appendFileSync(reportFile, line + "\n");
const indent = (text: string, by = "      ") =>
    text
        .split("\n")
        .map((l) => by + l)
        .join("\n");

let cliDir: string;
let packDir: string;
let project: ConsumerProject;

beforeAll(async () => {
    fs.writeFileSync(
        reportFile,
        `# protocol consumer suite, lane ${lane.name}: node ${process.version}, CLI v${lane.cliVersion}, @pulumi/pulumi@${lane.pulumiSdk}\n`,
    );
    cliDir = ensurePulumi(lane.cliVersion);
    packDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-exotel-pack-"));
    const tarball = packPackage(packDir);
    // One copy of the project; every test opens its own stack in it (own config, own emulator).
    project = ConsumerProject.create({ example: "ts-protocol", tarball, lane, cliDir, log: report });
    await project.install();
    await project.must("npx", ["tsc", "--noEmit", "-p", "."]);
});
afterAll(() => {
    project?.remove();
    if (packDir) fs.rmSync(packDir, { recursive: true, force: true });
});

/** One test's world: a stack of its own on an emulator of its own (two accounts), with helpers. */
interface World {
    emu: Emulator;
    stack: string;
    /** Runs `pulumi <args> --stack <stack>`; never throws (the caller asserts the exit code). */
    run(...args: string[]): Promise<RunResult>;
    /** As run, and fails with the command's output when it exits non-zero. */
    must(...args: string[]): Promise<RunResult>;
    /** Points the stack at an account (key, and the token as a secret). */
    useAccount(a: { accountSid: string; apiKey: string; apiToken: string }): Promise<void>;
    config(key: string, value: string): Promise<void>;
    /** Every request that changes something at "Exotel" (anything but GET), as `METHOD url as <key>`. */
    writes(): string[];
    /** The trunks an account holds at the emulator, by name. */
    trunks(account: string): Record<string, string>;
}

async function withWorld(title: string, body: (w: World) => Promise<void>): Promise<void> {
    const stack = title;
    report(`\n## ${title} (stack ${stack})`);
    const emu = await startEmulator({
        accounts: {
            [ACC.accountSid]: { apiKey: ACC.apiKey, apiToken: ACC.apiToken },
            [SECOND.accountSid]: { apiKey: SECOND.apiKey, apiToken: SECOND.apiToken },
        },
    });
    const run = (...args: string[]) => project.run("pulumi", [...args, "--stack", stack]);
    const must = async (...args: string[]) => {
        const r = await run(...args);
        if (r.code !== 0) throw new Error(`${r.command} exited ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
        return r;
    };
    const w: World = {
        emu,
        stack,
        run,
        must,
        useAccount: async (a) => {
            await must("config", "set", "exotel:accountSid", a.accountSid);
            await must("config", "set", "exotel:apiKey", a.apiKey);
            await must("config", "set", "--secret", "exotel:apiToken", a.apiToken);
        },
        config: async (key, value) => void (await must("config", "set", key, value)),
        writes: () => emu.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.url} as ${r.authUser}`),
        trunks: (account) => Object.fromEntries((emu.inventory(account)[account]?.trunks ?? []).map((t) => [t.trunk_name, t.trunk_sid])),
    };
    try {
        await project.must("pulumi", ["stack", "init", stack]);
        await w.config("exotel:baseUrl", emu.baseUrl);
        await w.useAccount(ACC);
        await body(w);
    } finally {
        for (const r of emu.requests) report(`    request ${r.method} ${r.url} -> ${r.status} (${r.account ?? "-"}, key ${r.authUser})`);
        // Leaves nothing behind at Exotel; the state goes with the project's directory.
        await run("stack", "rm", "--force", "--yes");
        await emu.close();
    }
}

/** The output of a command for the report and for message checks (Pulumi prints diagnostics on stdout). */
const text = (r: RunResult) => r.stdout + r.stderr;
const logged = (label: string, r: RunResult) => report(`    ${label}: exit ${r.code}, ${r.seconds.toFixed(1)} s\n${indent(text(r))}`);
/**
 * Whether a preview's output shows `op` for the trunk `name`, in either of the CLI's non-interactive
 * displays: the progress lines (`~  <type> main update [diff: ~callerId]`) or `--diff`'s blocks
 * (`~ <type>: (update)`, then `[id=…]` and `[urn=…::main]` on the lines below).
 */
function shows(out: string, op: "update" | "create" | "delete" | "replace", name: string): boolean {
    const verb = op === "replace" ? "(?:create-|delete-)?replace" : op;
    const progress = new RegExp(`^ *[-+~]+ +\\S*ExotelTrunk +${name} +${verb}`, "m");
    const block = new RegExp(
        `^ *[-+~]+ +\\S*ExotelTrunk: \\(${verb}\\)\\n(?: *\\[id=[^\\]\\n]*\\]\\n)? *\\[urn=[^\\]\\n]*::${name}\\]`,
        "m",
    );
    return progress.test(out) || block.test(out);
}

/** What the emulator holds for account `acc`. */
const held = (w: World, acc = ACC.accountSid) => w.emu.inventory(acc)[acc];
const mainIps = (w: World) => {
    const sid = w.trunks(ACC.accountSid).proto_main;
    return held(w)
        .ips.filter((i) => i.trunk_sid === sid)
        .map((i) => i.ip)
        .sort();
};
const mainNumbers = (w: World) => {
    const sid = w.trunks(ACC.accountSid).proto_main;
    return held(w)
        .numbers.filter((n) => n.trunk_sid === sid)
        .map((n) => n.phone_number)
        .sort();
};
const mainCallerId = (w: World) => {
    const sid = w.trunks(ACC.accountSid).proto_main;
    return held(w).settings.find((s) => s.trunk_sid === sid && s.name === "trunk_external_alias")?.value;
};

/** main's outputs, as the program's probes name them (examples/ts-protocol). */
const OUTPUTS = [
    "trunkSid",
    "trunkName",
    "nsoCode",
    "domainName",
    "accountSid",
    "region",
    "status",
    "authType",
    "registrationEnabled",
    "edgePreference",
    "secureTrunking",
    "dateCreated",
    "dateUpdated",
    "links",
    "phoneNumbers",
    "whitelistedIps",
    "destinationUris",
    "destinations",
    "callerId",
    "credentials",
];
/** The probes a run printed (`PROBE main.<output> <JSON>`): the outputs the program saw known, with their values. */
const probesOf = (out: string) => new Map([...out.matchAll(/PROBE main\.(\w+) ?(.*)$/gm)].map((m) => [m[1], m[2].trim()]));
const parse = (json: string | undefined): unknown => {
    try {
        return json === undefined ? undefined : JSON.parse(json);
    } catch {
        return json;
    }
};

describe(`engine protocol, dynamic form, real CLI (${lane.name} lane)`, () => {
    describe("1. an input unknown in the preview", () => {
        test.each([
            {
                what: "whitelistedIps computed from a trunk created in the same update",
                world: "unknown-list",
                stage: "unknownIps",
                read: mainIps,
                before: ["203.0.113.10"],
                after: ["203.0.113.10", "203.0.113.11"],
            },
            {
                what: "an unknown nested in a list entry (phoneNumbers[0].phoneNumber)",
                world: "unknown-nested",
                stage: "unknownNumber",
                read: mainNumbers,
                before: ["+918047091234"],
                after: ["+919876543210"],
            },
        ])(
            "$what: preview shows an update and writes nothing; up applies the resolved value",
            async ({ world, stage, read, before, after }) => {
                await withWorld(world, async (w) => {
                    await w.must("up", "--yes", "--skip-preview");
                    const mainSid = w.trunks(ACC.accountSid).proto_main;
                    expect(read(w)).toEqual(before);

                    await w.config("stage", stage);
                    w.emu.clearLog();
                    const pv = await w.run("preview", "--diff");
                    logged(`preview with ${stage}`, pv);
                    expect(text(pv)).not.toMatch(/localeCompare|TypeError/);
                    expect(pv.code).toBe(0);
                    expect(shows(pv.stdout, "update", "main")).toBe(true);
                    expect(shows(pv.stdout, "create", "other")).toBe(true);
                    expect(shows(pv.stdout, "replace", "main")).toBe(false);
                    expect(w.writes()).toEqual([]);
                    expect(Object.keys(w.trunks(ACC.accountSid))).toEqual(["proto_main"]);

                    w.emu.clearLog();
                    const up = await w.run("up", "--yes");
                    logged(`up with ${stage}`, up);
                    expect(text(up)).not.toMatch(/localeCompare|TypeError/);
                    expect(up.code).toBe(0);
                    expect(w.trunks(ACC.accountSid).proto_main).toBe(mainSid); // updated in place, not replaced
                    expect(w.trunks(ACC.accountSid).proto_other).toEqual(expect.any(String));
                    expect(read(w)).toEqual(after);

                    w.emu.clearLog();
                    const again = await w.run("preview", "--expect-no-changes");
                    if (again.code !== 0) logged("preview --expect-no-changes after the up", again);
                    expect(again.code).toBe(0);
                    expect(w.writes()).toEqual([]);
                });
            },
        );
    });

    describe("2. outputs in the preview of an in-place change", () => {
        test("a caller-ID change: the program sees the real trunkSid in the preview (apply probes); which outputs are known is reported", async () => {
            await withWorld("inplace-known", async (w) => {
                await w.config("probe", "true");
                await w.must("up", "--yes", "--skip-preview");
                const sid = w.trunks(ACC.accountSid).proto_main;
                expect(sid).toEqual(expect.any(String));

                await w.config("callerId", "+918047091200");
                w.emu.clearLog();
                // The plain display: the program's console output is under "Diagnostics" (the --diff display omits it).
                const pv = await w.run("preview");
                logged("preview of the caller-ID change", pv);
                const probes = probesOf(text(pv));
                report(`    known in the in-place preview: ${OUTPUTS.filter((k) => probes.has(k)).join(", ") || "(none)"}`);
                report(`    unknown in the in-place preview: ${OUTPUTS.filter((k) => !probes.has(k)).join(", ") || "(none)"}`);
                // For the record: what `preview --diff` shows of the stack outputs built on main's outputs. Pulumi
                // prints no existing top-level output that has become unknown, so its absence proves nothing.
                const diff = await w.run("preview", "--diff");
                logged("preview --diff of the caller-ID change", diff);
                report(
                    `    preview --diff: mainTrunkSid ${/mainTrunkSid/.test(diff.stdout) ? "shown" : "not shown"}, ` +
                        `"[unknown]" ${diff.stdout.includes("[unknown]") ? "shown" : "not shown"}; ` +
                        `the probe of trunkSid ${probes.has("trunkSid") ? "ran" : "did not run"} in the preview`,
                );

                expect(pv.code).toBe(0);
                expect(shows(pv.stdout, "update", "main")).toBe(true);
                expect(w.writes()).toEqual([]);
                expect(probes.get("trunkSid")).toBe(JSON.stringify(sid));
                // Exactly the outputs docs/reference.md ("In a preview of an in-place change") lists as known.
                expect(OUTPUTS.filter((k) => probes.has(k)).sort()).toEqual(
                    ["callerId", "destinationUris", "domainName", "nsoCode", "trunkName", "trunkSid"].sort(),
                );
            });
        });

        test("every output the preview of an in-place change shows as known is the value the update then produces", async () => {
            await withWorld("inplace-truthful", async (w) => {
                await w.config("probe", "true");
                await w.must("up", "--yes", "--skip-preview");

                await w.config("callerId", "+918047091200");
                const pv = await w.run("preview");
                expect(pv.code).toBe(0);
                const previewed = probesOf(text(pv));
                // Only the update itself (no preview first): each probe prints the final value once.
                const up = await w.run("up", "--yes", "--skip-preview");
                logged("up of the caller-ID change", up);
                expect(up.code).toBe(0);
                const applied = probesOf(text(up));
                const differing = [...previewed].filter(([k, v]) => !isDeepStrictEqual(parse(v), parse(applied.get(k))));
                for (const [k, v] of differing)
                    report(`    known in the preview but changed by the update: ${k}: ${v} => ${applied.get(k)}`);
                expect(differing.map(([k, v]) => ({ output: k, preview: v, update: applied.get(k) }))).toEqual([]);
                expect(applied.get("callerId")).toBe(JSON.stringify("+918047091200"));
            });
        });
    });

    describe("3. the stack's account changed (exotel:accountSid) after an up", () => {
        const expectAccountError = (r: RunResult) => {
            expect(r.code).not.toBe(0);
            expect(text(r)).toContain(ACC.accountSid);
            expect(text(r)).toContain(SECOND.accountSid);
            expect(text(r)).toContain("exotel:accountSid");
            expect(text(r)).toMatch(/pulumi destroy/);
            expect(text(r)).not.toContain(ACC.apiToken);
            expect(text(r)).not.toContain(SECOND.apiToken);
        };

        test("preview and up fail naming both accounts, with no write; back on the old account `pulumi destroy`, then `pulumi up` on the new one", async () => {
            await withWorld("account-destroy", async (w) => {
                await w.must("up", "--yes", "--skip-preview");
                const oldSid = w.trunks(ACC.accountSid).proto_main;

                await w.useAccount(SECOND);
                w.emu.clearLog();
                const pv = await w.run("preview");
                logged("preview after the account change", pv);
                expectAccountError(pv);
                expect(w.writes()).toEqual([]);

                w.emu.clearLog();
                const up = await w.run("up", "--yes");
                logged("up after the account change", up);
                expectAccountError(up);
                expect(w.writes()).toEqual([]);
                expect(w.trunks(ACC.accountSid)).toEqual({ proto_main: oldSid });
                expect(w.trunks(SECOND.accountSid)).toEqual({});

                // The move: back to the old account, destroy there, then the new account.
                await w.useAccount(ACC);
                w.emu.clearLog();
                const destroy = await w.run("destroy", "--yes");
                logged("destroy on the old account", destroy);
                expect(destroy.code).toBe(0);
                expect(w.writes()).toEqual([`DELETE /v2/accounts/${ACC.accountSid}/trunks?trunk_sid=${oldSid} as ${ACC.apiKey}`]);

                await w.useAccount(SECOND);
                w.emu.clearLog();
                const up2 = await w.run("up", "--yes");
                logged("up on the new account", up2);
                expect(up2.code).toBe(0);
                expect(w.trunks(ACC.accountSid)).toEqual({});
                expect(Object.keys(w.trunks(SECOND.accountSid))).toEqual(["proto_main"]);
                expect(w.writes()).toContain(`POST /v2/accounts/${SECOND.accountSid}/trunks as ${SECOND.apiKey}`);
                expect(w.emu.requests.every((r) => r.account === SECOND.accountSid && r.authUser === SECOND.apiKey)).toBe(true);
                await w.must("preview", "--expect-no-changes");
            });
        });

        test("the other way the error names: trunks removed from the program and `pulumi up` on the old account, then `pulumi up` on the new one", async () => {
            await withWorld("account-remove", async (w) => {
                await w.must("up", "--yes", "--skip-preview");
                const oldSid = w.trunks(ACC.accountSid).proto_main;

                await w.useAccount(SECOND);
                w.emu.clearLog();
                const up = await w.run("up", "--yes");
                logged("up after the account change", up);
                expectAccountError(up);
                expect(text(up)).toMatch(/remov/);
                expect(w.writes()).toEqual([]);

                await w.useAccount(ACC);
                await w.config("stage", "none");
                w.emu.clearLog();
                const empty = await w.run("up", "--yes");
                logged("up without trunks on the old account", empty);
                expect(empty.code).toBe(0);
                expect(w.writes()).toEqual([`DELETE /v2/accounts/${ACC.accountSid}/trunks?trunk_sid=${oldSid} as ${ACC.apiKey}`]);

                await w.useAccount(SECOND);
                await w.config("stage", "base");
                w.emu.clearLog();
                const up2 = await w.run("up", "--yes");
                logged("up on the new account", up2);
                expect(up2.code).toBe(0);
                expect(w.trunks(ACC.accountSid)).toEqual({});
                expect(Object.keys(w.trunks(SECOND.accountSid))).toEqual(["proto_main"]);
                expect(w.emu.requests.every((r) => r.account === SECOND.accountSid && r.authUser === SECOND.apiKey)).toBe(true);
            });
        });

        test("`pulumi up --skip-preview` (no preview to stop it) after the account change also writes nothing; back on the old account, destroy works or names the one step that lets it", async () => {
            await withWorld("account-skip-preview", async (w) => {
                await w.must("up", "--yes", "--skip-preview");
                const oldSid = w.trunks(ACC.accountSid).proto_main;

                await w.useAccount(SECOND);
                w.emu.clearLog();
                const up = await w.run("up", "--yes", "--skip-preview");
                logged("up --skip-preview after the account change", up);
                expectAccountError(up);
                expect(w.writes()).toEqual([]);

                // Back on the old account. A `pulumi up` that got past its preview may have recorded the new account's
                // settings as the stack's provider (a destroy runs with the settings of the last update): then the
                // destroy may refuse, but only with no write and an error that names the step that mends it.
                await w.useAccount(ACC);
                w.emu.clearLog();
                let destroy = await w.run("destroy", "--yes");
                logged("destroy on the old account", destroy);
                if (destroy.code !== 0) {
                    expect(w.writes()).toEqual([]);
                    expect(text(destroy)).toContain(ACC.accountSid);
                    // The step it names: `pulumi destroy --run-program` (settings from the program's config), or
                    // `pulumi up` on the old account first (it records the old settings again and sends nothing).
                    expect(text(destroy)).toMatch(/`pulumi destroy --run-program`|`pulumi up`/);
                    if (/`pulumi destroy --run-program`/.test(text(destroy))) {
                        destroy = await w.run("destroy", "--run-program", "--yes");
                    } else {
                        const mend = await w.run("up", "--yes");
                        logged("up on the old account (the step the destroy named)", mend);
                        expect(mend.code).toBe(0);
                        expect(w.writes()).toEqual([]);
                        destroy = await w.run("destroy", "--yes");
                    }
                    logged("destroy on the old account, again", destroy);
                }
                expect(destroy.code).toBe(0);
                expect(w.writes()).toEqual([`DELETE /v2/accounts/${ACC.accountSid}/trunks?trunk_sid=${oldSid} as ${ACC.apiKey}`]);
            });
        });
    });

    describe("4. a pending change on a trunk deleted out of band", () => {
        test("pulumi up fails telling to refresh (not to run up again); pulumi up --refresh then succeeds", async () => {
            await withWorld("deleted-out-of-band", async (w) => {
                await w.must("up", "--yes", "--skip-preview");
                const sid = w.trunks(ACC.accountSid).proto_main;
                // Deleted at "Exotel" by someone else: the API's own DELETE, with the account's key.
                const res = await fetch(`${w.emu.baseUrl}/v2/accounts/${ACC.accountSid}/trunks?trunk_sid=${sid}`, {
                    method: "DELETE",
                    headers: { Authorization: `Basic ${Buffer.from(`${ACC.apiKey}:${ACC.apiToken}`).toString("base64")}` },
                });
                expect(res.status).toBe(200);
                expect(w.trunks(ACC.accountSid)).toEqual({});

                await w.config("callerId", "+918047091200");
                w.emu.clearLog();
                const up = await w.run("up", "--yes");
                logged("up of the pending change", up);
                expect(up.code).not.toBe(0);
                expect(text(up)).toMatch(/pulumi refresh|pulumi up --refresh/);
                expect(text(up)).not.toMatch(/run `?pulumi up`? again/);
                expect(w.trunks(ACC.accountSid)).toEqual({});

                w.emu.clearLog();
                const mend = await w.run("up", "--refresh", "--yes");
                logged("up --refresh", mend);
                expect(mend.code).toBe(0);
                expect(Object.keys(w.trunks(ACC.accountSid))).toEqual(["proto_main"]);
                expect(mainCallerId(w)).toBe("+918047091200");
                await w.must("preview", "--expect-no-changes");
            });
        });
    });
});
