import { Emulator } from "../../emulator";
import { ExotelTrunkProvider } from "../../provider/engine/trunkProvider";
import { ProviderInputs, ProviderState } from "../../provider/trunkTypes";
import { providerConfig } from "./emulator";

/** A provider configured the way the provider host does it (configure with a config getter). */
export async function configuredProvider(emu: Emulator, extra: Record<string, string> = {}): Promise<ExotelTrunkProvider> {
    const p = new ExotelTrunkProvider();
    const cfg = providerConfig(emu, extra);
    await p.configure({
        config: {
            get: (k: string) => cfg[k],
            require: (k: string) => {
                if (cfg[k] === undefined) throw new Error(`missing ${k}`);
                return cfg[k];
            },
        },
    });
    return p;
}

/**
 * What the engine hands `check`: the program's inputs, unvalidated (the provider's type parameter names
 * what `check` returns; what it receives is whatever the user wrote).
 */
export function unchecked(raw: Record<string, unknown>): ProviderInputs {
    return raw as Partial<ProviderInputs> as ProviderInputs;
}

/** The inputs `check` returns for `raw` (as the engine passes them on to diff/create/update). */
export async function checkVia(p: ExotelTrunkProvider, raw: Record<string, unknown>): Promise<ProviderInputs> {
    const checked = await p.check(unchecked({}), unchecked(raw));
    if (!checked.inputs) throw new Error("check returned no inputs");
    return checked.inputs;
}

/** check + create, as the engine does. */
export async function createVia(p: ExotelTrunkProvider, raw: Record<string, unknown>): Promise<{ id: string; outs: ProviderState }> {
    const checked = await p.check(unchecked({}), unchecked(raw));
    if (checked.failures?.length) throw new Error(JSON.stringify(checked.failures));
    // The provider host puts __provider back into the checked inputs.
    const inputs: ProviderInputs = { ...checked.inputs! };
    if (typeof raw.__provider === "string") inputs.__provider = raw.__provider;
    const res = await p.create(inputs);
    if (!res.outs) throw new Error("create returned no outputs");
    return { id: res.id, outs: res.outs };
}

export const FULL_TRUNK = {
    trunkName: "full_trunk",
    phoneNumbers: [{ phoneNumber: "+919876543210" }, { phoneNumber: "+919876543211", mode: "flow" }],
    whitelistedIps: [{ ip: "203.0.113.10" }, { ip: "198.51.100.0", mask: 24 }],
    destinationUris: ["203.0.113.10:5061;transport=tls"],
    callerId: "+918044556677",
};
