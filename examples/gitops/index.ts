// Every trunk of the account, as data: one ExotelTrunk per entry of trunks.yaml, named by its trunkName
// (reordering the file replaces nothing). The Exotel account comes from the stack's config in
// Pulumi.prod.yaml (exotel:accountSid, exotel:region, exotel:apiKey, and exotel:apiToken stored only as
// `secure:` ciphertext), which `pulumi new` writes. Teams that keep the account out of the repository set
// the EXOTEL_* environment variables instead (repository variables and secrets in CI, a Kubernetes Secret
// for the operator); stack config wins when both are set. No token is ever in the repository in plaintext.
import { trunksFromFile } from "pulumi-exotel";

const { summary } = trunksFromFile("trunks.yaml");

export const trunks = summary;
