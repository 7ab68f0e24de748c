/**
 * A stand-in for the Go module proxy as Go users will meet the SDK once the release workflow has pushed the tag
 * `sdk/v<version>`: serves the module `github.com/pulumi-exotel/pulumi-exotel/sdk` at v<version> made of the files
 * committed under sdk/ (what that tag holds), in the GOPROXY protocol (`@v/list`, `.info`, `.mod`, `.zip`,
 * `@latest`), and answers 404 for everything else, so that with `GOPROXY=<this>,https://proxy.golang.org` the Go
 * command takes every other module from the public proxy. The zip is made with Python's zipfile (the module zip
 * format: each file under `<module>@<version>/`).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";

export interface GoProxy {
    /** For GOPROXY, before the public proxy. */
    url: string;
    /** Paths asked for. */
    requests: string[];
    close(): Promise<void>;
}

/** Serves `module` at `version` from the files git tracks under `dir` of the repository at `root`. */
export async function startGoProxy(opts: { root: string; dir: string; module: string; version: string }): Promise<GoProxy> {
    const { root, dir, module, version } = opts;
    const files = execFileSync("git", ["ls-files", "-z", "--", dir], { cwd: root, encoding: "utf8" }).split("\0").filter(Boolean);
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-exotel-goproxy-"));
    const zip = path.join(work, `${version}.zip`);
    const script = [
        "import sys, zipfile",
        "root, sub, prefix, out = sys.argv[1:5]",
        "with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:",
        "    for f in sys.argv[5:]:",
        "        z.write(root + '/' + f, prefix + '/' + f[len(sub) + 1:])",
    ].join("\n");
    execFileSync("python3", ["-c", script, root, dir, `${module}@${version}`, zip, ...files]);
    const mod = fs.readFileSync(path.join(root, dir, "go.mod"));
    const info = JSON.stringify({ Version: version, Time: "2026-12-01T00:00:00Z" });
    const answers = new Map<string, Buffer | string>([
        [`/${module}/@v/list`, `${version}\n`],
        [`/${module}/@v/${version}.info`, info],
        [`/${module}/@v/${version}.mod`, mod],
        [`/${module}/@v/${version}.zip`, fs.readFileSync(zip)],
        [`/${module}/@latest`, info],
    ]);
    const requests: string[] = [];
    const server = http.createServer((req, res) => {
        const url = req.url ?? "/";
        requests.push(url);
        const body = answers.get(url);
        res.writeHead(body === undefined ? 404 : 200);
        res.end(body ?? "not here");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        requests,
        close: () =>
            new Promise<void>((resolve) => {
                fs.rmSync(work, { recursive: true, force: true });
                server.close(() => resolve());
            }),
    };
}
