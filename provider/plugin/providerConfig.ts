/**
 * The `exotel` provider's own configuration as the plugin protocol asks about it (CheckConfig, DiffConfig,
 * Configure): pure functions over decoded values, driven by CONFIG_TABLE.
 */
import { CONFIG_TABLE, ConfigGetter, resolveConfig, Setting, SettingName } from "../config";
import { DetailedDiff } from "../engine/previews";
import { hasUnknown, isUnknown } from "../unknown";

/** A provider setting as text (the config table parses text; `Configure` args and YAML config may be typed). */
function asText(v: unknown): string | undefined {
    if (v === undefined || v === null) return undefined;
    return typeof v === "string" ? v : JSON.stringify(v);
}

/** The settings as the config table reads them: an explicit provider's args (or the stack's `exotel:*`), then older engines' variables. */
export function configGetter(args: Record<string, unknown>, variables?: { get(key: string): string | undefined }): ConfigGetter {
    return (key) => {
        const name = key.replace(/^exotel:/, "");
        return asText(args[name]) ?? variables?.get(`exotel:config:${name}`);
    };
}

const SETTINGS = Object.entries(CONFIG_TABLE) as [SettingName, Setting][];

/**
 * Each bad setting, named by its property (a missing one fails where it is used: a provider may serve only
 * lookups, with settings from the environment). Nothing is checked while any setting is not known yet.
 */
export function checkConfig(values: Record<string, unknown>): { property: string; reason: string }[] {
    if (Object.values(values).some(hasUnknown)) return [];
    const s = resolveConfig(configGetter(values), process.env);
    return s.problems
        .filter((p) => !/ is not set|required/.test(p))
        .map((p) => {
            const hit = SETTINGS.find(([, st]) => p.startsWith(`${st.key} `) || p.startsWith(`${st.env} `));
            return { property: hit ? hit[0] : "", reason: p };
        });
}

/**
 * What changed in the provider's settings. A change of account or endpoint (the settings marked
 * `replacesProvider`), or one not known yet, replaces the provider: the engine then deletes the old
 * provider's trunks through it, with the settings recorded in state, and creates the new ones through the
 * new. Any other change (a rotated token, a timeout) updates it in place.
 */
export function diffConfig(olds: Record<string, unknown>, news: Record<string, unknown>) {
    const keys = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter((k) => k !== "version");
    const changed = keys.filter((k) => isUnknown(news[k]) || JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
    const replaces = changed.filter((k) => (CONFIG_TABLE as Record<string, Setting>)[k]?.replacesProvider === true);
    const detailed: DetailedDiff = {};
    for (const k of changed) {
        const base = olds[k] === undefined ? "ADD" : news[k] === undefined ? "DELETE" : "UPDATE";
        detailed[k] = { kind: replaces.includes(k) ? `${base}_REPLACE` : base, inputDiff: true };
    }
    return { changed, replaces, detailed };
}
