// An Exotel SIP trunk with everything attached, and a second trunk in another account through an explicit
// provider, with the Node.js SDK of the exotel provider plugin (`@pulumi-exotel/exotel`).
import * as pulumi from "@pulumi/pulumi";
import * as exotel from "@pulumi-exotel/exotel";

const cfg = new pulumi.Config();

const primary = new exotel.Trunk("primary", {
    trunkName: "ts_primary",
    phoneNumbers: [{ phoneNumber: "+918047091234" }, { phoneNumber: "+918047091235", mode: "flow" }],
    whitelistedIps: [{ ip: "203.0.113.10" }, { ip: "198.51.100.0", mask: 28 }],
    destinationUris: ["203.0.113.10:5061;transport=tls"],
    callerId: cfg.get("callerId") ?? "+918047091234",
    credentials: [{ userName: "pbx_main", password: cfg.requireSecret("pbxPassword"), friendlyName: "main_pbx" }],
});

// A second account: an explicit provider with its own settings.
const second = new exotel.Provider("second", {
    accountSid: cfg.require("secondAccountSid"),
    apiKey: cfg.require("secondApiKey"),
    apiToken: cfg.requireSecret("secondApiToken"),
    region: cfg.get("secondRegion") ?? "singapore",
    baseUrl: cfg.get("secondBaseUrl") || undefined,
});
const secondTrunk = new exotel.Trunk(
    "secondTrunk",
    {
        trunkName: "ts_second",
        whitelistedIps: [{ ip: "192.0.2.20" }],
        destinationUris: ["192.0.2.20:5061;transport=tls"],
    },
    { provider: second },
);

// A lookup, once the trunk exists.
const lookedUp = exotel.getTrunkOutput({ trunkSid: primary.trunkSid });

export const primaryTrunkSid = primary.trunkSid;
export const primaryNumbers = primary.phoneNumbers;
export const secondTrunkSid = secondTrunk.trunkSid;
export const lookedUpName = lookedUp.trunkName;
