/**
 * The Exotel emulator: a real HTTP server on loopback serving Exotel's v2 SIP-trunking API from a
 * `Store`, with Basic auth per account, a request log, programmable faults, an optional enforced rate
 * limit, and admin endpoints under `/__emulator/` (no auth) for tests running in other processes.
 */
import * as http from "http";
import { AddressInfo } from "net";
import { Fault, FaultController, FaultRule } from "./faults";
import { RateLimitOptions, SlidingWindowLimiter } from "./rateLimit";
import { Answer, Store, StoreOptions, envelope, fail, item } from "./store";

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

export interface LoggedRequest {
    seq: number;
    time: string;
    method: string;
    /** Path and query exactly as received. */
    url: string;
    path: string;
    query: Record<string, string>;
    account?: string;
    contentType?: string;
    /** Parsed JSON body (or the raw text when it is not JSON). */
    body?: unknown;
    /** `Basic`, `Bearer`, ... and the user part (the API key) of Basic auth; the token is never logged. */
    authScheme?: string;
    authUser?: string;
    authValid: boolean;
    /** `?` set when the answer was dropped (reset/hang). */
    status?: number;
    responseCode?: number;
    exotelCode?: number;
    fault?: string;
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
    close(): Promise<void>;
}

function parseBasic(header: string | undefined): { scheme?: string; user?: string; pass?: string } {
    if (!header) return {};
    const [scheme, value] = header.split(" ", 2);
    if (scheme?.toLowerCase() !== "basic" || !value) return { scheme };
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const i = decoded.indexOf(":");
    if (i < 0) return { scheme: "Basic", user: decoded };
    return { scheme: "Basic", user: decoded.slice(0, i), pass: decoded.slice(i + 1) };
}

function answerInfo(a: Answer): { responseCode?: number; exotelCode?: number } {
    const r = (a.body as { response?: unknown }).response;
    const first = Array.isArray(r) ? r.find((x) => (x as { status?: string }).status === "failure") ?? r[0] : r;
    const f = first as { code?: number; error_data?: { code?: number } } | undefined;
    return { responseCode: f?.code, exotelCode: f?.error_data?.code ?? undefined };
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
    const store = new Store(options);
    const faults = new FaultController();
    const accounts: Record<string, EmulatorAccount> = options.accounts ?? {
        [DEMO_ACCOUNT.accountSid]: { apiKey: DEMO_ACCOUNT.apiKey, apiToken: DEMO_ACCOUNT.apiToken },
    };
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

    const send = (res: http.ServerResponse, a: Answer, headers: Record<string, string> = {}) => {
        const text = JSON.stringify(a.body);
        res.writeHead(a.status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text), ...headers });
        res.end(text);
    };

    async function handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string): Promise<void> {
        const url = new URL(req.url ?? "/", "http://emulator");
        const method = (req.method ?? "GET").toUpperCase();
        if (url.pathname.startsWith("/__emulator/")) return admin(method, url, raw, res);

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
            if (options.latencyMs) setTimeout(() => send(res, a, headers), options.latencyMs);
            else send(res, a, headers);
        };

        if (!m) return finish(fail(method, 404, 404, 1000, "Not Found"));
        if (!entry.authValid) return finish(fail(method, 401, 401, 1010, "Authorization failed"));

        if (limiter) {
            const d = limiter.admit(account!);
            if (!d.allowed) {
                const a = fail(method, 429, 429, 1030, "Rate limit exceeded", "Too many requests");
                entry.fault = `rate-limit:${d.reason}`;
                return finish(a, { "Retry-After": formatRetryAfter(d.retryAfterSeconds ?? 1, (limiter.options.timeScale ?? 1) !== 1) });
            }
            const admittedBy = limiter;
            res.on("close", () => admittedBy.done(account!));
        }

        const rule = faults.take(method, url.pathname);
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
                const parsed = raw.trim() === "" ? undefined : JSON.parse(raw);
                if (parsed === undefined) return finish(fail(method, 400, 400, 1007, "Invalid request body,failed parsing ", "unexpected EOF"));
                if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
                    return finish(fail(method, 400, 400, 1007, "Invalid request body,failed parsing ", "json: cannot unmarshal into Go value of type object"));
                }
                body = parsed;
            } catch (e) {
                return finish(fail(method, 400, 400, 1007, "Invalid request body,failed parsing ", (e as Error).message));
            }
        }
        if (rule?.fault.kind === "partial") {
            entry.fault = "partial";
            body = partialBody(body, rule.fault.failIndexes);
        }

        const answer = route(method, account!, (m[2] ?? "").split("/").filter(Boolean), url.searchParams, body);

        if (rule && rule.when === "after" && rule.fault.kind !== "partial") {
            entry.fault = `after:${rule.fault.kind}`;
            return applyFault(rule.fault, method, res, entry);
        }
        finish(answer);
    }

    function applyFault(f: Fault, method: string, res: http.ServerResponse, entry: LoggedRequest): void {
        switch (f.kind) {
            case "reset":
                entry.status = undefined;
                res.socket?.destroy();
                return;
            case "hang": {
                entry.status = undefined;
                const t = setTimeout(() => res.socket?.destroy(), f.ms ?? 60_000);
                res.on("close", () => clearTimeout(t));
                return;
            }
            case "failureBody": {
                const a: Answer = {
                    status: 200,
                    body: envelope(method, 200, item(f.code, null, { code: f.exotelCode, message: f.message ?? "Injected failure", description: f.message ?? "Injected failure" })),
                };
                entry.status = 200;
                Object.assign(entry, answerInfo(a));
                return send(res, a);
            }
            case "status": {
                entry.status = f.status;
                const headers: Record<string, string> = { ...(f.headers ?? {}) };
                if (f.retryAfter !== undefined) headers["Retry-After"] = String(f.retryAfter);
                if (f.body === "html") {
                    res.writeHead(f.status, { "Content-Type": "text/html", ...headers });
                    res.end(`<html><body><h1>${f.status}</h1></body></html>`);
                    return;
                }
                if (f.body === "empty") {
                    res.writeHead(f.status, headers);
                    res.end();
                    return;
                }
                const code = f.exotelCode ?? (f.status === 429 ? 1030 : f.status >= 500 ? 1500 : 1002);
                const msg = f.status === 429 ? "Rate limit exceeded" : f.status >= 500 ? "Internal server error" : "Injected failure";
                const a = fail(method, f.status, f.status, code, msg);
                Object.assign(entry, answerInfo(a));
                return send(res, a, headers);
            }
            default:
                return;
        }
    }

    function route(method: string, acc: string, seg: string[], q: URLSearchParams, body: Record<string, unknown>): Answer {
        const notFound = fail(method, 404, 404, 1000, "Not Found");
        if (seg[0] === "trunk-maps" && seg.length === 1 && method === "GET") return store.trunkMap(acc, q.get("exophone") ?? undefined, q.get("trunk_sid") ?? undefined);
        if (seg[0] !== "trunks") return notFound;
        if (seg.length === 1) {
            if (method === "POST") return store.createTrunk(acc, body);
            if (method === "GET") return list(method, acc, seg, q, store.listTrunks(acc, q.get("trunk_sid") ?? undefined));
            if (method === "DELETE") return store.deleteTrunk(acc, q.get("trunk_sid") ?? undefined);
            return notFound;
        }
        const sid = decodeURIComponent(seg[1]);
        if (seg.length === 2) {
            if (method === "GET") {
                const t = store.findTrunk(acc, sid);
                return t ? { status: 200, body: envelope(method, 200, item(200, store.trunkView(acc, t))) } : store.unknownTrunk(method);
            }
            if (method === "PUT") return store.updateTrunk(acc, sid, body);
            return notFound;
        }
        const sub = seg[2];
        const id = seg[3] ? decodeURIComponent(seg[3]) : q.get("id") ?? undefined;
        const kinds: Record<string, "numbers" | "ips" | "destinations" | "settings" | "credentials"> = {
            "phone-numbers": "numbers",
            "whitelisted-ips": "ips",
            "destination-uris": "destinations",
            settings: "settings",
            credentials: "credentials",
        };
        const kind = kinds[sub];
        if (!kind || seg.length > 4) return notFound;
        if (method === "GET" && seg.length === 3) {
            if (!store.findTrunk(acc, sid)) return store.unknownTrunk(method);
            let items = store.children(acc, sid, kind);
            const only = q.get("id");
            if (only) items = items.filter((x) => (x as { id?: string }).id === only);
            return list(method, acc, seg, q, items);
        }
        switch (`${method} ${kind}`) {
            case "POST numbers": return seg.length === 3 ? store.mapNumber(acc, sid, body) : notFound;
            case "PUT numbers": return id && seg[3] ? store.updateNumber(acc, sid, id, body) : notFound;
            case "DELETE numbers": return store.unmapNumber(acc, sid, id);
            case "POST ips": return seg.length === 3 ? store.addIp(acc, sid, body) : notFound;
            case "PUT ips": return id && seg[3] ? store.updateIp(acc, sid, id, body) : notFound;
            case "DELETE ips": return store.removeIp(acc, sid, id);
            case "POST destinations": return seg.length === 3 ? store.addDestinations(acc, sid, body) : notFound;
            case "PUT destinations": return id && seg[3] ? store.updateDestination(acc, sid, id, body) : notFound;
            case "DELETE destinations": return store.removeDestination(acc, sid, id);
            case "POST settings": return store.setSettings(acc, sid, body);
            case "DELETE settings": return store.deleteSetting(acc, sid, q.get("name") ?? undefined);
            case "POST credentials": return store.addCredential(acc, sid, body);
            case "DELETE credentials": return store.removeCredential(acc, sid, id);
            default: return notFound;
        }
    }

    /** A list answer: per-item envelopes, paged with offset/page_size; an empty list has no metadata (as captured). */
    function list(method: string, acc: string, seg: string[], q: URLSearchParams, all: unknown[]): Answer {
        const offset = Math.max(0, Number(q.get("offset") ?? 0) || 0);
        const pageSize = Math.min(100, Math.max(1, Number(q.get("page_size") ?? 50) || 50));
        if (all.length === 0) return { status: 200, body: envelope(method, 200, []) };
        const page = all.slice(offset, offset + pageSize);
        const base = `/v2/accounts/${acc}/${seg.join("/")}`;
        const extra = [...q.entries()].filter(([k]) => k !== "offset" && k !== "page_size").map(([k, v]) => `&${k}=${encodeURIComponent(v)}`).join("");
        const uri = (o: number) => `${base}?offset=${o}&page_size=${pageSize}${extra}`;
        const metadata = {
            page_size: pageSize,
            first_page_uri: uri(0),
            prev_page_uri: offset > 0 ? uri(Math.max(0, offset - pageSize)) : null,
            next_page_uri: offset + pageSize < all.length ? uri(offset + pageSize) : null,
        };
        return { status: 200, body: envelope(method, 200, page.map((d) => item(200, d)), metadata) };
    }

    function partialBody(body: Record<string, unknown>, failIndexes: number[]): Record<string, unknown> {
        // Items to fail are swapped for an invalid destination/setting so the store rejects them itself.
        const key = Array.isArray(body.destinations) ? "destinations" : Array.isArray(body.settings) ? "settings" : undefined;
        if (!key) return body;
        const items = (body[key] as unknown[]).map((x, i) =>
            failIndexes.includes(i) ? (key === "destinations" ? { destination: "invalid host!:0" } : { name: "injected_failure", value: "" }) : x,
        );
        return { ...body, [key]: items };
    }

    async function admin(method: string, url: URL, raw: string, res: http.ServerResponse): Promise<void> {
        const json = (status: number, data: unknown) => {
            res.writeHead(status, { "Content-Type": "application/json" });
            res.end(JSON.stringify(data));
        };
        let body: Record<string, unknown> = {};
        try {
            body = raw ? JSON.parse(raw) : {};
        } catch {
            return json(400, { error: "body must be JSON" });
        }
        const what = url.pathname.slice("/__emulator/".length);
        if (what === "requests" && method === "GET") return json(200, requests);
        if (what === "requests" && method === "DELETE") {
            requests.length = 0;
            return json(200, { ok: true });
        }
        if (what === "state" && method === "GET") return json(200, store.snapshot(url.searchParams.get("account") ?? undefined));
        if (what === "faults" && method === "GET") return json(200, faults.list());
        if (what === "faults" && method === "POST") {
            try {
                faults.add(body as unknown as FaultRule);
            } catch (e) {
                return json(400, { error: (e as Error).message });
            }
            return json(200, { ok: true });
        }
        if (what === "faults" && method === "DELETE") {
            faults.clear();
            return json(200, { ok: true });
        }
        if (what === "reset" && method === "POST") {
            store.reset();
            faults.clear();
            requests.length = 0;
            return json(200, { ok: true });
        }
        if (what === "options" && method === "POST") {
            if (body.unknownTrunk === "404" || body.unknownTrunk === "403") store.options.unknownTrunk = body.unknownTrunk;
            if (body.duplicateTrunkHttpStatus === 200 || body.duplicateTrunkHttpStatus === 409) store.options.duplicateTrunkHttpStatus = body.duplicateTrunkHttpStatus;
            if ("rateLimit" in body) emulator.setRateLimit((body.rateLimit as RateLimitOptions) ?? undefined);
            return json(200, { ok: true, options: store.options });
        }
        return json(404, { error: `unknown admin call ${method} ${url.pathname}` });
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
