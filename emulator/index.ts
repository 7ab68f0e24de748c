/** `pulumi-exotel/emulator`: the offline Exotel emulator (a real HTTP server on loopback). */
export { startEmulator, DEMO_ACCOUNT } from "./server";
export type { Emulator, EmulatorOptions, EmulatorAccount, LoggedRequest } from "./server";
export type { Fault, FaultRule, FaultController } from "./faults";
export type { RateLimitOptions } from "./rateLimit";
export type { Store, StoreOptions } from "./store";
