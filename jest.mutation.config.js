/**
 * The suites `npm run mutation` (StrykerJS) runs against each mutant of the pure modules: unit and
 * emulator suites only. The engine, provider-host, consumer, GitOps and plugin YAML/Go/SDK suites need a Pulumi CLI and take
 * minutes; they test the same modules through the real engine and stay in `npm test`.
 * @type {import('jest').Config}
 */
const base = require("./jest.config.js");
module.exports = {
    ...base,
    reporters: ["default"],
    // Mutants are type-checked by Stryker's checker; ts-jest only transpiles (as in jest.config.js).
    testPathIgnorePatterns: [
        "/node_modules/",
        "\\.engine\\.test\\.ts$",
        "consumer\\.test\\.ts$",
        "gitops\\.test\\.ts$",
        "plugin\\.(yaml|go|sdks)\\.test\\.ts$",
        "providerHost\\.test\\.ts$",
        "package\\.test\\.ts$",
        "readme\\.test\\.ts$",
        "operatorManifest\\.test\\.ts$",
        "rateLimit\\.test\\.ts$",
        "workflowRunner\\.test\\.ts$",
        "cli\\.test\\.ts$",
        "sharedAccount\\.(processes\\.)?test\\.ts$",
    ],
};
