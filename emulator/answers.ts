/** Exotel's envelope and error answers, as the emulator writes them (see ../shared/exotel-api.md). */
import { randomBytes } from "crypto";
import { Answer, ErrorData } from "./records";

export const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
export const E164 = /^\+[1-9]\d{1,14}$/;

export function requestId(): string {
    return randomBytes(16).toString("hex");
}

export function envelope(method: string, status: number, response: unknown, metadata?: unknown): Record<string, unknown> {
    const body: Record<string, unknown> = { request_id: requestId(), method, http_code: status };
    if (metadata !== undefined) body.metadata = metadata;
    body.response = response;
    return body;
}

export function item(code: number, data: unknown, error?: ErrorData) {
    return error ? { code, error_data: error, status: "failure", data: null } : { code, error_data: null, status: "success", data };
}

export function ok(method: string, data: unknown): Answer {
    return { status: 200, body: envelope(method, 200, item(200, data)) };
}

export function fail(method: string, httpStatus: number, code: number, errCode: number, message: string, description = message): Answer {
    return { status: httpStatus, body: envelope(method, httpStatus, item(code, null, { code: errCode, message, description })) };
}

export const INVALID = "Invalid parameter";
export const MISSING = "Mandatory Parameter missing";
export const DUPLICATE = "Duplicate resource";
