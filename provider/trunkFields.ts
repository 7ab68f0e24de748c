/**
 * The trunk, declared once (as CONFIG_TABLE is for the settings): each property's type, documentation,
 * secret policy, replace-on-change, stability across an in-place update, which outputs it derives, which
 * form and which file take it, and its validator. Derived from it (and checked by the compiler and
 * tests/trunkFields.test.ts): the TypeScript shapes in trunkTypes.ts, the Pulumi schema (plugin/schema.ts), the
 * trunks file's JSON schema (gitops/trunksFile.ts), the replace / stable / secret / nullable sets the
 * controller and both adapters use, and the README's arguments table. ExotelTrunkArgs (program/trunk.ts)
 * carries the same docs, checked by that test.
 */
import { checkDomainName, checkE164, checkNsoCode, checkTrunkName, checkTrunkSid } from "./validation/scalars";

/** One vocabulary for types: the Pulumi schema and the JSON schema are both written from it. */
export type FieldType =
    | { readonly type: "string"; readonly enum?: readonly string[] }
    | { readonly type: "boolean" }
    | { readonly type: "integer" }
    | { readonly type: "array"; readonly items: FieldType }
    | { readonly ref: ObjectTypeName };

export interface ObjectProperty {
    readonly type: FieldType;
    readonly doc: string;
    readonly required?: boolean;
    readonly secret?: boolean;
    /** Present but `null` when Exotel has no value (so not required in the schema). */
    readonly nullable?: boolean;
    /** Required of the resource's outputs, but left out by the lookups (they never see a password): optional in the schema. */
    readonly lookupsOmit?: boolean;
}

export interface ObjectType {
    readonly doc: string;
    readonly properties: Readonly<Record<string, ObjectProperty>>;
}

const str = { type: "string" } as const;
const int = { type: "integer" } as const;
const list = <T extends FieldType>(items: T) => ({ type: "array", items }) as const;
const ref = <N extends ObjectTypeName>(n: N) => ({ ref: n }) as const;

/** The object types the trunk's properties use (schema `types`, JSON-schema items). */
export const OBJECT_TYPES = {
    PhoneNumber: {
        doc: "A number to map to the trunk.",
        properties: {
            phoneNumber: { type: str, doc: "E.164, e.g. +919876543210.", required: true },
            mode: { type: { type: "string", enum: ["pstn", "flow"] }, doc: '"pstn" (default) or "flow".' },
        },
    },
    WhitelistedIp: {
        doc: "An ACL entry.",
        properties: {
            ip: { type: str, doc: "IPv4 dotted quad.", required: true },
            mask: { type: int, doc: "CIDR prefix length 16..32, default 32." },
        },
    },
    Credential: {
        doc: "One SIP digest credential.",
        properties: {
            userName: { type: str, doc: "1-64 letters, digits or `. _ @ + -`; unique per trunk.", required: true },
            password: { type: str, doc: "8-128 letters, digits or `_`. A secret.", required: true, secret: true },
            friendlyName: { type: str, doc: "At most 32 letters, digits or `_`." },
        },
    },
    MappedPhoneNumber: {
        doc: "A number mapped to the trunk.",
        properties: {
            id: { type: str, doc: "Exotel's id.", required: true },
            phoneNumber: { type: str, doc: "E.164.", required: true },
            mode: { type: { type: "string", enum: ["pstn", "flow"] }, doc: '"pstn" or "flow".', required: true },
        },
    },
    MappedWhitelistedIp: {
        doc: "A whitelisted IP of the trunk.",
        properties: {
            id: { type: str, doc: "Exotel's id.", required: true },
            ip: { type: str, doc: "IPv4.", required: true },
            mask: { type: int, doc: "Prefix length.", required: true },
        },
    },
    Destination: {
        doc: "A destination URI of the trunk as Exotel stores it.",
        properties: {
            id: { type: str, doc: "Exotel's id.", required: true },
            uri: { type: str, doc: "As written.", required: true },
            sipUri: { type: str, doc: "As Exotel stores it (with `sip:`).", required: true },
            type: { type: str, doc: "Exotel's type." },
            priority: { type: int, doc: "Exotel's priority." },
            weight: { type: int, doc: "Exotel's weight." },
        },
    },
    MappedCredential: {
        doc: "A credential of the trunk.",
        properties: {
            id: { type: str, doc: "Exotel's id.", required: true },
            userName: { type: str, doc: "The SIP user name.", required: true },
            friendlyName: { type: str, doc: "The friendly name (null when none).", required: true, nullable: true },
            password: { type: str, doc: "As last written (Exotel never returns it).", required: true, secret: true, lookupsOmit: true },
        },
    },
    TrunkLinks: {
        doc: "Exotel's relative links to the trunk's sub-collections.",
        properties: {
            phoneNumbers: { type: str, doc: "Phone numbers." },
            whitelistedIps: { type: str, doc: "Whitelisted IPs." },
            destinationUris: { type: str, doc: "Destination URIs." },
            credentials: { type: str, doc: "Credentials." },
        },
    },
    Connection: {
        doc: "An Exotel account (the dynamic ExotelTrunk's `connection`; the plugin takes an explicit provider instead).",
        properties: {
            accountSid: { type: str, doc: "The account SID.", required: true },
            apiKey: { type: str, doc: "The API key.", required: true },
            apiToken: { type: str, doc: "The API token; a secret.", required: true, secret: true },
            region: { type: str, doc: "`mumbai` or `singapore`." },
            baseUrl: { type: str, doc: "Overrides the region's host (the emulator)." },
        },
    },
} as const satisfies Record<string, ObjectType>;

export type ObjectTypeName = keyof typeof OBJECT_TYPES;

export interface TrunkField {
    /** The argument's documentation (the output's, too, unless `outputDoc` says otherwise). */
    readonly doc: string;
    readonly outputDoc?: string;
    /** Its type as an input; absent: an output only. */
    readonly input?: FieldType;
    /** Its type as an output; absent: not an output (an input kept in state only, see `kept`). */
    readonly output?: FieldType;
    readonly required?: boolean;
    /** Always a secret, in the inputs and the outputs, whatever the program did. */
    readonly secret?: boolean;
    /** Changing it replaces the trunk (delete first: names are unique at Exotel). */
    readonly replaceOnChange?: boolean;
    /** The output an in-place update never changes (the trunk's own fields). */
    readonly stableOnUpdate?: boolean;
    /** The output is `null` when Exotel's answer has no value. */
    readonly nullable?: boolean;
    /** The outputs made from this input: a secret anywhere in the input makes each of them secret. */
    readonly derives?: readonly string[];
    /** Only the dynamic ExotelTrunk takes it (the plugin has explicit providers and `pulumi import`). */
    readonly dynamicOnly?: boolean;
    /** What the plugin offers instead of a dynamic-only input. */
    readonly pluginInstead?: string;
    /** An input kept in state as written (not an output of the resource). */
    readonly kept?: boolean;
    /** The trunks file (GitOps) takes it. */
    readonly inFile?: boolean;
    /** The validator of a scalar input (lists and objects are checked in validation/validate.ts). */
    readonly check?: (v: unknown) => string | undefined;
}

const trunkOwn = { stableOnUpdate: true } as const;
const exotelField = (name: string, extra = "") =>
    ({
        doc: `Exotel's \`${name}\` of the trunk (null when Exotel gives none).${extra}`,
        output: str,
        nullable: true,
        ...trunkOwn,
    }) as const;
const IMPORT_INSTEAD = "bring an existing trunk under the stack with `pulumi import exotel:index:Trunk <name> <trunkSid>`";

/** Every property of the trunk, in the order of its outputs (then the inputs kept in state). */
export const TRUNK_FIELDS = {
    trunkSid: { doc: "Exotel's trunk sid; also the resource id.", output: str, ...trunkOwn },
    trunkName: {
        doc: "Unique per account: letters, digits and `_`, at most 16 characters. Changing it replaces the trunk (deleted first: names are unique).",
        input: str,
        output: str,
        required: true,
        replaceOnChange: true,
        derives: ["trunkName"],
        inFile: true,
        check: checkTrunkName,
        ...trunkOwn,
    },
    nsoCode: {
        doc: 'Default "ANY-ANY" (upper case, one hyphen). Changing it replaces the trunk.',
        input: str,
        output: str,
        replaceOnChange: true,
        derives: ["nsoCode"],
        inFile: true,
        check: checkNsoCode,
        ...trunkOwn,
    },
    domainName: {
        doc: "Default `<accountSid>.pstn.exotel.com`; must end with `.pstn.exotel.com`. Changing it replaces the trunk.",
        input: str,
        output: str,
        replaceOnChange: true,
        derives: ["domainName"],
        inFile: true,
        check: checkDomainName,
        ...trunkOwn,
    },
    accountSid: { doc: "The Exotel account the trunk lives in.", output: str, ...trunkOwn },
    region: { doc: "`mumbai`, `singapore`, or `custom` when `baseUrl` is set without a region.", output: str, ...trunkOwn },
    status: exotelField("status"),
    authType: exotelField("auth_type"),
    registrationEnabled: exotelField("registration_enabled"),
    edgePreference: exotelField("edge_preference"),
    secureTrunking: exotelField("secure_trunking"),
    dateCreated: exotelField("date_created"),
    dateUpdated: exotelField("date_updated"),
    links: { doc: "Exotel's relative links to the trunk's sub-collections.", output: ref("TrunkLinks"), ...trunkOwn },
    phoneNumbers: {
        doc: 'Numbers mapped to the trunk, E.164; `mode` "pstn" (default) or "flow". Changed in place.',
        outputDoc: "The numbers with the ids Exotel assigned.",
        input: list(ref("PhoneNumber")),
        output: list(ref("MappedPhoneNumber")),
        derives: ["phoneNumbers"],
        inFile: true,
    },
    whitelistedIps: {
        doc: "ACL entries: IPv4, `mask` 16..32 (default 32). Changed in place.",
        outputDoc: "The IPs with the ids Exotel assigned.",
        input: list(ref("WhitelistedIp")),
        output: list(ref("MappedWhitelistedIp")),
        derives: ["whitelistedIps"],
        inFile: true,
    },
    destinationUris: {
        doc: "`<ip-or-fqdn>:<port>;transport=<tls|tcp|udp>`; an IP destination must be inside a whitelisted IP/mask. Changed in place.",
        outputDoc: "The destination URIs as written.",
        input: list(str),
        output: list(str),
        derives: ["destinationUris", "destinations"],
        inFile: true,
    },
    destinations: { doc: "The destinations as Exotel stores them, with ids.", output: list(ref("Destination")) },
    callerId: {
        doc: "E.164 caller ID presented on outbound calls (trunk setting `trunk_external_alias`).",
        outputDoc: "The caller ID (null when the trunk has none).",
        input: str,
        output: str,
        nullable: true,
        derives: ["callerId"],
        inFile: true,
        check: checkE164,
    },
    credentials: {
        doc: "SIP digest credentials, keyed by `userName`; a secret. Omitted: the trunk's credentials are left as they are; `[]`: it has none.",
        outputDoc: "The credentials with the ids Exotel assigned; a secret (passwords as last written).",
        input: list(ref("Credential")),
        output: list(ref("MappedCredential")),
        secret: true,
        derives: ["credentials"],
    },
    adoptTrunkSid: {
        doc: "Take over this existing trunk instead of creating one (`trunkName`, `nsoCode` and `domainName` must match it; its attachments are reconciled); read at create only. Dynamic ExotelTrunk only.",
        input: str,
        dynamicOnly: true,
        pluginInstead: IMPORT_INSTEAD,
        kept: true,
        inFile: true,
        check: checkTrunkSid,
    },
    adoptByName: {
        doc: "Take over the account's existing trunk named `trunkName` (not with `adoptTrunkSid`); read at create only. Dynamic ExotelTrunk only.",
        input: { type: "boolean" },
        dynamicOnly: true,
        pluginInstead: IMPORT_INSTEAD,
        kept: true,
        inFile: true,
    },
    connection: {
        doc: "This trunk's own Exotel account instead of the stack's `exotel:*` settings; kept in state as a secret. Changing the account replaces the trunk; a new key or token does not. Dynamic ExotelTrunk only.",
        input: ref("Connection"),
        dynamicOnly: true,
        pluginInstead: "give the trunk an explicit provider (`new exotel.Provider(...)`, `options: provider:` in YAML) for another account",
        kept: true,
        secret: true,
    },
} as const satisfies Record<string, TrunkField>;

export type FieldName = keyof typeof TRUNK_FIELDS;
type Fields = typeof TRUNK_FIELDS;

// ---- types derived from the table ----

type ValueOf<T> = T extends { type: "string"; enum: readonly (infer E)[] }
    ? E
    : T extends { type: "string" }
      ? string
      : T extends { type: "boolean" }
        ? boolean
        : T extends { type: "integer" }
          ? number
          : T extends { type: "array"; items: infer I }
            ? ValueOf<I>[]
            : T extends { ref: infer N extends ObjectTypeName }
              ? ObjectOf<(typeof OBJECT_TYPES)[N]["properties"]>
              : never;
type Nullable<P> = P extends { nullable: true } ? null : never;
type RequiredKeys<P> = { [K in keyof P]: P[K] extends { required: true } ? K : never }[keyof P];
type Flat<T> = { [K in keyof T]: T[K] } & {};
/** An object type's value: required properties required, the rest optional. */
export type ObjectOf<P> = Flat<
    { -readonly [K in RequiredKeys<P>]: ValueOf<P[K] extends { type: infer T } ? T : never> | Nullable<P[K]> } & {
        -readonly [K in Exclude<keyof P, RequiredKeys<P>>]?: ValueOf<P[K] extends { type: infer T } ? T : never>;
    }
>;

type Keys<Has> = { [K in FieldName]: Fields[K] extends Has ? K : never }[FieldName];
export type OutputName = Keys<{ output: FieldType }>;
export type InputName = Keys<{ input: FieldType }>;
export type KeptName = Keys<{ kept: true }>;
/** Every output, `null` where Exotel may have no value. */
export type FieldOutputs = { -readonly [K in OutputName]: ValueOf<Fields[K]["output"]> | Nullable<Fields[K]> };
/** Every input as a program writes it (plain values). */
export type FieldInputs = Flat<
    { -readonly [K in Keys<{ input: FieldType; required: true }>]: ValueOf<Fields[K]["input"]> } & {
        -readonly [K in Exclude<InputName, Keys<{ required: true }>>]?: ValueOf<Fields[K]["input"]>;
    }
>;
export type ObjectValue<N extends ObjectTypeName> = ObjectOf<(typeof OBJECT_TYPES)[N]["properties"]>;

// ---- sets derived from the table ----

const names = (pick: (f: TrunkField) => boolean): FieldName[] =>
    (Object.keys(TRUNK_FIELDS) as FieldName[]).filter((k) => pick(TRUNK_FIELDS[k]));

export const OUTPUT_NAMES = names((f) => f.output !== undefined) as OutputName[];
export const INPUT_NAMES = names((f) => f.input !== undefined) as InputName[];
export const PLUGIN_INPUT_NAMES = names((f) => f.input !== undefined && !f.dynamicOnly) as InputName[];
export const DYNAMIC_ONLY_NAMES = names((f) => f.dynamicOnly === true) as InputName[];
export const REPLACE_NAMES = names((f) => f.replaceOnChange === true) as InputName[];
export const STABLE_NAMES = names((f) => f.stableOnUpdate === true) as OutputName[];
export const NULLABLE_NAMES = names((f) => f.nullable === true) as OutputName[];
export const SECRET_NAMES = names((f) => f.secret === true);
export const KEPT_NAMES = names((f) => f.kept === true) as KeptName[];
export const FILE_NAMES = names((f) => f.inFile === true) as InputName[];

/** The outputs a secret in these inputs makes secret (with the outputs that are always secret). */
export function secretOutputsOf(secretInputs: Iterable<string>): Set<string> {
    const out = new Set<string>(
        SECRET_NAMES.filter((k) => (TRUNK_FIELDS[k] as TrunkField).output !== undefined || KEPT_NAMES.includes(k as KeptName)),
    );
    for (const k of secretInputs) {
        const f = (TRUNK_FIELDS as Record<string, TrunkField>)[k];
        for (const d of f?.derives ?? []) out.add(d);
        if (f?.kept) out.add(k);
    }
    return out;
}
