// Exotel SIP trunks (phone numbers, whitelisted IPs, destination URIs, caller ID, credentials) as Pulumi resources.
package exotel
