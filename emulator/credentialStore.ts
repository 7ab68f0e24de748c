/**
 * SIP digest credentials of a trunk ([EXO2] §4.11-4.14): create, update, delete. Passwords are checked
 * and never stored or echoed. Listing is in routes.ts (and can be made to answer empty, as the withdrawn
 * endpoint did).
 */
import { DUPLICATE, fail, INVALID, MISSING, now, ok } from "./answers";
import { Answer, CredentialRec } from "./records";
import { TrunkStore } from "./trunkStore";

export class CredentialStore extends TrunkStore {
    /**
     * [EXO2] §4.11; rules as measured by third parties: password `[A-Za-z0-9_]` (our guess: at least 8
     * characters), friendly name ≤ 32 `[A-Za-z0-9_]`; a second credential with the same user name: 1008.
     */
    addCredential(acc: string, sid: string, body: Record<string, unknown>): Answer {
        const m = "POST";
        if (!this.findTrunk(acc, sid)) return this.unknownTrunk(m);
        if (typeof body.user_name !== "string" || body.user_name === "") return fail(m, 400, 400, 1001, MISSING, "UserName is mandatory");
        if (typeof body.password !== "string") return fail(m, 400, 400, 1001, MISSING, "Password is mandatory");
        const bad = this.credentialProblem(m, body);
        if (bad) return bad;
        if (this.account(acc).credentials.some((c) => c.trunk_sid === sid && c.user_name === body.user_name)) {
            return fail(m, 200, 409, 1008, DUPLICATE, `Unable to create credential with UserName ${body.user_name}`);
        }
        const ts = now();
        const rec: CredentialRec = {
            id: this.nextId("credential"),
            trunk_sid: sid,
            user_name: body.user_name,
            friendly_name: (body.friendly_name as string) ?? null,
            date_created: ts,
            date_updated: ts,
        };
        this.account(acc).credentials.push(rec);
        this.save();
        return ok(m, rec);
    }

    /** [EXO2] §4.13: any of user_name, password, friendly_name; the password is never echoed. */
    updateCredential(acc: string, sid: string, id: string, body: Record<string, unknown>): Answer {
        return this.updateAttached("credentials", acc, sid, id, (rec) => {
            const bad = this.credentialProblem("PUT", body);
            if (bad) return bad;
            if (typeof body.user_name === "string" && body.user_name !== "") rec.user_name = body.user_name;
            if (typeof body.friendly_name === "string") rec.friendly_name = body.friendly_name;
        });
    }

    private credentialProblem(m: string, body: Record<string, unknown>): Answer | undefined {
        if (body.password !== undefined && (typeof body.password !== "string" || !/^[A-Za-z0-9_]{8,}$/.test(body.password))) {
            return fail(m, 400, 400, 1002, INVALID, "Invalid Password");
        }
        const fn = body.friendly_name;
        if (fn !== undefined && (typeof fn !== "string" || fn.length > 32 || !/^[A-Za-z0-9_]*$/.test(fn))) {
            return fail(m, 400, 400, 1002, INVALID, "Allowed characters for FriendlyName is alphanumberic and _");
        }
        return undefined;
    }

    removeCredential(acc: string, sid: string, id: string | undefined): Answer {
        return this.removeChild("credentials", acc, sid, id);
    }
}
