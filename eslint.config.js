// @ts-check
// Lint for everything TypeScript in the repository (`npm run lint`, run by `npm test`). Formatting is
// Prettier's (.prettierrc.json); this config leaves layout alone.
const js = require("@eslint/js");
const tseslint = require("typescript-eslint");
const jest = require("eslint-plugin-jest");

/** Code that runs without the Pulumi SDK's main module (type imports only) and off the program's side. */
function withoutSdkMain(files) {
    return {
        files: [files],
        rules: {
            "@typescript-eslint/no-restricted-imports": [
                "error",
                {
                    paths: [
                        { name: "@pulumi/pulumi", allowTypeImports: true, message: "the provider plugin bundles this without the SDK" },
                    ],
                    patterns: [
                        { group: ["../program/*", "../gitops/*", "../lookups", "../runtime", "../index"] },
                        { regex: "^\\.\\./errors$", message: "import the error class by file (the errors index loads the SDK)" },
                    ],
                },
            ],
        },
    };
}

module.exports = tseslint.config(
    {
        ignores: [
            "node_modules/",
            "dist/",
            ".build/",
            "coverage/",
            ".stryker-tmp/",
            "mutation/",
            "examples/*/node_modules/",
            "examples/*/bin/",
        ],
    },
    js.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
        // Type-aware rules (floating promises, unsafe any) read the TypeScript program of tsconfig.json.
        languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: __dirname } },
    },
    // The examples are type-checked (strict) in their own projects by the consumer suite, with the package installed.
    { files: ["**/*.js", "examples/**/*.ts"], ...tseslint.configs.disableTypeChecked },
    {
        files: ["**/*.ts"],
        rules: {
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
            "@typescript-eslint/no-explicit-any": "error",
            // Provider hooks and test doubles implement promise-returning contracts without awaiting anything.
            "@typescript-eslint/require-await": "off",
            "@typescript-eslint/no-require-imports": "off",
            // Prettier wraps code at 140; only long messages (strings) may run past it.
            "max-len": [
                "error",
                { code: 140, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreUrls: true, ignoreRegExpLiterals: true },
            ],
        },
    },
    {
        // The Exotel client layer knows nothing of Pulumi.
        files: ["provider/exotel/**/*.ts"],
        rules: { "no-restricted-imports": ["error", { patterns: ["@pulumi/*", "../*"] }] },
    },
    {
        // Validators are pure: the root's shared types and settings, and each other.
        files: ["provider/validation/**/*.ts"],
        rules: {
            "no-restricted-imports": [
                "error",
                {
                    patterns: [
                        "@pulumi/*",
                        "../engine/*",
                        "../program/*",
                        "../gitops/*",
                        "../errors",
                        "../lookups",
                        "../runtime",
                        "../index",
                    ],
                },
            ],
        },
    },
    // The engine (the provider hooks) runs in the provider process: never the program's side or the GitOps kit.
    // It loads the Pulumi SDK only for types (the provider plugin bundles the engine without the SDK), and the
    // error classes by file (the errors index holds TrunksFileError, which loads the SDK).
    withoutSdkMain("provider/engine/**/*.ts"),
    // The provider plugin serves the engine over gRPC: the SDK's generated protos, never its main module (left
    // out of the bundle) nor the program's side.
    withoutSdkMain("provider/plugin/**/*.ts"),
    {
        // The program's side stores a proxy in state and must not load the engine (the proxy loads it at run time).
        files: ["provider/program/**/*.ts"],
        rules: {
            "no-restricted-imports": [
                "error",
                { patterns: ["../engine/*", "../gitops/*", "../exotel/*", "../lookups", "../runtime", "../index"] },
            ],
        },
    },
    {
        // Resource-layer errors: shared types and the client's error helpers only.
        files: ["provider/errors/**/*.ts"],
        rules: {
            "no-restricted-imports": [
                "error",
                { patterns: ["../engine/*", "../program/*", "../gitops/*", "../validation/*", "../lookups", "../runtime", "../index"] },
            ],
        },
    },
    {
        // The migration to the provider plugin reads exported state only: no SDK, no engine, nothing that sends a request.
        files: ["provider/migration/**/*.ts"],
        rules: { "no-restricted-imports": ["error", { patterns: ["@pulumi/*", "../*"] }] },
    },
    {
        // The GitOps kit is built on the public pieces, never on the engine's internals.
        files: ["provider/gitops/**/*.ts"],
        rules: { "no-restricted-imports": ["error", { patterns: ["../engine/*", "../runtime", "../index"] }] },
    },
    {
        // Test helpers drive untyped gRPC stubs and engine JSON: `any` is allowed there; the promise rules
        // (floating promises, awaiting non-promises) still hold.
        files: ["tests/**/*.ts"],
        rules: {
            "@typescript-eslint/no-explicit-any": "off",
            "@typescript-eslint/no-unsafe-assignment": "off",
            "@typescript-eslint/no-unsafe-call": "off",
            "@typescript-eslint/no-unsafe-member-access": "off",
            "@typescript-eslint/no-unsafe-argument": "off",
            "@typescript-eslint/no-unsafe-return": "off",
        },
    },
    {
        // A committed `.only` / `fit` / `fdescribe` runs one test and silently drops the rest; a committed `.skip` /
        // `xit` / `xdescribe` / `test("name")` without a body, or a `pending()` call, passes without checking anything.
        files: ["tests/**/*.ts"],
        plugins: { jest },
        rules: { "jest/no-focused-tests": "error", "jest/no-disabled-tests": "error" },
    },
    {
        // Plain CommonJS config and reporter files.
        files: ["**/*.js"],
        rules: { "@typescript-eslint/no-require-imports": "off" },
        languageOptions: {
            sourceType: "commonjs",
            globals: { require: "readonly", module: "writable", process: "readonly", __dirname: "readonly", console: "readonly" },
        },
    },
);
