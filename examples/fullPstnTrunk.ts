/**
 * A full PSTN trunk: two numbers (one routed to an Exotel flow), two whitelisted IPs, one TLS
 * destination and a caller ID. Used by the demo (`npm run demo`) and as the root Pulumi.yaml program.
 */
import { ExotelTrunk } from "../provider";

export function fullPstnTrunk(name = "demo_pstn") {
    const trunk = new ExotelTrunk("pstn-trunk", {
        trunkName: name,
        phoneNumbers: [
            { phoneNumber: "+918047091234" },
            { phoneNumber: "+918047091235", mode: "flow" },
        ],
        whitelistedIps: [{ ip: "203.0.113.10" }, { ip: "198.51.100.0", mask: 28 }],
        destinationUris: ["203.0.113.10:5061;transport=tls"],
        callerId: "+918047091234",
    });
    return {
        trunkSid: trunk.trunkSid,
        trunkName: trunk.trunkName,
        domainName: trunk.domainName,
        status: trunk.status,
        phoneNumbers: trunk.phoneNumbers,
        whitelistedIps: trunk.whitelistedIps,
        destinations: trunk.destinations,
        callerId: trunk.callerId,
    };
}
