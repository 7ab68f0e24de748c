/**
 * Validators for SIP digest credentials (`credentials`). Exotel documents the fields but few rules; what
 * third parties measured is enforced, and the rest is our guess, made on the strict side (say so in the
 * README): user name `[A-Za-z0-9_.@+-]{1,64}` (guess), password `[A-Za-z0-9_]` only (measured) and at
 * least 8 characters (guess: Exotel asks for a "strong" one), friendly name at most 32 `[A-Za-z0-9_]`
 * (measured). No reason ever contains a password.
 */
import { CredentialInput } from "../trunkTypes";
import { OBJECT_TYPES } from "../trunkFields";

export const USER_NAME = /^[A-Za-z0-9_.@+-]{1,64}$/;
export const PASSWORD = /^[A-Za-z0-9_]{8,128}$/;
export const FRIENDLY_NAME = /^[A-Za-z0-9_]{0,32}$/;

/** A credential's properties, from the field table's object type. */
const KEYS = Object.keys(OBJECT_TYPES.Credential.properties);

export function checkCredentials(
    items: unknown[],
    isUnknown: (v: unknown) => boolean,
    add: (property: string, reason: string) => void,
): CredentialInput[] {
    const out: CredentialInput[] = [];
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
        const at = `credentials[${i}]`;
        if (isUnknown(item)) return;
        if (typeof item !== "object" || item === null || Array.isArray(item)) {
            return add(at, "must be an object { userName, password, friendlyName? }");
        }
        const c = item as Record<string, unknown>;
        for (const k of Object.keys(c)) if (!KEYS.includes(k)) add(`${at}.${k}`, `is not a credential property (${KEYS.join(", ")})`);
        const { userName, password, friendlyName } = c;
        let ok = true;
        if (!isUnknown(userName)) {
            if (userName === undefined || userName === null) {
                ok = false;
                add(`${at}.userName`, "is required");
            } else if (typeof userName !== "string" || !USER_NAME.test(userName)) {
                ok = false;
                add(`${at}.userName`, `must be 1-64 letters, digits or . _ @ + -; got ${JSON.stringify(userName)}`);
            } else if (seen.has(userName)) {
                ok = false;
                add(`${at}.userName`, `duplicates credentials[${seen.get(userName)}] (${userName}); user names are unique per trunk`);
            } else seen.set(userName, i);
        }
        if (!isUnknown(password)) {
            if (password === undefined || password === null) {
                ok = false;
                add(`${at}.password`, "is required");
            } else if (typeof password !== "string" || !PASSWORD.test(password)) {
                ok = false;
                // Never echo a password, not even a wrong one.
                add(`${at}.password`, "must be 8-128 letters, digits or underscores (Exotel accepts no other characters)");
            }
        }
        if (friendlyName !== undefined && friendlyName !== null && !isUnknown(friendlyName)) {
            if (typeof friendlyName !== "string" || !FRIENDLY_NAME.test(friendlyName)) {
                ok = false;
                add(`${at}.friendlyName`, `must be at most 32 letters, digits or underscores; got ${JSON.stringify(friendlyName)}`);
            }
        }
        if (!ok) return;
        const cred: CredentialInput = { userName: userName as string, password: password as string };
        if (typeof friendlyName === "string") cred.friendlyName = friendlyName;
        out.push(cred);
    });
    return out;
}
