/**
 * The names each entry point exports, pinned: adding or removing one is a conscious change to the
 * package's contract (update this list, the README and, for a removal, the major version).
 */
import * as path from "path";
import * as ts from "typescript";
import * as main from "../provider";
import * as runtime from "../provider/runtime";
import * as emulator from "../emulator";

describe.each([
    [
        "pulumi-exotel",
        main,
        [
            "ExotelAuthError",
            "ExotelConflictError",
            "ExotelError",
            "ExotelNetworkError",
            "ExotelNotFoundError",
            "ExotelPartialFailureError",
            "ExotelProtocolError",
            "ExotelRateLimitError",
            "ExotelServerError",
            "ExotelTimeoutError",
            "ExotelTrunk",
            "ExotelValidationError",
            "getTrunk",
            "getTrunkOutput",
            "listTrunks",
            "listTrunksOutput",
            "loadTrunksFile",
            "TRUNKS_FILE_SCHEMA",
            "TrunksFileError",
            "trunksFromFile",
        ],
    ],
    ["pulumi-exotel/runtime", runtime, ["ExotelTrunkProvider", "PROXY_PROTOCOL"]],
    ["pulumi-exotel/emulator", emulator, ["DEMO_ACCOUNT", "startEmulator"]],
])("%s", (_entry, mod, names) => {
    test("exports exactly these values", () => {
        expect(Object.keys(mod).sort()).toEqual([...names].sort());
    });
});

/** Every name an entry's declarations export, each as "value" or "type" (from the TypeScript checker, as a user's compiler sees it). */
function declaredExports(entry: string): Record<string, "value" | "type"> {
    const program = ts.createProgram([entry], { strict: true, skipLibCheck: true, types: ["node"] });
    const checker = program.getTypeChecker();
    const file = program.getSourceFile(entry)!;
    const out: Record<string, "value" | "type"> = {};
    for (const sym of checker.getExportsOfModule(checker.getSymbolAtLocation(file)!)) {
        const target = sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym;
        out[sym.getName()] = target.flags & ts.SymbolFlags.Value ? "value" : "type";
    }
    return out;
}

test("the types pulumi-exotel exports are pinned too (one account type: ExotelConnection)", () => {
    const exported = declaredExports(path.join(__dirname, "../provider/index.ts"));
    expect(
        Object.entries(exported)
            .filter(([, kind]) => kind === "type")
            .map(([name]) => name)
            .sort(),
    ).toEqual(
        [
            "CredentialOutput",
            "DestinationOutput",
            "ExotelConnection",
            "ExotelCredentialArgs",
            "ExotelErrorDetails",
            "ExotelItemFailure",
            "ExotelTrunkArgs",
            "LookupOptions",
            "NumberMode",
            "PhoneNumberInput",
            "PhoneNumberOutput",
            "TrunkEntry",
            "TrunkInfo",
            "TrunkLookup",
            "TrunkOutputs",
            "TrunkSummary",
            "TrunksFromFileOptions",
            "TrunksFromFileResult",
            "WhitelistedIpInput",
            "WhitelistedIpOutput",
        ].sort(),
    );
    // The values the declarations export are exactly the runtime's.
    expect(
        Object.entries(exported)
            .filter(([, kind]) => kind === "value")
            .map(([name]) => name)
            .sort(),
    ).toEqual(Object.keys(main).sort());
});

test("every Exotel error class is an ExotelError and an Error", () => {
    for (const [name, value] of Object.entries(main)) {
        if (!name.startsWith("Exotel") || !name.endsWith("Error")) continue;
        const Cls = value as new (...a: never[]) => unknown;
        expect(Cls.prototype instanceof main.ExotelError || Cls === main.ExotelError).toBe(true);
        expect(Cls.prototype instanceof Error).toBe(true);
    }
});

test("the proxy in state speaks the protocol the implementation serves", async () => {
    const { ExotelTrunkProviderProxy } = await import("../provider/program/providerProxy");
    // The proxy carries its protocol as a literal (it may capture nothing from the package's modules).
    const text = ExotelTrunkProviderProxy.prototype.configure.toString();
    expect(text).toContain(`const protocol = ${runtime.PROXY_PROTOCOL};`);
    expect(() => new runtime.ExotelTrunkProvider().checkProtocol(runtime.PROXY_PROTOCOL)).not.toThrow();
    expect(() => new runtime.ExotelTrunkProvider().checkProtocol(runtime.PROXY_PROTOCOL + 1)).toThrow(/upgrade the pulumi-exotel package/);
});
