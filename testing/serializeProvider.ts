/**
 * Prints the `__provider` text that Pulumi stores in state for an ExotelTrunk, obtained the way the
 * engine gets it: by constructing the resource under Pulumi's mocks and reading the serialized input.
 *
 * Call it in a process (or jest test file) of its own: it installs Pulumi's mocks.
 */
import * as pulumi from "@pulumi/pulumi";

export async function serializedProvider(): Promise<string> {
    let captured: string | undefined;
    await pulumi.runtime.setMocks(
        {
            newResource: (args: pulumi.runtime.MockResourceArgs) => {
                captured = (args.inputs as { __provider?: string }).__provider;
                return { id: "mock-id", state: args.inputs as Record<string, unknown> };
            },
            call: () => ({}),
        },
        "serialize",
        "serialize",
        false,
    );
    // Imported after the mocks are in place.
    const { ExotelTrunk } = await import("../provider");
    const t = new ExotelTrunk("probe", { trunkName: "probe" });
    await new Promise<void>((resolve) => t.urn.apply(() => resolve()));
    for (let i = 0; i < 50 && captured === undefined; i++) await new Promise((r) => setTimeout(r, 20));
    if (typeof captured !== "string") throw new Error("the serialized provider was not captured");
    return captured;
}
