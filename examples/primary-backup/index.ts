// A primary trunk and a backup trunk in one stack. Stack config decides:
//   backup   (default true)            whether the backup trunk exists
//   callerId (default +918047091234)   the primary's caller ID (changed in place)
import * as pulumi from "@pulumi/pulumi";
import { ExotelTrunk } from "pulumi-exotel";

const config = new pulumi.Config();

const primary = new ExotelTrunk("primary", {
    trunkName: "pstn_primary",
    phoneNumbers: [{ phoneNumber: "+918047091234" }],
    whitelistedIps: [{ ip: "203.0.113.10" }],
    destinationUris: ["203.0.113.10:5061;transport=tls"],
    callerId: config.get("callerId") ?? "+918047091234",
});

const backup =
    (config.getBoolean("backup") ?? true)
        ? new ExotelTrunk("backup", {
              trunkName: "pstn_backup",
              phoneNumbers: [{ phoneNumber: "+918047091299" }],
              whitelistedIps: [{ ip: "198.51.100.20" }],
              destinationUris: ["198.51.100.20:5061;transport=tls"],
          })
        : undefined;

export const primaryTrunkSid = primary.trunkSid;
// A value derived from the sid, as a downstream resource would use it.
export const primarySipTarget = pulumi.interpolate`sip:${primary.trunkSid}@${primary.domainName}`;
export const primaryCallerId = primary.callerId;
export const backupTrunkSid = backup?.trunkSid;
// Not set on the backup: present all the same (Exotel's defaults, or empty).
export const backupDomainName = backup?.domainName;
export const backupCallerId = backup?.callerId;
