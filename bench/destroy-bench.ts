/**
 * Benchmark: `pulumi destroy` of N ExotelTrunks through the real engine against the emulator with
 * Exotel's rate limit enforced (200 requests per 60 s window, 50 concurrent), time-scaled so a window
 * lasts 60 s / TIME_SCALE. Each N also runs a baseline in the same process: the same destroy with no
 * limit on either side.
 *
 *   npm run bench                      # N = 50, 200, 500, 1000, then the shared-account cases; writes bench/RESULTS.md
 *   npm run bench -- 50 200            # chosen N (and the shared-account cases)
 *   BENCH_SHARED=0 npm run bench       # without the shared-account cases (testing/sharedAccount.ts)
 *
 * Reported per N: achieved requests per window / limit (steady state, first to last DELETE), failed
 * operations, 429s received, wall time (and its ratio to the baseline and to the floor N / rate),
 * provider process peak RSS, `__provider` bytes per resource in state.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DEMO_ACCOUNT } from "../emulator";
import { ExotelTrunk } from "../provider";
import { engineDirs, ensurePulumi, openStack, peakRssKb, providerPids, ROOT } from "../testing/engine";
import { EmulatorProcess, startEmulatorProcess } from "../testing/emulatorProcess";
import { maxInWindow } from "../testing/windows";
import { runSharedCase, SHARED_CASES, SharedResult, sharedGoalMisses, sharedTable } from "../testing/sharedAccount";

const LIMIT = 200;
const WINDOW_MS = 60_000;
const CONCURRENT = 50;
const TIME_SCALE = Number(process.env.BENCH_TIME_SCALE ?? 1.5);
const SCALED_WINDOW = WINDOW_MS / TIME_SCALE;

interface RunResult {
    n: number;
    limited: boolean;
    wallMs: number;
    requests: number;
    deletes: number;
    status429: number;
    failedOps: number;
    leftAtExotel: number;
    leftInState: number;
    achievedPerWindow: number;
    maxInAnyWindow: number;
    providerPeakRssMb: number;
    providerBytesPerResource: number;
    stateBytesPerTrunk: number;
    upWallMs: number;
    upRequests: number;
    upPeakRssMb: number;
    /** Requests per trunk of `pulumi refresh` and of the drift check (`preview --refresh`); baseline runs only. */
    refreshPerTrunk?: number;
    driftCheckPerTrunk?: number;
}

async function run(n: number, limited: boolean): Promise<RunResult> {
    // The emulator in its own process, as Exotel is: in this one, busy with the engine, it answers late.
    const emu: EmulatorProcess = await startEmulatorProcess();
    if (limited) await emu.setRateLimit({ requests: LIMIT, windowMs: WINDOW_MS, maxConcurrent: CONCURRENT, timeScale: TIME_SCALE });
    const dirs = engineDirs();
    const config: Record<string, string> = {
        "exotel:accountSid": DEMO_ACCOUNT.accountSid,
        "exotel:apiKey": DEMO_ACCOUNT.apiKey,
        "exotel:baseUrl": emu.baseUrl,
        // The provider is told the same (scaled) limit the emulator enforces.
        "exotel:rateLimitRequestsPerWindow": limited ? String(LIMIT) : "100000",
        "exotel:rateLimitWindowMs": String(limited ? SCALED_WINDOW : WINDOW_MS),
        "exotel:maxConcurrentRequests": String(limited ? CONCURRENT : 1000),
        "exotel:rateLimitBurst": limited ? "10" : "100000",
    };
    const stack = await openStack({
        stackName: `bench${n}${limited ? "l" : "u"}`,
        dirs,
        program: async () => {
            for (let i = 0; i < n; i++) new ExotelTrunk(`t${i}`, { trunkName: `bench_${i}` });
        },
        config,
        secrets: { "exotel:apiToken": DEMO_ACCOUNT.apiToken },
    });
    const sample = (into: { peak: number }) =>
        setInterval(() => {
            for (const pid of providerPids(dirs.workDir)) into.peak = Math.max(into.peak, peakRssKb(pid));
        }, 50);
    const upPeak = { peak: 0 };
    const upSampler = sample(upPeak);
    const tUp = Date.now();
    await stack.up({ parallel: 64 });
    const upWallMs = Date.now() - tUp;
    clearInterval(upSampler);
    const upRequests = (await emu.requests()).length;
    const exported = await stack.exportStack();
    const res = trunksInState(exported);
    const providerBytes = res.reduce((s, r) => s + Buffer.byteLength(r.inputs?.__provider ?? ""), 0) / Math.max(1, res.length);
    const stateBytesPerTrunk = Buffer.byteLength(JSON.stringify(exported.deployment)) / Math.max(1, res.length);
    let refreshPerTrunk: number | undefined;
    let driftCheckPerTrunk: number | undefined;
    if (!limited) {
        await emu.clearLog();
        await stack.refresh({ parallel: 64 });
        refreshPerTrunk = (await emu.requests()).length / n;
        await emu.clearLog();
        await stack.preview({ parallel: 64, refresh: true });
        driftCheckPerTrunk = (await emu.requests()).length / n;
    }

    await emu.clearLog();
    let peak = 0;
    const sampler = setInterval(() => {
        for (const pid of providerPids(dirs.workDir)) peak = Math.max(peak, peakRssKb(pid));
    }, 50);
    const t0 = Date.now();
    let failedOps = 0;
    try {
        await stack.destroy({ parallel: 64 });
    } catch (e) {
        failedOps = (String((e as Error).message).match(/error:/g) ?? []).length || 1;
    }
    const wallMs = Date.now() - t0;
    clearInterval(sampler);

    const reqs = await emu.requests();
    const deletes = reqs.filter((r) => r.method === "DELETE");
    const times = deletes.map((r) => Date.parse(r.time)).sort((a, b) => a - b);
    const window = limited ? SCALED_WINDOW : WINDOW_MS;
    const span = times.length > 1 ? times[times.length - 1] - times[0] : 0;
    // Steady-state rate only when the DELETEs span at least one window; a destroy that fits in one
    // window (N below the limit) cannot show the limit and is reported as such (NaN).
    const perWindow = span >= window ? ((times.length - 1) / span) * window : NaN;
    const inState = trunksInState(await stack.exportStack()).length;
    const result: RunResult = {
        n,
        limited,
        wallMs,
        requests: reqs.length,
        deletes: deletes.length,
        status429: reqs.filter((r) => r.status === 429).length,
        failedOps,
        leftAtExotel: Object.values(await emu.inventory()).reduce((s, a) => s + a.trunks.length, 0),
        leftInState: inState,
        achievedPerWindow: perWindow,
        maxInAnyWindow: maxInWindow(times, window),
        providerPeakRssMb: peak / 1024,
        providerBytesPerResource: Math.round(providerBytes),
        stateBytesPerTrunk: Math.round(stateBytesPerTrunk),
        upWallMs,
        upRequests,
        upPeakRssMb: upPeak.peak / 1024,
        refreshPerTrunk,
        driftCheckPerTrunk,
    };
    await emu.close();
    fs.rmSync(path.dirname(dirs.workDir), { recursive: true, force: true });
    return result;
}

/** The ExotelTrunk resources of an exported stack (the Automation API types the deployment as `any`). */
function trunksInState(exported: { deployment: unknown }): { type: string; inputs?: { __provider?: string } }[] {
    const resources = (exported.deployment as { resources?: { type: string; inputs?: { __provider?: string } }[] }).resources ?? [];
    return resources.filter((r) => r.type === "pulumi-nodejs:dynamic/exotel:ExotelTrunk");
}

function versions(): string {
    const pulumiCli = execFileSync(path.join(ensurePulumi(), "pulumi"), ["version"], { encoding: "utf8" }).trim();
    const pkg = (name: string) =>
        (JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
    return [
        `- machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}`,
        `- Node.js ${process.version}; Pulumi CLI ${pulumiCli} (built from Go modules); @pulumi/pulumi ${pkg("@pulumi/pulumi")}; axios ${pkg("axios")}; bottleneck ${pkg("bottleneck")}; ioredis ${pkg("ioredis")}; ${execFileSync("redis-server", ["--version"], { encoding: "utf8" }).split(" ").slice(0, 3).join(" ")}`,
        `- limit enforced by the emulator: ${LIMIT} requests per ${WINDOW_MS / 1000} s window and ${CONCURRENT} concurrent, time scale ×${TIME_SCALE} (window ${SCALED_WINDOW} ms); engine --parallel 64`,
    ].join("\n");
}

async function main() {
    const ns = process.argv
        .slice(2)
        .map(Number)
        .filter((x) => x > 0);
    const sizes = ns.length ? ns : [50, 200, 500, 1000];
    const rows: string[] = [];
    const upRows: string[] = [];
    const stateRows: string[] = [];
    const results: RunResult[] = [];
    for (const n of sizes) {
        const base = await run(n, false);
        const lim = await run(n, true);
        results.push(base, lim);
        const floorMs = (n / LIMIT) * SCALED_WINDOW;
        const upFloorMs = (lim.upRequests / LIMIT) * SCALED_WINDOW;
        rows.push(
            `| ${n} | ${Number.isNaN(lim.achievedPerWindow) ? `— (all ${lim.deletes} within one window)` : (lim.achievedPerWindow / LIMIT).toFixed(3)} | ${lim.maxInAnyWindow} | ${lim.failedOps} | ${lim.status429} | ${lim.leftAtExotel}/${lim.leftInState} | ${(lim.wallMs / 1000).toFixed(1)} s | ${(lim.wallMs / base.wallMs).toFixed(2)} | ${(lim.wallMs / floorMs).toFixed(2)} | ${lim.providerPeakRssMb.toFixed(0)} MB (baseline ${base.providerPeakRssMb.toFixed(0)}) |`,
        );
        upRows.push(
            `| ${n} | ${lim.upRequests} | ${(lim.upWallMs / 1000).toFixed(1)} s | ${(lim.upWallMs / base.upWallMs).toFixed(2)} | ${(lim.upWallMs / upFloorMs).toFixed(2)} | ${lim.upPeakRssMb.toFixed(0)} MB (baseline ${base.upPeakRssMb.toFixed(0)}) |`,
        );
        stateRows.push(
            `| ${n} | ${lim.providerBytesPerResource} | ${lim.stateBytesPerTrunk} | ${base.refreshPerTrunk?.toFixed(2)} | ${base.driftCheckPerTrunk?.toFixed(2)} |`,
        );
        console.log(JSON.stringify({ baseline: base, limited: lim }));
    }
    const table = [
        "| N trunks | achieved / limit | max DELETEs in any window | failed ops | 429s | left at Exotel/state | destroy wall time | ÷ unlimited baseline | ÷ floor (N at the limit) | provider peak RSS |",
        "|---|---|---|---|---|---|---|---|---|---|",
        ...rows,
    ].join("\n");
    const upTable = [
        "| N trunks | requests | up wall time | ÷ unlimited baseline | ÷ floor (requests at the limit) | provider peak RSS |",
        "|---|---|---|---|---|---|",
        ...upRows,
    ].join("\n");
    const drift = results.find((r) => !r.limited && r.driftCheckPerTrunk !== undefined);
    const hourly = drift ? ((drift.driftCheckPerTrunk! * 500) / (LIMIT * 60)) * 100 : NaN;
    const stateTable = [
        "| N trunks | `__provider` bytes/resource (goal ≤ 2,048) | state bytes/trunk | requests/trunk, `refresh` | requests/trunk, drift check (`preview --refresh`) |",
        "|---|---|---|---|---|",
        ...stateRows,
    ].join("\n");

    const shared: SharedResult[] = [];
    if (process.env.BENCH_SHARED !== "0") {
        const n = Number(process.env.BENCH_SHARED_N ?? 150);
        const scale = Number(process.env.BENCH_SHARED_TIME_SCALE ?? 2);
        const cases = [...SHARED_CASES, { k: 4, redis: true, retryAfter: true, stopRedisAfterMs: (WINDOW_MS / scale) * 0.5 }];
        for (const c of cases) {
            const r = await runSharedCase(c, n, scale);
            console.log(JSON.stringify(r));
            shared.push(r);
        }
    }
    const md =
        `# Benchmarks\n\nProduced by \`npm run bench\` (bench/destroy-bench.ts, testing/sharedAccount.ts) on ${new Date().toISOString()}.\n\n${versions()}\n\n` +
        `## One stack: destroy\n\n${table}\n\n` +
        "Achieved / limit: DELETE requests per (scaled) window in the steady state, first to last DELETE, divided by the 200 limit (target ≥ 0.90). " +
        "The provider keeps a token bucket of 10 + 190 per window, so no window can exceed 200 however the server aligns it. " +
        "Baseline: the same destroy in the same process with no limit on either side.\n\n" +
        `## One stack: up (create), the same runs\n\n${upTable}\n\n` +
        `## State and reads\n\n${stateTable}\n\n` +
        `An hourly drift check of 500 trunks: ${drift ? `${(drift.driftCheckPerTrunk! * 500).toFixed(0)} requests, ${hourly.toFixed(1)}% of the account's hourly budget (200/min × 60 = 12,000)` : "not measured"}.\n\n` +
        (shared.length
            ? `## Several stacks on one account (separate provider processes), destroy\n\n` +
              `Each stack destroys its trunks with \`--parallel 64\`, all at once; the emulator enforces 200 per window and 50 concurrent for the account, ` +
              `time scale ×${process.env.BENCH_SHARED_TIME_SCALE ?? 2}. Floor: k·N requests at the limit. Goals: with Redis 0 429s and ≥ 0.95 of the limit for k = 4; ` +
              `without Redis ≤ 5% refused and ÷ floor ≤ 1.15 for k = 2 and 4; no failed operation anywhere. ` +
              "The emulator runs in its own process (hosted in this one, busy with four engines, it read requests up to 23 s late: measured). " +
              "Achieved ÷ limit: answered DELETEs per window, first to last; a sliding window admits the limit in any window, so a run of a few windows " +
              "can exceed 1 (the first window's requests need not wait); busiest window: the most answered requests in any window (≤ 200 is the limit kept). " +
              "429s by the emulator's reason: the window full, or more than 50 in flight for the account.\n\n" +
              `${sharedTable(shared)}\n`
            : "");
    fs.writeFileSync(path.join(ROOT, "bench", "RESULTS.md"), md);
    console.log(md);
    const bad = results.filter((r) => r.limited && (r.status429 > 0 || r.failedOps > 0 || r.leftAtExotel > 0));
    if (bad.length || shared.some((r) => sharedGoalMisses(r).length > 0)) process.exitCode = 1;
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
