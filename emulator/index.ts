export { startEmulator, Emulator, EmulatorOptions, EmulatorAccount, LoggedRequest, DEMO_ACCOUNT } from "./server";
export { Fault, FaultRule, FaultController } from "./faults";
export { RateLimitOptions } from "./rateLimit";
export { Store, StoreOptions } from "./store";
