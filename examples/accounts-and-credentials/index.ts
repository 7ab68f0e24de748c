// One stack, two Exotel accounts, digest credentials, a trunk taken over by name and one looked up.
//
// Stack config (secrets with `pulumi config set --secret`):
//   exotel:accountSid / exotel:apiKey / exotel:apiToken / exotel:region   the main account
//   sgAccountSid / sgApiKey / sgApiToken (secret) / sgRegion or sgBaseUrl  a second account
//   deskPassword (secret), lobbyPassword (secret)                          SIP passwords
//   withLobby (default true)                                                 whether the lobby phone has a credential
import * as pulumi from "@pulumi/pulumi";
import { ExotelConnection, ExotelTrunk, getTrunkOutput } from "pulumi-exotel";

const config = new pulumi.Config();

// A PBX without a fixed IP registers with digest credentials.
const office = new ExotelTrunk("office", {
    trunkName: "office_pbx",
    phoneNumbers: [{ phoneNumber: "+918047091301" }],
    credentials: [
        { userName: "desk_phone", password: config.requireSecret("deskPassword"), friendlyName: "front_desk" },
        ...((config.getBoolean("withLobby") ?? true) ? [{ userName: "lobby_phone", password: config.requireSecret("lobbyPassword") }] : []),
    ],
});

// A second account (say Singapore), shared by every trunk that lives there.
const singapore: ExotelConnection = {
    accountSid: config.require("sgAccountSid"),
    apiKey: config.require("sgApiKey"),
    apiToken: config.requireSecret("sgApiToken"),
    region: config.get("sgRegion"),
    baseUrl: config.get("sgBaseUrl"),
};
const sg = new ExotelTrunk("singapore", {
    trunkName: "sg_pbx",
    phoneNumbers: [{ phoneNumber: "+6531234567" }],
    // Who may use it: the Singapore PBX's address (a trunk with neither whitelisted IPs nor credentials fails the
    // policy pack's exotel-trunk-no-access-control, docs/policy.md).
    whitelistedIps: [{ ip: "203.0.113.60" }],
    connection: singapore,
});

// A trunk someone made by hand: the stack takes it over by its name (no sid needed).
const legacy = new ExotelTrunk("legacy", {
    trunkName: "legacy_pbx",
    adoptByName: true,
    whitelistedIps: [{ ip: "203.0.113.50" }],
});

// A trunk another team manages: read it, never touch it.
const partner = getTrunkOutput({ trunkName: "partner_pbx" });

export const officeTrunkSid = office.trunkSid;
export const officeCredentialUsers = office.credentials.apply((cs) => cs.map((c) => c.userName));
export const singaporeTrunkSid = sg.trunkSid;
export const singaporeAccount = sg.accountSid;
export const legacyTrunkSid = legacy.trunkSid;
export const partnerTrunkSid = partner.trunkSid;
export const partnerNumbers = partner.phoneNumbers.apply((ns) => ns.map((n) => n.phoneNumber));
