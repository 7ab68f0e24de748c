/**
 * The `exotel` package schema, generated from the tables the code already has: the provider config from
 * CONFIG_TABLE, the resource's properties from INPUT_PROPERTIES / OUTPUT_KEYS (a documentation entry
 * for each, checked by the compiler). `schema.json` at the plugin's root is this output, kept equal by a
 * test (tests/pluginSchema.test.ts); `GetSchema` serves it.
 */
import { CONFIG_TABLE, Setting } from "../config";
import { INPUT_PROPERTIES, NULLABLE_OUTPUTS, OUTPUT_KEYS, OutputKey } from "../trunkTypes";

/** The package name, and the type tokens it serves. */
export const PACKAGE = "exotel";
export const TRUNK_TYPE = "exotel:index:Trunk";
export const GET_TRUNK = "exotel:index:getTrunk";
export const LIST_TRUNKS = "exotel:index:listTrunks";

/** ExotelTrunk inputs the plugin does not take: an explicit provider replaces `connection`, `pulumi import` the adopt options. */
export const DYNAMIC_ONLY_INPUTS = ["connection", "adoptTrunkSid", "adoptByName"] as const;
export type PluginInput = Exclude<(typeof INPUT_PROPERTIES)[number], (typeof DYNAMIC_ONLY_INPUTS)[number]>;

type Spec = { description: string; secret?: boolean; replaceOnChanges?: boolean } & (
    | { type: "string" | "boolean" | "integer" | "number" }
    | { type: "array"; items: { type: "string" } | { $ref: string } }
    | { $ref: string }
);

const ref = (name: string) => `#/types/exotel:index:${name}`;

/** Each input of `exotel:index:Trunk`, once. */
const INPUTS: Record<PluginInput, Spec> = {
    trunkName: {
        type: "string",
        description: "Unique per account: letters, digits and `_`, at most 16 characters. Changing it replaces the trunk.",
        replaceOnChanges: true,
    },
    nsoCode: { type: "string", description: 'Default "ANY-ANY". Changing it replaces the trunk.', replaceOnChanges: true },
    domainName: {
        type: "string",
        description: "Default `<accountSid>.pstn.exotel.com`. Changing it replaces the trunk.",
        replaceOnChanges: true,
    },
    phoneNumbers: {
        type: "array",
        items: { $ref: ref("PhoneNumber") },
        description: 'Numbers mapped to the trunk; `mode` defaults to "pstn".',
    },
    whitelistedIps: { type: "array", items: { $ref: ref("WhitelistedIp") }, description: "ACL entries; `mask` 16..32, default 32." },
    destinationUris: {
        type: "array",
        items: { type: "string" },
        description: "`<ip-or-fqdn>:<port>;transport=<tls|tcp|udp>`; an IP destination must be in `whitelistedIps`.",
    },
    callerId: { type: "string", description: "E.164 caller ID presented on outbound calls (trunk setting `trunk_external_alias`)." },
    credentials: {
        type: "array",
        items: { $ref: ref("Credential") },
        secret: true,
        description:
            "SIP digest credentials, keyed by `userName`; a secret. Omitted: the trunk's credentials are left as they are; `[]`: it has none.",
    },
};

/** Each output of `exotel:index:Trunk` (and of the lookups), once. */
const OUTPUTS: Record<OutputKey, Spec> = {
    trunkSid: { type: "string", description: "Exotel's trunk sid; also the resource id." },
    trunkName: INPUTS.trunkName,
    nsoCode: INPUTS.nsoCode,
    domainName: INPUTS.domainName,
    accountSid: { type: "string", description: "The Exotel account the trunk lives in." },
    region: { type: "string", description: "`mumbai`, `singapore`, or `custom` when `baseUrl` is set without a region." },
    status: { type: "string", description: "Exotel's `status` of the trunk (null when Exotel gives none)." },
    authType: { type: "string", description: "Exotel's `auth_type` (null when Exotel gives none)." },
    registrationEnabled: { type: "string", description: "Exotel's `registration_enabled` (null when Exotel gives none)." },
    edgePreference: { type: "string", description: "Exotel's `edge_preference` (null when Exotel gives none)." },
    secureTrunking: { type: "string", description: "Exotel's `secure_trunking` (null when Exotel gives none)." },
    dateCreated: { type: "string", description: "Exotel's `date_created`." },
    dateUpdated: { type: "string", description: "Exotel's `date_updated`." },
    links: { $ref: ref("TrunkLinks"), description: "Exotel's relative links to the trunk's sub-collections." },
    phoneNumbers: { type: "array", items: { $ref: ref("MappedPhoneNumber") }, description: "The numbers with the ids Exotel assigned." },
    whitelistedIps: { type: "array", items: { $ref: ref("MappedWhitelistedIp") }, description: "The IPs with the ids Exotel assigned." },
    destinationUris: { type: "array", items: { type: "string" }, description: "The destination URIs as written." },
    destinations: { type: "array", items: { $ref: ref("Destination") }, description: "The destinations as Exotel stores them, with ids." },
    callerId: { type: "string", description: "The caller ID (null when the trunk has none)." },
    credentials: {
        type: "array",
        items: { $ref: ref("MappedCredential") },
        secret: true,
        description: "The credentials with the ids Exotel assigned; a secret (passwords as last written).",
    },
};

const object = (description: string, properties: Record<string, Spec>, required: string[]) => ({
    type: "object",
    description,
    properties,
    required,
});

/** The lookups' result: the outputs, with credentials as listed (no passwords). */
const INFO_PROPERTIES: Record<string, Spec> = {
    ...OUTPUTS,
    credentials: { type: "array", items: { $ref: ref("MappedCredential") }, description: "The credentials as listed (never a password)." },
};

const TYPES = {
    "exotel:index:PhoneNumber": object(
        "A number to map to the trunk.",
        {
            phoneNumber: { type: "string", description: "E.164, e.g. +919876543210." },
            mode: { type: "string", description: '"pstn" (default) or "flow".' },
        },
        ["phoneNumber"],
    ),
    "exotel:index:WhitelistedIp": object(
        "An ACL entry.",
        {
            ip: { type: "string", description: "IPv4 dotted quad." },
            mask: { type: "integer", description: "CIDR prefix length 16..32, default 32." },
        },
        ["ip"],
    ),
    "exotel:index:Credential": object(
        "One SIP digest credential.",
        {
            userName: { type: "string", description: "1-64 letters, digits or `. _ @ + -`; unique per trunk." },
            password: { type: "string", secret: true, description: "8-128 letters, digits or `_`. A secret." },
            friendlyName: { type: "string", description: "At most 32 letters, digits or `_`." },
        },
        ["userName", "password"],
    ),
    "exotel:index:MappedPhoneNumber": object(
        "A number mapped to the trunk.",
        {
            id: { type: "string", description: "Exotel's id." },
            phoneNumber: { type: "string", description: "E.164." },
            mode: { type: "string", description: '"pstn" or "flow".' },
        },
        ["id", "phoneNumber", "mode"],
    ),
    "exotel:index:MappedWhitelistedIp": object(
        "A whitelisted IP of the trunk.",
        {
            id: { type: "string", description: "Exotel's id." },
            ip: { type: "string", description: "IPv4." },
            mask: { type: "integer", description: "Prefix length." },
        },
        ["id", "ip", "mask"],
    ),
    "exotel:index:Destination": object(
        "A destination URI of the trunk as Exotel stores it.",
        {
            id: { type: "string", description: "Exotel's id." },
            uri: { type: "string", description: "As written." },
            sipUri: { type: "string", description: "As Exotel stores it (with `sip:`)." },
            type: { type: "string", description: "Exotel's type." },
            priority: { type: "integer", description: "Exotel's priority." },
            weight: { type: "integer", description: "Exotel's weight." },
        },
        ["id", "uri", "sipUri"],
    ),
    "exotel:index:MappedCredential": object(
        "A credential of the trunk.",
        {
            id: { type: "string", description: "Exotel's id." },
            userName: { type: "string", description: "The SIP user name." },
            friendlyName: { type: "string", description: "The friendly name (null when none)." },
            password: { type: "string", secret: true, description: "As last written (Exotel never returns it)." },
        },
        ["id", "userName"],
    ),
    "exotel:index:TrunkSummary": object("A trunk as `listTrunks` returns it.", INFO_PROPERTIES, ["trunkSid", "trunkName"]),
    "exotel:index:TrunkLinks": object(
        "Exotel's relative links to the trunk's sub-collections.",
        {
            phoneNumbers: { type: "string", description: "Phone numbers." },
            whitelistedIps: { type: "string", description: "Whitelisted IPs." },
            destinationUris: { type: "string", description: "Destination URIs." },
            credentials: { type: "string", description: "Credentials." },
        },
        [],
    ),
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

/** The whole schema, for `version` (the plugin's own version). */
export function buildSchema(version: string) {
    const config: Record<string, Spec> = {};
    for (const [name, s] of Object.entries(CONFIG_TABLE)) config[name] = settingSpec(s);
    const trunkOutputs: Record<string, Spec> = { ...OUTPUTS };
    const required = OUTPUT_KEYS.filter((k) => !(NULLABLE_OUTPUTS as readonly string[]).includes(k));
    return {
        name: PACKAGE,
        displayName: "Exotel",
        version,
        description: "Exotel SIP trunks (phone numbers, whitelisted IPs, destination URIs, caller ID, credentials) as Pulumi resources.",
        keywords: ["pulumi", "exotel", "sip", "telephony", "category/network"],
        license: "Apache-2.0",
        publisher: "pulumi-exotel",
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
                requiredInputs: ["trunkName"],
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
            nodejs: { packageName: "@pulumi-exotel/exotel", packageDescription: "Exotel SIP trunks for Pulumi (generated SDK)." },
            go: { importBasePath: "github.com/pulumi-exotel/pulumi-exotel/sdk/go/exotel", generateResourceContainerTypes: true },
            python: { packageName: "pulumi_exotel" },
        },
    };
}
