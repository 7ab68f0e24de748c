/**
 * Pure planning: what changed between state and new inputs (for `diff`), and the fewest requests that
 * take a trunk's attachments from what it has to what is wanted (for `update` and adoption).
 */
import { destinationKey } from "../validation/destination";
import { INPUT_NAMES, InputName, TRUNK_FIELDS, TrunkField } from "../trunkFields";
import {
    CheckedInputs,
    CurrentAttachments,
    CredentialInput,
    CredentialOutput,
    DestinationOutput,
    NormalizedInputs,
    NumberMode,
    PhoneNumberOutput,
    TrunkOutputs,
    WhitelistedIpOutput,
} from "../trunkTypes";
import { isUnknown } from "../unknown";

export interface AttachmentPlan {
    addIps: { ip: string; mask: number }[];
    /** Same IP with another mask: Exotel keeps one entry per IP, so remove then add. */
    removeIps: WhitelistedIpOutput[];
    addDestinations: string[];
    removeDestinations: DestinationOutput[];
    addNumbers: { phoneNumber: string; mode: NumberMode }[];
    updateNumbers: { id: string; phoneNumber: string; mode: NumberMode }[];
    removeNumbers: PhoneNumberOutput[];
    addCredentials: CredentialInput[];
    /** A password or friendly-name change: `PUT …/credentials/<id>` with only what changed. */
    updateCredentials: { id: string; userName: string; password?: string; friendlyName?: string }[];
    removeCredentials: CredentialOutput[];
    /** `set` a new value, `delete` the alias, or nothing. */
    callerId?: { set: string } | { delete: true };
}

export function planAttachments(current: CurrentAttachments, want: NormalizedInputs): AttachmentPlan {
    const plan: AttachmentPlan = {
        addIps: [],
        removeIps: [],
        addDestinations: [],
        removeDestinations: [],
        addNumbers: [],
        updateNumbers: [],
        removeNumbers: [],
        addCredentials: [],
        updateCredentials: [],
        removeCredentials: [],
    };

    const wantIps = new Map(want.whitelistedIps.map((w) => [w.ip, w.mask]));
    const haveIps = new Map(current.whitelistedIps.map((w) => [w.ip, w]));
    for (const w of current.whitelistedIps) {
        if (wantIps.get(w.ip) !== w.mask) plan.removeIps.push(w);
    }
    for (const w of want.whitelistedIps) {
        const have = haveIps.get(w.ip);
        if (!have || have.mask !== w.mask) plan.addIps.push(w);
    }

    const wantDest = new Set(want.destinationUris.map(destinationKey));
    const haveDest = new Set(current.destinations.map((d) => destinationKey(d.sipUri || d.uri)));
    for (const d of current.destinations) {
        if (!wantDest.has(destinationKey(d.sipUri || d.uri))) plan.removeDestinations.push(d);
    }
    for (const d of want.destinationUris) {
        if (!haveDest.has(destinationKey(d))) plan.addDestinations.push(d);
    }

    const wantNums = new Map(want.phoneNumbers.map((n) => [n.phoneNumber, n.mode]));
    const haveNums = new Map(current.phoneNumbers.map((n) => [n.phoneNumber, n]));
    for (const n of current.phoneNumbers) {
        const mode = wantNums.get(n.phoneNumber);
        if (mode === undefined) plan.removeNumbers.push(n);
        else if (mode !== n.mode) plan.updateNumbers.push({ id: n.id, phoneNumber: n.phoneNumber, mode });
    }
    for (const n of want.phoneNumbers) {
        if (!haveNums.has(n.phoneNumber)) plan.addNumbers.push(n);
    }

    // Credentials are keyed by user name; a password or friendly-name change updates that credential.
    // Not given at all: not managed, nothing is planned for them.
    const wanted = want.credentials ?? current.credentials;
    const wantCreds = new Map(wanted.map((c) => [c.userName, c]));
    const haveCreds = new Map(current.credentials.map((c) => [c.userName, c]));
    for (const c of current.credentials) if (!wantCreds.has(c.userName)) plan.removeCredentials.push(c);
    for (const c of want.credentials ?? []) {
        const have = haveCreds.get(c.userName);
        if (!have) {
            plan.addCredentials.push(c);
            continue;
        }
        const change: AttachmentPlan["updateCredentials"][number] = { id: have.id, userName: c.userName };
        if (c.password !== have.password) change.password = c.password;
        if ((c.friendlyName ?? null) !== have.friendlyName && c.friendlyName !== undefined) change.friendlyName = c.friendlyName;
        if (change.password !== undefined || change.friendlyName !== undefined) plan.updateCredentials.push(change);
    }

    if (want.callerId !== current.callerId) {
        plan.callerId = want.callerId ? { set: want.callerId } : { delete: true };
    }
    return plan;
}

/** Number of requests a plan costs (destinations are one batch POST). */
export function planRequestCount(p: AttachmentPlan): number {
    return (
        p.addIps.length +
        p.removeIps.length +
        (p.addDestinations.length ? 1 : 0) +
        p.removeDestinations.length +
        p.addNumbers.length +
        p.updateNumbers.length +
        p.removeNumbers.length +
        p.addCredentials.length +
        p.updateCredentials.length +
        p.removeCredentials.length +
        (p.callerId ? 1 : 0)
    );
}

export interface DiffPlan {
    /** Input properties that differ, or may (not known yet); then `accountSid` / `region` when the provider's differ. */
    changed: string[];
    /** Of those, the ones that force a replacement. */
    replaces: string[];
}

/** JSON with object keys sorted: state round-trips through protobuf Structs, which reorder keys. */
function canonical(v: unknown): string {
    return JSON.stringify(v ?? null, (_k: string, val: unknown) =>
        val && typeof val === "object" && !Array.isArray(val)
            ? Object.fromEntries(
                  Object.keys(val)
                      .sort()
                      .map((k) => [k, (val as Record<string, unknown>)[k]]),
              )
            : val,
    );
}

const sortBy = <T>(xs: T[], key: (x: T) => string) => [...xs].sort((a, b) => key(a).localeCompare(key(b)));
const creds = (xs: { userName: string; password: string; friendlyName?: string | null }[] | null | undefined) =>
    canonical(
        sortBy(
            (xs ?? []).map((c) => ({ u: c.userName, p: c.password, f: c.friendlyName ?? null })),
            (c) => c.u,
        ),
    );

/** A list compared as a set keyed by `key`: the compared fields of each entry, sorted by key, as canonical JSON. */
function asSet<T, R extends Record<K, string>, K extends string>(xs: T[] | null | undefined, pick: (x: T) => R, key: K): string {
    return canonical(sortBy((xs ?? []).map(pick), (x) => x[key]));
}

/** Whether each input differs from what state holds (both known). One row per input of the field table. */
const DIFFERS: { [K in InputName]: (olds: Partial<TrunkOutputs>, now: NormalizedInputs[K]) => boolean } = {
    trunkName: (o, now) => o.trunkName !== now,
    nsoCode: (o, now) => o.nsoCode !== now,
    domainName: (o, now) => o.domainName !== now,
    phoneNumbers: (o, now) =>
        asSet(o.phoneNumbers, (n) => ({ phoneNumber: n.phoneNumber, mode: n.mode ?? "pstn" }), "phoneNumber") !==
        asSet(now, (n) => ({ phoneNumber: n.phoneNumber, mode: n.mode }), "phoneNumber"),
    whitelistedIps: (o, now) =>
        asSet(o.whitelistedIps, (w) => ({ ip: w.ip, mask: w.mask }), "ip") !== asSet(now, (w) => ({ ip: w.ip, mask: w.mask }), "ip"),
    // Any difference as written (order, `sip:`, case) is a change: state records the list as the user wrote it.
    destinationUris: (o, now) => canonical(o.destinationUris ?? []) !== canonical(now),
    callerId: (o, now) => (o.callerId ?? undefined) !== (now ?? undefined),
    // Not given: not managed, never a change.
    credentials: (o, now) => now !== undefined && creds(o.credentials) !== creds(now),
    adoptTrunkSid: (o, now) => (o.adoptTrunkSid ?? undefined) !== (now ?? undefined),
    adoptByName: (o, now) => (o.adoptByName ?? false) !== (now ?? false),
    connection: (o, now) => canonical(o.connection ?? null) !== canonical(now ?? null),
};

/**
 * Compares state (`olds`, the outputs) with checked new inputs. An input not known yet may change: it is
 * reported changed (and replacing, if its change replaces). `account` holds the provider's current account
 * and region, which replace the trunk when they differ from the ones it was made in.
 */
export function planDiff(olds: Partial<TrunkOutputs>, news: CheckedInputs, account?: { accountSid?: string; region?: string }): DiffPlan {
    const changed: string[] = [];
    const replaces: string[] = [];
    for (const p of INPUT_NAMES) {
        const now = news[p];
        const differs = DIFFERS[p] as (olds: Partial<TrunkOutputs>, now: unknown) => boolean;
        if (isUnknown(now) || differs(olds, now)) {
            changed.push(p);
            if ((TRUNK_FIELDS[p] as TrunkField).replaceOnChange) replaces.push(p);
        }
    }
    if (account?.accountSid && olds.accountSid && olds.accountSid !== account.accountSid) {
        changed.push("accountSid");
        replaces.push("accountSid");
    }
    if (account?.region && olds.region && olds.region !== account.region) {
        changed.push("region");
        replaces.push("region");
    }
    return { changed, replaces };
}
