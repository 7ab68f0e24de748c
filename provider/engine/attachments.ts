/**
 * Reading a trunk's attachments from Exotel, and applying an AttachmentPlan request by request while
 * keeping an exact record of what has been applied (so a failure half-way leaves state that matches
 * Exotel).
 */
import { CallOptions, ExotelClient } from "../exotel/client";
import { PlanStepError } from "../errors/PlanStepError";
import { ExotelNotFoundError, ExotelPartialFailureError } from "../exotel/errors";
import { CredentialData, DestinationUriData, PhoneNumberData, TRUNK_EXTERNAL_ALIAS, WhitelistedIpData } from "../exotel/types";
import { AttachmentPlan } from "./plan";
import { CredentialOutput, CurrentAttachments, DestinationOutput, PhoneNumberOutput, WhitelistedIpOutput } from "../trunkTypes";
import { destinationKey } from "../validation/destination";

export function numberOut(d: PhoneNumberData): PhoneNumberOutput {
    return { id: String(d.id), phoneNumber: d.phone_number, mode: d.mode === "flow" ? "flow" : "pstn" };
}

export function ipOut(d: WhitelistedIpData): WhitelistedIpOutput {
    return { id: String(d.id), ip: d.ip, mask: Number(d.mask ?? 32) };
}

export function destinationOut(d: DestinationUriData, asWritten?: string): DestinationOutput {
    const out: DestinationOutput = { id: String(d.id), uri: asWritten ?? d.destination.replace(/^sip:/, ""), sipUri: d.destination };
    if (d.type !== undefined) out.type = d.type;
    if (d.priority !== undefined) out.priority = d.priority;
    if (d.weight !== undefined) out.weight = d.weight;
    return out;
}

/** Maps a batch answer's items back to what the user wrote (order is not promised by Exotel). */
function matchWritten(created: DestinationUriData[], written: string[]): DestinationOutput[] {
    const byKey = new Map(written.map((w) => [destinationKey(w), w]));
    return created.map((d) => destinationOut(d, byKey.get(destinationKey(d.destination))));
}

export function credentialOut(d: CredentialData, password: string): CredentialOutput {
    return { id: String(d.id), userName: d.user_name, friendlyName: d.friendly_name ?? null, password };
}

/** What to do about credentials when reading a trunk. */
export type CredentialReading =
    /** Refresh: keep what state holds. Exotel's list was withdrawn as unreliable and never returns passwords, so it can
     * neither prove a credential gone nor show a password change: nothing is deleted or reported from it. */
    | { keep: CredentialOutput[] }
    /** Adoption: list them (passwords unknown: "" so that the plan sets each wanted one). */
    | { list: true };

/**
 * Reads everything attached to a trunk (4 GETs, a 5th for credentials when adopting). A settings list
 * Exotel does not serve keeps `fallbackCallerId`.
 */
export async function readAttachments(
    c: ExotelClient,
    trunkSid: string,
    opts: CallOptions,
    fallbackCallerId?: string,
    written: string[] = [],
    credentials: CredentialReading = { keep: [] },
): Promise<CurrentAttachments> {
    const [numbers, ips, dests] = await Promise.all([
        c.listPhoneNumbers(trunkSid, opts),
        c.listWhitelistedIps(trunkSid, opts),
        c.listDestinationUris(trunkSid, opts),
    ]);
    let callerId = fallbackCallerId;
    try {
        const settings = await c.listSettings(trunkSid, opts);
        callerId = settings.find((s) => s.name === TRUNK_EXTERNAL_ALIAS)?.value;
    } catch (err) {
        // GET /settings is documented only outside the official reference: keep what state knew.
        if (!(err instanceof ExotelNotFoundError)) throw err;
    }
    const creds = "list" in credentials ? (await c.listCredentials(trunkSid, opts)).map((d) => credentialOut(d, "")) : credentials.keep;
    return {
        phoneNumbers: numbers.map(numberOut),
        whitelistedIps: ips.map(ipOut),
        destinations: matchWritten(dests, written),
        callerId,
        credentials: creds,
    };
}

function clone(a: CurrentAttachments): CurrentAttachments {
    return {
        phoneNumbers: [...a.phoneNumbers],
        whitelistedIps: [...a.whitelistedIps],
        destinations: [...a.destinations],
        callerId: a.callerId,
        credentials: [...a.credentials],
    };
}

/** A removal whose object is already gone counts as done. */
async function removing(fn: () => Promise<unknown>): Promise<void> {
    try {
        await fn();
    } catch (err) {
        if (err instanceof ExotelNotFoundError) return;
        throw err;
    }
}

/**
 * Applies a plan in the order Exotel needs: destinations that go away first, then IP removals, IP
 * additions (an IP destination must be whitelisted before it is added), destination additions (one
 * batch), number removals, mode changes, number additions, and the caller-ID setting.
 */
export async function applyPlan(
    c: ExotelClient,
    trunkSid: string,
    start: CurrentAttachments,
    plan: AttachmentPlan,
    opts: CallOptions,
): Promise<CurrentAttachments> {
    const now = clone(start);
    const step = async (name: string, fn: () => Promise<void>) => {
        try {
            await fn();
        } catch (err) {
            throw new PlanStepError(name, err, clone(now));
        }
    };

    for (const d of plan.removeDestinations) {
        await step(`removing destination URI ${d.uri}`, async () => {
            await removing(() => c.removeDestinationUri(trunkSid, d.id, opts));
            now.destinations = now.destinations.filter((x) => x.id !== d.id);
        });
    }
    for (const w of plan.removeIps) {
        await step(`removing whitelisted IP ${w.ip}/${w.mask}`, async () => {
            await removing(() => c.removeWhitelistedIp(trunkSid, w.id, opts));
            now.whitelistedIps = now.whitelistedIps.filter((x) => x.id !== w.id);
        });
    }
    for (const w of plan.addIps) {
        await step(`whitelisting IP ${w.ip}/${w.mask}`, async () => {
            const made = await c.addWhitelistedIp(trunkSid, w, opts);
            now.whitelistedIps.push(ipOut(made));
        });
    }
    if (plan.addDestinations.length > 0) {
        await step(`adding destination URI(s) ${plan.addDestinations.join(", ")}`, async () => {
            try {
                const made = await c.addDestinationUris(trunkSid, plan.addDestinations, opts);
                now.destinations.push(...matchWritten(made, plan.addDestinations));
            } catch (err) {
                if (err instanceof ExotelPartialFailureError) {
                    now.destinations.push(...matchWritten(err.succeeded as DestinationUriData[], plan.addDestinations));
                }
                throw err;
            }
        });
    }
    for (const cr of plan.removeCredentials) {
        await step(`removing SIP credential ${cr.userName}`, async () => {
            await removing(() => c.deleteCredential(trunkSid, cr.id, opts));
            now.credentials = now.credentials.filter((x) => x.id !== cr.id);
        });
    }
    for (const cr of plan.updateCredentials) {
        const what = [cr.password !== undefined ? "password" : "", cr.friendlyName !== undefined ? "friendly name" : ""].filter(Boolean);
        await step(`updating the ${what.join(" and ")} of SIP credential ${cr.userName}`, async () => {
            const made = await c.updateCredential(trunkSid, cr.id, cr, opts);
            now.credentials = now.credentials.map((x) =>
                x.id === cr.id ? { ...x, friendlyName: made.friendly_name ?? x.friendlyName, password: cr.password ?? x.password } : x,
            );
        });
    }
    for (const cr of plan.addCredentials) {
        await step(`adding SIP credential ${cr.userName}`, async () => {
            const made = await c.createCredential(trunkSid, cr, opts);
            now.credentials.push(credentialOut(made, cr.password));
        });
    }
    for (const n of plan.removeNumbers) {
        await step(`unmapping phone number ${n.phoneNumber}`, async () => {
            await removing(() => c.unmapPhoneNumber(trunkSid, n.id, opts));
            now.phoneNumbers = now.phoneNumbers.filter((x) => x.id !== n.id);
        });
    }
    for (const n of plan.updateNumbers) {
        await step(`switching ${n.phoneNumber} to mode ${n.mode}`, async () => {
            const made = await c.updatePhoneNumber(trunkSid, n.id, n, opts);
            now.phoneNumbers = now.phoneNumbers.map((x) => (x.id === n.id ? { ...numberOut(made), id: n.id } : x));
        });
    }
    for (const n of plan.addNumbers) {
        await step(`mapping phone number ${n.phoneNumber}`, async () => {
            const made = await c.mapPhoneNumber(trunkSid, n, opts);
            now.phoneNumbers.push(numberOut(made));
        });
    }
    const cid = plan.callerId;
    if (cid && "set" in cid) {
        await step(`setting caller ID ${cid.set}`, async () => {
            await c.setCallerId(trunkSid, cid.set, opts);
            now.callerId = cid.set;
        });
    } else if (cid) {
        await step("removing caller ID", async () => {
            await removing(() => c.deleteSetting(trunkSid, TRUNK_EXTERNAL_ALIAS, opts));
            now.callerId = undefined;
        });
    }
    return now;
}
