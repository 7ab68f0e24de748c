/**
 * Typed HTTP client for Exotel's v2 SIP-trunking API (axios). Knows nothing of Pulumi.
 *
 * - Credentials go only in the Authorization header (HTTP Basic), never in a URL, never in an error.
 * - HTTPS only, except loopback hosts (the emulator). Redirects are never followed, so credentials can
 *   never be sent to a host other than the configured one.
 * - Every request passes the process-wide rate limiter, then the retry policy, within the caller's
 *   operation deadline.
 * - Creates that may have succeeded before a lost answer (network failure, 5xx, timeout) and then get
 *   "duplicate" (1008) on retry are resolved by looking the object up, so a retry never leaves an
 *   object that nobody knows of.
 */
import axios, { AxiosInstance, AxiosResponse } from "axios";
import * as http from "http";
import * as https from "https";
import { ExotelCancelledError, ExotelConflictError, ExotelNetworkError, ExotelProtocolError } from "./errors";
import { RawAnswer, parseBatch, parseListPage, parseSingle, rateLimitRefusal } from "./envelope";
import {
    CredentialData,
    DestinationUriData,
    PhoneNumberData,
    SettingData,
    TRUNK_EXTERNAL_ALIAS,
    TrunkData,
    WhitelistedIpData,
} from "./types";
import { DEFAULT_RETRY_POLICY, DEFAULT_TIMEOUT_POLICY, RetryPolicy, TimeoutPolicy, parseRetryAfter, sleep, withRetry } from "./retryPolicy";
import { AccountLimiter, accountLimiter } from "./rateLimit/accountLimiter";
import { DEFAULT_RATE_LIMIT, RateLimitSettings } from "./rateLimit/settings";

export interface ExotelClientOptions {
    baseUrl: string;
    accountSid: string;
    apiKey: string;
    apiToken: string;
    retry?: Partial<RetryPolicy>;
    timeouts?: Partial<TimeoutPolicy>;
    /** `false` disables client-side limiting (tests of the server's own limit). */
    rateLimit?: Partial<RateLimitSettings> | false;
    /**
     * The limiter to use instead of the process-wide one for this account (tests and benchmarks that
     * stand in for separate provider processes inside one).
     */
    limiter?: AccountLimiter;
    /** Called for each retry and other notable events; messages never hold secrets. */
    log?: (level: "info" | "warn", message: string) => void;
    userAgent?: string;
    /** The clock of deadlines and retry waits (default: real time). Tests pass a fake one. */
    clock?: Clock;
}

/** What retries and deadlines read the time from and wait with. */
export interface Clock {
    now: () => number;
    sleep: (ms: number) => Promise<void>;
}

export interface CallOptions {
    /** Absolute time (ms since epoch) after which no further attempt or wait starts. */
    deadline?: number;
    /**
     * Cancels the operation: no request starts once it aborts (one waiting for the rate limiter or a retry
     * is dropped with ExotelCancelledError). A GET in flight is aborted; a write in flight is answered, so
     * that what it did at Exotel is known.
     */
    signal?: AbortSignal;
    /** What set the deadline, for the timeout's message (default `exotel:operationTimeoutSeconds`). */
    deadlineSetting?: string;
}

/**
 * `p`, or ExotelCancelledError as soon as `signal` aborts while `waiting()` (`p`'s own outcome is then
 * ignored). Once `p`'s request is on the wire, its answer is awaited.
 */
function unlessCancelled<T>(p: Promise<T>, signal: AbortSignal | undefined, cancelled: () => Error, waiting = () => true): Promise<T> {
    if (!signal) return p;
    return new Promise<T>((resolve, reject) => {
        const onAbort = () => {
            if (!waiting()) return;
            p.catch(() => undefined);
            reject(cancelled());
        };
        if (signal.aborted) onAbort();
        else signal.addEventListener("abort", onAbort, { once: true });
        p.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
}

export interface NewPhoneNumber {
    phoneNumber: string;
    mode?: "pstn" | "flow";
}

export interface NewCredential {
    userName: string;
    password: string;
    friendlyName?: string;
}

export interface NewWhitelistedIp {
    ip: string;
    mask?: number;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)$/i;

/** Validates a base URL: https, or http on a loopback host; no credentials, query or fragment. */
export function checkBaseUrl(raw: string): URL {
    let url: URL;
    try {
        url = new URL(raw);
    } catch {
        throw new Error("exotel:baseUrl is not a valid URL");
    }
    if (url.username || url.password) {
        throw new Error("exotel:baseUrl must not contain credentials (user:password@host); set exotel:apiKey and exotel:apiToken instead");
    }
    if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.test(url.hostname))) {
        throw new Error(
            `exotel:baseUrl must use https (plain http is allowed only for loopback hosts such as the emulator); got ${url.protocol}//${url.host}`,
        );
    }
    if (url.search || url.hash) throw new Error("exotel:baseUrl must not have a query or fragment");
    return url;
}

export class ExotelClient {
    readonly accountSid: string;
    readonly baseUrl: string;
    private readonly http: AxiosInstance;
    private readonly retry: RetryPolicy;
    private readonly timeouts: TimeoutPolicy;
    private readonly limiter?: AccountLimiter;
    private readonly log: (level: "info" | "warn", message: string) => void;
    private readonly agent: http.Agent;
    private readonly clock: Clock;

    constructor(opts: ExotelClientOptions) {
        const url = checkBaseUrl(opts.baseUrl);
        if (!opts.apiKey || !opts.apiToken) throw new Error("Exotel API key and token are required");
        if (!opts.accountSid) throw new Error("Exotel account SID is required");
        this.accountSid = opts.accountSid;
        this.baseUrl = url.origin + url.pathname.replace(/\/+$/, "");
        this.retry = { ...DEFAULT_RETRY_POLICY, ...(opts.retry ?? {}) };
        this.clock = opts.clock ?? { now: Date.now, sleep };
        this.timeouts = { ...DEFAULT_TIMEOUT_POLICY, ...(opts.timeouts ?? {}) };
        this.log = opts.log ?? (() => undefined);
        const rate = opts.rateLimit === false ? undefined : { ...DEFAULT_RATE_LIMIT, ...(opts.rateLimit ?? {}) };
        if (rate) this.limiter = opts.limiter ?? accountLimiter(`${url.host}/${opts.accountSid}`, rate, this.log);
        const agentOpts = { keepAlive: true, maxSockets: rate?.maxConcurrent ?? 50 };
        this.agent = url.protocol === "https:" ? new https.Agent(agentOpts) : new http.Agent(agentOpts);
        this.http = axios.create({
            baseURL: this.baseUrl,
            auth: { username: opts.apiKey, password: opts.apiToken },
            maxRedirects: 0,
            validateStatus: () => true,
            responseType: "text",
            transformResponse: [(data: unknown) => data],
            httpAgent: this.agent,
            httpsAgent: this.agent,
            proxy: false,
            headers: { Accept: "application/json", "User-Agent": opts.userAgent ?? "pulumi-exotel" },
        });
    }

    /** Frees pooled sockets (tests; the provider process simply exits). */
    close(): void {
        this.agent.destroy();
    }

    private accountPath(rest: string): string {
        return `/v2/accounts/${encodeURIComponent(this.accountSid)}${rest}`;
    }

    private trunkPath(trunkSid: string, rest = ""): string {
        return this.accountPath(`/trunks/${encodeURIComponent(trunkSid)}${rest}`);
    }

    /** One HTTP exchange, with no retry. Never throws an axios error: only typed Exotel errors. */
    private async send(method: string, path: string, body: unknown, deadline: number, signal?: AbortSignal): Promise<RawAnswer> {
        if (signal?.aborted) throw new ExotelCancelledError({ httpStatus: 0, method, path });
        const remaining = deadline - this.clock.now();
        const timeout = Math.max(1, Math.min(this.timeouts.requestTimeoutMs, remaining));
        let res: AxiosResponse<string>;
        try {
            res = await this.http.request<string>({
                method,
                url: path,
                data: body === undefined ? undefined : JSON.stringify(body),
                headers: body === undefined ? {} : { "Content-Type": "application/json" },
                timeout,
                // Reads are abandoned on cancel; a write's answer is awaited (it says what Exotel did).
                signal: method === "GET" ? signal : undefined,
            });
        } catch (err) {
            if (method === "GET" && signal?.aborted)
                throw new ExotelCancelledError({ httpStatus: 0, method, path }, "abandoned: the operation was cancelled");
            // axios errors carry the config (auth, URL): keep only the code.
            const code = (err as { code?: string })?.code;
            const what = code === "ECONNABORTED" || code === "ETIMEDOUT" ? `timed out after ${timeout} ms` : "network failure";
            throw new ExotelNetworkError({ httpStatus: 0, method, path }, `${what}${code ? ` (${code})` : ""}`, code);
        }
        if (res.status >= 300 && res.status < 400) {
            throw new ExotelProtocolError(
                { httpStatus: res.status, method, path },
                "answered with a redirect, which is not followed (credentials are only sent to the configured host); check exotel:baseUrl / exotel:region",
            );
        }
        let parsed: unknown = undefined;
        if (typeof res.data === "string" && res.data.length > 0) {
            try {
                parsed = JSON.parse(res.data);
            } catch {
                parsed = undefined;
            }
        }
        return {
            httpStatus: res.status,
            body: parsed,
            method,
            path,
            retryAfterSeconds: parseRetryAfter(res.headers?.["retry-after"]),
            contentType: typeof res.headers?.["content-type"] === "string" ? res.headers["content-type"] : undefined,
        };
    }

    /**
     * A call with limiter, retries and deadline. `recoverDuplicate` is used by creates: when an attempt
     * after an ambiguous failure (no answer, 5xx) gets "duplicate", the earlier attempt did succeed, and
     * the object is looked up instead of failing.
     */
    private async call<T>(
        method: string,
        path: string,
        parse: (a: RawAnswer) => T,
        body: unknown,
        opts: CallOptions | undefined,
        recoverDuplicate?: () => Promise<T | undefined>,
    ): Promise<T> {
        const deadline = opts?.deadline ?? this.clock.now() + this.timeouts.operationDeadlineMs;
        const signal = opts?.signal;
        const cancelled = () => new ExotelCancelledError({ httpStatus: 0, method, path });
        let ambiguous = false;
        return withRetry(
            `${method} ${path}`,
            async (attempt) => {
                // Checked again when the limiter starts it: a request that waited past the cancel is never sent.
                let onTheWire = false;
                const send = () => {
                    if (signal?.aborted) return Promise.reject(cancelled());
                    onTheWire = true;
                    return this.send(method, path, body, deadline, signal);
                };
                const answer = await unlessCancelled(
                    this.limiter ? this.limiter.schedule(send, rateLimitRefusal, attempt > 1) : send(),
                    signal,
                    cancelled,
                    () => !onTheWire,
                );
                try {
                    return parse(answer);
                } catch (err) {
                    if (err instanceof ExotelConflictError && ambiguous && recoverDuplicate) {
                        const found = await recoverDuplicate();
                        if (found !== undefined) {
                            this.log("info", `${method} ${path}: an earlier attempt had already succeeded; using the object it created`);
                            return found;
                        }
                    }
                    throw err;
                }
            },
            this.retry,
            deadline,
            {
                now: this.clock.now,
                deadlineSetting: opts?.deadlineSetting,
                sleep: (ms) => unlessCancelled(this.clock.sleep(ms), signal, cancelled),
                onRetry: ({ attempt, delayMs, error }) => {
                    if (method !== "GET" && (error instanceof ExotelNetworkError || error.httpStatus >= 500)) ambiguous = true;
                    this.log(
                        "warn",
                        `${method} ${path}: attempt ${attempt} failed (${error.message}); retrying in ${(delayMs / 1000).toFixed(1)} s`,
                    );
                },
            },
        );
    }

    private async list<T>(firstPath: string, opts?: CallOptions): Promise<T[]> {
        const all: T[] = [];
        let path: string | undefined = firstPath;
        const seen = new Set<string>();
        while (path) {
            if (seen.has(path)) break; // a server that loops its pages must not loop us
            seen.add(path);
            const page: { items: T[]; nextPageUri?: string } = await this.call("GET", path, (a) => parseListPage<T>(a), undefined, opts);
            all.push(...page.items);
            path = page.nextPageUri ? this.relativePath(page.nextPageUri) : undefined;
        }
        return all;
    }

    /** `next_page_uri` is relative; an absolute one must point at our own host (never leak auth elsewhere). */
    private relativePath(uri: string): string {
        if (/^[a-z]+:\/\//i.test(uri)) {
            const u = new URL(uri);
            if (u.origin !== new URL(this.baseUrl).origin) {
                throw new ExotelProtocolError(
                    { httpStatus: 0, method: "GET", path: u.pathname },
                    "next_page_uri points at another host; not followed",
                );
            }
            return u.pathname + u.search;
        }
        const prefix = new URL(this.baseUrl).pathname.replace(/\/+$/, "");
        return prefix && uri.startsWith(prefix + "/") ? uri.slice(prefix.length) : uri;
    }

    // ---- trunks ----

    createTrunk(input: { trunkName: string; nsoCode: string; domainName: string }, opts?: CallOptions): Promise<TrunkData> {
        return this.call(
            "POST",
            this.accountPath("/trunks"),
            (a) => parseSingle<TrunkData>(a),
            { trunk_name: input.trunkName, nso_code: input.nsoCode, domain_name: input.domainName },
            opts,
            () => this.findTrunkByName(input.trunkName, opts),
        );
    }

    /** `GET /trunks?trunk_sid=`; undefined when Exotel does not list it. */
    async getTrunk(trunkSid: string, opts?: CallOptions): Promise<TrunkData | undefined> {
        const q = `?trunk_sid=${encodeURIComponent(trunkSid)}`;
        const items = await this.list<TrunkData>(this.accountPath(`/trunks${q}`), opts);
        return items.find((t) => t.trunk_sid === trunkSid);
    }

    listTrunks(opts?: CallOptions): Promise<TrunkData[]> {
        return this.list<TrunkData>(this.accountPath("/trunks?offset=0&page_size=50"), opts);
    }

    async findTrunkByName(name: string, opts?: CallOptions): Promise<TrunkData | undefined> {
        return (await this.listTrunks(opts)).find((t) => t.trunk_name === name);
    }

    /** `DELETE /trunks?trunk_sid=`: removes the trunk and everything attached. */
    deleteTrunk(trunkSid: string, opts?: CallOptions): Promise<TrunkData> {
        return this.remove<TrunkData>(this.accountPath(`/trunks?trunk_sid=${encodeURIComponent(trunkSid)}`), opts);
    }

    /** `DELETE` of one object by a query parameter (`?trunk_sid=`, `?id=`, `?name=`): how Exotel removes things. */
    private remove<T = unknown>(path: string, opts?: CallOptions): Promise<T> {
        return this.call("DELETE", path, (a) => parseSingle<T>(a), undefined, opts);
    }

    /**
     * `POST` of one object to a trunk's collection. When an attempt's answer was lost and the retry is told
     * "duplicate", the object the lost attempt created is looked up in the collection (`matches`) and used.
     */
    private createAttached<T>(
        trunkSid: string,
        collection: string,
        body: Record<string, unknown>,
        opts: CallOptions | undefined,
        matches: (item: T) => boolean,
    ): Promise<T> {
        const path = this.trunkPath(trunkSid, collection);
        return this.call(
            "POST",
            path,
            (a) => parseSingle<T>(a),
            body,
            opts,
            async () => (await this.list<T>(path, opts)).find(matches),
        );
    }

    // ---- phone numbers ----

    mapPhoneNumber(trunkSid: string, n: NewPhoneNumber, opts?: CallOptions): Promise<PhoneNumberData> {
        const body: Record<string, string> = { phone_number: n.phoneNumber };
        if (n.mode) body.mode = n.mode;
        return this.createAttached<PhoneNumberData>(trunkSid, "/phone-numbers", body, opts, (p) => p.phone_number === n.phoneNumber);
    }

    listPhoneNumbers(trunkSid: string, opts?: CallOptions): Promise<PhoneNumberData[]> {
        return this.list(this.trunkPath(trunkSid, "/phone-numbers"), opts);
    }

    updatePhoneNumber(
        trunkSid: string,
        id: string,
        n: { phoneNumber: string; mode: "pstn" | "flow" },
        opts?: CallOptions,
    ): Promise<PhoneNumberData> {
        return this.call(
            "PUT",
            this.trunkPath(trunkSid, `/phone-numbers/${encodeURIComponent(id)}`),
            (a) => parseSingle<PhoneNumberData>(a),
            { phone_number: n.phoneNumber, mode: n.mode },
            opts,
        );
    }

    /** [EXO2] `DELETE /phone-numbers?id=` (not in the official reference). */
    unmapPhoneNumber(trunkSid: string, id: string, opts?: CallOptions): Promise<unknown> {
        return this.remove(this.trunkPath(trunkSid, `/phone-numbers?id=${encodeURIComponent(id)}`), opts);
    }

    // ---- whitelisted IPs ----

    addWhitelistedIp(trunkSid: string, w: NewWhitelistedIp, opts?: CallOptions): Promise<WhitelistedIpData> {
        const body: Record<string, unknown> = { ip: w.ip };
        if (w.mask !== undefined) body.mask = w.mask;
        return this.createAttached<WhitelistedIpData>(
            trunkSid,
            "/whitelisted-ips",
            body,
            opts,
            (x) => x.ip === w.ip && x.mask === (w.mask ?? 32),
        );
    }

    listWhitelistedIps(trunkSid: string, opts?: CallOptions): Promise<WhitelistedIpData[]> {
        return this.list(this.trunkPath(trunkSid, "/whitelisted-ips"), opts);
    }

    /** [EXO2] `DELETE /whitelisted-ips?id=`. */
    removeWhitelistedIp(trunkSid: string, id: string, opts?: CallOptions): Promise<unknown> {
        return this.remove(this.trunkPath(trunkSid, `/whitelisted-ips?id=${encodeURIComponent(id)}`), opts);
    }

    // ---- destination URIs ----

    /** Batch add; throws ExotelPartialFailureError (with what succeeded) when any item fails. */
    addDestinationUris(trunkSid: string, destinations: string[], opts?: CallOptions): Promise<DestinationUriData[]> {
        return this.call(
            "POST",
            this.trunkPath(trunkSid, "/destination-uris"),
            (a) => parseBatch<DestinationUriData>(a, destinations),
            { destinations: destinations.map((destination) => ({ destination })) },
            opts,
        );
    }

    listDestinationUris(trunkSid: string, opts?: CallOptions): Promise<DestinationUriData[]> {
        return this.list(this.trunkPath(trunkSid, "/destination-uris"), opts);
    }

    /** [EXO2] `DELETE /destination-uris?id=`. */
    removeDestinationUri(trunkSid: string, id: string, opts?: CallOptions): Promise<unknown> {
        return this.remove(this.trunkPath(trunkSid, `/destination-uris?id=${encodeURIComponent(id)}`), opts);
    }

    // ---- settings (caller ID alias) ----

    setSettings(trunkSid: string, settings: { name: string; value: string }[], opts?: CallOptions): Promise<SettingData[]> {
        return this.call(
            "POST",
            this.trunkPath(trunkSid, "/settings"),
            (a) =>
                parseBatch<SettingData>(
                    a,
                    settings.map((s) => s.name),
                ),
            { settings },
            opts,
        );
    }

    setCallerId(trunkSid: string, callerId: string, opts?: CallOptions): Promise<SettingData[]> {
        return this.setSettings(trunkSid, [{ name: TRUNK_EXTERNAL_ALIAS, value: callerId }], opts);
    }

    /** [EXO2] `GET /settings`. */
    listSettings(trunkSid: string, opts?: CallOptions): Promise<SettingData[]> {
        return this.list(this.trunkPath(trunkSid, "/settings"), opts);
    }

    /** [EXO2] `DELETE /settings?name=`. */
    deleteSetting(trunkSid: string, name: string, opts?: CallOptions): Promise<unknown> {
        return this.remove(this.trunkPath(trunkSid, `/settings?name=${encodeURIComponent(name)}`), opts);
    }

    // ---- SIP digest credentials ([EXO2] §4.11-4.14; the password goes only in request bodies) ----

    /** `POST /credentials`; a lost answer followed by "duplicate" is resolved by looking the user name up. */
    createCredential(trunkSid: string, c: NewCredential, opts?: CallOptions): Promise<CredentialData> {
        const body: Record<string, unknown> = { user_name: c.userName, password: c.password };
        if (c.friendlyName !== undefined) body.friendly_name = c.friendlyName;
        return this.createAttached<CredentialData>(trunkSid, "/credentials", body, opts, (x) => x.user_name === c.userName);
    }

    /** `GET /credentials`. Withdrawn from Exotel's reference for a while as unreliable: an empty list proves nothing. */
    listCredentials(trunkSid: string, opts?: CallOptions): Promise<CredentialData[]> {
        return this.list(this.trunkPath(trunkSid, "/credentials"), opts);
    }

    /** `PUT /credentials/{id}` (id in the path). */
    updateCredential(
        trunkSid: string,
        id: string,
        c: { password?: string; friendlyName?: string },
        opts?: CallOptions,
    ): Promise<CredentialData> {
        const body: Record<string, unknown> = {};
        if (c.password !== undefined) body.password = c.password;
        if (c.friendlyName !== undefined) body.friendly_name = c.friendlyName;
        const path = this.trunkPath(trunkSid, `/credentials/${encodeURIComponent(id)}`);
        return this.call("PUT", path, (a) => parseSingle<CredentialData>(a), body, opts);
    }

    /** `DELETE /credentials?id=` (id in the query). */
    deleteCredential(trunkSid: string, id: string, opts?: CallOptions): Promise<unknown> {
        return this.remove(this.trunkPath(trunkSid, `/credentials?id=${encodeURIComponent(id)}`), opts);
    }
}
