/**
 * The `exotel` package schema, generated from the tables: the provider config from CONFIG_TABLE, the
 * resource, its object types and the lookups' results from the trunk's field table (TRUNK_FIELDS,
 * OBJECT_TYPES). `schema.json` beside this file is this output, kept equal by the plugin build
 * (scripts/build-plugin.js fails on a difference) and by tests/plugin.test.ts; `GetSchema` serves it.
 */
import { CONFIG_TABLE, Setting } from "../config";
import {
    FieldType,
    NULLABLE_NAMES,
    OBJECT_TYPES,
    ObjectProperty,
    ObjectTypeName,
    OUTPUT_NAMES,
    PLUGIN_INPUT_NAMES,
    TRUNK_FIELDS,
    TrunkField,
} from "../trunkFields";
import { PLUGIN_TRUNK_TYPE } from "../typeTokens";
import { PACKAGE_INFO, PLUGIN_DOWNLOAD_URL, REPOSITORY, REPOSITORY_URL } from "./version";

/** The package name, and the type tokens it serves. */
export const PACKAGE = "exotel";
export const TRUNK_TYPE = PLUGIN_TRUNK_TYPE;
export const GET_TRUNK = "exotel:index:getTrunk";
export const LIST_TRUNKS = "exotel:index:listTrunks";

type TypeSpec = { type: "string" | "boolean" | "integer" | "number" } | { type: "array"; items: TypeSpec } | { $ref: string };
type Spec = TypeSpec & { description: string; secret?: boolean; replaceOnChanges?: boolean };

const ref = (name: string) => `#/types/exotel:index:${name}`;

/** A field type as a schema type (an enum of strings stays a string: the validators name the values). */
function typeSpec(t: FieldType): TypeSpec {
    if ("ref" in t) return { $ref: ref(t.ref) };
    if (t.type === "array") return { type: "array", items: typeSpec(t.items) };
    return { type: t.type };
}

const spec = (type: FieldType, description: string, f: { secret?: boolean; replaceOnChange?: boolean } = {}): Spec => ({
    ...typeSpec(type),
    description,
    ...(f.secret ? { secret: true } : {}),
    ...(f.replaceOnChange ? { replaceOnChanges: true } : {}),
});

const field = (k: string): TrunkField => (TRUNK_FIELDS as Record<string, TrunkField>)[k];

/** Each input of `exotel:index:Trunk` (the field table's, but the dynamic-only ones). */
const INPUTS: Record<string, Spec> = Object.fromEntries(PLUGIN_INPUT_NAMES.map((k) => [k, spec(field(k).input!, field(k).doc, field(k))]));

/** Each output of `exotel:index:Trunk` (and of the lookups). */
const OUTPUTS: Record<string, Spec> = Object.fromEntries(
    OUTPUT_NAMES.map((k) => [k, spec(field(k).output!, field(k).outputDoc ?? field(k).doc, field(k))]),
);

/** The lookups' result: the outputs, with credentials as listed (no passwords). */
const INFO_PROPERTIES: Record<string, Spec> = {
    ...OUTPUTS,
    credentials: { type: "array", items: { $ref: ref("MappedCredential") }, description: "The credentials as listed (never a password)." },
};

const object = (description: string, properties: Record<string, Spec>, required: string[]) => ({
    type: "object",
    description,
    properties,
    required,
});

/** The object types the plugin's properties reach (Connection is the dynamic form's only). */
const PLUGIN_TYPES: ObjectTypeName[] = [
    "PhoneNumber",
    "WhitelistedIp",
    "Credential",
    "MappedPhoneNumber",
    "MappedWhitelistedIp",
    "Destination",
    "MappedCredential",
    "TrunkLinks",
];

const TYPES = {
    ...Object.fromEntries(
        PLUGIN_TYPES.map((name) => {
            const t = OBJECT_TYPES[name];
            const props = Object.entries(t.properties as Record<string, ObjectProperty>);
            return [
                `exotel:index:${name}`,
                object(
                    t.doc,
                    Object.fromEntries(props.map(([k, p]) => [k, spec(p.type, p.doc, p)])),
                    props.filter(([, p]) => p.required && !p.nullable && !p.lookupsOmit).map(([k]) => k),
                ),
            ];
        }),
    ),
    "exotel:index:TrunkSummary": object("A trunk as `listTrunks` returns it.", INFO_PROPERTIES, ["trunkSid", "trunkName"]),
};

/** A provider setting's schema entry, from its CONFIG_TABLE row. */
function settingSpec(s: Setting<string> | Setting<number>): Spec {
    const numeric = typeof s.default === "number";
    const dflt = s.default === undefined ? "" : ` Default ${s.default}.`;
    return {
        type: numeric ? "number" : "string",
        description: `${s.doc.replace(/\.?$/, ".")}${dflt} Environment variable: \`${s.env}\`.`,
        ...(s.secret ? { secret: true } : {}),
    };
}

/**
 * The whole schema, for `version` (the plugin's own version). Its metadata comes from package.json (see
 * ./version): the repository, where the engine downloads the plugin from, homepage, license, keywords (plus the
 * Registry's category), the publisher (the repository's owner), the Node.js SDK's npm scope and the Go import path.
 */
export function buildSchema(version: string) {
    const config: Record<string, Spec> = {};
    for (const [name, s] of Object.entries(CONFIG_TABLE)) config[name] = settingSpec(s);
    const trunkOutputs: Record<string, Spec> = { ...OUTPUTS };
    const required = OUTPUT_NAMES.filter((k) => !(NULLABLE_NAMES as readonly string[]).includes(k));
    return {
        name: PACKAGE,
        displayName: "Exotel",
        version,
        description: "Exotel SIP trunks (phone numbers, whitelisted IPs, destination URIs, caller ID, credentials) as Pulumi resources.",
        keywords: [...PACKAGE_INFO.keywords, "category/network"],
        homepage: PACKAGE_INFO.homepage,
        repository: REPOSITORY_URL,
        license: PACKAGE_INFO.license,
        publisher: REPOSITORY.owner,
        pluginDownloadURL: PLUGIN_DOWNLOAD_URL,
        meta: { moduleFormat: "(.*)" },
        config: { variables: config },
        provider: {
            description: "The Exotel provider: one account. Give an explicit provider its own settings to reach a second account.",
            inputProperties: config,
            properties: Object.fromEntries(["accountSid", "region", "baseUrl"].map((k) => [k, config[k]])),
        },
        types: TYPES,
        resources: {
            [TRUNK_TYPE]: {
                description:
                    "An Exotel SIP trunk with everything attached to it. Deleting it sends exactly one request, " +
                    "`DELETE /v2/accounts/<sid>/trunks?trunk_sid=<trunk_sid>`, which removes the trunk and all attached.",
                inputProperties: INPUTS,
                requiredInputs: PLUGIN_INPUT_NAMES.filter((k) => field(k).required),
                properties: trunkOutputs,
                required,
            },
        },
        functions: {
            [GET_TRUNK]: {
                description: "One trunk of the provider's account, by sid or by name (GET requests only).",
                inputs: {
                    properties: {
                        trunkSid: { type: "string", description: "The trunk's sid (give this or trunkName)." },
                        trunkName: { type: "string", description: "The trunk's name (give this or trunkSid)." },
                    },
                },
                outputs: { properties: INFO_PROPERTIES, required: required.filter((k) => k !== "credentials") },
            },
            [LIST_TRUNKS]: {
                description: "Every trunk of the provider's account, in the order Exotel lists them.",
                inputs: {
                    properties: {
                        withAttachments: {
                            type: "boolean",
                            description: "Read each trunk's attachments too (5 GETs per trunk). Default true.",
                        },
                    },
                },
                outputs: {
                    properties: { trunks: { type: "array", items: { $ref: ref("TrunkSummary") }, description: "The trunks." } },
                    required: ["trunks"],
                },
            },
        },
        language: {
            nodejs: { packageName: `@${REPOSITORY.owner}/${PACKAGE}`, packageDescription: "Exotel SIP trunks for Pulumi (generated SDK)." },
            go: {
                importBasePath: `github.com/${REPOSITORY.owner}/${REPOSITORY.name}/sdk/go/${PACKAGE}`,
                generateResourceContainerTypes: true,
            },
            python: { packageName: `pulumi_${PACKAGE}` },
        },
    };
}
