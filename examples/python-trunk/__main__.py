"""An Exotel SIP trunk with everything attached, and a second trunk in another account through an
explicit provider, with the `pulumi_exotel` SDK of the exotel provider plugin."""

import pulumi
import pulumi_exotel as exotel

cfg = pulumi.Config()

primary = exotel.Trunk(
    "primary",
    trunk_name="python_primary",
    phone_numbers=[
        exotel.PhoneNumberArgs(phone_number="+918047091234"),
        exotel.PhoneNumberArgs(phone_number="+918047091235", mode="flow"),
    ],
    whitelisted_ips=[
        exotel.WhitelistedIpArgs(ip="203.0.113.10"),
        exotel.WhitelistedIpArgs(ip="198.51.100.0", mask=28),
    ],
    destination_uris=["203.0.113.10:5061;transport=tls"],
    caller_id=cfg.get("callerId") or "+918047091234",
    credentials=[
        exotel.CredentialArgs(
            user_name="pbx_main",
            password=cfg.require_secret("pbxPassword"),
            friendly_name="main_pbx",
        )
    ],
)

# A second account: an explicit provider with its own settings.
second = exotel.Provider(
    "second",
    account_sid=cfg.require("secondAccountSid"),
    api_key=cfg.require("secondApiKey"),
    api_token=cfg.require_secret("secondApiToken"),
    region=cfg.get("secondRegion") or "singapore",
    base_url=cfg.get("secondBaseUrl") or None,
)
second_trunk = exotel.Trunk(
    "secondTrunk",
    trunk_name="python_second",
    whitelisted_ips=[exotel.WhitelistedIpArgs(ip="192.0.2.20")],
    destination_uris=["192.0.2.20:5061;transport=tls"],
    opts=pulumi.ResourceOptions(provider=second),
)

# A lookup, once the trunk exists.
looked_up = exotel.get_trunk_output(trunk_sid=primary.trunk_sid)

pulumi.export("primaryTrunkSid", primary.trunk_sid)
pulumi.export("primaryCallerId", primary.caller_id)
pulumi.export("primaryNumbers", primary.phone_numbers)
pulumi.export("secondTrunkSid", second_trunk.trunk_sid)
pulumi.export("secondAccountSid", second_trunk.account_sid)
pulumi.export("lookedUpName", looked_up.trunk_name)
pulumi.export("lookedUpNumbers", looked_up.phone_numbers)
