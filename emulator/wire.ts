/** The emulator's side of the wire: the request log entry, Basic auth parsing, writing an answer. */
import * as http from "http";
import { Answer } from "./records";

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

export function parseBasic(header: string | undefined): { scheme?: string; user?: string; pass?: string } {
    if (!header) return {};
    const [scheme, value] = header.split(" ", 2);
    if (scheme?.toLowerCase() !== "basic" || !value) return { scheme };
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const i = decoded.indexOf(":");
    if (i < 0) return { scheme: "Basic", user: decoded };
    return { scheme: "Basic", user: decoded.slice(0, i), pass: decoded.slice(i + 1) };
}

export function answerInfo(a: Answer): { responseCode?: number; exotelCode?: number } {
    const r = (a.body as { response?: unknown }).response;
    const first: unknown = Array.isArray(r) ? (r.find((x) => (x as { status?: string }).status === "failure") ?? r[0]) : r;
    const f = first as { code?: number; error_data?: { code?: number } } | undefined;
    return { responseCode: f?.code, exotelCode: f?.error_data?.code ?? undefined };
}

export function send(res: http.ServerResponse, a: Answer, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(a.body);
    res.writeHead(a.status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text), ...headers });
    res.end(text);
}
