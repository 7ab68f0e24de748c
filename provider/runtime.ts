/**
 * `pulumi-exotel/runtime`: the package's one internal entry point. The provider proxy stored in every
 * ExotelTrunk's state (`__provider`, see providerProxy.ts) loads the implementation from here inside
 * the provider process. Not for programs: use the main entry (`pulumi-exotel`).
 */
export { ExotelTrunkProvider } from "./engine/trunkProvider";
export { PROXY_PROTOCOL } from "./engine/protocol";
