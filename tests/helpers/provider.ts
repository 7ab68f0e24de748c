import { Emulator } from "../../emulator";
import { ExotelTrunkProvider } from "../../provider/trunkProvider";
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

/** check + create, as the engine does. */
export async function createVia(p: ExotelTrunkProvider, raw: Record<string, unknown>) {
    const checked = await p.check({}, raw);
    if (checked.failures?.length) throw new Error(JSON.stringify(checked.failures));
    // The provider host puts __provider back into the checked inputs.
    const inputs = { ...checked.inputs! };
    if (raw.__provider !== undefined) inputs.__provider = raw.__provider;
    return p.create(inputs);
}

export const FULL_TRUNK = {
    trunkName: "full_trunk",
    phoneNumbers: [
        { phoneNumber: "+919876543210" },
        { phoneNumber: "+919876543211", mode: "flow" },
    ],
    whitelistedIps: [{ ip: "203.0.113.10" }, { ip: "198.51.100.0", mask: 24 }],
    destinationUris: ["203.0.113.10:5061;transport=tls"],
    callerId: "+918044556677",
};
