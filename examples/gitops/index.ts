// Every trunk of the account, as data: one ExotelTrunk per entry of trunks.yaml, named by its trunkName
// (reordering the file replaces nothing). The Exotel credentials come from EXOTEL_* environment
// variables (repository secrets in CI), never from the repository.
import { trunksFromFile } from "pulumi-exotel";

const { summary } = trunksFromFile("trunks.yaml");

export const trunks = summary;
