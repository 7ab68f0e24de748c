import * as pulumi from "@pulumi/pulumi";

/**
 * Every problem of a trunks file, each naming the file, the entry and the field. A Pulumi `RunError`:
 * the CLI prints its message alone, as it does for its own errors (no "unhandled exception", no stack trace).
 */
export class TrunksFileError extends pulumi.RunError {
    constructor(
        readonly file: string,
        readonly problems: string[],
    ) {
        super(`${file} has ${problems.length} problem(s); nothing was sent to Exotel:\n  - ${problems.join("\n  - ")}`);
        this.name = "TrunksFileError";
    }
}
