// The program of the engine-protocol acceptance suite (tests/protocol.consumer.test.ts). Stack config picks
// its shape, so each test moves its own stack from one known program to the next:
//   stage     base (default)  the trunk "main" alone, every input known
//             unknownIps      a NEW trunk "other", and main's whitelistedIps an Output of other's trunkSid:
//                             unknown in the preview, known once other exists
//             unknownNumber   a NEW trunk "other", and one phone number of main an Output of other's trunkSid
//                             (an unknown nested inside a list entry)
//             none            no trunk at all (how a stack's trunks are removed before it changes account)
//   callerId  main's caller ID (default +918047091234): an in-place change
//   probe     true: print each of main's outputs as soon as it is known, one line each,
//             `PROBE main.<output> <JSON value>`. Pulumi shows no top-level stack output while it is
//             unknown, so an apply is the way to see from outside which outputs a preview knows.
import * as pulumi from "@pulumi/pulumi";
import { ExotelTrunk } from "pulumi-exotel";

const config = new pulumi.Config();
const stage = config.get("stage") ?? "base";
if (!["base", "unknownIps", "unknownNumber", "none"].includes(stage))
    throw new Error(`stage must be base, unknownIps, unknownNumber or none, not "${stage}"`);

const other =
    stage === "unknownIps" || stage === "unknownNumber"
        ? new ExotelTrunk("other", {
              trunkName: "proto_other",
              whitelistedIps: [{ ip: "198.51.100.20" }],
          })
        : undefined;

const main =
    stage === "none"
        ? undefined
        : new ExotelTrunk("main", {
              trunkName: "proto_main",
              phoneNumbers:
                  other && stage === "unknownNumber"
                      ? [{ phoneNumber: other.trunkSid.apply(() => "+919876543210") }]
                      : [{ phoneNumber: "+918047091234" }],
              whitelistedIps:
                  other && stage === "unknownIps"
                      ? other.trunkSid.apply(() => [{ ip: "203.0.113.10" }, { ip: "203.0.113.11" }])
                      : [{ ip: "203.0.113.10" }],
              destinationUris: ["203.0.113.10:5061;transport=tls"],
              callerId: config.get("callerId") ?? "+918047091234",
          });

if (main && config.getBoolean("probe")) {
    const probed = {
        trunkSid: main.trunkSid,
        trunkName: main.trunkName,
        nsoCode: main.nsoCode,
        domainName: main.domainName,
        accountSid: main.accountSid,
        region: main.region,
        status: main.status,
        authType: main.authType,
        registrationEnabled: main.registrationEnabled,
        edgePreference: main.edgePreference,
        secureTrunking: main.secureTrunking,
        dateCreated: main.dateCreated,
        dateUpdated: main.dateUpdated,
        links: main.links,
        phoneNumbers: main.phoneNumbers,
        whitelistedIps: main.whitelistedIps,
        destinationUris: main.destinationUris,
        destinations: main.destinations,
        callerId: main.callerId,
    };
    for (const [key, value] of Object.entries(probed)) {
        (value as pulumi.Output<unknown>).apply((v) => console.log(`PROBE main.${key} ${JSON.stringify(v)}`));
    }
    // A secret (it would hold SIP passwords): only whether it is known.
    main.credentials.apply(() => console.log("PROBE main.credentials (secret, known)"));
}

// null rather than undefined when a trunk is not in the program (Pulumi warns about undefined stack outputs).
export const mainTrunkSid = main ? main.trunkSid : null;
export const mainCallerId = main ? main.callerId : null;
export const otherTrunkSid = other ? other.trunkSid : null;
