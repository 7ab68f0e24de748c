/**
 * What the plugin, its schema and its release take from package.json, the single source of the version and
 * of the repository: GetPluginInfo, the schema (`version`, `repository`, `pluginDownloadURL`, `publisher`,
 * `homepage`, `license`, `keywords`, the language sections' package names and the Go import path) and the
 * release archives' names (scripts/build-plugin.js, scripts/release.js) all say what it says.
 */
interface PackageJson {
    version: string;
    license: string;
    homepage: string;
    keywords: string[];
    repository: { type: string; url: string };
}

const pkg = require("../../package.json") as PackageJson;

/** The plugin's version: the package's. */
export const PLUGIN_VERSION: string = pkg.version;

/** `https://github.com/<owner>/<repo>` (package.json `repository.url`, without `git+` or `.git`). */
export const REPOSITORY_URL: string = pkg.repository.url.replace(/^git\+/, "").replace(/\.git$/, "");

const m = /^https:\/\/github\.com\/([^/]+)\/([^/]+)$/.exec(REPOSITORY_URL);
if (!m) throw new Error(`package.json repository.url must be https://github.com/<owner>/<repo>, not ${pkg.repository.url}`);

/** The GitHub owner and repository the releases are published under. */
export const REPOSITORY = { owner: m[1], name: m[2] };

/** Where the engine downloads the plugin from (a GitHub release of the repository). */
export const PLUGIN_DOWNLOAD_URL = `github://api.github.com/${REPOSITORY.owner}/${REPOSITORY.name}`;

export const PACKAGE_INFO = { homepage: pkg.homepage, license: pkg.license, keywords: pkg.keywords };
