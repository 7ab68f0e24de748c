/** The `ExotelTrunk` resource: a Pulumi dynamic resource backed by ExotelTrunkProvider. */
import * as pulumi from "@pulumi/pulumi";
import { ExotelTrunkProviderProxy } from "./providerProxy";
import { DestinationOutput, NumberMode, OUTPUT_KEYS, PhoneNumberOutput, WhitelistedIpOutput } from "./trunkTypes";

export interface ExotelTrunkArgs {
    /** Unique per account: letters, digits and `_`, at most 16 characters. Changing it replaces the trunk. */
    trunkName: pulumi.Input<string>;
    /** Default "ANY-ANY". Changing it replaces the trunk. */
    nsoCode?: pulumi.Input<string>;
    /** Default `<accountSid>.pstn.exotel.com`. Changing it replaces the trunk. */
    domainName?: pulumi.Input<string>;
    /** Numbers mapped to the trunk; `mode` defaults to "pstn". */
    phoneNumbers?: pulumi.Input<pulumi.Input<{ phoneNumber: pulumi.Input<string>; mode?: pulumi.Input<NumberMode> }>[]>;
    /** ACL entries; `mask` 16..32, default 32. */
    whitelistedIps?: pulumi.Input<pulumi.Input<{ ip: pulumi.Input<string>; mask?: pulumi.Input<number> }>[]>;
    /** `<ip-or-fqdn>:<port>;transport=<tls|tcp|udp>`; an IP destination must be in `whitelistedIps`. */
    destinationUris?: pulumi.Input<pulumi.Input<string>[]>;
    /** E.164 caller ID presented on outbound calls (trunk setting `trunk_external_alias`). */
    callerId?: pulumi.Input<string>;
    /**
     * Take over an existing trunk instead of creating one (our replacement for `pulumi import`, which
     * does not work with dynamic providers). trunkName/nsoCode/domainName must match the trunk; its
     * attachments are reconciled to these args. Only read at create; afterwards the stack owns the trunk
     * and `pulumi destroy` deletes it.
     */
    adoptTrunkSid?: pulumi.Input<string>;
    /**
     * Take over the account's existing trunk named `trunkName` (its sid looked up with `GET /trunks`),
     * with the same reconciliation as `adoptTrunkSid`. Fails, creating nothing, when the account has no
     * trunk of that name. Only read at create; only the configured account's trunks are considered.
     */
    adoptByName?: pulumi.Input<boolean>;
}

/**
 * One instance for every resource: serialized once (a small proxy, see providerProxy.ts), never
 * configured in the program's process.
 */
const provider = new ExotelTrunkProviderProxy();

export class ExotelTrunk extends pulumi.dynamic.Resource {
    public readonly trunkSid!: pulumi.Output<string>;
    public readonly trunkName!: pulumi.Output<string>;
    public readonly nsoCode!: pulumi.Output<string>;
    public readonly domainName!: pulumi.Output<string>;
    public readonly accountSid!: pulumi.Output<string>;
    public readonly region!: pulumi.Output<string>;
    public readonly status!: pulumi.Output<string>;
    public readonly authType!: pulumi.Output<string>;
    public readonly registrationEnabled!: pulumi.Output<string>;
    public readonly edgePreference!: pulumi.Output<string>;
    public readonly secureTrunking!: pulumi.Output<string>;
    public readonly dateCreated!: pulumi.Output<string>;
    public readonly dateUpdated!: pulumi.Output<string>;
    public readonly links!: pulumi.Output<{
        phoneNumbers?: string;
        whitelistedIps?: string;
        destinationUris?: string;
        credentials?: string;
    }>;
    public readonly phoneNumbers!: pulumi.Output<PhoneNumberOutput[]>;
    public readonly whitelistedIps!: pulumi.Output<WhitelistedIpOutput[]>;
    public readonly destinationUris!: pulumi.Output<string[]>;
    public readonly destinations!: pulumi.Output<DestinationOutput[]>;
    /** null when the trunk has no caller ID. */
    public readonly callerId!: pulumi.Output<string | null>;

    constructor(name: string, args: ExotelTrunkArgs, opts?: pulumi.CustomResourceOptions) {
        // Every output key must be in the props, or Pulumi creates no Output for it (an omitted arg would
        // leave e.g. `trunk.domainName` undefined in the program).
        const outputs = Object.fromEntries(OUTPUT_KEYS.map((k) => [k, undefined]));
        super(provider, name, { ...outputs, ...args }, opts, "exotel", "ExotelTrunk");
    }
}
