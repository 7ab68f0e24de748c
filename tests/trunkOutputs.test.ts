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

const registered: pulumi.runtime.MockResourceArgs[] = [];
// What a provider would answer: a value for every output, whatever the inputs were.
const state: Record<string, unknown> = Object.fromEntries(OUTPUT_KEYS.map((k) => [k, `mock-${k}`]));

beforeAll(async () => {
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                registered.push(args);
                return { id: "trmum1mock", state: { ...state, ...args.inputs } };
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
        // Imported after setMocks (module load order matters for Pulumi's runtime settings).
        const { ExotelTrunk } = await import("../provider/program/trunk");
        const trunk = new ExotelTrunk(`t-${key}-${args.trunkName}`, args) as unknown as Record<string, pulumi.Output<unknown>>;
        expect(pulumi.Output.isInstance(trunk[key])).toBe(true);
        const given = (args as Record<string, unknown>)[key];
        expect(await value(trunk[key])).toEqual(given !== undefined ? given : `mock-${key}`);
    });
});

test("output-only keys are not sent as inputs with values", () => {
    for (const r of registered) {
        for (const k of ["trunkSid", "accountSid", "region", "status", "links", "destinations"]) expect(r.inputs[k]).toBeUndefined();
    }
});
