/** The plugin's version: the package's (GetPluginInfo, the schema and the release tarball's name say the same). */
export const PLUGIN_VERSION: string = (require("../../package.json") as { version: string }).version;
