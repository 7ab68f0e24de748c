/**
 * Virtual time for the rate-limit suites (tests/rateLimit.test.ts, tests/sharedAccount.test.ts): Date and
 * setTimeout faked, moved only when no request of a tracked client is in flight.
 */
import { ExotelClient } from "../../provider/exotel/client";

// @sinonjs/fake-timers (jest's own fake clock, pinned as a dev dependency; it ships no types).
interface FakeClock {
    countTimers(): number;
    next(): number;
    uninstall(): void;
}
const FakeTimers = require("@sinonjs/fake-timers") as {
    install(o: { now: number; toFake: string[]; shouldClearNativeTimers: boolean }): FakeClock;
};

/**
 * Virtual time for Date and setTimeout (sockets, setImmediate and jest's own timers stay real). It moves only when
 * no request of a tracked client is in flight, straight to the next timer: a request reaches the emulator at the
 * virtual millisecond the limiter sent it, so both ends count the same windows.
 */
export function virtualTime() {
    const realSetTimeout = setTimeout;
    const clock = FakeTimers.install({ now: Date.now(), toFake: ["Date", "setTimeout", "clearTimeout"], shouldClearNativeTimers: true });
    let inFlight = 0;
    return {
        /** Counts the client's HTTP exchanges in flight (its private `send`, wrapped). */
        track(client: ExotelClient): void {
            const c = client as any;
            const send = c.send.bind(c);
            c.send = (...a: unknown[]) => {
                inFlight++;
                return (send(...a) as Promise<unknown>).finally(() => inFlight--);
            };
        },
        /** Waits for `work`, advancing the clock timer by timer whenever nothing is in flight. */
        async settle<T>(work: Promise<T>): Promise<T> {
            let done = false;
            void work.then(
                () => (done = true),
                () => (done = true),
            );
            let idleSince = performance.now();
            while (!done) {
                // Real waits: I/O (and the microtasks it starts) runs in between.
                await new Promise((r) => (inFlight > 0 ? realSetTimeout(r, 1) : setImmediate(r)));
                if (done || inFlight > 0) {
                    idleSince = performance.now();
                } else if (clock.countTimers() > 0) {
                    clock.next();
                    idleSince = performance.now();
                } else if (performance.now() - idleSince > 10_000) {
                    throw new Error("virtual time: nothing in flight and no timer, yet the work is not done");
                }
            }
            return work;
        },
        uninstall: () => clock.uninstall(),
    };
}
