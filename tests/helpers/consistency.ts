import { Emulator } from "../../emulator";
import { TrunkStack } from "./engine";

/** What the emulator holds, per trunk, in the shape Pulumi's state records it. */
export function exotelView(emu: Emulator): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const a of Object.values(emu.inventory())) {
        for (const t of a.trunks) {
            const sid = t.trunk_sid;
            out[sid] = {
                trunkName: t.trunk_name,
                numbers: a.numbers
                    .filter((n) => n.trunk_sid === sid)
                    .map((n) => `${n.id}:${n.phone_number}:${n.mode ?? "pstn"}`)
                    .sort(),
                ips: a.ips
                    .filter((x) => x.trunk_sid === sid)
                    .map((x) => `${x.id}:${x.ip}/${x.mask}`)
                    .sort(),
                destinations: a.destinations
                    .filter((x) => x.trunk_sid === sid)
                    .map((x) => `${x.id}:${x.destination}`)
                    .sort(),
                callerId: a.settings.find((x) => x.trunk_sid === sid && x.name === "trunk_external_alias")?.value ?? null,
            };
        }
    }
    return out;
}

/** The same view from the stacks' states. */
export async function stateView(stacks: TrunkStack[]): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const s of stacks) {
        for (const r of await s.resources()) {
            const o = r.outputs;
            out[r.id] = {
                trunkName: o.trunkName,
                numbers: (o.phoneNumbers ?? []).map((n: any) => `${n.id}:${n.phoneNumber}:${n.mode}`).sort(),
                ips: (o.whitelistedIps ?? []).map((x: any) => `${x.id}:${x.ip}/${x.mask}`).sort(),
                destinations: (o.destinations ?? []).map((x: any) => `${x.id}:${x.sipUri}`).sort(),
                callerId: o.callerId ?? null,
            };
        }
    }
    return out;
}
