/**
 * The pulumi-exotel policy pack (docs/policy.md): toll-fraud guard rails for Exotel SIP trunks, the dynamic
 * `ExotelTrunk` and the plugin's `exotel:index:Trunk` alike. Run with
 *   pulumi preview --policy-pack node_modules/pulumi-exotel/policy [--policy-pack-config policy.json]
 * The directory policy/ (PulumiPolicy.yaml, package.json) is the pack; its package.json's `main` is this
 * file compiled (dist/policy/index.js), so the CLI's Node.js language host runs it as plain JavaScript.
 */
import { PolicyPack, ResourceValidationPolicy } from "@pulumi/policy";
import { UNKNOWN } from "../provider/unknown";
import { describeTrunk, isExotelTrunk, Rule, RULES, TrunkInputs } from "./rules";

/**
 * A plain copy of the analyzer's inputs, every value the engine does not know yet replaced by UNKNOWN: the
 * inputs @pulumi/policy gives a policy throw on reading an unknown value (which would turn the whole policy
 * into a "can't run during preview" note); the rules skip just that value.
 */
function snapshot(v: unknown, depth = 0): unknown {
    if (v === null || typeof v !== "object" || depth > 8) return v;
    const read = (k: string | number): unknown => {
        try {
            return snapshot((v as Record<string | number, unknown>)[k], depth + 1);
        } catch (e) {
            if (isUnknownValueError(e)) return UNKNOWN;
            throw e;
        }
    };
    if (Array.isArray(v)) return Array.from({ length: v.length }, (_, i) => read(i));
    return Object.fromEntries(Object.keys(v).map((k) => [k, read(k)]));
}

/** @pulumi/policy's UnknownValueError (not exported by 1.13: recognised by its name and its sentinel field). */
function isUnknownValueError(e: unknown): boolean {
    return e instanceof Error && (e.constructor.name === "UnknownValueError" || "unknownTypeSentinel" in e);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function policyOf(rule: Rule<any>): ResourceValidationPolicy {
    return {
        name: rule.name,
        description: rule.description,
        enforcementLevel: rule.enforcementLevel,
        configSchema: { properties: rule.config as never },
        validateResource: (args, reportViolation) => {
            if (!isExotelTrunk(args.type)) return;
            const inputs = snapshot(args.props) as TrunkInputs;
            const config: object = { ...(rule.defaults as object), ...(args.getConfig<object>() ?? {}) };
            const who = describeTrunk(args.type, args.name, inputs);
            for (const m of rule.check(inputs, config)) reportViolation(`${who}: ${m}`, args.urn);
        },
    };
}

new PolicyPack("exotel-trunks", { policies: RULES.map(policyOf) });
