/** The `ExotelTrunk` resource: a Pulumi dynamic resource backed by ExotelTrunkProvider. */
import * as pulumi from "@pulumi/pulumi";
import { ExotelTrunkProviderProxy, SerializedProvider } from "./providerProxy";
import {
    CredentialOutput,
    DestinationOutput,
    ExotelConnection,
    NumberMode,
    OUTPUT_KEYS,
    PhoneNumberOutput,
    WhitelistedIpOutput,
} from "../trunkTypes";

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
    /**
     * SIP digest credentials, for PBXs without a fixed IP. Keyed by `userName`: a new one is created, a
     * changed password or friendly name updates that credential, a removed one is deleted. The list is a
     * Pulumi secret as a whole (wrapped here if it is not already), and so is the `credentials` output.
     * Refresh does not read credentials back (see README: Exotel never returns passwords and its list
     * endpoint is unreliable): state keeps what was last written.
     */
    credentials?: pulumi.Input<pulumi.Input<ExotelCredentialArgs>[]>;
    /**
     * The Exotel account this trunk lives in, instead of the stack's `exotel:*` config (which still gives
     * timeouts, retries and rate limits). One object can be shared by many trunks. The token is made a
     * secret here; the connection is kept in state (as a secret) so refresh and destroy reach the same
     * account. Changing the account (or region) replaces the trunk; a new key or token for the same
     * account does not.
     */
    connection?: ExotelConnection;
}

/** One SIP digest credential of a trunk. */
export interface ExotelCredentialArgs {
    /** 1-64 letters, digits or `. _ @ + -`; unique per trunk. */
    userName: pulumi.Input<string>;
    /** 8-128 letters, digits or `_` (Exotel accepts no other characters). Treated as a secret. */
    password: pulumi.Input<string>;
    /** At most 32 letters, digits or `_`. */
    friendlyName?: pulumi.Input<string>;
}

/**
 * One instance for every resource: serialized once (a small proxy, see providerProxy.ts), never
 * configured in the program's process.
 */
const provider = new ExotelTrunkProviderProxy() as SerializedProvider;

export class ExotelTrunk extends pulumi.dynamic.Resource {
    /** Exotel's trunk sid: the resource's id, so known in a preview of an in-place change too. */
    public readonly trunkSid: pulumi.Output<string>;
    public readonly trunkName!: pulumi.Output<string>;
    public readonly nsoCode!: pulumi.Output<string>;
    public readonly domainName!: pulumi.Output<string>;
    public readonly accountSid!: pulumi.Output<string>;
    public readonly region!: pulumi.Output<string>;
    /** Exotel's trunk fields; null when Exotel's answer has no value. */
    public readonly status!: pulumi.Output<string | null>;
    public readonly authType!: pulumi.Output<string | null>;
    public readonly registrationEnabled!: pulumi.Output<string | null>;
    public readonly edgePreference!: pulumi.Output<string | null>;
    public readonly secureTrunking!: pulumi.Output<string | null>;
    public readonly dateCreated!: pulumi.Output<string | null>;
    public readonly dateUpdated!: pulumi.Output<string | null>;
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
    /** The trunk's SIP digest credentials with their Exotel ids; a secret (it holds the passwords). */
    public readonly credentials!: pulumi.Output<CredentialOutput[]>;

    constructor(name: string, args: ExotelTrunkArgs, opts?: pulumi.CustomResourceOptions) {
        // Every output key must be in the props, or Pulumi creates no Output for it (an omitted arg would
        // leave e.g. `trunk.domainName` undefined in the program).
        const outputs = Object.fromEntries(OUTPUT_KEYS.map((k) => [k, undefined]));
        const props: Record<string, unknown> = { ...outputs, ...args };
        // Secrets end to end: in the inputs (state), in the outputs, never in plaintext.
        if (args.credentials !== undefined) props.credentials = pulumi.secret(args.credentials);
        if (args.connection !== undefined) props.connection = { ...args.connection, apiToken: pulumi.secret(args.connection.apiToken) };
        const secretOutputs = [...(opts?.additionalSecretOutputs ?? []), "credentials", "connection"];
        super(provider, name, props, { ...opts, additionalSecretOutputs: secretOutputs }, "exotel", "ExotelTrunk");
        // The trunk's sid is the resource's id. In a preview of an in-place update, Pulumi's dynamic-provider host
        // gives the program the new inputs as the outputs (it never declares `supportsPreview`), so every output
        // that is not an input is unknown there; the id stays known, and so does `trunkSid` through it.
        this.trunkSid = this.id.apply((id) => id);
    }
}
