/** How the emulator answers with an injected fault: reset, hang, failure envelope on 200, any status. */
import * as http from "http";
import { envelope, fail, item } from "./answers";
import { Fault } from "./faults";
import { Answer } from "./records";
import { answerInfo, LoggedRequest, send } from "./wire";

/** Answers a request with an injected fault instead of (or after) the store's answer. */
export function applyFault(f: Fault, method: string, res: http.ServerResponse, entry: LoggedRequest): void {
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
                body: envelope(
                    method,
                    200,
                    item(f.code, null, {
                        code: f.exotelCode,
                        message: f.message ?? "Injected failure",
                        description: f.message ?? "Injected failure",
                    }),
                ),
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
