import * as fs from "fs";
import * as path from "path";
import { CONFIG_TABLE, resolveConfig, Setting } from "../provider/config";

const base = { "exotel:apiKey": "k", "exotel:apiToken": "t", "exotel:accountSid": "acct" };
const get = (cfg: Record<string, string>) => (k: string) => cfg[k];

describe("resolveConfig", () => {
    test.each([
        ["mumbai", "https://api.in.exotel.com"],
        ["singapore", "https://api.exotel.com"],
        ["Mumbai", "https://api.in.exotel.com"],
    ])("region %s -> %s", (region, url) => {
        const r = resolveConfig(get({ ...base, "exotel:region": region }), {});
        expect(r.problems).toEqual([]);
        expect(r.client?.baseUrl).toBe(url);
        expect(r.region).toBe(region.toLowerCase());
    });

    test("baseUrl overrides the region host; without a region the trunk records region 'custom'", () => {
        const r = resolveConfig(get({ ...base, "exotel:baseUrl": "http://127.0.0.1:9000" }), {});
        expect(r.client?.baseUrl).toBe("http://127.0.0.1:9000");
        expect(r.region).toBe("custom");
    });

    test("stack config wins over the environment; the environment fills gaps", () => {
        const r = resolveConfig(get({ "exotel:apiKey": "from_config" }), {
            EXOTEL_API_KEY: "from_env",
            EXOTEL_API_TOKEN: "tok",
            EXOTEL_ACCOUNT_SID: "acct",
            EXOTEL_REGION: "singapore",
        });
        expect(r.client).toMatchObject({ apiKey: "from_config", apiToken: "tok", accountSid: "acct", baseUrl: "https://api.exotel.com" });
    });

    test.each([
        [{ "exotel:region": "us" }, /exotel:region \(EXOTEL_REGION\) must be "mumbai".*"singapore"/],
        [{ "exotel:baseUrl": "http://api.exotel.com" }, /exotel:baseUrl \(EXOTEL_BASE_URL\) must use https/],
        [{ "exotel:baseUrl": "https://k:secret_tok@api.exotel.com" }, /must not contain credentials/],
        [
            { "exotel:region": "mumbai", "exotel:maxRetries": "-1" },
            /exotel:maxRetries \(EXOTEL_MAX_RETRIES\) must be a number from 0 to 50/,
        ],
        [{ "exotel:region": "mumbai", "exotel:operationTimeoutSeconds": "soon" }, /exotel:operationTimeoutSeconds.*must be a number/],
        [{}, /exotel:region is not set/],
    ])("%j is a clear problem, and no client is made", (extra, msg) => {
        const r = resolveConfig(get({ ...base, ...(extra as Record<string, string>) }), {});
        expect(r.client).toBeUndefined();
        expect(r.problems.join("; ")).toMatch(msg);
        expect(r.problems.join("; ")).not.toContain("secret_tok");
    });

    test("timeouts, retries and rate limits flow into the client options", () => {
        const r = resolveConfig(
            get({
                ...base,
                "exotel:region": "mumbai",
                "exotel:requestTimeoutSeconds": "5",
                "exotel:operationTimeoutSeconds": "900",
                "exotel:maxRetries": "3",
                "exotel:rateLimitRequestsPerWindow": "100",
                "exotel:maxConcurrentRequests": "10",
            }),
            {},
        );
        expect(r.client).toMatchObject({
            timeouts: { requestTimeoutMs: 5000, operationDeadlineMs: 900000 },
            retry: { limit: 3 },
            rateLimit: { requestsPerWindow: 100, maxConcurrent: 10 },
        });
    });
});

describe("resolveConfig: every problem, exactly (one per cause, named for where settings come from)", () => {
    const full = { ...base, "exotel:region": "mumbai" };
    const HTTPS = "must use https (plain http is allowed only for loopback hosts such as the emulator)";
    const REGION = 'must be "mumbai" (api.in.exotel.com) or "singapore" (api.exotel.com); got "us"';
    test.each<[string, Record<string, string | undefined>, Record<string, string>, "stack" | "environment", string[]]>([
        [
            "nothing set, in a program",
            {},
            {},
            "stack",
            [
                "exotel:apiKey is not set: run `pulumi config set exotel:apiKey ...` or set the environment variable EXOTEL_API_KEY",
                "exotel:apiToken is not set: run `pulumi config set --secret exotel:apiToken ...` or set the environment variable EXOTEL_API_TOKEN",
                "exotel:accountSid is not set: run `pulumi config set exotel:accountSid ...` or set the environment variable EXOTEL_ACCOUNT_SID",
                "exotel:region is not set: run `pulumi config set exotel:region mumbai` (or singapore), or set the environment variable EXOTEL_REGION; " +
                    "exotel:baseUrl / EXOTEL_BASE_URL overrides the host",
            ],
        ],
        [
            "nothing set, outside a program (the CLI names the variables only)",
            {},
            {},
            "environment",
            [
                "EXOTEL_API_KEY is not set (API key (the Basic-auth user))",
                "EXOTEL_API_TOKEN is not set (API token)",
                "EXOTEL_ACCOUNT_SID is not set (account SID (path prefix `/v2/accounts/<sid>`))",
                "EXOTEL_REGION is not set: set it to mumbai or singapore (EXOTEL_BASE_URL overrides the host)",
            ],
        ],
        [
            "a bad account SID is one problem (not also 'not set')",
            { ...full, "exotel:accountSid": "bad sid" },
            {},
            "stack",
            ["exotel:accountSid (EXOTEL_ACCOUNT_SID) must be an Exotel account SID (letters, digits, _ or -)"],
        ],
        [
            "bad values outside a program",
            {},
            { EXOTEL_API_KEY: "k", EXOTEL_API_TOKEN: "t", EXOTEL_ACCOUNT_SID: "bad sid", EXOTEL_BASE_URL: "ftp://x" },
            "environment",
            ["EXOTEL_ACCOUNT_SID must be an Exotel account SID (letters, digits, _ or -)", `EXOTEL_BASE_URL ${HTTPS}; got ftp://x`],
        ],
        [
            "a bad base URL and no region: the URL's problem only",
            { ...base, "exotel:baseUrl": "nope" },
            {},
            "stack",
            ["exotel:baseUrl (EXOTEL_BASE_URL) is not a valid URL"],
        ],
        [
            "a bad base URL next to a good region: not replaced by the region's host",
            { ...full, "exotel:baseUrl": "http://x.com" },
            {},
            "stack",
            [`exotel:baseUrl (EXOTEL_BASE_URL) ${HTTPS}; got http://x.com`],
        ],
        [
            "a bad region and no base URL: the region's problem only",
            { ...base, "exotel:region": "us" },
            {},
            "stack",
            [`exotel:region (EXOTEL_REGION) ${REGION}`],
        ],
        [
            "a bad region next to a good base URL",
            { ...base, "exotel:region": "us", "exotel:baseUrl": "http://127.0.0.1:1" },
            {},
            "stack",
            [`exotel:region (EXOTEL_REGION) ${REGION}`],
        ],
        [
            "an empty value counts as not set",
            { ...full, "exotel:apiKey": "" },
            {},
            "stack",
            ["exotel:apiKey is not set: run `pulumi config set exotel:apiKey ...` or set the environment variable EXOTEL_API_KEY"],
        ],
    ])("%s", (_label, cfg, env, source, problems) => {
        const r = resolveConfig(get(cfg as Record<string, string>), env, undefined, source);
        expect(r.problems).toEqual(problems);
        expect(r.client).toBeUndefined();
    });

    test("a resource's connection replaces all five account settings: config and environment are not read for them", () => {
        const r = resolveConfig(
            get({ ...full, "exotel:maxRetries": "2" }),
            { EXOTEL_API_KEY: "env_key" },
            { accountSid: "c1", apiKey: "ck", apiToken: "ct", baseUrl: "http://127.0.0.1:2" },
        );
        expect(r.problems).toEqual([]);
        expect(r.region).toBe("custom");
        expect(r.accountSid).toBe("c1");
        expect(r.client).toMatchObject({
            baseUrl: "http://127.0.0.1:2",
            accountSid: "c1",
            apiKey: "ck",
            apiToken: "ct",
            retry: { limit: 2 },
        });
    });

    test("a connection without region or base URL does not borrow the stack's region", () => {
        const r = resolveConfig(get(full), {}, { accountSid: "c1", apiKey: "ck", apiToken: "ct" });
        expect(r.problems).toEqual([expect.stringMatching(/^exotel:region is not set/)]);
        expect(r.client).toBeUndefined();
    });

    test("a region alone gives its host; a good base URL wins over it", () => {
        expect(resolveConfig(get({ ...base, "exotel:region": "singapore" }), {}).client?.baseUrl).toBe("https://api.exotel.com");
        const r = resolveConfig(get({ ...base, "exotel:region": "singapore", "exotel:baseUrl": "https://proxy.example.com/exotel" }), {});
        expect([r.client?.baseUrl, r.region]).toEqual(["https://proxy.example.com/exotel", "singapore"]);
    });
});

describe("number settings: each bound on both sides", () => {
    // [setting, value, the parsed value or the problem's tail]
    test.each<[string, string, number | string]>([
        ["exotel:maxRetries", "0", 0],
        ["exotel:maxRetries", "50", 50],
        ["exotel:maxRetries", "-1", "must be a number from 0 to 50"],
        ["exotel:maxRetries", "51", "must be a number from 0 to 50"],
        ["exotel:maxRetries", " ", "must be a number from 0 to 50"],
        ["exotel:maxRetries", "NaN", "must be a number from 0 to 50"],
        ["exotel:maxRetries", " 7 ", 7],
        ["exotel:requestTimeoutSeconds", "1", 1],
        ["exotel:requestTimeoutSeconds", "0.5", "must be a number from 1 to 600"],
        ["exotel:requestTimeoutSeconds", "600", 600],
        ["exotel:requestTimeoutSeconds", "601", "must be a number from 1 to 600"],
        ["exotel:operationTimeoutSeconds", "Infinity", "must be a number from 1 to 86400"],
        ["exotel:operationTimeoutSeconds", "86400", 86400],
        ["exotel:rateLimitWindowMs", "3600001", "must be a number from 1 to 3600000"],
        ["exotel:rateLimitWindowMs", "1e3", 1000],
    ])("%s = %j", (key, raw, want) => {
        const r = resolveConfig(get({ ...base, "exotel:region": "mumbai", [key]: raw }), {});
        const setting = Object.values(CONFIG_TABLE).find((s) => s.key === key)!;
        if (typeof want === "string") expect(r.problems).toEqual([`${key} (${setting.env}) ${want}`]);
        else {
            expect(r.problems).toEqual([]);
            const c = r.client!;
            const got = {
                "exotel:maxRetries": c.retry?.limit,
                "exotel:requestTimeoutSeconds": c.timeouts!.requestTimeoutMs! / 1000,
                "exotel:operationTimeoutSeconds": c.timeouts!.operationDeadlineMs! / 1000,
                "exotel:rateLimitWindowMs": c.rateLimit && c.rateLimit.windowMs,
            }[key];
            expect(got).toBe(want);
        }
    });
});

describe("deprecated names", () => {
    test("exotel:rateLimitPerMinute still works, with a warning naming its successor", () => {
        const r = resolveConfig(get({ ...base, "exotel:region": "mumbai", "exotel:rateLimitPerMinute": "120" }), {});
        expect(r.client?.rateLimit).toMatchObject({ requestsPerWindow: 120 });
        expect(r.warnings.join("\n")).toMatch(
            /exotel:rateLimitPerMinute \(EXOTEL_RATE_LIMIT_PER_MINUTE\) is deprecated.*use exotel:rateLimitRequestsPerWindow/,
        );
    });
    test("the new name wins over the old one, and no warning is given then", () => {
        const r = resolveConfig(get({ ...base, "exotel:region": "mumbai", "exotel:rateLimitRequestsPerWindow": "90" }), {
            EXOTEL_RATE_LIMIT_PER_MINUTE: "5",
        });
        expect(r.client?.rateLimit).toMatchObject({ requestsPerWindow: 90 });
        expect(r.warnings).toEqual([]);
    });
    test("defaults, as docs/installation-configuration.md documents them: 30 s per request, 300 s per operation, 6 retries from 500 ms, Exotel's limits", () => {
        const r = resolveConfig(get({ ...base, "exotel:region": "mumbai" }), {});
        expect(r.client).toEqual({
            baseUrl: "https://api.in.exotel.com",
            accountSid: base["exotel:accountSid"],
            apiKey: base["exotel:apiKey"],
            apiToken: base["exotel:apiToken"],
            timeouts: { requestTimeoutMs: 30_000, operationDeadlineMs: 300_000 },
            retry: { limit: 6, backoffBaseMs: 500 },
            rateLimit: { requestsPerWindow: 200, windowMs: 60_000, maxConcurrent: 50, burst: 10 },
        });
        expect(r.operationTimeoutMs).toBe(300_000);
        expect(r.region).toBe("mumbai");
    });
});

/** The configuration table of docs/installation-configuration.md, as CONFIG_TABLE renders it. */
export function configTableMarkdown(): string {
    const rows = Object.values(CONFIG_TABLE as Record<string, Setting<string | number>>).map((s) => {
        const key = s.secret ? `\`${s.key}\` (**secret**)` : `\`${s.key}\``;
        const def = s.default === undefined ? "—" : `\`${String(s.default)}\``;
        const old = s.deprecated?.length
            ? ` Formerly ${s.deprecated.map((d) => `\`${d.key}\``).join(", ")} (still read, with a warning)`
            : "";
        return `| ${key} | \`${s.env}\` | ${def} | ${s.doc}.${old} |`;
    });
    return ["| config key | env var | default | meaning |", "|---|---|---|---|", ...rows].join("\n");
}

test("docs/installation-configuration.md's configuration table is CONFIG_TABLE (each setting once: key, env var, default, doc)", () => {
    const page = fs.readFileSync(path.join(__dirname, "..", "docs", "installation-configuration.md"), "utf8");
    expect(page).toContain(configTableMarkdown());
});
