import { Emulator } from "../../emulator";
import { maxInWindow } from "../../testing/windows";

export { maxInWindow };

/** The most requests the emulator received in any window of `windowMs`. */
export function busiestWindow(emu: Emulator, windowMs: number): number {
    return maxInWindow(
        emu.requests.map((r) => Date.parse(r.time)),
        windowMs,
    );
}
