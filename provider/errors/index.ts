/**
 * Errors of the resource layer (the client's own errors are in provider/exotel/errors/):
 * - ResourceStateError: an operation failed with the trunk at Exotel; the engine records `properties`;
 * - PlanStepError: applying a plan failed half-way; says the step and what was applied;
 * - TrunksFileError: every problem of a trunks file, as a Pulumi RunError (no stack trace).
 */
export { PlanStepError } from "./PlanStepError";
export { ResourceStateError } from "./ResourceStateError";
export { TrunksFileError } from "./TrunksFileError";
