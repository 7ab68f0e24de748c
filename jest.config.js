/** @type {import('jest').Config} */
module.exports = {
    testEnvironment: "node",
    roots: ["<rootDir>/tests"],
    // Transpile only (tsconfig.json sets isolatedModules): `npm run typecheck` type-checks library, tests and
    // tooling once, before any suite runs; type-checking again in every jest run and worker cost ~8 CPU-s a file set.
    transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
    testTimeout: 120000,
    reporters: ["default", "<rootDir>/tests/summaryReporter.js"],
};
