/** The emulator's API routes: path and method to a Store operation, and Exotel's paged list answers. */
import { envelope, fail, item } from "./answers";
import { Answer, Store } from "./store";

/** One API request -> the store's answer (`seg`: the path after `/v2/accounts/<acc>/`). */
export function route(store: Store, method: string, acc: string, seg: string[], q: URLSearchParams, body: Record<string, unknown>): Answer {
    const notFound = fail(method, 404, 404, 1000, "Not Found");
    if (seg[0] === "trunk-maps" && seg.length === 1 && method === "GET")
        return store.trunkMap(acc, q.get("exophone") ?? undefined, q.get("trunk_sid") ?? undefined);
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
    const id = seg[3] ? decodeURIComponent(seg[3]) : (q.get("id") ?? undefined);
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
        let items = kind === "credentials" && store.options.credentialListing === "empty" ? [] : store.children(acc, sid, kind);
        const only = q.get("id");
        if (only) items = items.filter((x) => (x as { id?: string }).id === only);
        return list(method, acc, seg, q, items);
    }
    switch (`${method} ${kind}`) {
        case "POST numbers":
            return seg.length === 3 ? store.mapNumber(acc, sid, body) : notFound;
        case "PUT numbers":
            return id && seg[3] ? store.updateNumber(acc, sid, id, body) : notFound;
        case "DELETE numbers":
            return store.unmapNumber(acc, sid, id);
        case "POST ips":
            return seg.length === 3 ? store.addIp(acc, sid, body) : notFound;
        case "PUT ips":
            return id && seg[3] ? store.updateIp(acc, sid, id, body) : notFound;
        case "DELETE ips":
            return store.removeIp(acc, sid, id);
        case "POST destinations":
            return seg.length === 3 ? store.addDestinations(acc, sid, body) : notFound;
        case "PUT destinations":
            return id && seg[3] ? store.updateDestination(acc, sid, id, body) : notFound;
        case "DELETE destinations":
            return store.removeDestination(acc, sid, id);
        case "POST settings":
            return store.setSettings(acc, sid, body);
        case "DELETE settings":
            return store.deleteSetting(acc, sid, q.get("name") ?? undefined);
        case "POST credentials":
            return store.addCredential(acc, sid, body);
        case "PUT credentials":
            return id && seg[3] ? store.updateCredential(acc, sid, id, body) : notFound;
        case "DELETE credentials":
            return store.removeCredential(acc, sid, id);
        default:
            return notFound;
    }
}

/** A list answer: per-item envelopes, paged with offset/page_size; an empty list has no metadata (as captured). */
export function list(method: string, acc: string, seg: string[], q: URLSearchParams, all: unknown[]): Answer {
    const offset = Math.max(0, Number(q.get("offset") ?? 0) || 0);
    const pageSize = Math.min(100, Math.max(1, Number(q.get("page_size") ?? 50) || 50));
    if (all.length === 0) return { status: 200, body: envelope(method, 200, []) };
    const page = all.slice(offset, offset + pageSize);
    const base = `/v2/accounts/${acc}/${seg.join("/")}`;
    const extra = [...q.entries()]
        .filter(([k]) => k !== "offset" && k !== "page_size")
        .map(([k, v]) => `&${k}=${encodeURIComponent(v)}`)
        .join("");
    const uri = (o: number) => `${base}?offset=${o}&page_size=${pageSize}${extra}`;
    const metadata = {
        page_size: pageSize,
        first_page_uri: uri(0),
        prev_page_uri: offset > 0 ? uri(Math.max(0, offset - pageSize)) : null,
        next_page_uri: offset + pageSize < all.length ? uri(offset + pageSize) : null,
    };
    return {
        status: 200,
        body: envelope(
            method,
            200,
            page.map((d) => item(200, d)),
            metadata,
        ),
    };
}

export function partialBody(body: Record<string, unknown>, failIndexes: number[]): Record<string, unknown> {
    // Items to fail are swapped for an invalid destination/setting so the store rejects them itself.
    const key = Array.isArray(body.destinations) ? "destinations" : Array.isArray(body.settings) ? "settings" : undefined;
    if (!key) return body;
    const items = (body[key] as unknown[]).map((x, i) =>
        failIndexes.includes(i)
            ? key === "destinations"
                ? { destination: "invalid host!:0" }
                : { name: "injected_failure", value: "" }
            : x,
    );
    return { ...body, [key]: items };
}
