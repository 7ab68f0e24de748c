/**
 * The Exotel emulator: a real HTTP server on loopback serving Exotel's v2 SIP-trunking API from a
 * `Store`, with Basic auth per account, a request log, programmable faults, an optional enforced rate
 * limit, and admin endpoints under `/__emulator/` (no auth) for tests running in other processes.
 */
import * as http from "http";
import { AddressInfo } from "net";
import { FaultController } from "./faults";
import { RateLimitOptions, SlidingWindowLimiter } from "./rateLimit";
import { admin } from "./admin";
import { fail } from "./answers";
import { applyFault } from "./faultAnswer";
import { partialBody, route } from "./routes";
import { Answer, Store, StoreOptions } from "./store";
import { answerInfo, LoggedRequest, parseBasic, send } from "./wire";

export type { LoggedRequest } from "./wire";

export interface EmulatorAccount {
    apiKey: string;
    apiToken: string;
}

export interface EmulatorOptions extends Partial<StoreOptions> {
    /** 0 (default) picks a free port. */
    port?: number;
    host?: string;
    /** Account SID -> credentials. Default: one demo account (see DEMO_ACCOUNT). */
    accounts?: Record<string, EmulatorAccount>;
    rateLimit?: RateLimitOptions;
    /** Delay added to every answer, ms. */
    latencyMs?: number;
}

export const DEMO_ACCOUNT = { accountSid: "demo_account", apiKey: "demo_key", apiToken: "demo_token_not_secret" };

export interface Emulator {
    baseUrl: string;
    port: number;
    store: Store;
    faults: FaultController;
    /** Every API request received, in order (admin calls are not logged). */
    requests: LoggedRequest[];
    clearLog(): void;
    /** Trunks (with attachments) per account, deep-copied. */
    inventory(accountSid?: string): ReturnType<Store["snapshot"]>;
    setRateLimit(opts: RateLimitOptions | undefined): void;
    rateLimiter?: SlidingWindowLimiter;
    /**
     * Rotates an account's API token (as Exotel's dashboard does): from now on only `apiToken` is accepted
     * for that account; the old one gets 401/1010. An unknown account is added with `apiKey` (required then).
     */
    setAccountToken(accountSid: string, apiToken: string, apiKey?: string): void;
    /** Delay added to every answer from now on, ms (0: none). */
    setLatency(ms: number): void;
    close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
    const store = new Store(options);
    const faults = new FaultController();
    const accounts: Record<string, EmulatorAccount> = Object.fromEntries(
        Object.entries(
            options.accounts ?? { [DEMO_ACCOUNT.accountSid]: { apiKey: DEMO_ACCOUNT.apiKey, apiToken: DEMO_ACCOUNT.apiToken } },
        ).map(([sid, a]) => [sid, { ...a }]),
    );
    let latencyMs = options.latencyMs ?? 0;
    let limiter = options.rateLimit ? new SlidingWindowLimiter(options.rateLimit) : undefined;
    const requests: LoggedRequest[] = [];
    let seq = 0;
    const sockets = new Set<import("net").Socket>();

    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            handle(req, res, Buffer.concat(chunks).toString("utf8")).catch((err) => {
                res.statusCode = 500;
                res.end(JSON.stringify({ error: String(err) }));
            });
        });
    });
    server.on("connection", (s) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
    });

    async function handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string): Promise<void> {
        const url = new URL(req.url ?? "/", "http://emulator");
        const method = (req.method ?? "GET").toUpperCase();
        if (url.pathname.startsWith("/__emulator/"))
            return admin(
                {
                    store,
                    faults,
                    requests,
                    setRateLimit: (o) => emulator.setRateLimit(o),
                    setAccountToken: (sid, token, key) => emulator.setAccountToken(sid, token, key),
                    setLatency: (ms) => emulator.setLatency(ms),
                },
                method,
                url,
                raw,
                res,
            );

        const auth = parseBasic(req.headers.authorization);
        const entry: LoggedRequest = {
            seq: ++seq,
            time: new Date().toISOString(),
            method,
            url: req.url ?? "/",
            path: url.pathname,
            query: Object.fromEntries(url.searchParams),
            contentType: req.headers["content-type"],
            authScheme: auth.scheme,
            authUser: auth.user,
            authValid: false,
        };
        if (raw.length > 0) {
            try {
                entry.body = JSON.parse(raw);
            } catch {
                entry.body = raw;
            }
        }
        requests.push(entry);

        const m = /^\/v2\/accounts\/([^/]+)(\/.*)?$/.exec(url.pathname.replace(/\.json$/, ""));
        const account = m ? decodeURIComponent(m[1]) : undefined;
        entry.account = account;
        const creds = account ? accounts[account] : undefined;
        entry.authValid = !!creds && auth.scheme === "Basic" && auth.user === creds.apiKey && auth.pass === creds.apiToken;

        const finish = (a: Answer, headers: Record<string, string> = {}) => {
            entry.status = a.status;
            Object.assign(entry, answerInfo(a));
            if (latencyMs) setTimeout(() => send(res, a, headers), latencyMs);
            else send(res, a, headers);
        };

        if (!m) return finish(fail(method, 404, 404, 1000, "Not Found"));
        if (!entry.authValid) return finish(fail(method, 401, 401, 1010, "Authorization failed"));

        if (limiter) {
            const d = limiter.admit(account!);
            if (!d.allowed) {
                const a = fail(method, 429, 429, 1030, "Rate limit exceeded", "Too many requests");
                entry.fault = `rate-limit:${d.reason}`;
                if (limiter.options.retryAfter === false) return finish(a);
                return finish(a, { "Retry-After": formatRetryAfter(d.retryAfterSeconds ?? 1, (limiter.options.timeScale ?? 1) !== 1) });
            }
            const admittedBy = limiter;
            res.on("close", () => admittedBy.done(account!));
        }

        const rule = faults.take(method, url.pathname, trunkNameOf(account!, m[2] ?? "", url.searchParams, entry.body));
        if (rule && (rule.when ?? "before") === "before" && rule.fault.kind !== "partial") {
            entry.fault = rule.fault.kind;
            return applyFault(rule.fault, method, res, entry);
        }

        let body: Record<string, unknown> = {};
        if (method === "POST" || method === "PUT") {
            const ct = (req.headers["content-type"] ?? "").toLowerCase();
            if (!ct.startsWith("application/json")) {
                return finish(fail(method, 415, 415, 1011, "unsupported content type", ct || "(none)"));
            }
            try {
                const parsed: unknown = raw.trim() === "" ? undefined : JSON.parse(raw);
                if (parsed === undefined)
                    return finish(fail(method, 400, 400, 1007, "Invalid request body,failed parsing ", "unexpected EOF"));
                if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
                    return finish(
                        fail(
                            method,
                            400,
                            400,
                            1007,
                            "Invalid request body,failed parsing ",
                            "json: cannot unmarshal into Go value of type object",
                        ),
                    );
                }
                body = parsed as Record<string, unknown>;
            } catch (e) {
                return finish(fail(method, 400, 400, 1007, "Invalid request body,failed parsing ", (e as Error).message));
            }
        }
        if (rule?.fault.kind === "partial") {
            entry.fault = "partial";
            body = partialBody(body, rule.fault.failIndexes);
        }

        const answer = route(store, method, account!, (m[2] ?? "").split("/").filter(Boolean), url.searchParams, body);

        if (rule && rule.when === "after" && rule.fault.kind !== "partial") {
            entry.fault = `after:${rule.fault.kind}`;
            return applyFault(rule.fault, method, res, entry);
        }
        finish(answer);
    }

    /** The name of the trunk a request is about (for faults aimed at one trunk): a create's body, else the sid's trunk. */
    function trunkNameOf(account: string, rest: string, query: URLSearchParams, body: unknown): string | undefined {
        const root = /^\/trunks\/?$/.test(rest);
        const sid = /^\/trunks\/([^/]+)/.exec(rest)?.[1] ?? (root ? query.get("trunk_sid") : null);
        if (sid) return store.findTrunk(account, decodeURIComponent(sid))?.trunk_name;
        const named = root && body && typeof body === "object" ? (body as { trunk_name?: unknown }).trunk_name : undefined;
        return typeof named === "string" ? named : undefined;
    }

    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    const host = options.host ?? "127.0.0.1";
    const emulator: Emulator = {
        baseUrl: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
        port,
        store,
        faults,
        requests,
        clearLog: () => {
            requests.length = 0;
        },
        inventory: (sid?: string) => store.snapshot(sid),
        setRateLimit: (o) => {
            limiter = o ? new SlidingWindowLimiter(o) : undefined;
            emulator.rateLimiter = limiter;
        },
        rateLimiter: limiter,
        setAccountToken: (sid, apiToken, apiKey) => {
            const key = apiKey ?? accounts[sid]?.apiKey;
            if (!key) throw new Error(`unknown account ${sid}: give its apiKey to add it`);
            if (!apiToken) throw new Error("an account needs a non-empty apiToken");
            accounts[sid] = { apiKey: key, apiToken };
        },
        setLatency: (ms) => {
            if (!(ms >= 0)) throw new Error("latency must be >= 0 ms");
            latencyMs = ms;
        },
        close: () =>
            new Promise<void>((resolve) => {
                for (const s of sockets) s.destroy();
                server.close(() => resolve());
            }),
    };
    return emulator;
}

function formatRetryAfter(seconds: number, scaled: boolean): string {
    // Whole seconds (at least 1) as HTTP says; time-scaled runs send decimals, which our client reads.
    return scaled ? seconds.toFixed(3) : String(Math.max(1, Math.ceil(seconds)));
}
