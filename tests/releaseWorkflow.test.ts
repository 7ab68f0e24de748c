/**
 * The release workflow (.github/workflows/release.yml) publishes exactly what `npm run release -- --dry-run`
 * (scripts/release.js) writes: every file that command makes is matched by one publishing step, and every
 * publishing step's files are made by it. actionlint checks the workflow itself (npm test's lint stage).
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

const root = path.join(__dirname, "..");
const wf = parse(fs.readFileSync(path.join(root, ".github/workflows/release.yml"), "utf8")) as {
    on: { push: { tags: string[] } };
    jobs: Record<
        string,
        {
            needs?: string | string[];
            permissions?: Record<string, string>;
            steps: { run?: string; uses?: string; with?: Record<string, string> }[];
        }
    >;
};
const release = require(path.join(root, "scripts/release.js")) as {
    PLATFORMS: { os: string; arch: string }[];
    archiveName(p: { os: string; arch: string }): string;
    checksumsName(): string;
};
const { version } = require(path.join(root, "package.json")) as { version: string };

const runs = (job: string) => wf.jobs[job].steps.map((s) => s.run ?? "").join("\n");
const glob = (g: string) => new RegExp(`^${g.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")}$`);

/** What `npm run release -- --dry-run --out release` writes (release.js's names; the SDK packages' names). */
const made = [
    ...release.PLATFORMS.map((p) => `release/${release.archiveName(p)}`),
    `release/${release.checksumsName()}`,
    `release/npm/pulumi-exotel-${version}.tgz`,
    `release/npm/pulumi-exotel-exotel-${version}.tgz`,
    `release/python/pulumi_exotel-${version}-py3-none-any.whl`,
    `release/python/pulumi_exotel-${version}.tar.gz`,
];

test("on a version tag, after the whole suite, the one release command makes the artifact every publisher uses", () => {
    expect(
        wf.on.push.tags.some((t) =>
            new RegExp(
                `^${t
                    .replace(/\[0-9\]\+/g, "\\d+")
                    .replace(/\./g, "\\.")
                    .replace(/\*$/, ".*")}$`,
            ).test(`v${version}`),
        ),
    ).toBe(true);
    expect(runs("test")).toContain("bash .ci/run");
    expect(runs("test")).toContain('test "v$(node -p \'require("./package.json").version\')" = "$GITHUB_REF_NAME"');
    expect(wf.jobs.build.needs).toBe("test");
    expect(runs("build")).toContain("npm run release -- --dry-run --out release");
    for (const job of ["github", "npm", "pypi"]) expect(wf.jobs[job].needs).toBe("build");
});

test("each file the release command makes is published by exactly one step", () => {
    const github = /gh release create .*?((?:release\/\S+\s*)+)$/m.exec(runs("github"))![1].trim().split(/\s+/);
    const npm = /for tgz in (\S+);/.exec(runs("npm"))![1];
    const pypi = wf.jobs.pypi.steps.find((s) => s.uses?.startsWith("pypa/gh-action-pypi-publish"))!.with!["packages-dir"];
    const publishers: [string, (f: string) => boolean][] = [
        ["github", (f) => github.some((g) => glob(g).test(f))],
        ["npm", (f) => glob(npm).test(f)],
        ["pypi", (f) => f.startsWith(pypi)],
    ];
    for (const f of made) expect({ f, by: publishers.filter(([, m]) => m(f)).map(([n]) => n) }).toEqual({ f, by: [expect.any(String)] });
    // npm with provenance (OIDC), PyPI by trusted publishing (OIDC, no token), the Go SDK by its tag.
    expect(runs("npm")).toMatch(/npm publish "\$tgz" --provenance --access public/);
    expect(wf.jobs.npm.permissions?.["id-token"]).toBe("write");
    expect(wf.jobs.pypi.permissions?.["id-token"]).toBe("write");
    expect(JSON.stringify(wf.jobs.pypi)).not.toMatch(/password|token:/i);
    expect(runs("go")).toContain('git push origin "sdk/$GITHUB_REF_NAME"');
});
