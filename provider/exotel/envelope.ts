/**
 * Parsing Exotel's envelope. `response.code` / `response.status` are trusted over the HTTP status
 * (duplicates arrive as HTTP 200 with `response.code` 409); list answers are arrays of per-item
 * envelopes; batch writes (destination URIs, settings) answer 200 or 207 with one envelope per item.
 */
import { ExotelErrorDetails, ExotelItemFailure, ExotelProtocolError, ExotelPartialFailureError, classifyFailure } from "./errors";
import { Envelope, ItemEnvelope } from "./types";

export interface RawAnswer {
    httpStatus: number;
    body: unknown;
    method: string;
    path: string;
    retryAfterSeconds?: number;
    /** The Content-Type header, when given. */
    contentType?: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

function baseDetails(a: RawAnswer, env?: Envelope): ExotelErrorDetails {
    return {
        httpStatus: a.httpStatus,
        method: a.method,
        path: a.path,
        requestId: typeof env?.request_id === "string" ? env.request_id : undefined,
        retryAfterSeconds: a.retryAfterSeconds,
    };
}

function itemFailed(item: ItemEnvelope): boolean {
    return item.status === "failure" || (typeof item.code === "number" && item.code >= 400) || !!item.error_data;
}

/** Throws the typed error for an answer that is not an Exotel envelope (proxy pages, empty bodies). */
function notAnEnvelope(a: RawAnswer): never {
    const d = baseDetails(a);
    if (a.httpStatus >= 400) throw classifyFailure(d);
    const type = a.contentType && !/json/i.test(a.contentType) ? ` (content type ${a.contentType.split(";")[0]})` : "";
    throw new ExotelProtocolError(
        d,
        `answered HTTP ${a.httpStatus} without an Exotel JSON envelope${type}; check exotel:baseUrl / exotel:region`,
    );
}

function envelopeOf(a: RawAnswer): Envelope {
    if (!isObject(a.body) || !("response" in a.body)) notAnEnvelope(a);
    return a.body;
}

function failureOf(a: RawAnswer, env: Envelope, item: ItemEnvelope): never {
    const ed = item.error_data ?? undefined;
    throw classifyFailure({
        ...baseDetails(a, env),
        responseCode: typeof item.code === "number" ? item.code : undefined,
        exotelCode: typeof ed?.code === "number" ? ed.code : undefined,
        exotelMessage: ed?.message,
        description: ed?.description,
    });
}

/**
 * Whether an answer is a rate-limit refusal (HTTP 429, or Exotel's 1030 in any envelope), for the
 * limiter; with the server's Retry-After in milliseconds when it sent one.
 */
export function rateLimitRefusal(a: RawAnswer): { retryAfterMs?: number } | undefined {
    const r = isObject(a.body) ? (a.body as { response?: unknown }).response : undefined;
    const items: unknown[] = Array.isArray(r) ? r : [r];
    const code1030 = items.some((i) => isObject(i) && (i as ItemEnvelope).error_data?.code === 1030);
    if (a.httpStatus !== 429 && !code1030) return undefined;
    return a.retryAfterSeconds === undefined ? {} : { retryAfterMs: a.retryAfterSeconds * 1000 };
}

/** A single-object answer: returns `data`, or throws the typed error. */
export function parseSingle<T>(a: RawAnswer): T {
    const env = envelopeOf(a);
    const r = env.response;
    if (Array.isArray(r)) {
        // A single-object call answered with a one-item array: treat it as that item.
        if (r.length === 1 && isObject(r[0])) return parseItem<T>(a, env, r[0]);
        if (a.httpStatus >= 400) throw classifyFailure(baseDetails(a, env));
        throw new ExotelProtocolError(baseDetails(a, env), "answered with a list where one object was expected");
    }
    if (!isObject(r)) notAnEnvelope(a);
    return parseItem<T>(a, env, r);
}

function parseItem<T>(a: RawAnswer, env: Envelope, item: ItemEnvelope): T {
    if (itemFailed(item)) failureOf(a, env, item);
    if (a.httpStatus >= 400) throw classifyFailure({ ...baseDetails(a, env), responseCode: item.code });
    return (item.data ?? null) as T;
}

export interface ListPage<T> {
    items: T[];
    nextPageUri?: string;
}

/** One page of a list answer. Failed items inside a list make the whole call fail. */
export function parseListPage<T>(a: RawAnswer): ListPage<T> {
    const env = envelopeOf(a);
    const r = env.response;
    if (!Array.isArray(r)) {
        // Failure envelopes on list calls are single objects.
        if (isObject(r) && itemFailed(r)) failureOf(a, env, r);
        // Older documented shape: response.data is a plain array.
        if (isObject(r) && Array.isArray((r as ItemEnvelope<T[]>).data)) {
            return { items: (r as ItemEnvelope<T[]>).data as T[] };
        }
        return notAnEnvelope(a);
    }
    if (a.httpStatus >= 400) throw classifyFailure(baseDetails(a, env));
    const items: T[] = [];
    for (const item of r) {
        if (!isObject(item)) continue;
        if (itemFailed(item)) failureOf(a, env, item);
        const data = (item as ItemEnvelope<T>).data;
        if (data !== undefined && data !== null) items.push(data);
    }
    const next = env.metadata?.["next_page_uri"];
    return { items, nextPageUri: typeof next === "string" && next !== "" ? next : undefined };
}

/**
 * A batch write (200 or 207): returns the data of every item, or throws ExotelPartialFailureError
 * carrying both the failed items and the ones that were created.
 */
export function parseBatch<T>(a: RawAnswer, labels: string[]): T[] {
    const env = envelopeOf(a);
    const r = env.response;
    if (!Array.isArray(r)) {
        if (isObject(r)) {
            // A request-level failure (bad body, unknown trunk) comes as one envelope.
            const item = r as ItemEnvelope<T>;
            if (itemFailed(item) || a.httpStatus >= 400) failureOf(a, env, item);
            return item.data ? [item.data] : [];
        }
        return notAnEnvelope(a);
    }
    const ok: T[] = [];
    const failures: ExotelItemFailure[] = [];
    r.forEach((raw, index) => {
        const item = (isObject(raw) ? raw : {}) as ItemEnvelope<T>;
        if (itemFailed(item)) {
            failures.push({
                index,
                item: labels[index] ?? `item ${index}`,
                code: item.code,
                exotelCode: item.error_data?.code,
                message: item.error_data?.message,
                description: item.error_data?.description,
            });
        } else if (item.data) {
            ok.push(item.data);
        }
    });
    if (failures.length > 0 || a.httpStatus >= 400) {
        const first = failures[0];
        throw new ExotelPartialFailureError(
            {
                ...baseDetails(a, env),
                responseCode: first?.code,
                exotelCode: first?.exotelCode,
            },
            failures,
            ok,
        );
    }
    return ok;
}
