/**
 * Trunks as data: a YAML (or JSON) file in the project lists the trunks; `trunksFromFile` builds one
 * ExotelTrunk per entry. For GitOps: a pull request adds or removes an entry, the preview shows one
 * create or one delete.
 *
 * - Parsed with `yaml` and checked against a JSON Schema with `ajv`, then each entry with the same
 *   validators `check` uses; every problem names the file, the entry and the field, all before any request.
 * - Each trunk's logical name is its `trunkName` (unique per account), so reordering the file replaces
 *   nothing.
 * - Passwords never go in a repository: `credentials` are not accepted in the file (manage credentialed
 *   trunks in code, with secrets from stack config).
 */
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import Ajv, { ErrorObject } from "ajv";
import { parseDocument } from "yaml";
import { TrunksFileError } from "../errors";
import { ExotelTrunk } from "../program/trunk";
import { FieldInputs, FieldType, FILE_NAMES, OBJECT_TYPES, ObjectProperty, TRUNK_FIELDS, TrunkField } from "../trunkFields";
import { ExotelConnection } from "../trunkTypes";
import { validateInputs } from "../validation/validate";

/** One entry of the data file: the field table's file inputs (ExotelTrunk's arguments without credentials or a connection). */
export type TrunkEntry = Pick<FieldInputs, Extract<(typeof FILE_NAMES)[number], keyof FieldInputs>> & {
    /** Pulumi's `protect` option for this trunk: `pulumi destroy` and removals fail until it is lifted. */
    protect?: boolean;
};

/** A field type as JSON Schema: objects closed (an unknown field is an error), their required properties required. */
function jsonSchema(t: FieldType): Record<string, unknown> {
    if ("ref" in t) {
        const props = Object.entries(OBJECT_TYPES[t.ref].properties as Record<string, ObjectProperty>);
        return {
            type: "object",
            required: props.filter(([, p]) => p.required).map(([k]) => k),
            additionalProperties: false,
            properties: Object.fromEntries(props.map(([k, p]) => [k, jsonSchema(p.type)])),
        };
    }
    if (t.type === "array") return { type: "array", items: jsonSchema(t.items) };
    if (t.type === "string" && t.enum) return { enum: [...t.enum] };
    return { type: t.type };
}

const ENTRY_SCHEMA = {
    type: "object",
    required: FILE_NAMES.filter((k) => (TRUNK_FIELDS[k] as TrunkField).required),
    additionalProperties: false,
    properties: {
        ...Object.fromEntries(FILE_NAMES.map((k) => [k, jsonSchema((TRUNK_FIELDS[k] as TrunkField).input!)])),
        protect: { type: "boolean" },
    },
};

/** The data file's JSON Schema (also usable by editors: `# yaml-language-server: $schema=...`). */
export const TRUNKS_FILE_SCHEMA = {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "pulumi-exotel trunks file",
    type: "object",
    required: ["trunks"],
    additionalProperties: false,
    properties: { trunks: { type: "array", items: ENTRY_SCHEMA } },
};

function where(file: string, entries: unknown[], path: string): string {
    const m = /^\/trunks\/(\d+)(\/.*)?$/.exec(path);
    if (!m) return `${file}${path ? ` ${path}` : ""}`;
    const i = Number(m[1]);
    const name = (entries[i] as { trunkName?: unknown } | undefined)?.trunkName;
    const field = (m[2] ?? "")
        .replace(/^\//, "")
        .replace(/\/(\d+)/g, "[$1]")
        .replace(/\//g, ".");
    return `${file}: trunks[${i}]${typeof name === "string" ? ` (${name})` : ""}${field ? `: ${field}` : ""}`;
}

function schemaMessage(e: ErrorObject): string {
    if (e.keyword === "additionalProperties") {
        const extra = (e.params as { additionalProperty: string }).additionalProperty;
        const hint = extra === "credentials" ? " (passwords never go in a repository: manage credentialed trunks in code)" : "";
        return `has an unknown field "${extra}"${hint}`;
    }
    if (e.keyword === "required") return `is missing "${(e.params as { missingProperty: string }).missingProperty}"`;
    if (e.keyword === "enum")
        return `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
    return e.message ?? "is not valid";
}

/** Reads and checks a trunks file: the entries, or a TrunksFileError listing every problem. */
export function loadTrunksFile(file: string, text: string = fs.readFileSync(file, "utf8")): TrunkEntry[] {
    // yaml's defaults: errors with line and column, and a key given twice is an error (both pinned by tests).
    const doc = parseDocument(text);
    if (doc.errors.length)
        throw new TrunksFileError(
            file,
            doc.errors.map((e) => `${file}: ${e.message.split("\n")[0]}`),
        );
    const data: unknown = doc.toJS();
    const validate = new Ajv({ allErrors: true, strict: true }).compile(TRUNKS_FILE_SCHEMA);
    const entries = Array.isArray((data as { trunks?: unknown })?.trunks) ? (data as { trunks: unknown[] }).trunks : [];
    const problems: string[] = [];
    // Entries the rules can read: well-formed, or wrong only by unknown fields (checked without them),
    // so a misspelt field and a bad value in one entry are both reported in one run.
    let checkable = entries.map((_, i) => i);
    if (!validate(data)) {
        const errors = validate.errors ?? [];
        problems.push(...new Set(errors.map((e) => `${where(file, entries, e.instancePath)} ${schemaMessage(e)}`)));
        const entryOf = (e: ErrorObject) => /^\/trunks\/(\d+)/.exec(e.instancePath)?.[1];
        if (errors.some((e) => entryOf(e) === undefined)) throw new TrunksFileError(file, problems);
        const malformed = new Set(errors.filter((e) => !isUnknownEntryField(e)).map((e) => Number(entryOf(e))));
        checkable = checkable.filter((i) => !malformed.has(i));
    }
    const seen = new Map<string, number>();
    for (const i of checkable) {
        const entry = knownFields(entries[i] as TrunkEntry);
        const at = `${file}: trunks[${i}] (${entry.trunkName})`;
        if (seen.has(entry.trunkName))
            problems.push(`${at}: trunkName duplicates trunks[${seen.get(entry.trunkName)}]; names are unique per account`);
        seen.set(entry.trunkName, i);
        const { protect: _option, ...args } = entry;
        // The same rules as `check` (the domain's default account is not known here: it is checked at preview).
        const { failures } = validateInputs({ ...args }, { accountSid: "account" });
        for (const f of failures) problems.push(`${at}: ${f.property} ${f.reason}`);
    }
    if (problems.length) throw new TrunksFileError(file, problems);
    return entries as TrunkEntry[];
}

/** An unknown field directly on an entry (`/trunks/<i>` with additionalProperties): the rest of the entry can still be checked. */
function isUnknownEntryField(e: ErrorObject): boolean {
    return e.keyword === "additionalProperties" && /^\/trunks\/\d+$/.test(e.instancePath);
}

/** The entry without fields the schema does not know. */
function knownFields(entry: TrunkEntry): TrunkEntry {
    const known = Object.keys(ENTRY_SCHEMA.properties);
    return Object.fromEntries(Object.entries(entry).filter(([k]) => known.includes(k))) as TrunkEntry;
}

export interface TrunksFromFileOptions {
    /** The account for every trunk of the file, instead of the stack's `exotel:*` config. */
    connection?: ExotelConnection;
    /** Options for every trunk (e.g. `retainOnDelete`); an entry's `protect` is added to them. */
    resourceOptions?: pulumi.CustomResourceOptions;
}

/** What a stack output of the file's trunks shows per trunk. */
export interface TrunkSummary {
    trunkSid: string;
    phoneNumbers: string[];
    callerId: string | null;
}

export interface TrunksFromFileResult {
    /** The resources, by trunkName. */
    trunks: Record<string, ExotelTrunk>;
    /** trunkName -> { trunkSid, phoneNumbers, callerId }: a stack output that reads well in previews and PR comments. */
    summary: pulumi.Output<Record<string, TrunkSummary>>;
}

/** One ExotelTrunk per entry of `file`, named by trunkName, and a summary to export as a stack output. */
export function trunksFromFile(file: string, opts: TrunksFromFileOptions = {}): TrunksFromFileResult {
    const trunks: Record<string, ExotelTrunk> = {};
    for (const entry of loadTrunksFile(file)) {
        const { protect, ...args } = entry;
        const options = protect === undefined ? opts.resourceOptions : { ...opts.resourceOptions, protect };
        trunks[entry.trunkName] = new ExotelTrunk(entry.trunkName, { ...args, connection: opts.connection }, options);
    }
    const entries: Record<string, pulumi.Output<TrunkSummary>> = {};
    for (const [name, t] of Object.entries(trunks)) {
        entries[name] = pulumi
            .all([t.trunkSid, t.phoneNumbers, t.callerId])
            .apply(([trunkSid, numbers, callerId]) => ({ trunkSid, phoneNumbers: numbers.map((n) => n.phoneNumber), callerId }));
    }
    return { trunks, summary: pulumi.output(entries) };
}
