/**
 * The trunk is declared once (provider/trunkFields.ts): everything else that describes it is derived from
 * that table or checked against it here — the program's ExotelTrunkArgs docs and keys, ExotelTrunk's
 * outputs, the plugin's schema, the trunks file's JSON schema, the README's arguments table, and the sets
 * the controller uses.
 */
import * as fs from "fs";
import * as path from "path";
import { TRUNKS_FILE_SCHEMA } from "../provider/gitops/trunksFile";
import { buildSchema, TRUNK_TYPE } from "../provider/plugin/schema";
import {
    DYNAMIC_ONLY_NAMES,
    FILE_NAMES,
    INPUT_NAMES,
    OUTPUT_NAMES,
    PLUGIN_INPUT_NAMES,
    REPLACE_NAMES,
    secretOutputsOf,
    STABLE_NAMES,
    TRUNK_FIELDS,
    TrunkField,
} from "../provider/trunkFields";
import { ExotelTrunkArgs } from "../provider/program/trunk";
import { argsTable } from "../testing/fieldDocs";

const root = path.join(__dirname, "..");
const field = (k: string) => (TRUNK_FIELDS as Record<string, TrunkField>)[k];

/** ExotelTrunkArgs's keys are the table's inputs (the compiler checks both ways). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const argsAreInputs: Same<keyof ExotelTrunkArgs, (typeof INPUT_NAMES)[number]> = true;

/** Each member of an interface in a source file with its JSDoc, whitespace and comment stars folded. */
function documented(file: string, iface: string): Map<string, string> {
    const src = fs.readFileSync(path.join(root, file), "utf8");
    const body = src.slice(src.indexOf(`export interface ${iface} {`));
    const end = body.indexOf("\n}");
    const out = new Map<string, string>();
    for (const m of body.slice(0, end).matchAll(/\/\*\*([\s\S]*?)\*\/\s*(\w+)\??:/g)) {
        out.set(
            m[2],
            m[1]
                .replace(/^\s*\*\s?/gm, " ")
                .replace(/\s+/g, " ")
                .trim(),
        );
    }
    return out;
}

test("ExotelTrunkArgs: one member per input, each documented with the table's doc first", () => {
    expect(argsAreInputs).toBe(true);
    const docs = documented("provider/program/trunk.ts", "ExotelTrunkArgs");
    expect([...docs.keys()].sort()).toEqual([...INPUT_NAMES].sort());
    for (const k of INPUT_NAMES) expect({ k, starts: docs.get(k)!.startsWith(field(k).doc) }).toEqual({ k, starts: true });
});

test("ExotelTrunk: a public Output for every output of the table", () => {
    const src = fs.readFileSync(path.join(root, "provider/program/trunk.ts"), "utf8");
    const declared = [...src.matchAll(/public readonly (\w+)!?: pulumi\.Output</g)].map((m) => m[1]);
    expect(declared.sort()).toEqual([...OUTPUT_NAMES].sort());
});

test("the plugin's schema: inputs (but the dynamic-only), outputs, docs, secrets and replacements from the table", () => {
    const r = buildSchema("0.0.0").resources[TRUNK_TYPE] as {
        inputProperties: Record<string, { description: string; secret?: boolean; replaceOnChanges?: boolean }>;
        properties: Record<string, { description: string; secret?: boolean }>;
        requiredInputs: string[];
    };
    expect(Object.keys(r.inputProperties)).toEqual(PLUGIN_INPUT_NAMES);
    expect(PLUGIN_INPUT_NAMES.some((k) => DYNAMIC_ONLY_NAMES.includes(k))).toBe(false);
    for (const k of PLUGIN_INPUT_NAMES) {
        const f = field(k);
        expect({ k, ...r.inputProperties[k] }).toMatchObject({ k, description: f.doc });
        expect({ k, secret: r.inputProperties[k].secret === true, replace: r.inputProperties[k].replaceOnChanges === true }).toEqual({
            k,
            secret: f.secret === true,
            replace: f.replaceOnChange === true,
        });
    }
    expect(Object.keys(r.properties)).toEqual(OUTPUT_NAMES);
    expect(r.requiredInputs).toEqual(["trunkName"]);
    expect(Object.keys(r.inputProperties).filter((k) => r.inputProperties[k].replaceOnChanges)).toEqual(REPLACE_NAMES);
});

test("the trunks file's JSON schema: the table's file inputs (and `protect`), closed objects", () => {
    const entry = TRUNKS_FILE_SCHEMA.properties.trunks.items as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(entry.properties)).toEqual([...FILE_NAMES, "protect"]);
    expect(entry.required).toEqual(["trunkName"]);
    expect(FILE_NAMES).not.toContain("credentials");
    expect(entry.properties.phoneNumbers).toEqual({
        type: "array",
        items: {
            type: "object",
            required: ["phoneNumber"],
            additionalProperties: false,
            properties: { phoneNumber: { type: "string" }, mode: { enum: ["pstn", "flow"] } },
        },
    });
});

test("the README's arguments table is the one written from the table", () => {
    expect(fs.readFileSync(path.join(root, "docs", "reference.md"), "utf8")).toContain(`${argsTable()}\n`);
});

test("derived sets: stable outputs are the trunk's own, and a secret input makes its derived outputs secret", () => {
    expect(STABLE_NAMES).toContain("trunkSid");
    expect(STABLE_NAMES).not.toContain("callerId");
    expect([...secretOutputsOf([])].sort()).toEqual(["connection", "credentials"]);
    expect([...secretOutputsOf(["destinationUris", "callerId"])].sort()).toEqual(
        ["callerId", "connection", "credentials", "destinationUris", "destinations"].sort(),
    );
});
