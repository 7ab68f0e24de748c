/**
 * The `exotel` provider plugin's side of the engine protocol, as the real CLI (3.259) and YAML language host
 * drive it (issue 24): secrets at any depth, an account move through DiffConfig, customTimeouts, Ctrl-C
 * (Cancel), a pending change on a trunk deleted out of band, `--tracing`, log lines with the resource's URN,
 * an authentication error, CheckConfig, token rotation.
 *
 * Every test starts from nothing of its own: its own emulator (two accounts), its own project copied outside
 * the checkout with its own PULUMI_HOME (the release tarball installed with `pulumi plugin install --file`),
 * state backend and stack. Only the built tarball and the tool paths are shared. Current lane only.
 * What each run measured goes to the report file (see `report`).
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DEMO_ACCOUNT, Emulator, startEmulator } from "../emulator";
import { ConsumerProject, ensurePulumi, laneFromEnv, RunResult } from "../testing/consumer";
import { buildPluginTarball, ensureLanguageHost, PLUGIN_VERSION } from "./helpers/plugin";
import { ACC, SECOND } from "./helpers/pluginSuite";

jest.setTimeout(180_000);

const lane = laneFromEnv();
const reportFile = path.join(os.tmpdir(), `pulumi-exotel-plugin-protocol-${lane.name}.log`);
const report = (line: string) => fs.appendFileSync(reportFile, line + "\n");
const PROJECT = "exotel-yaml-protocol";
const TRUNK_TYPE = "exotel:index:Trunk";
const PBX_PASSWORD = "pbx_password_never_plain_24";

/** The tools and the tarball: built once, read only. */
const tools = { cliDir: "", tarball: "" };

beforeAll(() => {
    fs.writeFileSync(
        reportFile,
        `# exotel provider plugin, engine protocol (issue 24), lane ${lane.name}: node ${process.version}, CLI v${lane.cliVersion}\n`,
    );
    tools.cliDir = [ensurePulumi(lane.cliVersion), ensureLanguageHost("yaml")].join(path.delimiter);
    tools.tarball = buildPluginTarball();
});

/** One test's world: emulator, project, stack `dev` on account ACC. `close` ends whatever it started. */
interface World {
    emu: Emulator;
    p: ConsumerProject;
    /** Children started with `spawnPulumi`, killed (their process group) at close if still running. */
    children: Set<number>;
}

const worlds: World[] = [];
afterEach(async () => {
    for (const w of worlds.splice(0)) await closeWorld(w);
});

async function closeWorld(w: World): Promise<void> {
    for (const pid of w.children) {
        try {
            process.kill(-pid, "SIGKILL");
        } catch {
            /* already gone */
        }
    }
    await w.emu.close();
    w.p.remove();
}

/**
 * A fresh world. `program` replaces the example's Pulumi.yaml (the example's own program when absent);
 * `config` is set on top of the stack's account (strings; `secret:` prefix for a secret).
 */
async function world(title: string, program?: string, config: Record<string, string> = {}): Promise<World> {
    report(`\n## ${title}`);
    const emu = await startEmulator({
        accounts: {
            [ACC]: { apiKey: DEMO_ACCOUNT.apiKey, apiToken: DEMO_ACCOUNT.apiToken },
            [SECOND.accountSid]: { apiKey: SECOND.apiKey, apiToken: SECOND.apiToken },
        },
    });
    const p = ConsumerProject.create({ example: "yaml-protocol", tarball: tools.tarball, lane, cliDir: tools.cliDir, log: report });
    const w: World = { emu, p, children: new Set() };
    worlds.push(w);
    if (program !== undefined) fs.writeFileSync(path.join(p.dir, "Pulumi.yaml"), program);
    await p.pulumi("plugin", "install", "resource", "exotel", PLUGIN_VERSION, "--file", tools.tarball);
    await p.initStack("dev", { baseUrl: emu.baseUrl, ...DEMO_ACCOUNT });
    for (const [k, v] of Object.entries(config)) {
        if (v.startsWith("secret:")) await p.pulumi("config", "set", "--secret", k, v.slice("secret:".length));
        else await p.pulumi("config", "set", k, v);
    }
    return w;
}

/** A YAML program of the given resources (a YAML text block each, indented by 4). */
function yamlProgram(resources: string, extra = ""): string {
    return `name: ${PROJECT}\nruntime: yaml\nresources:\n${resources}${extra}`;
}

/** One trunk named `trunk` (Pulumi name) with an IP, optionally more YAML under it (indented by 8). */
function oneTrunk(trunkName: string, more = ""): string {
    return yamlProgram(
        `    trunk:\n        type: ${TRUNK_TYPE}\n        properties:\n            trunkName: ${trunkName}\n` +
            `            whitelistedIps:\n                - ip: 203.0.113.10\n` +
            `            callerId: "+918047091234"\n${more}`,
        `outputs:\n    trunkSid: \${trunk.trunkSid}\n`,
    );
}

const out = (r: RunResult) => `${r.stdout}\n${r.stderr}`;
const writes = (emu: Emulator) => emu.requests.filter((r) => r.method !== "GET");
const trunksOf = (emu: Emulator, acc: string) => emu.inventory(acc)[acc]?.trunks ?? [];
const urnOf = (name: string) => `urn:pulumi:dev::${PROJECT}::${TRUNK_TYPE}::${name}`;

interface StateResource {
    urn: string;
    type: string;
    id?: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
}
async function exported(p: ConsumerProject): Promise<{ text: string; resources: StateResource[] }> {
    const text = (await p.pulumi("stack", "export")).stdout;
    const resources = (JSON.parse(text) as { deployment: { resources?: StateResource[] } }).deployment.resources ?? [];
    return { text, resources };
}
/** `--event-log` is offered only with PULUMI_DEBUG_COMMANDS set (CLI 3.259). */
const DEBUG_COMMANDS = { PULUMI_DEBUG_COMMANDS: "true" };
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const isSecret = (v: unknown) =>
    !!v && typeof v === "object" && (v as Record<string, unknown>)[SECRET_SIG] === "1b47061264138c4ac30d75fd1eb44270";

/** `pulumi <args>` as a child process of its own process group (for SIGINT to the CLI alone and a group kill). */
function spawnPulumi(w: World, args: string[], env: NodeJS.ProcessEnv = {}) {
    const child = spawn("pulumi", args, { cwd: w.p.dir, env: { ...w.p.env, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
    w.children.add(child.pid!);
    let text = "";
    child.stdout.on("data", (d) => (text += d));
    child.stderr.on("data", (d) => (text += d));
    const started = Date.now();
    const exited = new Promise<{ code: number; seconds: number; text: string }>((resolve) =>
        child.on("close", (code) => {
            w.children.delete(child.pid!);
            resolve({ code: code ?? -1, seconds: (Date.now() - started) / 1000, text });
        }),
    );
    /** Kills the whole group (CLI, language host, plugin) for a run that would not end. */
    const killGroup = () => {
        try {
            process.kill(-child.pid!, "SIGKILL");
        } catch {
            /* gone */
        }
    };
    return { child, exited, killGroup, started };
}

/** Runs `pulumi <args>`; past `deadlineMs` it sends SIGINT, 5 s later kills the group. `timedOut` says so. */
async function runWithDeadline(w: World, args: string[], deadlineMs: number) {
    const run = spawnPulumi(w, args);
    let timedOut = false;
    const t1 = setTimeout(() => {
        timedOut = true;
        run.child.kill("SIGINT");
    }, deadlineMs);
    const t2 = setTimeout(run.killGroup, deadlineMs + 5_000);
    const r = await run.exited;
    clearTimeout(t1);
    clearTimeout(t2);
    report(
        `$ pulumi ${args.join(" ")}  # exit ${r.code}, ${r.seconds.toFixed(1)} s${timedOut ? " (deadline: interrupted)" : ""}\n${r.text}`,
    );
    return { ...r, timedOut };
}

describe("exotel provider plugin, engine protocol (real CLI + YAML host)", () => {
    test("1. secrets at any depth (fn::secret on callerId and on one whitelistedIps entry): stack export never holds them in plaintext, after up and after refresh; their outputs are secret", async () => {
        const w = await world("secrets at any depth", undefined, { pbxPassword: `secret:${PBX_PASSWORD}` });
        const plain = ["+918047091234", "198.51.100.77", DEMO_ACCOUNT.apiToken, PBX_PASSWORD];
        await w.p.pulumi("up", "--yes");
        const check = async (when: string) => {
            const { text, resources } = await exported(w.p);
            const trunk = resources.find((r) => r.type === TRUNK_TYPE)!;
            report(`  ${when}: trunk outputs callerId=${JSON.stringify(trunk.outputs?.callerId)?.slice(0, 80)}`);
            return {
                plaintext: plain.filter((s) => text.includes(s)),
                where: resources.flatMap((r) => plaintextPaths(r, plain)),
                secretOutputs: {
                    callerId: isSecret(trunk.outputs?.callerId),
                    whitelistedIps: isSecret(trunk.outputs?.whitelistedIps),
                    credentials: isSecret(trunk.outputs?.credentials),
                },
            };
        };
        const wanted = { plaintext: [], where: [], secretOutputs: { callerId: true, whitelistedIps: true, credentials: true } };
        const afterUp = await check("after up");
        await w.p.pulumi("refresh", "--yes");
        const afterRefresh = await check("after refresh");
        expect({ afterUp, afterRefresh }).toEqual({ afterUp: wanted, afterRefresh: wanted });
        // The program's outputs of them are secret too (shown only with --show-secrets).
        const outs = (await w.p.pulumi("stack", "output", "--json")).stdout;
        expect(plain.filter((s) => outs.includes(s))).toEqual([]);
    });

    test("2. account move (exotel:accountSid/apiKey/apiToken changed): preview shows the replacement; up deletes A's trunk with A's key and creates B's with B's key; destroy deletes B's with B's key", async () => {
        const w = await world("account move via DiffConfig", oneTrunk("moving"));
        await w.p.pulumi("up", "--yes");
        const [a] = trunksOf(w.emu, ACC);
        expect(a).toBeDefined();
        await w.p.pulumi("config", "set", "exotel:accountSid", SECOND.accountSid);
        await w.p.pulumi("config", "set", "exotel:apiKey", SECOND.apiKey);
        await w.p.pulumi("config", "set", "--secret", "exotel:apiToken", SECOND.apiToken);
        w.emu.clearLog();
        // The preview's steps, from its event log (the display, --json too, leaves out default providers' steps).
        const events = path.join(w.p.base, "preview-events.json");
        const pv = await w.p.run("pulumi", ["preview", "--event-log", events], DEBUG_COMMANDS);
        report(out(pv));
        const opsOf = (type: string) =>
            stepOps(events)
                .filter((x) => x.urn.split("::")[2] === type)
                .map((x) => x.op);
        const providerIds = async () =>
            (await exported(w.p)).resources.filter((x) => x.type === "pulumi:providers:exotel").map((x) => x.id);
        const [providerBefore] = await providerIds();
        const previewWrites = writes(w.emu).length;
        const up = await w.p.run("pulumi", ["up", "--yes"]);
        report(out(up));
        const sent = writes(w.emu);
        report(
            `  writes of the move, in order:\n    ${sent.map((r) => `${r.method} ${r.path} ${r.authUser} -> ${r.status}`).join("\n    ")}`,
        );
        const del = sent.filter((r) => r.method === "DELETE");
        const made = sent.filter((r) => r.method === "POST" && /\/trunks$/.test(r.path));
        if (del[0] && made[0])
            report(`  order: ${del[0].seq < made[0].seq ? "delete A's trunk, then create B's" : "create B's trunk, then delete A's"}`);
        const [b] = trunksOf(w.emu, SECOND.accountSid);
        const [providerAfter] = await providerIds();
        w.emu.clearLog();
        const d = await w.p.run("pulumi", ["destroy", "--yes"]);
        report(out(d));
        expect({
            preview: { code: pv.code, trunk: opsOf(TRUNK_TYPE), provider: opsOf("pulumi:providers:exotel"), writes: previewWrites },
            up: up.code,
            // A replaced provider is a new provider resource (a new id); an updated one keeps its id.
            providerReplaced: providerAfter !== providerBefore,
            deletes: del.map((r) => `${r.url} ${r.authUser}`),
            creates: made.map((r) => `${r.path} ${r.authUser}`),
            trunksLeftInA: trunksOf(w.emu, ACC).length,
            trunkInB: b?.trunk_name,
            destroy: d.code,
            destroyWrites: writes(w.emu).map((r) => `${r.method} ${r.url} ${r.authUser}`),
        }).toEqual({
            preview: { code: 0, trunk: expect.arrayContaining(["replace"]), provider: expect.arrayContaining(["replace"]), writes: 0 },
            up: 0,
            providerReplaced: true,
            deletes: [`/v2/accounts/${ACC}/trunks?trunk_sid=${a.trunk_sid} ${DEMO_ACCOUNT.apiKey}`],
            creates: [`/v2/accounts/${SECOND.accountSid}/trunks ${SECOND.apiKey}`],
            trunksLeftInA: 0,
            trunkInB: "moving",
            destroy: 0,
            destroyWrites: [`DELETE /v2/accounts/${SECOND.accountSid}/trunks?trunk_sid=${b?.trunk_sid} ${SECOND.apiKey}`],
        });
        expect(trunksOf(w.emu, SECOND.accountSid)).toEqual([]);
    });

    test("3. customTimeouts delete 5s: a DELETE that hangs fails the destroy after about 5 s with a timeout error; the trunk stays in state and at Exotel; then destroy sends exactly the seed's DELETE", async () => {
        const w = await world(
            "customTimeouts",
            oneTrunk("timed", "        options:\n            customTimeouts:\n                delete: 5s\n"),
        );
        await w.p.pulumi("up", "--yes");
        const [t] = trunksOf(w.emu, ACC);
        w.emu.faults.add({ method: "DELETE", path: "/trunks", times: 1000, fault: { kind: "hang", ms: 120_000 } });
        w.emu.clearLog();
        const r = await runWithDeadline(w, ["destroy", "--yes"], 22_000);
        report(`  destroy with the DELETE hanging: exit ${r.code} after ${r.seconds.toFixed(1)} s; DELETEs sent: ${writes(w.emu).length}`);
        expect(r.timedOut).toBe(false);
        expect(r.code).not.toBe(0);
        expect(r.seconds).toBeGreaterThanOrEqual(4);
        expect(r.seconds).toBeLessThanOrEqual(20);
        expect(r.text).toMatch(/time(d)? ?out|deadline/i);
        expect((await exported(w.p)).resources.filter((x) => x.type === TRUNK_TYPE).map((x) => x.id)).toEqual([t.trunk_sid]);
        expect(trunksOf(w.emu, ACC).map((x) => x.trunk_sid)).toEqual([t.trunk_sid]);
        w.emu.faults.clear();
        w.emu.clearLog();
        const d = await w.p.run("pulumi", ["destroy", "--yes"]);
        report(out(d));
        expect(d.code).toBe(0);
        expect(writes(w.emu).map((x) => `${x.method} ${x.url}`)).toEqual([`DELETE /v2/accounts/${ACC}/trunks?trunk_sid=${t.trunk_sid}`]);
        expect(trunksOf(w.emu, ACC)).toEqual([]);
    });

    test("4. Ctrl-C: SIGINT to `pulumi up` of 25 trunks stops the provider starting requests within 1 s; the next up finishes with Exotel's trunks equal to state's", async () => {
        const n = 25;
        const trunks = Array.from({ length: n }, (_, i) => {
            const k = String(i + 10);
            return (
                `    t${k}:\n        type: ${TRUNK_TYPE}\n        properties:\n            trunkName: ctl_${k}\n` +
                `            phoneNumbers:\n                - phoneNumber: "+9180470913${k}"\n` +
                `            whitelistedIps:\n                - ip: 203.0.113.${k}\n`
            );
        }).join("");
        const w = await world("Ctrl-C", yamlProgram(trunks));
        // Slow: 3 requests a second (the environment applies to this run only; stack config stays unset).
        const run = spawnPulumi(w, ["up", "--yes", "--skip-preview"], {
            EXOTEL_RATE_LIMIT_REQUESTS_PER_WINDOW: "30",
            EXOTEL_RATE_LIMIT_WINDOW_MS: "10000",
            EXOTEL_RATE_LIMIT_BURST: "3",
        });
        const deadline = Date.now() + 90_000;
        while (writes(w.emu).length < 6 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        const sigint = Date.now();
        const before = w.emu.requests.length;
        run.child.kill("SIGINT");
        const guard = setTimeout(run.killGroup, 90_000);
        const r = await run.exited;
        clearTimeout(guard);
        const after = w.emu.requests.filter((x) => Date.parse(x.time) > sigint);
        const late = after.filter((x) => Date.parse(x.time) > sigint + 1000);
        const lastStart = after.length ? Math.max(...after.map((x) => Date.parse(x.time))) - sigint : 0;
        const measured =
            `SIGINT after ${((sigint - run.started) / 1000).toFixed(1)} s with ${before} request(s) received; ` +
            `the CLI exited ${r.code} ${((Date.now() - sigint) / 1000).toFixed(1)} s after it; ` +
            `${after.length} request(s) started after the SIGINT, ${late.length} more than 1 s after (last ${lastStart} ms after); ` +
            `${trunksOf(w.emu, ACC).length} trunk(s) at Exotel`;
        report(`  ${measured}\n${r.text}`);
        const upAgain = await w.p.run("pulumi", ["up", "--yes", "--skip-preview"], {
            EXOTEL_RATE_LIMIT_REQUESTS_PER_WINDOW: "100000",
            EXOTEL_RATE_LIMIT_BURST: "1000",
        });
        report(out(upAgain));
        const inState = (await exported(w.p)).resources
            .filter((x) => x.type === TRUNK_TYPE)
            .map((x) => x.id)
            .sort();
        const atExotel = trunksOf(w.emu, ACC)
            .map((t) => t.trunk_sid)
            .sort();
        report(`  after the second up (exit ${upAgain.code}): ${inState.length} trunk(s) in state, ${atExotel.length} at Exotel`);
        expect({ late: late.map((x) => `${x.time} ${x.method} ${x.path}`), upAgain: upAgain.code }).toEqual({ late: [], upAgain: 0 });
        expect(atExotel).toEqual(inState);
        expect(inState).toHaveLength(n);
    });

    test("5. a pending change on a trunk deleted out of band: up fails saying to run `pulumi refresh`; `pulumi up --refresh` then succeeds", async () => {
        const w = await world("deleted out of band", oneTrunk("vanish"));
        await w.p.pulumi("up", "--yes");
        const [t] = trunksOf(w.emu, ACC);
        w.emu.store.deleteTrunk(ACC, t.trunk_sid);
        const program = path.join(w.p.dir, "Pulumi.yaml");
        fs.writeFileSync(program, fs.readFileSync(program, "utf8").replace('callerId: "+918047091234"', 'callerId: "+918047091200"'));
        const up = await w.p.run("pulumi", ["up", "--yes"]);
        report(out(up));
        expect(up.code).not.toBe(0);
        expect(out(up)).toMatch(/pulumi refresh|pulumi up --refresh/);
        const fixed = await w.p.run("pulumi", ["up", "--refresh", "--yes"]);
        report(out(fixed));
        expect(fixed.code).toBe(0);
        const now = trunksOf(w.emu, ACC);
        expect(now.map((x) => x.trunk_name)).toEqual(["vanish"]);
        expect((await w.p.outputs()).trunkSid).toBe(now[0].trunk_sid);
    });

    test("6. `pulumi destroy --tracing file://...`: the destroy works and the plugin's log line reaches the CLI through the engine", async () => {
        const w = await world("--tracing", oneTrunk("traced"));
        await w.p.pulumi("up", "--yes");
        const [t] = trunksOf(w.emu, ACC);
        const events = path.join(w.p.base, "events.json");
        const d = await w.p.run(
            "pulumi",
            ["destroy", "--yes", "--tracing", `file://${path.join(w.p.base, "trace.json")}`, "--event-log", events],
            DEBUG_COMMANDS,
        );
        report(out(d));
        expect(d.code).toBe(0);
        expect(trunksOf(w.emu, ACC)).toEqual([]);
        expect(out(d)).toContain(`deleted trunk ${t.trunk_sid}`);
        // Through the engine's Log service (severity info), not the plugin's stderr fallback (info#err).
        const diag = diagnostics(events).filter((e) => e.message.includes("deleted trunk"));
        expect(diag.map((e) => e.severity)).toEqual(["info"]);
    });

    test("7. log lines carry the resource's URN: destroy's `deleted trunk` diagnostic has the trunk's URN", async () => {
        const w = await world("URN on log lines", oneTrunk("logged"));
        await w.p.pulumi("up", "--yes");
        const events = path.join(w.p.base, "events.json");
        const d = await w.p.run("pulumi", ["destroy", "--yes", "--event-log", events], DEBUG_COMMANDS);
        report(out(d));
        expect(d.code).toBe(0);
        const diag = diagnostics(events).filter((e) => e.message.includes("deleted trunk"));
        report(`  diagnostics: ${JSON.stringify(diag)}`);
        expect(diag.map((e) => e.urn)).toEqual([urnOf("trunk")]);
    });

    test("8. a wrong exotel:apiToken fails up with a message naming exotel:apiKey and exotel:apiToken; nothing is created", async () => {
        const w = await world("authentication error", oneTrunk("denied"), { "exotel:apiToken": "secret:wrong_token_1" });
        const up = await w.p.run("pulumi", ["up", "--yes"]);
        report(out(up));
        expect(up.code).not.toBe(0);
        expect(out(up)).toMatch(/exotel:apiKey/);
        expect(out(up)).toMatch(/exotel:apiToken/);
        expect(out(up)).not.toContain("wrong_token_1");
        expect(trunksOf(w.emu, ACC)).toEqual([]);
        expect((await exported(w.p)).resources.filter((x) => x.type === TRUNK_TYPE)).toEqual([]);
    });

    test("9. CheckConfig: exotel:region atlantis fails preview naming the property region and why; no request", async () => {
        const w = await world("CheckConfig", oneTrunk("nowhere"), { "exotel:region": "atlantis" });
        const pv = await w.p.run("pulumi", ["preview"]);
        report(out(pv));
        expect(pv.code).not.toBe(0);
        // The engine prints a failure with a property as "property <name> value {<value>} has a problem: <reason>".
        expect(out(pv)).toMatch(/property region value \{atlantis\} has a problem: .*mumbai.*singapore/);
        expect(w.emu.requests).toEqual([]);
    });

    test("10. token rotation: destroy right after the rotated token is set in config fails (the engine configures the provider from state) saying to run `pulumi up` first; after `pulumi up` destroy works", async () => {
        const w = await world("token rotation", oneTrunk("rotated"));
        await w.p.pulumi("up", "--yes");
        const [t] = trunksOf(w.emu, ACC);
        const rotated = "rotated_token_never_plain_24";
        w.emu.setAccountToken(ACC, rotated);
        await w.p.pulumi("config", "set", "--secret", "exotel:apiToken", rotated);
        w.emu.clearLog();
        // Observed with CLI 3.259: `pulumi destroy` configures the default provider with the inputs recorded in
        // state at the last `up` (the old token), not with the stack config: Exotel answers 401. `pulumi refresh`
        // fails the same way (it runs no program either); `pulumi up` records the new token, and so does
        // `pulumi destroy --run-program` (both measured), so the error must name one of those.
        const d = await w.p.run("pulumi", ["destroy", "--yes"]);
        report(out(d));
        const sent = w.emu.requests.map((r) => `${r.method} ${r.url} -> ${r.status} (valid credentials: ${r.authValid})`);
        report(`  destroy after rotation: exit ${d.code}; requests: ${sent.join("; ") || "none"}`);
        // What `pulumi refresh` does here (reported, not asserted: it runs no program either).
        const refreshed = await w.p.run("pulumi", ["refresh", "--yes"]);
        report(out(refreshed));
        report(`  refresh after rotation: exit ${refreshed.code}`);
        const failed = {
            failed: d.code !== 0,
            says: /pulumi up`?|pulumi destroy --run-program/.test(out(d)),
            leaks: out(d).includes(rotated),
            trunks: trunksOf(w.emu, ACC).length,
        };
        const up = await w.p.run("pulumi", ["up", "--yes"]);
        report(out(up));
        w.emu.clearLog();
        const again = await w.p.run("pulumi", ["destroy", "--yes"]);
        report(out(again));
        expect({
            failed,
            up: up.code,
            again: again.code,
            deletes: w.emu.requests.filter((r) => r.method === "DELETE").map((r) => `${r.url} ${r.authValid}`),
            left: trunksOf(w.emu, ACC),
        }).toEqual({
            failed: { failed: true, says: true, leaks: false, trunks: 1 },
            up: 0,
            again: 0,
            deletes: [`/v2/accounts/${ACC}/trunks?trunk_sid=${t.trunk_sid} true`],
            left: [],
        });
    });

    test("11. runs that nobody interrupts show no cancellation warning (the engine may call Cancel as a run ends)", async () => {
        const w = await world("no Cancel warning on a normal run", oneTrunk("calm"));
        const runs: RunResult[] = [];
        runs.push(await w.p.pulumi("up", "--yes"));
        runs.push(await w.p.pulumi("preview"));
        runs.push(await w.p.pulumi("refresh", "--yes"));
        runs.push(await w.p.pulumi("destroy", "--yes"));
        for (const r of runs) report(out(r));
        expect(runs.filter((r) => /cancel/i.test(out(r))).map((r) => r.command)).toEqual([]);
    });
});

/** Where in a state resource's inputs and outputs any of `plain` appears in plaintext: "<name> inputs.callerId", ... */
function plaintextPaths(r: StateResource, plain: string[]): string[] {
    const found: string[] = [];
    const walk = (v: unknown, at: string) => {
        if (typeof v === "string") {
            if (plain.some((s) => v.includes(s))) found.push(`${r.urn.split("::").pop()} ${at}`);
        } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
        else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, `${at}.${k}`);
    };
    walk(r.inputs, "inputs");
    walk(r.outputs, "outputs");
    return found;
}

/** The steps (resourcePreEvent) of an `--event-log` file: op and URN. */
function stepOps(file: string): { op: string; urn: string }[] {
    return fs
        .readFileSync(file, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { resourcePreEvent?: { metadata: { op: string; urn: string } } })
        .flatMap((e) => (e.resourcePreEvent ? [{ op: e.resourcePreEvent.metadata.op, urn: e.resourcePreEvent.metadata.urn }] : []));
}

/** The diagnostic events of an `--event-log` file. */
function diagnostics(file: string): { urn?: string; message: string; severity: string }[] {
    return fs
        .readFileSync(file, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { diagnosticEvent?: { urn?: string; message: string; severity: string } })
        .flatMap((e) => (e.diagnosticEvent ? [e.diagnosticEvent] : []));
}
