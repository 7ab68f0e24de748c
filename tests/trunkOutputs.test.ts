/**
 * Every documented output of ExotelTrunk exists in the program even when its arg is omitted (Pulumi
 * creates an Output only for keys present in the props passed to the resource), checked with Pulumi's
 * mocks as pulumi/pulumi-awsx tests its components.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ExotelTrunk } from "../provider/program/trunk";
import { OUTPUT_KEYS, OutputKey } from "../provider/trunkTypes";

// Compile-time: every declared output key is a typed Output property of the resource class.
type OutputProperties = { [K in OutputKey]: pulumi.Output<unknown> };
const _resourceHasEveryOutput = (t: ExotelTrunk): OutputProperties => t;
void _resourceHasEveryOutput;

// Pulumi's closure serializer (run for each ExotelTrunk: it serializes the dynamic provider) requires every name
// in `builtinModules` to map builtin objects to names; on Node 24 that list holds `node:test`, whose test
// harness then keeps this jest worker from exiting ("A worker process has failed to exit gracefully"; seen
// with --detectOpenHandles as TestReporterScope). Our provider captures nothing from it: an empty stand-in.
jest.mock("node:test", () => ({}));
jest.mock("node:test/reporters", () => ({}));

const registered: pulumi.runtime.MockResourceArgs[] = [];
// What a provider would answer: its own value for every output, never an echo of the inputs, so each
// Output below is shown to come from the provider's state.
const state: Record<string, unknown> = Object.fromEntries(OUTPUT_KEYS.map((k) => [k, `mock-${k}`]));

beforeAll(async () => {
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                registered.push(args);
                // The id is the trunk's sid (create returns it as both): `trunkSid` is read from the id.
                return { id: "mock-trunkSid", state };
            },
            call: () => ({}),
        },
        "outputs-test",
        "dev",
        false,
    );
});

const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply((v) => resolve(v)));

describe.each([
    ["only trunkName", { trunkName: "bare" }],
    [
        "every arg",
        {
            trunkName: "full",
            nsoCode: "ANY-ANY",
            domainName: "acc.pstn.exotel.com",
            phoneNumbers: [],
            whitelistedIps: [],
            destinationUris: [],
            callerId: "+918047091234",
        },
    ],
])("ExotelTrunk with %s", (_label, args) => {
    test.each(OUTPUT_KEYS.map((k) => [k]))("%s is an Output with the provider's value", async (key) => {
        const trunk = await newTrunk(`t-${key}-${args.trunkName}`, args);
        expect(pulumi.Output.isInstance(trunk[key])).toBe(true);
        expect(await value(trunk[key])).toBe(`mock-${key}`);
    });
});

/** An ExotelTrunk under the mocks (imported after setMocks: module load order matters for Pulumi's runtime settings). */
async function newTrunk(name: string, args: { trunkName: string }): Promise<Record<OutputKey, pulumi.Output<unknown>>> {
    const { ExotelTrunk } = await import("../provider/program/trunk");
    return new ExotelTrunk(name, args);
}

test("output-only keys are not sent as inputs with values; the args are", async () => {
    const trunk = await newTrunk("t-inputs", { trunkName: "inputs" });
    await value(trunk.trunkSid); // registered by then
    const mine = registered.filter((r) => r.name === "t-inputs");
    expect(mine).toHaveLength(1);
    expect(mine[0].inputs.trunkName).toBe("inputs");
    for (const k of ["trunkSid", "accountSid", "region", "status", "links", "destinations"]) expect(mine[0].inputs[k]).toBeUndefined();
});
