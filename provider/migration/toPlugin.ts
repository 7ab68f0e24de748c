/**
 * Moving a stack's dynamic `ExotelTrunk`s to the provider plugin's `exotel:index:Trunk` with zero writes at
 * Exotel: from `pulumi stack export`, the file `pulumi import --file` takes (each trunk by its sid: the import
 * only reads it) and the URNs of the old entries, which `pulumi state delete` then drops from state without
 * calling any provider. Pure: JSON in, plan out.
 */

import { DYNAMIC_TRUNK_TYPE, PLUGIN_TRUNK_TYPE } from "../typeTokens";

/** The URN type of a dynamic ExotelTrunk. */
export { DYNAMIC_TRUNK_TYPE };

interface ExportedResource {
    urn: string;
    type: string;
    id?: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
}

export interface ImportEntry {
    type: typeof PLUGIN_TRUNK_TYPE;
    name: string;
    id: string;
}

export interface MigrationPlan {
    /** The file for `pulumi import --file <file> --protect=false`. */
    importFile: { resources: ImportEntry[] };
    /** The dynamic entries to remove from state once the import succeeded (`pulumi state delete <urn> --yes`). */
    remove: string[];
    /** Trunks this plan does not move, and why (they stay as they are). */
    skipped: { urn: string; reason: string }[];
}

/** The migration plan for a stack, from `pulumi stack export` output (parsed JSON). */
export function planMigration(exported: unknown): MigrationPlan {
    const resources = (exported as { deployment?: { resources?: ExportedResource[] } })?.deployment?.resources;
    if (!Array.isArray(resources)) throw new Error("not the output of `pulumi stack export`: it has no deployment.resources");
    const plan: MigrationPlan = { importFile: { resources: [] }, remove: [], skipped: [] };
    const names = new Set<string>();
    for (const r of resources) {
        if (r.type !== DYNAMIC_TRUNK_TYPE) continue;
        const name = r.urn.split("::").pop()!;
        const sid = typeof r.outputs?.trunkSid === "string" ? r.outputs.trunkSid : r.id;
        if (!sid) {
            plan.skipped.push({ urn: r.urn, reason: "no trunkSid in state (the trunk was never created); remove it from the program" });
            continue;
        }
        if (r.inputs?.connection !== undefined) {
            plan.skipped.push({
                urn: r.urn,
                reason:
                    "it uses `connection` (another account): add an explicit exotel provider for that account to the program, " +
                    "then import it with `pulumi import exotel:index:Trunk <name> <sid> --provider <name>=<provider URN>`",
            });
            continue;
        }
        if (names.has(name)) {
            plan.skipped.push({
                urn: r.urn,
                reason: `another trunk in the stack is also named "${name}" (under another parent): import it by hand`,
            });
            continue;
        }
        names.add(name);
        plan.importFile.resources.push({ type: PLUGIN_TRUNK_TYPE, name, id: sid });
        plan.remove.push(r.urn);
    }
    return plan;
}

/** The commands that carry a plan out, in order, for people and scripts (`importFile` is where the file was written). */
export function migrationCommands(plan: MigrationPlan, importFile: string): string[] {
    if (plan.importFile.resources.length === 0) return [];
    const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    return [
        `pulumi import --file ${q(importFile)} --protect=false --yes --out exotel-trunks.generated`,
        ...plan.remove.map((urn) => `pulumi state delete ${q(urn)} --yes`),
    ];
}
