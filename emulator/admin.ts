/** The emulator's admin endpoints (no auth; loopback only). */
import * as http from "http";
import { FaultController, FaultRule } from "./faults";
import { RateLimitOptions } from "./rateLimit";
import { Store } from "./store";
import { LoggedRequest } from "./wire";

/** What the admin endpoints act on. */
export interface AdminTarget {
    store: Store;
    faults: FaultController;
    requests: LoggedRequest[];
    setRateLimit(o: RateLimitOptions | undefined): void;
    setAccountToken(accountSid: string, apiToken: string, apiKey?: string): void;
    setLatency(ms: number): void;
}

/** `/__emulator/*`: the request log, state, faults, reset and options, for tests in other processes. */
export async function admin(t: AdminTarget, method: string, url: URL, raw: string, res: http.ServerResponse): Promise<void> {
    const { store, faults, requests } = t;
    const json = (status: number, data: unknown) => {
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(data));
    };
    let body: Record<string, unknown> = {};
    try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
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
    if (what === "accounts" && method === "POST") {
        // Token rotation (or a new account): {accountSid, apiToken, apiKey?}. The token is never echoed.
        try {
            const text = (v: unknown) => (typeof v === "string" ? v : "");
            t.setAccountToken(text(body.accountSid), text(body.apiToken), typeof body.apiKey === "string" ? body.apiKey : undefined);
        } catch (e) {
            return json(400, { error: (e as Error).message });
        }
        return json(200, { ok: true });
    }
    if (what === "options" && method === "POST") {
        if (body.unknownTrunk === "404" || body.unknownTrunk === "403") store.options.unknownTrunk = body.unknownTrunk;
        if (body.duplicateTrunkHttpStatus === 200 || body.duplicateTrunkHttpStatus === 409)
            store.options.duplicateTrunkHttpStatus = body.duplicateTrunkHttpStatus;
        if ("rateLimit" in body) t.setRateLimit((body.rateLimit as RateLimitOptions) ?? undefined);
        if (typeof body.latencyMs === "number") {
            try {
                t.setLatency(body.latencyMs);
            } catch (e) {
                return json(400, { error: (e as Error).message });
            }
        }
        return json(200, { ok: true, options: store.options });
    }
    return json(404, { error: `unknown admin call ${method} ${url.pathname}` });
}
