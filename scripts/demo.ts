/**
 * The demo (README command 1), run exactly as a user would: packs this package, copies the demo project
 * (`examples/full-trunk`, the program the root Pulumi.yaml names) to a temporary directory outside the
 * checkout, installs the tarball there with npm, starts the Exotel emulator, and runs the real `pulumi`
 * CLI with the Node.js language host: `pulumi up`, the stack outputs, `pulumi destroy`, then prints the
 * one DELETE the emulator received and checks it holds nothing. Exits non-zero when anything differs.
 *
 *   PULUMI_EXOTEL_LANE=current npm run demo   # the CLI/SDK of the current lane (see testing/consumer.ts)
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DEMO_ACCOUNT, startEmulator } from "../emulator";
import { ConsumerProject, ensurePulumi, laneFromEnv, packPackage } from "../testing/consumer";

function fail(msg: string): never {
    console.error(`\ndemo FAILED: ${msg}`);
    process.exit(1);
}

async function main(): Promise<void> {
    const lane = laneFromEnv();
    console.log(`== Pulumi CLI v${lane.cliVersion} and its Node.js language host`);
    const cliDir = ensurePulumi(lane.cliVersion);
    console.log(`using ${cliDir}; node ${process.version}`);

    const base = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-exotel-demo-"));
    console.log(`\n== npm pack, and a user project in ${base}`);
    const tarball = packPackage(base);
    const project = ConsumerProject.create({ example: "full-trunk", tarball, lane, cliDir, baseDir: base, log: console.log });
    await project.install();

    const emu = await startEmulator();
    console.log(`\n== Exotel emulator at ${emu.baseUrl} (account ${DEMO_ACCOUNT.accountSid})`);
    try {
        await project.initStack("demo", { baseUrl: emu.baseUrl, ...DEMO_ACCOUNT });
        console.log("\n== pulumi up --yes");
        process.stdout.write((await project.pulumi("up", "--yes")).stdout);
        const outs = await project.outputs();
        console.log("\n== pulumi stack output --json");
        console.log(JSON.stringify(outs, null, 2));
        const inv = emu.inventory(DEMO_ACCOUNT.accountSid)[DEMO_ACCOUNT.accountSid];
        if (inv.trunks.length !== 1 || inv.trunks[0].trunk_sid !== outs.trunkSid)
            fail("the emulator does not hold exactly the trunk Pulumi created");
        if (inv.numbers.length !== 2 || inv.ips.length !== 2 || inv.destinations.length !== 1 || inv.settings.length !== 1) {
            fail(
                `attachments differ: ${inv.numbers.length} numbers, ${inv.ips.length} IPs, ${inv.destinations.length} destinations, ${inv.settings.length} settings`,
            );
        }
        if (inv.numbers.find((n) => n.phone_number === "+918047091235")?.mode !== "flow") fail("+918047091235 is not in flow mode");

        console.log("\n== pulumi destroy --yes");
        emu.clearLog();
        process.stdout.write((await project.pulumi("destroy", "--yes")).stdout);
        console.log("\n== requests the emulator received during destroy");
        for (const r of emu.requests) console.log(`${r.method} ${r.url}  -> ${r.status} (auth ${r.authScheme} as ${r.authUser})`);
        const expected = `DELETE /v2/accounts/${DEMO_ACCOUNT.accountSid}/trunks?trunk_sid=${outs.trunkSid}`;
        if (emu.requests.length !== 1 || `${emu.requests[0].method} ${emu.requests[0].url}` !== expected) {
            fail(`expected exactly one request, ${expected}`);
        }
        const left = Object.values(emu.inventory()).reduce(
            (n, a) => n + a.trunks.length + a.numbers.length + a.ips.length + a.destinations.length,
            0,
        );
        if (left !== 0) fail(`the emulator still holds ${left} object(s)`);
        console.log(
            "\ndemo OK: a user project with the packed package created the trunk with all attachments, destroyed it with one DELETE; emulator empty",
        );
        project.remove();
    } finally {
        await emu.close();
    }
}

main().catch((e: unknown) => fail(e instanceof Error ? (e.stack ?? e.message) : String(e)));
