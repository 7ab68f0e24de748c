/**
 * The demo (README command 1): builds or finds the Pulumi CLI, starts the Exotel emulator, runs the
 * root Pulumi.yaml project's program (a full PSTN trunk) with `pulumi up`, prints the outputs, runs
 * `pulumi destroy`, prints the DELETE the emulator received and checks the emulator is empty.
 * Exits non-zero when anything differs. Each run starts from fresh local state (the emulator's data
 * lives only as long as the run).
 */
import * as fs from "fs";
import * as path from "path";
import { DEMO_ACCOUNT, startEmulator } from "../emulator";
import { fullPstnTrunk } from "../examples/fullPstnTrunk";
import { ROOT, engineDirs, ensurePulumi, openStack } from "./engine";

function fail(msg: string): never {
    console.error(`\ndemo FAILED: ${msg}`);
    process.exit(1);
}

async function main(): Promise<void> {
    console.log("== Pulumi CLI");
    const bin = ensurePulumi();
    console.log(`using ${path.join(bin, "pulumi")}`);

    const emu = await startEmulator();
    console.log(`== Exotel emulator at ${emu.baseUrl} (account ${DEMO_ACCOUNT.accountSid})`);

    const base = path.join(ROOT, ".demo");
    fs.rmSync(base, { recursive: true, force: true });
    const dirs = { ...engineDirs(base), workDir: ROOT };
    const stack = await openStack({
        stackName: "demo",
        useProjectFile: true,
        program: async () => fullPstnTrunk(),
        dirs,
        config: { "exotel:accountSid": DEMO_ACCOUNT.accountSid, "exotel:apiKey": DEMO_ACCOUNT.apiKey, "exotel:baseUrl": emu.baseUrl },
        secrets: { "exotel:apiToken": DEMO_ACCOUNT.apiToken },
    });

    try {
        console.log("\n== pulumi up --yes");
        const up = await stack.up({ onOutput: (s) => process.stdout.write(s) });
        const outs = Object.fromEntries(Object.entries(up.outputs).map(([k, v]) => [k, v.value]));
        console.log("\n== outputs");
        console.log(JSON.stringify(outs, null, 2));
        const inv = emu.inventory(DEMO_ACCOUNT.accountSid)[DEMO_ACCOUNT.accountSid];
        if (inv.trunks.length !== 1 || inv.trunks[0].trunk_sid !== outs.trunkSid) fail("the emulator does not hold exactly the trunk Pulumi created");
        if (inv.numbers.length !== 2 || inv.ips.length !== 2 || inv.destinations.length !== 1 || inv.settings.length !== 1) {
            fail(`attachments differ: ${inv.numbers.length} numbers, ${inv.ips.length} IPs, ${inv.destinations.length} destinations, ${inv.settings.length} settings`);
        }
        if (inv.numbers.find((n) => n.phone_number === "+918047091235")?.mode !== "flow") fail("+918047091235 is not in flow mode");

        console.log("\n== pulumi destroy --yes");
        emu.clearLog();
        await stack.destroy({ onOutput: (s) => process.stdout.write(s) });
        console.log("\n== requests the emulator received during destroy");
        for (const r of emu.requests) console.log(`${r.method} ${r.url}  -> ${r.status} (auth ${r.authScheme} as ${r.authUser})`);
        const expected = `DELETE /v2/accounts/${DEMO_ACCOUNT.accountSid}/trunks?trunk_sid=${outs.trunkSid}`;
        if (emu.requests.length !== 1 || `${emu.requests[0].method} ${emu.requests[0].url}` !== expected) {
            fail(`expected exactly one request, ${expected}`);
        }
        const left = Object.values(emu.inventory()).reduce((n, a) => n + a.trunks.length + a.numbers.length + a.ips.length + a.destinations.length, 0);
        if (left !== 0) fail(`the emulator still holds ${left} object(s)`);
        console.log("\ndemo OK: trunk created with all attachments, destroyed with one DELETE, emulator empty");
    } finally {
        await emu.close();
    }
}

main().catch((e) => fail(e?.stack ?? String(e)));
