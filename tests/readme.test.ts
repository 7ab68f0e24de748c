/** The README's layout map names every source file of the library, the emulator, the tooling and the scripts. */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
const layout = readme.slice(readme.indexOf("### Layout"));
const files = execFileSync("git", ["ls-files", "provider", "emulator", "testing", "scripts"], { cwd: ROOT, encoding: "utf8" })
    .split("\n")
    .filter(Boolean);

test.each(files.map((f) => [f]))("%s is in the README's layout map", (file) => {
    const dir = path.posix.dirname(file) + "/";
    expect(layout.includes(`\`${file}\``) || (/^provider\/(exotel\/)?errors\//.test(file) && layout.includes(`\`${dir}\``))).toBe(true);
});
