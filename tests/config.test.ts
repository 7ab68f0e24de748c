import { resolveConfig } from "../provider/config";

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
        [{ "exotel:baseUrl": "http://api.exotel.com" }, /must use https.*EXOTEL_BASE_URL/],
        [{ "exotel:baseUrl": "https://k:secret_tok@api.exotel.com" }, /must not contain credentials/],
        [{ "exotel:region": "mumbai", "exotel:maxRetries": "-1" }, /exotel:maxRetries \(EXOTEL_MAX_RETRIES\) must be a number from 0 to 50/],
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
                "exotel:rateLimitPerMinute": "100",
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
