// Prints the plain closing line "N passed, N failed, N skipped" that CI reads, and fails a run that checked
// nothing: jest exits 0 when every test of a file was skipped (`-t` matching nothing, a committed `.skip`,
// only `test.todo`s), since its `--passWithNoTests` is about finding no test files, not about running no test.
// A reporter's `getLastError()` sets the run's `success` to false, so jest exits with `testFailureExitCode` (1).
//   - no name filter: every test file must run at least one test;
//   - a name filter (`-t`): it selects tests across files, so a file may run none, but the run as a whole must
//     run at least one.
const path = require("path");

class SummaryReporter {
    constructor(globalConfig) {
        this.globalConfig = globalConfig;
        this.error = undefined;
    }

    onRunComplete(_contexts, results) {
        const skipped = results.numPendingTests + results.numTodoTests;
        process.stdout.write(
            `\n${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ""}\n`,
        );
        this.error = undefined;
        if (results.wasInterrupted) return;
        const filter = this.globalConfig.testNamePattern;
        const problems = [];
        if (filter) {
            if (results.numTotalTestSuites > 0 && results.numPassedTests + results.numFailedTests === 0) {
                problems.push(`the name filter -t ${JSON.stringify(filter)} ran no test in ${results.numTotalTestSuites} test file(s)`);
            }
        } else {
            for (const file of results.testResults) {
                // A file that failed to load is already a failed suite.
                if (file.testExecError || file.failureMessage) continue;
                if (file.numPassingTests + file.numFailingTests === 0) {
                    const rel = path.relative(this.globalConfig.rootDir, file.testFilePath);
                    problems.push(`${rel} ran no test (${file.numPendingTests} skipped, ${file.numTodoTests} todo)`);
                }
            }
        }
        if (problems.length > 0) {
            const message = `Test run FAILED: ${problems.join("; ")}`;
            process.stderr.write(`\n${message}\n`);
            this.error = new Error(message);
        }
    }

    getLastError() {
        return this.error;
    }
}
module.exports = SummaryReporter;
