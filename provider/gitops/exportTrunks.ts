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
