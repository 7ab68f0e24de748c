/**
 * The trunk's type tokens, one place for every part that recognises or writes them: the plugin's schema and
 * server, the import files (export-trunks, migrate-to-plugin) and the policy pack.
 */

/** The dynamic `ExotelTrunk`'s module and type (`pulumi.dynamic.Resource`'s last two arguments). */
export const DYNAMIC_MODULE = "exotel";
export const DYNAMIC_TYPE = "ExotelTrunk";
/** The dynamic `ExotelTrunk`'s type token, as its URNs and the policy analyzer show it. */
export const DYNAMIC_TRUNK_TYPE: string = `pulumi-nodejs:dynamic/${DYNAMIC_MODULE}:${DYNAMIC_TYPE}`;
/** The provider plugin's trunk resource. */
export const PLUGIN_TRUNK_TYPE = "exotel:index:Trunk";
