/**
 * What the provider plugin's YAML and Go suites share: the emulator with two accounts, an example project
 * copied outside the checkout with the release tarball installed and a stack configured for both accounts,
 * and the checks every language must pass the same way (each account's own key, no plaintext secret,
 * destroy from a bare project).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DEMO_ACCOUNT, Emulator, startEmulator } from "../../emulator";
import { ConsumerProject, ensurePulumi, laneFromEnv, ROOT } from "../../testing/consumer";
import { installPackInto, summary, withPolicy } from "../../testing/policy";
import { buildPluginTarball, ensureLanguageHost, plaintextSecrets, PLUGIN_VERSION, releaseFile, theRelease } from "./plugin";

export const ACC = DEMO_ACCOUNT.accountSid;
/** The second account, reached through an explicit provider. */
export const SECOND = { accountSid: "acct_second", apiKey: "second_key", apiToken: "second_token_never_in_plaintext" };

/**
 * A directory of the system tools the suites' shell steps use (bash, tar, …), linked from where they are: on
 * Debian `node` sits beside them in /usr/bin, so PATH cannot simply keep /usr/bin.
 */
export function toolsWithoutNode(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-exotel-no-node-bin-"));
    for (const tool of [
        "bash",
        "sh",
        "env",
        "cat",
        "tar",
        "gzip",
        "rm",
        "mkdir",
        "cp",
        "mv",
        "ls",
        "grep",
        "sed",
        "head",
        "tail",
        "uname",
    ]) {
        const from = ["/usr/bin", "/bin"].map((d) => path.join(d, tool)).find((f) => fs.existsSync(f));
        if (from) fs.symlinkSync(from, path.join(dir, tool));
    }
    return dir;
}

/** The release archive of one platform, from the release (theRelease: npm test's one dry run). */
function releaseArchive(platform: string): string {
    const release = theRelease();
    return path.join(release.dir, release.archives.find((a) => a.platform === platform)!.archive);
}

export class PluginSuite {
    readonly lane = laneFromEnv();
    readonly reportFile: string;
    emu!: Emulator;
    p!: ConsumerProject;
    tarball = "";

    constructor(
        readonly example: string,
        readonly language: "yaml" | "go" | "python" | "nodejs",
        /** The PBX credential's password, set as the secret config `pbxPassword`. */
        readonly pbxPassword: string,
    ) {
        this.reportFile = path.join(os.tmpdir(), `pulumi-exotel-plugin-${language}-${this.lane.name}.log`);
    }

    report = (line: string) => fs.appendFileSync(this.reportFile, line + "\n");

    /** Emulator, project, installed plugin (then `afterInstall`, e.g. `pulumi package add`), stack `dev` with both accounts. */
    async open(afterInstall?: (p: ConsumerProject) => Promise<unknown>): Promise<void> {
        const l = this.lane;
        fs.writeFileSync(
            this.reportFile,
            `# exotel provider plugin, ${this.language} program, lane ${l.name}: node ${process.version}, CLI v${l.cliVersion}\n`,
        );
        const cliDir = [ensurePulumi(l.cliVersion), ...(this.language === "nodejs" ? [] : [ensureLanguageHost(this.language)])].join(
            path.delimiter,
        );
        // PULUMI_EXOTEL_PLUGIN_FROM=release (npm test's `nonode` job): the plugin from its linux-amd64 release
        // archive (a Node single executable) and no `node` on the programs' PATH: the CLI and language host only.
        const fromRelease = process.env.PULUMI_EXOTEL_PLUGIN_FROM === "release";
        this.tarball = fromRelease ? releaseArchive("linux-amd64") : buildPluginTarball();
        this.emu = await startEmulator({
            accounts: {
                [ACC]: { apiKey: DEMO_ACCOUNT.apiKey, apiToken: DEMO_ACCOUNT.apiToken },
                [SECOND.accountSid]: { apiKey: SECOND.apiKey, apiToken: SECOND.apiToken },
            },
        });
        const p = (this.p = ConsumerProject.create({ example: this.example, tarball: this.tarball, lane: l, cliDir, log: this.report }));
        if (fromRelease) {
            p.env.PATH = [cliDir, toolsWithoutNode()].join(path.delimiter);
            const which = await p.run("/bin/sh", ["-c", "command -v node || echo none"]);
            if (which.stdout.trim() !== "none") throw new Error(`node is still on the programs' PATH: ${which.stdout.trim()}`);
            this.report(`# plugin from ${this.tarball}; PATH=${p.env.PATH} (no node)`);
        }
        await p.pulumi("plugin", "install", "resource", "exotel", PLUGIN_VERSION, "--file", this.tarball);
        await afterInstall?.(p);
        await this.initStack("dev");
    }

    /** `pulumi stack init <stack>` (selected from then on) with both accounts and the PBX password in its config. */
    private async initStack(stack: string): Promise<void> {
        const p = this.p;
        await p.initStack(stack, { baseUrl: this.emu.baseUrl, ...DEMO_ACCOUNT });
        await p.pulumi("config", "set", "--secret", "pbxPassword", this.pbxPassword);
        await p.pulumi("config", "set", "secondAccountSid", SECOND.accountSid);
        await p.pulumi("config", "set", "secondApiKey", SECOND.apiKey);
        await p.pulumi("config", "set", "--secret", "secondApiToken", SECOND.apiToken);
        await p.pulumi("config", "set", "secondBaseUrl", this.emu.baseUrl);
    }

    /**
     * A known state for one test: the emulator emptied (trunks, faults, request log), the example's own files
     * copied over the project again (undoing a program another test edited), and a new stack `stack`,
     * selected, configured as `open` configures `dev`. Stacks of earlier tests stay in the backend untouched.
     */
    async freshStack(stack: string): Promise<void> {
        this.emu.store.reset();
        this.emu.faults.clear();
        this.emu.clearLog();
        fs.cpSync(path.join(ROOT, "examples", this.example), this.p.dir, { recursive: true, force: true });
        await this.initStack(stack);
    }

    async close(): Promise<void> {
        await this.emu?.close();
        this.p?.remove();
        if (this.packDir) fs.rmSync(this.packDir, { recursive: true, force: true });
    }

    private packDir?: string;

    /**
     * The example passes the policy pack (`pulumi preview --policy-pack`): no violation, the pack named in the
     * output, nothing sent. The pack from the release's pulumi-exotel package, installed outside the project as the
     * README tells YAML, Python and Go users (outside `p.base`, so the plaintext-secret scan reads only the project).
     */
    async expectPolicyPasses(): Promise<void> {
        this.packDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-exotel-policy-"));
        const pack = await installPackInto(
            this.p,
            this.packDir,
            releaseFile(theRelease(), `/pulumi-exotel-${PLUGIN_VERSION}.tgz`),
            this.lane.pulumiSdk,
        );
        this.emu.clearLog();
        const r = await withPolicy(this.p, pack);
        this.report(r.run.stdout);
        expect([r.run.code, summary(r.violations)]).toEqual([0, []]);
        expect(r.run.stdout).toContain(`exotel-trunks@v${PLUGIN_VERSION}`);
        expect(this.writes()).toEqual([]);
    }

    /** Every request but GETs, since the log was last cleared. */
    writes() {
        return this.emu.requests.filter((r) => r.method !== "GET");
    }

    trunksOf(acc: string) {
        return this.emu.inventory(acc)[acc]?.trunks ?? [];
    }

    /**
     * After the example's first `up`: one trunk in each account, every request with its own account's key, and the
     * writes of a trunk with every attachment (primary) and of the second account's trunk; the sids.
     */
    expectCreatedBoth(outs: Record<string, unknown>, lookedUpName: string): { primary: string; second: string } {
        const primary = outs.primaryTrunkSid as string;
        const second = outs.secondTrunkSid as string;
        expect(this.trunksOf(ACC).map((t) => t.trunk_sid)).toEqual([primary]);
        expect(this.trunksOf(SECOND.accountSid).map((t) => t.trunk_sid)).toEqual([second]);
        for (const r of this.writes()) this.report(`  ${r.method} ${r.url} -> ${r.status} (${r.authUser})`);
        // Every request to an account carries that account's key, never the other's.
        expect(new Set(this.accountKeys())).toEqual(new Set([`${ACC} ${DEMO_ACCOUNT.apiKey}`, `${SECOND.accountSid} ${SECOND.apiKey}`]));
        expect(
            this.writes()
                .map((r) => `${r.method} ${r.url.replace(primary, "<p>").replace(second, "<s>")}`)
                .sort(),
        ).toEqual(
            [
                `POST /v2/accounts/${ACC}/trunks`,
                `POST /v2/accounts/${ACC}/trunks/<p>/whitelisted-ips`,
                `POST /v2/accounts/${ACC}/trunks/<p>/whitelisted-ips`,
                `POST /v2/accounts/${ACC}/trunks/<p>/destination-uris`,
                `POST /v2/accounts/${ACC}/trunks/<p>/phone-numbers`,
                `POST /v2/accounts/${ACC}/trunks/<p>/phone-numbers`,
                `POST /v2/accounts/${ACC}/trunks/<p>/settings`,
                `POST /v2/accounts/${ACC}/trunks/<p>/credentials`,
                `POST /v2/accounts/${SECOND.accountSid}/trunks`,
                `POST /v2/accounts/${SECOND.accountSid}/trunks/<s>/whitelisted-ips`,
                `POST /v2/accounts/${SECOND.accountSid}/trunks/<s>/destination-uris`,
            ].sort(),
        );
        expect(outs).toMatchObject({ primaryCallerId: "+918047091234", secondAccountSid: SECOND.accountSid, lookedUpName });
        return { primary, second };
    }

    /** Each request carries the key of the account in its path, never the other's: "<account> <key>" per request. */
    accountKeys(): string[] {
        return this.emu.requests.map((r) => `${/\/v2\/accounts\/([^/]+)/.exec(r.url)![1]} ${r.authUser}`);
    }

    /** What `pulumi stack export` and every file of the project and state backend hold in plaintext of the secrets. */
    async leakedSecrets(): Promise<string[]> {
        const secrets = [DEMO_ACCOUNT.apiToken, SECOND.apiToken, this.pbxPassword];
        const exported = (await this.p.pulumi("stack", "export")).stdout;
        return [
            ...secrets.filter((s) => exported.includes(s)).map((s) => `stack export: ${s}`),
            ...plaintextSecrets([this.p.base], secrets),
        ];
    }

    /** The seed's DELETE of each trunk, with the key of its account, as `destroyFromBareProject` lists writes. */
    seedDeletes(primary: string, second: string): string[] {
        return [
            `DELETE /v2/accounts/${ACC}/trunks?trunk_sid=${primary} ${DEMO_ACCOUNT.apiKey}`,
            `DELETE /v2/accounts/${SECOND.accountSid}/trunks?trunk_sid=${second} ${SECOND.apiKey}`,
        ].sort();
    }

    /**
     * `pulumi destroy` of `stack` from a directory holding only a `Pulumi.yaml` with the project's name and
     * runtime (no program, no stack config file): its exit code, and its writes as "<method> <url> <key>", sorted.
     */
    async destroyFromBareProject(name: string, runtime: string, stack = "dev"): Promise<{ code: number; writes: string[] }> {
        const bare = fs.mkdtempSync(path.join(this.p.base, "bare-"));
        fs.writeFileSync(path.join(bare, "Pulumi.yaml"), `name: ${name}\nruntime: ${runtime}\n`);
        this.emu.clearLog();
        const r = await this.p.run("pulumi", ["destroy", "--yes", "--stack", stack], {}, bare);
        this.report(`  bare destroy: exit ${r.code}\n${r.stdout}\n${r.stderr}`);
        return {
            code: r.code,
            writes: this.writes()
                .map((x) => `${x.method} ${x.url} ${x.authUser}`)
                .sort(),
        };
    }
}
