/**
 * Onboarding an existing account: the account's trunks as a trunks file whose entries adopt them by
 * name, with their numbers, IPs, destinations and caller ID exactly as Exotel has them, so that the
 * first `pulumi up` of the file changes nothing at Exotel (GET requests only). Never a secret: the file
 * holds no credential (credentials left out of an entry are left alone by ExotelTrunk).
 */
import { createHash } from "crypto";
import { stringify } from "yaml";
import { TrunkInfo } from "../lookups";
import { TrunkEntry } from "./trunksFile";
import { PLUGIN_TRUNK_TYPE } from "../typeTokens";

const DEFAULT_NSO = "ANY-ANY";

/**
 * SHA-256 of the sample trunks.yaml the GitOps template ships (examples/gitops/trunks.yaml, line endings
 * as LF; a test keeps the two equal). `export-trunks` writes over that file while it is unchanged.
 */
export const SAMPLE_TRUNKS_FILE_SHA256 = "50ea7d0d5be01938ab6d0eac4da4ccbd8229b33f222b70af97f0b437bbc9575a";

/** Whether `text` is the template's untouched sample (any line endings). */
export function isSampleTrunksFile(text: string): boolean {
    return createHash("sha256").update(text.replace(/\r\n/g, "\n")).digest("hex") === SAMPLE_TRUNKS_FILE_SHA256;
}

/** One trunk as a data-file entry that adopts it: only what differs from the defaults. */
export function entryFor(t: TrunkInfo): TrunkEntry {
    const e: TrunkEntry = { trunkName: t.trunkName, adoptByName: true };
    if (t.nsoCode && t.nsoCode !== DEFAULT_NSO) e.nsoCode = t.nsoCode;
    if (t.domainName && t.domainName !== `${t.accountSid}.pstn.exotel.com`) e.domainName = t.domainName;
    if (t.phoneNumbers.length)
        e.phoneNumbers = t.phoneNumbers.map((n) =>
            n.mode === "flow" ? { phoneNumber: n.phoneNumber, mode: "flow" } : { phoneNumber: n.phoneNumber },
        );
    if (t.whitelistedIps.length)
        e.whitelistedIps = t.whitelistedIps.map((w) => (w.mask === 32 ? { ip: w.ip } : { ip: w.ip, mask: w.mask }));
    if (t.destinations.length) e.destinationUris = t.destinations.map((d) => d.uri);
    if (t.callerId) e.callerId = t.callerId;
    return e;
}

/** The trunks file text for an account's trunks (sorted by name, so the file diffs well). */
export function trunksFileText(trunks: TrunkInfo[], account: string, now = new Date()): string {
    const entries = [...trunks].sort((a, b) => a.trunkName.localeCompare(b.trunkName)).map(entryFor);
    const credentialed = trunks.filter((t) => t.credentials.length).map((t) => t.trunkName);
    const header = [
        `Trunks of Exotel account ${account}, exported by pulumi-exotel export-trunks on ${now.toISOString()}.`,
        "Each entry adopts the existing trunk by name: the first `pulumi up` changes nothing at Exotel.",
        "After that, this file is the source of truth: an edit here is a change there.",
        ...(credentialed.length
            ? [
                  `SIP credentials exist on ${credentialed.join(", ")}; they are not in this file (no passwords in a repository) and are left alone.`,
              ]
            : []),
    ];
    return header.map((l) => `# ${l}`).join("\n") + "\n" + stringify({ trunks: entries }, { lineWidth: 0 });
}

/** One entry of the file `pulumi import --file` takes (Pulumi's import file format). */
export interface TrunkImport {
    type: typeof PLUGIN_TRUNK_TYPE;
    name: string;
    id: string;
}

/**
 * Words that are reserved in a language `pulumi import` generates code in (TypeScript, Python, Go, C#, Java),
 * compared in lower case: a trunk named so gets `_trunk` after its name (e.g. `import_trunk`).
 */
const RESERVED = new Set(
    (
        "abstract and as assert async await boolean break byte case catch chan char class const continue def default del " +
        "delete do double elif else enum except export extends false final finally float for from func function global go " +
        "goto if implements import in instanceof int interface is lambda let long map native new nil none nonlocal not " +
        "null object or package pass private protected public raise range return select short static string super switch " +
        "synchronized this throw throws transient true try type typeof var void volatile while with yield"
    ).split(" "),
);

/**
 * The resource name a trunk is imported under: its `trunkName` when that is an identifier in every language
 * `pulumi import` generates code in (letters, digits, `_`, not starting with a digit, not a reserved word);
 * otherwise made one (`trunk_` before a leading digit or an empty name, `_trunk` after a reserved word).
 */
export function importNameBase(trunkName: string): string {
    const cleaned = trunkName.replace(/[^A-Za-z0-9_]/g, "_");
    if (cleaned === "" || /^[0-9]/.test(cleaned)) return `trunk_${cleaned}`.replace(/_$/, "");
    return RESERVED.has(cleaned.toLowerCase()) ? `${cleaned}_trunk` : cleaned;
}

/**
 * Names are compared as code generators may rewrite them (camelCase, snake_case, PascalCase): case and `_`
 * ignored, so `pbx_main`, `pbxMain` and `PBX_MAIN` count as one name.
 */
const nameKey = (name: string) => name.toLowerCase().replace(/_/g, "");

/**
 * The file for `pulumi import --file` that brings every trunk under `exotel:index:Trunk` (each by its sid: the
 * import only reads it). Sorted by name, and each name depends only on the trunk's own name and sid, so
 * exporting the account again gives the same names: a trunk's `trunkName` (see `importNameBase`); trunks whose
 * names would clash as code (case or `_` apart) each get `_<trunkSid>` after it.
 */
export function importFileFor(trunks: Pick<TrunkInfo, "trunkName" | "trunkSid">[]): { resources: TrunkImport[] } {
    const groups = new Map<string, number>();
    for (const t of trunks) {
        const k = nameKey(importNameBase(t.trunkName));
        groups.set(k, (groups.get(k) ?? 0) + 1);
    }
    const taken = new Set<string>();
    const resources = [...trunks]
        .sort((a, b) => (a.trunkName === b.trunkName ? (a.trunkSid < b.trunkSid ? -1 : 1) : a.trunkName < b.trunkName ? -1 : 1))
        .map((t): TrunkImport => {
            const base = importNameBase(t.trunkName);
            let name = groups.get(nameKey(base))! > 1 ? `${base}_${t.trunkSid.replace(/[^A-Za-z0-9_]/g, "_")}` : base;
            // A clash left (a suffixed name equal to another trunk's own name): a counter, in sort order.
            for (let i = 2; taken.has(nameKey(name)); i++) name = `${base}_${i}`;
            taken.add(nameKey(name));
            return { type: PLUGIN_TRUNK_TYPE, name, id: t.trunkSid };
        });
    return { resources };
}

/** The import file's text (JSON, as `pulumi import --file` reads it). */
export function importFileText(trunks: Pick<TrunkInfo, "trunkName" | "trunkSid">[]): string {
    return `${JSON.stringify(importFileFor(trunks), null, 2)}\n`;
}
