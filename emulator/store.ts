/**
 * The emulator's store: TrunkStore (accounts, trunks) plus what is attached to a trunk, with Exotel's
 * validation rules and error answers for each (see ../shared/exotel-api.md).
 */
import { DUPLICATE, E164, envelope, fail, INVALID, item, MISSING, now, ok } from "./answers";
import { Answer, DestRec, IpRec, NumberRec } from "./records";
import { inCidr, isFqdn, parseIpv4 } from "./rules";
import { CredentialStore } from "./credentialStore";

export type { Answer, StoreOptions } from "./records";

export class Store extends CredentialStore {
    // ---- phone numbers ----

    mapNumber(acc: string, sid: string, body: Record<string, unknown>): Answer {
        const m = "POST";
        if (!this.findTrunk(acc, sid)) return this.unknownTrunk(m);
        const pn = body.phone_number;
        if (pn === undefined || pn === null) return fail(m, 400, 400, 1001, MISSING, "PhoneNumber is mandatory");
        if (typeof pn !== "string")
            return fail(
                m,
                400,
                400,
                1007,
                "Invalid request body,failed parsing ",
                "json: cannot unmarshal number into Go struct field MapDidRequest.phone_number of type string",
            );
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
        const rec: NumberRec = {
            id: this.nextId("number"),
            phone_number: pn,
            trunk_sid: sid,
            date_created: ts,
            date_updated: ts,
            mode: (mode as "pstn" | "flow") ?? null,
        };
        a.numbers.push(rec);
        this.save();
        return ok(m, rec);
    }

    updateNumber(acc: string, sid: string, id: string, body: Record<string, unknown>): Answer {
        return this.updateAttached("numbers", acc, sid, id, (rec) => {
            const m = "PUT";
            if (body.phone_number === undefined) return fail(m, 400, 400, 1001, MISSING, "PhoneNumber is mandatory");
            if (body.phone_number !== rec.phone_number) return fail(m, 400, 400, 1002, INVALID, "Invalid PhoneNumber");
            if (body.mode !== "pstn" && body.mode !== "flow") return fail(m, 400, 400, 1002, INVALID, "Invalid Mode");
            rec.mode = body.mode;
        });
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
            return fail(
                m,
                400,
                400,
                1007,
                "Invalid request body,failed parsing ",
                `json: cannot unmarshal number ${JSON.stringify(mask)} into Go struct field CreateWhitelistipsRequest.mask of type uint8`,
            );
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
        return this.updateAttached("ips", acc, sid, id, (rec) => {
            const m = "PUT";
            if (typeof body.ip !== "string" || !parseIpv4(body.ip)) return fail(m, 400, 400, 1002, INVALID, "Invalid ip");
            if (typeof body.mask !== "number" || body.mask < 16 || body.mask > 32)
                return fail(m, 400, 400, 1002, INVALID, "mask should be in-between 16 and 32");
            rec.ip = body.ip;
            rec.mask = body.mask;
        });
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
        return this.updateAttached("destinations", acc, sid, id, (rec) => {
            if (body.priority !== undefined) rec.priority = Number(body.priority);
            if (body.weight !== undefined) rec.weight = Number(body.weight);
            return undefined;
        });
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
        const metadata =
            failed > 0 ? { total: list.length, success: list.length - failed, failed } : { total: list.length, success: list.length };
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
}
