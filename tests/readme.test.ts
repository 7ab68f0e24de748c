/**
 * The README and docs/: the layout map (docs/development.md) names every source file of the library, the
 * emulator, the tooling and the scripts; the README starts with the two commands; every relative link and
 * anchor in README.md, CHANGELOG.md and docs/*.md resolves.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), "utf8");
const development = read("docs/development.md");
const layout = development.slice(development.indexOf("## Layout"));
const files = execFileSync("git", ["ls-files", "provider", "emulator", "testing", "scripts"], { cwd: ROOT, encoding: "utf8" })
    .split("\n")
    .filter(Boolean);

test("docs/development.md has the layout map", () => {
    expect(development).toContain("## Layout\n");
});

test.each(files.map((f) => [f]))("%s is in the layout map (docs/development.md)", (file) => {
    const dir = path.posix.dirname(file) + "/";
    expect(layout.includes(`\`${file}\``) || (/^provider\/(exotel\/)?errors\//.test(file) && layout.includes(`\`${dir}\``))).toBe(true);
});

test("README.md starts with the two commands: the demo and the whole test suite", () => {
    const first = /^# pulumi-exotel\n\n```bash\n([^\n]*)\n([^\n]*)\n```\n/.exec(read("README.md"));
    expect(first?.[1]).toMatch(/^npm ci && npm run demo\s+#/);
    expect(first?.[2]).toMatch(/^npm ci && npm test\s+#/);
});

/** The lines of a markdown text outside its front matter and fenced code blocks (``` or ~~~). */
function outsideFences(text: string): string[] {
    const out: string[] = [];
    let fence: string | undefined;
    for (const line of text.replace(/^---\n[\s\S]*?\n---\n/, "").split("\n")) {
        const m = /^\s*(`{3,}|~{3,})/.exec(line);
        if (m) {
            if (fence === undefined) fence = m[1][0];
            else if (m[1][0] === fence) fence = undefined;
        } else if (fence === undefined) out.push(line);
    }
    return out;
}

/** GitHub's anchor for each heading: its text as rendered, lower case, punctuation dropped, spaces to hyphens; repeats get -1, -2, … */
function anchorsOf(markdown: string): Set<string> {
    const seen = new Map<string, number>();
    const anchors = new Set<string>();
    for (const line of outsideFences(markdown)) {
        const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
        if (!h) continue;
        const base = h[1]
            .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
            .toLowerCase()
            .replace(/[^\p{L}\p{N}\s_-]/gu, "")
            .trim()
            .replace(/\s/g, "-");
        const n = seen.get(base) ?? 0;
        seen.set(base, n + 1);
        anchors.add(n === 0 ? base : `${base}-${n}`);
    }
    return anchors;
}

const docs = fs
    .readdirSync(path.join(ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`);
const pages = ["README.md", "CHANGELOG.md", ...docs].filter((f) => fs.existsSync(path.join(ROOT, f)));

/** Every inline link of a page that is not to a web address: [text](target). */
function relativeLinks(file: string): string[] {
    const links: string[] = [];
    for (const line of outsideFences(read(file)).map((l) => l.replace(/`[^`]*`/g, "``"))) {
        for (const m of line.matchAll(/\]\(([^()\s]+)\)/g)) {
            if (!/^[a-z][a-z0-9+.-]*:/i.test(m[1])) links.push(m[1]);
        }
    }
    return links;
}

test("the anchor check knows GitHub's anchors", () => {
    expect([...anchorsOf("# A `b` c: d\n## Unknown values, secrets, and Ctrl-C\n## x\n## x\n```\n# not a heading\n```\n")]).toEqual([
        "a-b-c-d",
        "unknown-values-secrets-and-ctrl-c",
        "x",
        "x-1",
    ]);
});

test("the pages hold links to check, anchors among them", () => {
    const links = pages.flatMap(relativeLinks);
    expect(links.filter((l) => l.includes("#")).length).toBeGreaterThan(10);
});

test("each page in docs/ is linked from the README", () => {
    const links = relativeLinks("README.md").map((l) => l.split("#")[0]);
    for (const d of docs) expect(links).toContain(d);
});

test.each(pages.map((p) => [p]))("every relative link and anchor in %s resolves", (page) => {
    const broken: string[] = [];
    for (const link of relativeLinks(page)) {
        const [target, anchor] = link.split("#", 2) as [string, string | undefined];
        const file = target === "" ? page : path.posix.normalize(path.posix.join(path.posix.dirname(page), target));
        if (file.startsWith("..") || !fs.existsSync(path.join(ROOT, file))) {
            broken.push(`${link}: no ${file}`);
            continue;
        }
        if (anchor !== undefined) {
            if (!file.endsWith(".md")) broken.push(`${link}: an anchor into a file that is not markdown`);
            else if (!anchorsOf(read(file)).has(anchor)) broken.push(`${link}: ${file} has no heading #${anchor}`);
        }
    }
    expect(broken).toEqual([]);
});
