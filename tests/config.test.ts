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
    test("defaults, as the README documents them: 30 s per request, 300 s per operation, 6 retries from 500 ms, Exotel's limits", () => {
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

/** The README's configuration table, as CONFIG_TABLE renders it. */
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

test("README's configuration table is CONFIG_TABLE (each setting once: key, env var, default, doc)", () => {
    const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
    expect(readme).toContain(configTableMarkdown());
});
