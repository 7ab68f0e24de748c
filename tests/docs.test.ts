/**
 * The Registry pages in docs/ (issue 25 item 7): docs/installation-configuration.md lists every `exotel:*`
 * setting of CONFIG_TABLE with its environment variable in a table, and nothing else; docs/_index.md has the
 * Registry's front matter and an example in each language; CHANGELOG.md keeps an Unreleased section and 0.1.0.
 */
import * as fs from "fs";
import * as path from "path";
import { CONFIG_TABLE, Setting } from "../provider/config";

const ROOT = path.resolve(__dirname, "..");
const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), "utf8");
const settings = Object.values(CONFIG_TABLE as Record<string, Setting<string | number>>);

/** The cells of every table row of a markdown text (header and separator rows included). */
const tableRows = (markdown: string) =>
    markdown
        .split("\n")
        .filter((l) => /^\|.*\|\s*$/.test(l))
        .map((l) =>
            l
                .slice(1, -1)
                .split(/(?<!\\)\|/)
                .map((c) => c.trim()),
        );

describe("docs/installation-configuration.md", () => {
    const page = read("docs/installation-configuration.md");
    const rows = tableRows(page);
    const keysIn = (cell: string) => [...cell.matchAll(/`(exotel:[A-Za-z]+)`/g)].map((m) => m[1]);
    const envsIn = (cell: string) => [...cell.matchAll(/`(EXOTEL_[A-Z_]+)`/g)].map((m) => m[1]);

    test("a table holds every CONFIG_TABLE setting, each once, with its environment variable on its row", () => {
        for (const s of settings) {
            const row = rows.filter((r) => keysIn(r[0]).includes(s.key));
            expect(row).toHaveLength(1);
            expect(envsIn(row[0][1])).toEqual([s.env]);
        }
    });

    test("and nothing else: no table names a setting or a variable CONFIG_TABLE does not have", () => {
        const keys = rows.flatMap((r) => keysIn(r[0]));
        const envs = rows.flatMap((r) => (r.length > 1 ? envsIn(r[1]) : []));
        expect(keys.sort()).toEqual(settings.map((s) => s.key).sort());
        expect(envs.sort()).toEqual(settings.map((s) => s.env).sort());
        // Names in any other cell or column of a table are only the deprecated aliases CONFIG_TABLE keeps.
        const deprecated = settings.flatMap((s) => (s.deprecated ?? []).flatMap((d) => [d.key, d.env]));
        const known = new Set([...settings.flatMap((s) => [s.key, s.env]), ...deprecated]);
        const elsewhere = rows.flatMap((r) => r.flatMap((c) => [...keysIn(c), ...envsIn(c)]));
        expect(elsewhere.filter((n) => !known.has(n))).toEqual([]);
    });

    test("install per language, the plugin and its archives' names", () => {
        expect(page).toMatch(/^---\ntitle: .+\nmeta_desc: .+\nlayout: package\n---\n/);
        for (const s of [
            "npm install pulumi-exotel @pulumi/pulumi",
            "npm install @pulumi-exotel/exotel",
            "pip install pulumi_exotel",
            "go get github.com/pulumi-exotel/pulumi-exotel/sdk/go/exotel",
            "## YAML",
            "pulumi plugin install resource exotel <version>",
            "pluginDownloadURL",
            "pulumi-resource-exotel-v<version>-<os>-<arch>.tar.gz",
        ])
            expect(page).toContain(s);
    });
});

test("docs/_index.md: Registry front matter and an example in TypeScript (both forms), Python, Go and YAML", () => {
    const page = read("docs/_index.md");
    expect(page).toMatch(/^---\ntitle: Exotel\nmeta_desc: .+\nlayout: package\n---\n/);
    for (const lang of ["typescript", "python", "go", "yaml"]) expect(page).toContain(`{{% choosable language ${lang} %}}\n`);
    expect(page).toContain('from "@pulumi-exotel/exotel"');
    expect(page).toContain('from "pulumi-exotel"');
    expect(page).toContain("import pulumi_exotel as exotel");
    expect(page).toContain('"github.com/pulumi-exotel/pulumi-exotel/sdk/go/exotel"');
    expect(page).toContain("type: exotel:index:Trunk");
});

test("CHANGELOG.md keeps an Unreleased section above 0.1.0, the first version", () => {
    const log = read("CHANGELOG.md");
    const unreleased = log.indexOf("## [Unreleased]");
    const first = log.indexOf("## [0.1.0]");
    expect(unreleased).toBeGreaterThan(0);
    expect(first).toBeGreaterThan(unreleased);
    expect(log.slice(first + 1)).not.toMatch(/^## \[/m);
});
