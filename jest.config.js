/** @type {import('jest').Config} */
module.exports = {
    testEnvironment: "node",
    roots: ["<rootDir>/tests"],
    transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
    testTimeout: 120000,
    reporters: ["default", "<rootDir>/tests/summaryReporter.js"],
};
