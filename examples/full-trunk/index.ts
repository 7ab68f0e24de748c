// A full PSTN trunk: two numbers (one routed to an Exotel flow), two whitelisted IPs, one TLS
// destination and a caller ID. The Exotel credentials come from stack config (exotel:*) or EXOTEL_*.
import { ExotelTrunk } from "pulumi-exotel";

const trunk = new ExotelTrunk("pstn-trunk", {
    trunkName: "demo_pstn",
    phoneNumbers: [{ phoneNumber: "+918047091234" }, { phoneNumber: "+918047091235", mode: "flow" }],
    whitelistedIps: [{ ip: "203.0.113.10" }, { ip: "198.51.100.0", mask: 28 }],
    destinationUris: ["203.0.113.10:5061;transport=tls"],
    callerId: "+918047091234",
});

export const trunkSid = trunk.trunkSid;
export const trunkName = trunk.trunkName;
// Not set above: Exotel's defaults, read back.
export const domainName = trunk.domainName;
export const nsoCode = trunk.nsoCode;
export const status = trunk.status;
export const phoneNumbers = trunk.phoneNumbers;
export const whitelistedIps = trunk.whitelistedIps;
export const destinations = trunk.destinations;
export const callerId = trunk.callerId;
