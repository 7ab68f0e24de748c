/**
 * The emulator's data: accounts and trunks, with Exotel's validation rules and error answers (see
 * ../shared/exotel-api.md). No HTTP here: each operation returns an `Answer` (HTTP status + envelope
 * body) that the server writes out.
 */
import * as fs from "fs";
import { DUPLICATE, envelope, fail, INVALID, item, MISSING, now, ok } from "./answers";
import { randomBytes } from "crypto";
import { AccountData, Answer, DEFAULT_STORE_OPTIONS, StoreOptions, TrunkRec } from "./records";

/** What is attached to a trunk, by id. */
export type AttachmentKind = "numbers" | "ips" | "destinations" | "credentials";

/**
 * Accounts, persistence, ids and trunks. The attachments (numbers, IPs, destinations, settings,
 * credentials) are in store.ts, which extends this.
 */
export class TrunkStore {
    protected accounts = new Map<string, AccountData>();
    protected counters = { number: 41500, ip: 1150, destination: 2540, credential: 700 };
    readonly options: StoreOptions;

    constructor(options: Partial<StoreOptions> = {}) {
        this.options = { ...DEFAULT_STORE_OPTIONS, ...options };
        this.load();
    }

    // ---- persistence ----

    private load(): void {
        const p = this.options.persistPath;
        if (!p || !fs.existsSync(p)) return;
        const saved = JSON.parse(fs.readFileSync(p, "utf8")) as { accounts: Record<string, AccountData>; counters: TrunkStore["counters"] };
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
        for (const [k, v] of this.accounts) if (!sid || k === sid) out[k] = structuredClone(v);
        return out;
    }

    protected nextId(kind: keyof TrunkStore["counters"]): string {
        this.counters[kind] += 1;
        return String(this.counters[kind]);
    }

    protected link(acc: string, sid: string, what: string): string {
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
        if (typeof name !== "string")
            return fail(
                m,
                400,
                400,
                1007,
                "Invalid request body,failed parsing ",
                "json: cannot unmarshal into Go struct field CreateTrunkRequest.trunk_name of type string",
            );
        if (name.length > 16) return fail(m, 400, 400, 1002, INVALID, "Maximum allowed length for TrunkName is 16");
        if (!/^[A-Za-z0-9_]*$/.test(name))
            return fail(m, 400, 400, 1002, INVALID, "Allowed characters for TrunkName is alphanumeric and _");
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
            return {
                status: st,
                body: envelope(
                    m,
                    st,
                    item(409, null, { code: 1008, message: DUPLICATE, description: `Unable to create trunk with name ${name}` }),
                ),
            };
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

    /** `DELETE …?id=` of something attached to a trunk: 404/1000 when it is not there. */
    protected removeChild(kind: AttachmentKind, acc: string, sid: string, id: string | undefined): Answer {
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

    /**
     * `PUT` of one attachment: the trunk and the record must exist (Exotel's answers when not), `change`
     * checks the body and applies it (returning a failure answer leaves the record as it was), then the
     * record's date_updated is set and the store saved.
     */
    protected updateAttached<K extends AttachmentKind>(
        kind: K,
        acc: string,
        sid: string,
        id: string,
        change: (rec: AccountData[K][number]) => Answer | undefined,
    ): Answer {
        const m = "PUT";
        if (!this.findTrunk(acc, sid)) return this.unknownTrunk(m);
        const list: { id: string; trunk_sid: string }[] = this.account(acc)[kind];
        const rec = list.find((x) => x.id === id && x.trunk_sid === sid) as AccountData[K][number] | undefined;
        if (!rec) return fail(m, 404, 404, 1000, "Not Found");
        const refused = change(rec);
        if (refused) return refused;
        rec.date_updated = now();
        this.save();
        return ok(m, rec);
    }
}
