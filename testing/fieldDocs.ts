/**
 * The README's arguments table, written from the field table (tests/trunkFields.test.ts checks that the
 * README holds exactly this; `node .build/testing/fieldDocs.js` prints it).
 */
import { FieldType, INPUT_NAMES, OBJECT_TYPES, ObjectProperty, TRUNK_FIELDS, TrunkField } from "../provider/trunkFields";

/** A field type as the README shows it: `string`, `{ ip, mask? }[]`, … */
export function typeText(t: FieldType): string {
    if ("ref" in t) {
        const props = Object.entries(OBJECT_TYPES[t.ref].properties as Record<string, ObjectProperty>);
        return `{ ${props.map(([k, p]) => (p.required ? k : `${k}?`)).join(", ")} }`;
    }
    if (t.type === "array") return `${typeText(t.items)}[]`;
    return t.type === "integer" ? "number" : t.type;
}

const cell = (s: string) => s.replace(/\|/g, "\\|");

export function argsTable(): string {
    const rows = INPUT_NAMES.map((k) => {
        const f = TRUNK_FIELDS[k] as TrunkField;
        const type = "ref" in f.input! || f.input!.type === "array" ? `\`${typeText(f.input!)}\`` : typeText(f.input!);
        const flags = [f.required ? "required" : "", f.secret ? "**secret**" : ""].filter(Boolean).join(", ");
        return `| \`${k}\` | ${cell(type)}${flags ? `, ${flags}` : ""} | ${cell(f.doc)} |`;
    });
    return ["| arg | type | notes |", "|---|---|---|", ...rows].join("\n");
}

if (require.main === module) process.stdout.write(`${argsTable()}\n`);
