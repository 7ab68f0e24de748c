/** The `ExotelTrunk` resource: a Pulumi dynamic resource backed by ExotelTrunkProvider. */
import * as pulumi from "@pulumi/pulumi";
import { ExotelTrunkProviderProxy, SerializedProvider } from "./providerProxy";
import { DYNAMIC_MODULE, DYNAMIC_TYPE } from "../typeTokens";
import {
    CredentialOutput,
    DestinationOutput,
    ExotelConnection,
    NumberMode,
    OUTPUT_KEYS,
    PhoneNumberOutput,
    WhitelistedIpOutput,
} from "../trunkTypes";

/** ExotelTrunk's arguments. Each doc's first sentence(s) are the field table's (trunkFields.ts; tests/trunkFields.test.ts checks them). */
export interface ExotelTrunkArgs {
    /**
     * Unique per account: letters, digits and `_`, at most 16 characters. Changing it replaces the trunk (deleted
     * first: names are unique).
     */
    trunkName: pulumi.Input<string>;
    /** Default "ANY-ANY" (upper case, one hyphen). Changing it replaces the trunk. */
    nsoCode?: pulumi.Input<string>;
    /** Default `<accountSid>.pstn.exotel.com`; must end with `.pstn.exotel.com`. Changing it replaces the trunk. */
    domainName?: pulumi.Input<string>;
    /** Numbers mapped to the trunk, E.164; `mode` "pstn" (default) or "flow". Changed in place. */
    phoneNumbers?: pulumi.Input<pulumi.Input<{ phoneNumber: pulumi.Input<string>; mode?: pulumi.Input<NumberMode> }>[]>;
    /** ACL entries: IPv4, `mask` 16..32 (default 32). Changed in place. */
    whitelistedIps?: pulumi.Input<pulumi.Input<{ ip: pulumi.Input<string>; mask?: pulumi.Input<number> }>[]>;
    /** `<ip-or-fqdn>:<port>;transport=<tls|tcp|udp>`; an IP destination must be inside a whitelisted IP/mask. Changed in place. */
    destinationUris?: pulumi.Input<pulumi.Input<string>[]>;
    /** E.164 caller ID presented on outbound calls (trunk setting `trunk_external_alias`). */
    callerId?: pulumi.Input<string>;
    /**
     * SIP digest credentials, keyed by `userName`; a secret. Omitted: the trunk's credentials are left as they are; `[]`: it has none.
     *
     * A new one is created, a changed password or friendly name updates that credential, a removed one is
     * deleted. The list is wrapped in `pulumi.secret` here if it is not already, and so is the `credentials`
     * output. Refresh does not read credentials back (Exotel never returns passwords and its list endpoint is
     * unreliable): state keeps what was last written.
     */
    credentials?: pulumi.Input<pulumi.Input<ExotelCredentialArgs>[]>;
    /**
     * Take over this existing trunk instead of creating one (`trunkName`, `nsoCode` and `domainName` must match it;
     * its attachments are reconciled); read at create only. Dynamic ExotelTrunk only.
     *
     * Our replacement for `pulumi import`, which does not work with dynamic providers. Afterwards the stack
     * owns the trunk and `pulumi destroy` deletes it.
     */
    adoptTrunkSid?: pulumi.Input<string>;
    /**
     * Take over the account's existing trunk named `trunkName` (not with `adoptTrunkSid`); read at create only. Dynamic ExotelTrunk only.
     *
     * Its sid is looked up with `GET /trunks` (only the configured account's trunks); fails, creating
     * nothing, when the account has no trunk of that name.
     */
    adoptByName?: pulumi.Input<boolean>;
    /**
     * This trunk's own Exotel account instead of the stack's `exotel:*` settings; kept in state as a secret.
     * Changing the account replaces the trunk; a new key or token does not. Dynamic ExotelTrunk only.
     *
     * The stack's config still gives timeouts, retries and rate limits. One object can be shared by many
     * trunks; the token is made a secret here; refresh and destroy reach the same account through it.
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
        super(provider, name, props, { ...opts, additionalSecretOutputs: secretOutputs }, DYNAMIC_MODULE, DYNAMIC_TYPE);
        // The trunk's sid is the resource's id. In a preview of an in-place update, Pulumi's dynamic-provider host
        // gives the program the new inputs as the outputs (it never declares `supportsPreview`), so every output
        // that is not an input is unknown there; the id stays known, and so does `trunkSid` through it.
        this.trunkSid = this.id.apply((id) => id);
        // The same preview would show the attachment lists as written, without the ids Exotel assigns (their
        // inputs share their names): they wait for an output that is never an input (`accountSid`), so they are
        // unknown there, and known (from state) in every other preview and after any update.
        const settled = <T>(o: pulumi.Output<T>): pulumi.Output<T> => this.accountSid.apply(() => o);
        this.phoneNumbers = settled(this.phoneNumbers);
        this.whitelistedIps = settled(this.whitelistedIps);
        this.credentials = settled(this.credentials);
    }
}
