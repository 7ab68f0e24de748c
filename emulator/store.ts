/**
 * The emulator's data: accounts, trunks and everything attached, with Exotel's validation rules and
 * error answers (see ../shared/exotel-api.md). No HTTP here: each operation returns an `Answer`
 * (HTTP status + envelope body) that the server writes out.
 */
import { randomBytes } from "crypto";
import * as fs from "fs";

export interface ErrorData {
    code: number;
    message: string;
    description: string;
}

export interface Answer {
    status: number;
    body: Record<string, unknown>;
}

export interface TrunkRec {
    trunk_sid: string;
    trunk_name: string;
    status: string;
    domain_name: string;
    auth_type: string;
    registration_enabled: string;
    edge_preference: string;
    nso_code: string;
    secure_trunking: string;
    date_created: string;
    date_updated: string;
}

export interface NumberRec { id: string; phone_number: string; trunk_sid: string; mode: "pstn" | "flow" | null; date_created: string; date_updated: string }
export interface IpRec { id: string; ip: string; mask: number; trunk_sid: string; friendly_name: null; date_created: string; date_updated: string }
export interface DestRec { id: string; destination: string; type: string; priority: number; weight: number; trunk_sid: string; date_created: string; date_updated: string }
export interface SettingRec { name: string; value: string; trunk_sid: string; date_created: string; date_updated: string }
export interface CredentialRec { id: string; trunk_sid: string; user_name: string; friendly_name: string | null; date_created: string; date_updated: string }

export interface AccountData {
    trunks: TrunkRec[];
    numbers: NumberRec[];
    ips: IpRec[];
    destinations: DestRec[];
    settings: SettingRec[];
    credentials: CredentialRec[];
}

export interface StoreOptions {
    /** How an unknown trunk_sid is answered: Exotel's current docs (404/1000) or the Aug 2025 live tests (403/1003). */
    unknownTrunk: "404" | "403";
    /** HTTP status of a duplicate trunk name: 200 with a 409 body (measured live) or a real 409 (docs). */
    duplicateTrunkHttpStatus: 200 | 409;
    /** Whether deleting a trunk also removes its credentials (sources disagree). */
    cascadeCredentials: boolean;
    /** trunk_sid prefix: `trmum1` (Mumbai, as captured). */
    sidPrefix: string;
    persistPath?: string;
}

export const DEFAULT_STORE_OPTIONS: StoreOptions = {
    unknownTrunk: "404",
    duplicateTrunkHttpStatus: 200,
    cascadeCredentials: true,
    sidPrefix: "trmum1",
};

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
const E164 = /^\+[1-9]\d{1,14}$/;

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
    return error
        ? { code, error_data: error, status: "failure", data: null }
        : { code, error_data: null, status: "success", data };
}

export function ok(method: string, data: unknown): Answer {
    return { status: 200, body: envelope(method, 200, item(200, data)) };
}

export function fail(method: string, httpStatus: number, code: number, errCode: number, message: string, description = message): Answer {
    return { status: httpStatus, body: envelope(method, httpStatus, item(code, null, { code: errCode, message, description })) };
}

const INVALID = "Invalid parameter";
const MISSING = "Mandatory Parameter missing";
const DUPLICATE = "Duplicate resource";

function parseIpv4(v: string): boolean {
    const parts = v.split(".");
    return parts.length === 4 && parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

function ipNum(v: string): number {
    return v.split(".").reduce((n, p) => n * 256 + Number(p), 0);
}

function inCidr(ip: string, net: string, mask: number): boolean {
    const size = 2 ** (32 - mask);
    return Math.floor(ipNum(ip) / size) === Math.floor(ipNum(net) / size);
}

function isFqdn(v: string): boolean {
    if (v.length > 253 || !v.includes(".")) return false;
    const labels = v.split(".");
    return labels.every((l) => /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/.test(l)) && /[A-Za-z]/.test(labels[labels.length - 1]);
}

export class Store {
    private accounts = new Map<string, AccountData>();
    private counters = { number: 41500, ip: 1150, destination: 2540, credential: 700 };
    readonly options: StoreOptions;

    constructor(options: Partial<StoreOptions> = {}) {
        this.options = { ...DEFAULT_STORE_OPTIONS, ...options };
        this.load();
    }

    // ---- persistence ----

    private load(): void {
        const p = this.options.persistPath;
        if (!p || !fs.existsSync(p)) return;
        const saved = JSON.parse(fs.readFileSync(p, "utf8")) as { accounts: Record<string, AccountData>; counters: Store["counters"] };
        this.accounts = new Map(Object.entries(saved.accounts ?? {}));
        this.counters = { ...this.counters, ...(saved.counters ?? {}) };
    }

    save(): void {
        const p = this.options.persistPath;
        if (!p) return;
        const tmp = `${p}.tmp`;
        fs.writeFileSync(tmp, JSON.stringify({ accounts: Object.fromEntries(this.accounts), counters: this.counters }, null, 2));
        fs.renameSync(tmp, p);
    }

    reset(): void {
        this.accounts.clear();
        this.save();
    }

    account(sid: string): AccountData {
        let a = this.accounts.get(sid);
        if (!a) {
            a = { trunks: [], numbers: [], ips: [], destinations: [], settings: [], credentials: [] };
            this.accounts.set(sid, a);
        }
        return a;
    }

    /** A deep copy of what an account holds (for tests: compare with Pulumi's state). */
    snapshot(sid?: string): Record<string, AccountData> {
        const out: Record<string, AccountData> = {};
        for (const [k, v] of this.accounts) if (!sid || k === sid) out[k] = JSON.parse(JSON.stringify(v));
        return out;
    }

    private nextId(kind: keyof Store["counters"]): string {
        this.counters[kind] += 1;
        return String(this.counters[kind]);
    }

    private link(acc: string, sid: string, what: string): string {
        return `/v2/accounts/${acc}/trunks/${sid}/${what}`;
    }

    trunkView(acc: string, t: TrunkRec): Record<string, unknown> {
        return {
            ...t,
            destination_uris: this.link(acc, t.trunk_sid, "destination-uris"),
            whitelisted_ips: this.link(acc, t.trunk_sid, "whitelisted-ips"),
            credentials: this.link(acc, t.trunk_sid, "credentials"),
            phone_numbers: this.link(acc, t.trunk_sid, "phone-numbers"),
        };
    }

    unknownTrunk(method: string): Answer {
        return this.options.unknownTrunk === "403"
            ? fail(method, 403, 403, 1003, "Authorization failed")
            : fail(method, 404, 404, 1000, "Not Found");
    }

    findTrunk(acc: string, sid: string | undefined): TrunkRec | undefined {
        if (!sid) return undefined;
        return this.account(acc).trunks.find((t) => t.trunk_sid === sid);
    }

    // ---- trunks ----

    createTrunk(acc: string, body: Record<string, unknown>): Answer {
        const m = "POST";
        const name = body.trunk_name;
        if (name === undefined || name === null) return fail(m, 400, 400, 1001, MISSING, "TrunkName is mandatory");
        if (typeof name !== "string") return fail(m, 400, 400, 1007, "Invalid request body,failed parsing ", "json: cannot unmarshal into Go struct field CreateTrunkRequest.trunk_name of type string");
        if (name.length > 16) return fail(m, 400, 400, 1002, INVALID, "Maximum allowed length for TrunkName is 16");
        if (!/^[A-Za-z0-9_]*$/.test(name)) return fail(m, 400, 400, 1002, INVALID, "Allowed characters for TrunkName is alphanumeric and _");
        if (body.nso_code === undefined) return fail(m, 400, 400, 1001, MISSING, "NsoCode is mandatory");
        if (body.nso_code !== "ANY-ANY") return fail(m, 400, 400, 1002, INVALID, "Nso code is invalid");
        const domain = body.domain_name;
        if (domain === undefined) return fail(m, 400, 400, 1001, MISSING, "DomainName is mandatory");
        if (typeof domain !== "string" || !domain.endsWith(".pstn.exotel.com")) {
            return fail(m, 400, 400, 1002, INVALID, "Domain name should end with .pstn.exotel.com");
        }
        const a = this.account(acc);
        if (a.trunks.some((t) => t.trunk_name === name)) {
            const st = this.options.duplicateTrunkHttpStatus;
            return { status: st, body: envelope(m, st, item(409, null, { code: 1008, message: DUPLICATE, description: `Unable to create trunk with name ${name}` })) };
        }
        const ts = now();
        const sid = `${this.options.sidPrefix}${randomBytes(9).toString("hex")}1a1n`;
        const t: TrunkRec = {
            trunk_name: name,
            date_created: ts,
            date_updated: ts,
            trunk_sid: sid,
            status: "active",
            domain_name: domain,
            auth_type: "IP-WHITELIST",
            registration_enabled: "disabled",
            edge_preference: "auto",
            nso_code: "ANY-ANY",
            secure_trunking: "disabled",
        };
        a.trunks.push(t);
        this.save();
        return ok(m, this.trunkView(acc, t));
    }

    listTrunks(acc: string, filterSid?: string): Record<string, unknown>[] {
        const ts = this.account(acc).trunks.filter((t) => !filterSid || t.trunk_sid === filterSid);
        return [...ts].reverse().map((t) => this.trunkView(acc, t));
    }

    updateTrunk(acc: string, sid: string, body: Record<string, unknown>): Answer {
        const m = "PUT";
        const t = this.findTrunk(acc, sid);
        if (!t) return this.unknownTrunk(m);
        if (body.trunk_name !== undefined) {
            const name = body.trunk_name;
            if (typeof name !== "string" || name.length > 16 || !/^[A-Za-z0-9_]*$/.test(name)) {
                return fail(m, 400, 400, 1002, INVALID, "Allowed characters for TrunkName is alphanumeric and _");
            }
            if (this.account(acc).trunks.some((x) => x !== t && x.trunk_name === name)) {
                return fail(m, 200, 409, 1008, DUPLICATE, `Unable to update trunk with name ${name}`);
            }
            t.trunk_name = name;
        }
        if (body.nso_code !== undefined && body.nso_code !== "ANY-ANY") return fail(m, 400, 400, 1002, INVALID, "Nso code is invalid");
        t.date_updated = now();
        this.save();
        return ok(m, this.trunkView(acc, t));
    }

    deleteTrunk(acc: string, sid: string | undefined): Answer {
        const m = "DELETE";
        if (!sid) return fail(m, 400, 400, 1001, MISSING, "TrunkSid is mandatory");
        const a = this.account(acc);
        const t = this.findTrunk(acc, sid);
        if (!t) return this.unknownTrunk(m);
        const view = this.trunkView(acc, t);
        a.trunks = a.trunks.filter((x) => x !== t);
        a.numbers = a.numbers.filter((x) => x.trunk_sid !== sid);
        a.ips = a.ips.filter((x) => x.trunk_sid !== sid);
        a.destinations = a.destinations.filter((x) => x.trunk_sid !== sid);
        a.settings = a.settings.filter((x) => x.trunk_sid !== sid);
        if (this.options.cascadeCredentials) a.credentials = a.credentials.filter((x) => x.trunk_sid !== sid);
        this.save();
        return ok(m, view);
    }

    // ---- phone numbers ----

    mapNumber(acc: string, sid: string, body: Record<string, unknown>): Answer {
        const m = "POST";
        if (!this.findTrunk(acc, sid)) return this.unknownTrunk(m);
        const pn = body.phone_number;
        if (pn === undefined || pn === null) return fail(m, 400, 400, 1001, MISSING, "PhoneNumber is mandatory");
        if (typeof pn !== "string") return fail(m, 400, 400, 1007, "Invalid request body,failed parsing ", "json: cannot unmarshal number into Go struct field MapDidRequest.phone_number of type string");
        if (pn === "" || pn.replace(/\D/g, "").length > 30) return fail(m, 404, 404, 1000, "Not Found");
        if (!E164.test(pn)) return fail(m, 400, 400, 1002, INVALID, "Invalid PhoneNumber");
        const mode = body.mode;
        if (mode !== undefined && mode !== "pstn" && mode !== "flow") return fail(m, 400, 400, 1002, INVALID, "Invalid Mode");
        const a = this.account(acc);
        // Undocumented whether a number may sit on two trunks; the emulator says no (the safer assumption).
        if (a.numbers.some((n) => n.phone_number === pn)) {
            return fail(m, 200, 409, 1008, DUPLICATE, `Unable to create DidTrunkMapping with TrunkSid ${sid}`);
        }
        const ts = now();
        const rec: NumberRec = { id: this.nextId("number"), phone_number: pn, trunk_sid: sid, date_created: ts, date_updated: ts, mode: (mode as "pstn" | "flow") ?? null };
        a.numbers.push(rec);
        this.save();
        return ok(m, rec);
    }

    updateNumber(acc: string, sid: string, id: string, body: Record<string, unknown>): Answer {
        const m = "PUT";
        if (!this.findTrunk(acc, sid)) return this.unknownTrunk(m);
        const rec = this.account(acc).numbers.find((n) => n.id === id && n.trunk_sid === sid);
        if (!rec) return fail(m, 404, 404, 1000, "Not Found");
        if (body.phone_number === undefined) return fail(m, 400, 400, 1001, MISSING, "PhoneNumber is mandatory");
        if (body.phone_number !== rec.phone_number) return fail(m, 400, 400, 1002, INVALID, "Invalid PhoneNumber");
        if (body.mode !== "pstn" && body.mode !== "flow") return fail(m, 400, 400, 1002, INVALID, "Invalid Mode");
        rec.mode = body.mode;
        rec.date_updated = now();
        this.save();
        return ok(m, rec);
    }

    unmapNumber(acc: string, sid: string, id: string | undefined): Answer {
        return this.removeChild("numbers", acc, sid, id);
    }

    // ---- whitelisted IPs ----

    addIp(acc: string, sid: string, body: Record<string, unknown>): Answer {
        const m = "POST";
        if (!this.findTrunk(acc, sid)) return this.unknownTrunk(m);
        const ip = body.ip;
        if (ip === undefined || ip === null || ip === "") return fail(m, 400, 400, 1001, MISSING, "Ip is mandatory");
        if (typeof ip !== "string" || !parseIpv4(ip)) return fail(m, 400, 400, 1002, INVALID, "Invalid ip");
        const mask = body.mask ?? 32;
        if (typeof mask !== "number" || !Number.isInteger(mask) || mask < 0 || mask > 255) {
            return fail(m, 400, 400, 1007, "Invalid request body,failed parsing ", `json: cannot unmarshal number ${JSON.stringify(mask)} into Go struct field CreateWhitelistipsRequest.mask of type uint8`);
        }
        if (mask < 16 || mask > 32) return fail(m, 400, 400, 1002, INVALID, "mask should be in-between 16 and 32");
        const a = this.account(acc);
        if (a.ips.some((x) => x.trunk_sid === sid && x.ip === ip)) {
            return fail(m, 200, 409, 1008, DUPLICATE, `Unable to Whitelist-ip with ip ${ip}`);
        }
        const ts = now();
        const rec: IpRec = { id: this.nextId("ip"), mask, trunk_sid: sid, ip, friendly_name: null, date_created: ts, date_updated: ts };
        a.ips.push(rec);
        this.save();
        return ok(m, rec);
    }

    updateIp(acc: string, sid: string, id: string, body: Record<string, unknown>): Answer {
        const m = "PUT";
        if (!this.findTrunk(acc, sid)) return this.unknownTrunk(m);
        const rec = this.account(acc).ips.find((x) => x.id === id && x.trunk_sid === sid);
        if (!rec) return fail(m, 404, 404, 1000, "Not Found");
        if (typeof body.ip !== "string" || !parseIpv4(body.ip)) return fail(m, 400, 400, 1002, INVALID, "Invalid ip");
        if (typeof body.mask !== "number" || body.mask < 16 || body.mask > 32) return fail(m, 400, 400, 1002, INVALID, "mask should be in-between 16 and 32");
        rec.ip = body.ip;
        rec.mask = body.mask;
        rec.date_updated = now();
        this.save();
        return ok(m, rec);
    }

    removeIp(acc: string, sid: string, id: string | undefined): Answer {
        return this.removeChild("ips", acc, sid, id);
    }

    // ---- destination URIs ----

    addDestinations(acc: string, sid: string, body: Record<string, unknown>): Answer {
        const m = "POST";
        if (!this.findTrunk(acc, sid)) return this.unknownTrunk(m);
        const list = body.destinations;
        if (!Array.isArray(list) || list.length === 0) return fail(m, 400, 400, 1001, MISSING, "Destinations is mandatory");
        const a = this.account(acc);
        const items: unknown[] = [];
        let failed = 0;
        for (const entry of list) {
            const d = (entry as Record<string, unknown>)?.destination;
            const problem = this.destinationProblem(acc, sid, d);
            if (problem) {
                failed++;
                items.push(item(400, null, { code: 1002, message: INVALID, description: problem }));
                continue;
            }
            const ts = now();
            const rec: DestRec = {
                id: this.nextId("destination"),
                destination: `sip:${String(d).replace(/^sip:/, "")}`,
                date_created: ts,
                date_updated: ts,
                type: "public",
                priority: 0,
                weight: 1,
                trunk_sid: sid,
            };
            a.destinations.push(rec);
            items.push(item(200, rec));
        }
        if (items.length > failed) this.save();
        const status = failed > 0 ? 207 : 200;
        return { status, body: envelope(m, status, items, { total: list.length, success: list.length - failed, failed }) };
    }

    private destinationProblem(acc: string, sid: string, d: unknown): string | undefined {
        if (typeof d !== "string") return "Destination is not a valid Ip or Fqdn";
        // `host:port;transport=tls|tcp|udp`, or the historic bare `host:port` (UDP).
        const mm = /^(?:sip:)?([^:;\s]+):(\d{1,5})(?:;transport=(tls|tcp|udp))?$/.exec(d);
        if (!mm || Number(mm[2]) < 1 || Number(mm[2]) > 65535) return "Destination is not a valid Ip or Fqdn";
        const host = mm[1];
        if (/^[\d.]+$/.test(host)) {
            if (!parseIpv4(host)) return "Destination is not a valid Ip or Fqdn";
            const ips = this.account(acc).ips.filter((x) => x.trunk_sid === sid);
            if (!ips.some((x) => inCidr(host, x.ip, x.mask))) return "Destination not whitelisted";
            return undefined;
        }
        return isFqdn(host) ? undefined : "Destination is not a valid Ip or Fqdn";
    }

    updateDestination(acc: string, sid: string, id: string, body: Record<string, unknown>): Answer {
        const m = "PUT";
        if (!this.findTrunk(acc, sid)) return this.unknownTrunk(m);
        const rec = this.account(acc).destinations.find((x) => x.id === id && x.trunk_sid === sid);
        if (!rec) return fail(m, 404, 404, 1000, "Not Found");
        if (body.priority !== undefined) rec.priority = Number(body.priority);
        if (body.weight !== undefined) rec.weight = Number(body.weight);
        rec.date_updated = now();
        this.save();
        return ok(m, rec);
    }

    removeDestination(acc: string, sid: string, id: string | undefined): Answer {
        return this.removeChild("destinations", acc, sid, id);
    }

    // ---- settings ----

    setSettings(acc: string, sid: string, body: Record<string, unknown>): Answer {
        const m = "POST";
        if (!this.findTrunk(acc, sid)) return this.unknownTrunk(m);
        const list = body.settings;
        if (!Array.isArray(list) || list.length === 0) return fail(m, 400, 400, 1001, MISSING, "Settings is mandatory");
        const a = this.account(acc);
        const items: unknown[] = [];
        let failed = 0;
        for (const entry of list) {
            const s = entry as Record<string, unknown>;
            if (s?.name !== "trunk_external_alias") {
                failed++;
                items.push(item(400, null, { code: 1002, message: INVALID, description: "Invalid setting name" }));
                continue;
            }
            if (typeof s.value !== "string" || !E164.test(s.value)) {
                failed++;
                items.push(item(400, null, { code: 1002, message: INVALID, description: "Invalid setting value" }));
                continue;
            }
            const ts = now();
            let rec = a.settings.find((x) => x.trunk_sid === sid && x.name === s.name);
            if (rec) {
                rec.value = s.value;
                rec.date_updated = ts;
            } else {
                rec = { name: s.name, value: s.value, trunk_sid: sid, date_created: ts, date_updated: ts };
                a.settings.push(rec);
            }
            items.push(item(200, rec));
        }
        this.save();
        const status = failed > 0 ? 207 : 200;
        const metadata = failed > 0 ? { total: list.length, success: list.length - failed, failed } : { total: list.length, success: list.length };
        return { status, body: envelope(m, status, items, metadata) };
    }

    deleteSetting(acc: string, sid: string, name: string | undefined): Answer {
        const m = "DELETE";
        if (!this.findTrunk(acc, sid)) return this.unknownTrunk(m);
        const a = this.account(acc);
        const rec = a.settings.find((x) => x.trunk_sid === sid && x.name === name);
        if (!rec) return fail(m, 404, 404, 1000, "Not Found");
        a.settings = a.settings.filter((x) => x !== rec);
        this.save();
        return ok(m, rec);
    }

    // ---- credentials ([EXO2]) ----

    addCredential(acc: string, sid: string, body: Record<string, unknown>): Answer {
        const m = "POST";
        if (!this.findTrunk(acc, sid)) return this.unknownTrunk(m);
        if (typeof body.user_name !== "string" || body.user_name === "") return fail(m, 400, 400, 1001, MISSING, "UserName is mandatory");
        if (typeof body.password !== "string" || !/^[A-Za-z0-9_]{8,}$/.test(body.password)) return fail(m, 400, 400, 1002, INVALID, "Invalid Password");
        const fn = body.friendly_name;
        if (fn !== undefined && (typeof fn !== "string" || fn.length > 32 || !/^[A-Za-z0-9_]*$/.test(fn))) {
            return fail(m, 400, 400, 1002, INVALID, "Allowed characters for FriendlyName is alphanumberic and _");
        }
        const ts = now();
        const rec: CredentialRec = { id: this.nextId("credential"), trunk_sid: sid, user_name: body.user_name, friendly_name: (fn as string) ?? null, date_created: ts, date_updated: ts };
        this.account(acc).credentials.push(rec);
        this.save();
        return ok(m, rec);
    }

    removeCredential(acc: string, sid: string, id: string | undefined): Answer {
        return this.removeChild("credentials", acc, sid, id);
    }

    trunkMap(acc: string, exophone: string | undefined, sid?: string): Answer {
        const m = "GET";
        if (!exophone) return fail(m, 400, 400, 1001, MISSING, "Exophone is mandatory");
        const rec = this.account(acc).numbers.find((n) => n.phone_number === exophone && (!sid || n.trunk_sid === sid));
        if (!rec) return fail(m, 404, 404, 1000, "Not Found");
        return ok(m, { exophone, trunk_sid: rec.trunk_sid, phone_number_id: rec.id, mode: rec.mode });
    }

    children(acc: string, sid: string, kind: "numbers" | "ips" | "destinations" | "settings" | "credentials"): unknown[] {
        const list = this.account(acc)[kind] as { trunk_sid: string }[];
        return list.filter((x) => x.trunk_sid === sid).reverse();
    }

    private removeChild(kind: "numbers" | "ips" | "destinations" | "credentials", acc: string, sid: string, id: string | undefined): Answer {
        const m = "DELETE";
        if (!this.findTrunk(acc, sid)) return this.unknownTrunk(m);
        if (!id) return fail(m, 400, 400, 1001, MISSING, "Id is mandatory");
        const a = this.account(acc);
        const list = a[kind] as { id: string; trunk_sid: string }[];
        const rec = list.find((x) => x.id === id && x.trunk_sid === sid);
        if (!rec) return fail(m, 404, 404, 1000, "Not Found");
        (a[kind] as unknown[]) = list.filter((x) => x !== rec);
        this.save();
        return ok(m, rec);
    }
}
