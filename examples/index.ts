// The root Pulumi.yaml program (for `pulumi up` with a normally installed Pulumi CLI).
import { fullPstnTrunk } from "./fullPstnTrunk";

const trunk = fullPstnTrunk();
export const trunkSid = trunk.trunkSid;
export const trunkName = trunk.trunkName;
export const domainName = trunk.domainName;
export const phoneNumbers = trunk.phoneNumbers;
export const whitelistedIps = trunk.whitelistedIps;
export const destinations = trunk.destinations;
export const callerId = trunk.callerId;
