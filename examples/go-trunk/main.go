// An Exotel SIP trunk with everything attached, and a second trunk in another account through an
// explicit provider, with the SDK `pulumi package add` generates for the exotel provider plugin.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/pulumi-exotel/pulumi-exotel/sdk/go/exotel"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		callerID := cfg.Get("callerId")
		if callerID == "" {
			callerID = "+918047091234"
		}

		primary, err := exotel.NewTrunk(ctx, "primary", &exotel.TrunkArgs{
			TrunkName: pulumi.String("go_primary"),
			PhoneNumbers: exotel.PhoneNumberArray{
				exotel.PhoneNumberArgs{PhoneNumber: pulumi.String("+918047091234")},
				exotel.PhoneNumberArgs{PhoneNumber: pulumi.String("+918047091235"), Mode: pulumi.String("flow")},
			},
			WhitelistedIps: exotel.WhitelistedIpArray{
				exotel.WhitelistedIpArgs{Ip: pulumi.String("203.0.113.10")},
				exotel.WhitelistedIpArgs{Ip: pulumi.String("198.51.100.0"), Mask: pulumi.Int(28)},
			},
			DestinationUris: pulumi.StringArray{pulumi.String("203.0.113.10:5061;transport=tls")},
			CallerId:        pulumi.String(callerID),
			Credentials: exotel.CredentialArray{
				exotel.CredentialArgs{
					UserName:     pulumi.String("pbx_main"),
					Password:     cfg.RequireSecret("pbxPassword"),
					FriendlyName: pulumi.String("main_pbx"),
				},
			},
		})
		if err != nil {
			return err
		}

		// A second account: an explicit provider with its own settings.
		secondProvider, err := exotel.NewProvider(ctx, "second", &exotel.ProviderArgs{
			AccountSid: pulumi.String(cfg.Require("secondAccountSid")),
			ApiKey:     pulumi.String(cfg.Require("secondApiKey")),
			ApiToken:   cfg.RequireSecret("secondApiToken"),
			Region:     pulumi.String("singapore"),
			BaseUrl:    pulumi.String(cfg.Get("secondBaseUrl")),
		})
		if err != nil {
			return err
		}
		secondTrunk, err := exotel.NewTrunk(ctx, "secondTrunk", &exotel.TrunkArgs{
			TrunkName:       pulumi.String("go_second"),
			WhitelistedIps:  exotel.WhitelistedIpArray{exotel.WhitelistedIpArgs{Ip: pulumi.String("192.0.2.20")}},
			DestinationUris: pulumi.StringArray{pulumi.String("192.0.2.20:5061;transport=tls")},
		}, pulumi.Provider(secondProvider))
		if err != nil {
			return err
		}

		// A lookup, once the trunk exists.
		lookedUp := exotel.LookupTrunkOutput(ctx, exotel.LookupTrunkOutputArgs{TrunkSid: primary.TrunkSid})

		ctx.Export("primaryTrunkSid", primary.TrunkSid)
		ctx.Export("primaryCallerId", primary.CallerId)
		ctx.Export("primaryNumbers", primary.PhoneNumbers)
		ctx.Export("secondTrunkSid", secondTrunk.TrunkSid)
		ctx.Export("secondAccountSid", secondTrunk.AccountSid)
		ctx.Export("lookedUpName", lookedUp.TrunkName())
		ctx.Export("lookedUpNumbers", lookedUp.PhoneNumbers())
		return nil
	})
}
