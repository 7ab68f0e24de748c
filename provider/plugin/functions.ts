/** The plugin's functions, `exotel:index:getTrunk` and `exotel:index:listTrunks`: GET requests only, on the engine's lookups. */
import { Accounts } from "../engine/accounts";
import { lookupTrunk, lookupTrunks, TrunkLookup } from "../engine/trunkLookup";
import { GET_TRUNK, LIST_TRUNKS } from "./schema";

export type Invoked = { failures: { property: string; reason: string }[] } | { result: Record<string, unknown> };

export async function invoke(accounts: Accounts, token: string, args: Record<string, unknown>): Promise<Invoked> {
    switch (token) {
        case GET_TRUNK: {
            const bySid = typeof args.trunkSid === "string" && args.trunkSid !== "";
            const byName = typeof args.trunkName === "string" && args.trunkName !== "";
            if (bySid === byName) {
                return {
                    failures: [
                        { property: bySid ? "trunkName" : "trunkSid", reason: "getTrunk takes exactly one of trunkSid and trunkName" },
                    ],
                };
            }
            const lookup: TrunkLookup = bySid ? { trunkSid: String(args.trunkSid) } : { trunkName: String(args.trunkName) };
            return { result: { ...(await lookupTrunk(accounts.lookupAccount(), lookup)) } };
        }
        case LIST_TRUNKS:
            return { result: { trunks: await lookupTrunks(accounts.lookupAccount(), args.withAttachments !== false) } };
        default:
            throw new Error(`the exotel provider has no function ${token}`);
    }
}
