/**
 * A stand-in for the npm registry as users will meet it once pulumi-exotel is published: serves packed tarballs
 * (`pulumi-exotel`, the Node.js SDK `@pulumi-exotel/exotel`: their packuments and tarballs), and redirects every other
 * request to the public registry. Pointed at with `npm_config_registry`, it lets `pulumi new` install the
 * template's `"pulumi-exotel": "^0.1.0"` and write a `package-lock.json`, and lets the workflow's `npm ci`
 * install from that lockfile, with no change to the template's files.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as path from "path";
import { execFileSync } from "child_process";

export const UPSTREAM = "https://registry.npmjs.org";

export interface LocalRegistry {
    url: string;
    /** Paths asked for (packuments and tarballs of our package are answered here, the rest redirected). */
    requests: string[];
    close(): Promise<void>;
}

/**
 * Serves each of `tarballs` (an `npm pack` output, or several) under the name and version in its package.json;
 * every other request is redirected to the public registry.
 */
export async function startRegistry(tarballs: string | string[]): Promise<LocalRegistry> {
    const served = new Map<
        string,
        {
            manifest: Record<string, unknown> & { name: string; version: string };
            bytes: Buffer;
            file: string;
            integrity: string;
            shasum: string;
        }
    >();
    for (const tarball of typeof tarballs === "string" ? [tarballs] : tarballs) {
        const manifest = JSON.parse(execFileSync("tar", ["-xOzf", tarball, "package/package.json"], { encoding: "utf8" })) as {
            name: string;
            version: string;
        };
        const bytes = fs.readFileSync(tarball);
        served.set(manifest.name, {
            manifest,
            bytes,
            file: path.basename(tarball),
            integrity: "sha512-" + crypto.createHash("sha512").update(bytes).digest("base64"),
            shasum: crypto.createHash("sha1").update(bytes).digest("hex"),
        });
    }
    const requests: string[] = [];
    let base = "";
    const server = http.createServer((req, res) => {
        const url = req.url ?? "/";
        requests.push(url);
        // A scoped name's packument is asked for as /@scope%2fname.
        const name = decodeURIComponent(url.slice(1));
        const pkg = served.get(name);
        const tarballOf = [...served.values()].find((x) => url === `/${x.manifest.name}/-/${x.file}`);
        if (pkg) {
            const { manifest, file, integrity, shasum } = pkg;
            const version = { ...manifest, dist: { tarball: `${base}/${manifest.name}/-/${file}`, integrity, shasum } };
            res.writeHead(200, { "content-type": "application/json" });
            res.end(
                JSON.stringify({
                    name: manifest.name,
                    "dist-tags": { latest: manifest.version },
                    versions: { [manifest.version]: version },
                }),
            );
        } else if (tarballOf) {
            res.writeHead(200, { "content-type": "application/octet-stream", "content-length": tarballOf.bytes.length });
            res.end(tarballOf.bytes);
        } else {
            res.writeHead(302, { location: UPSTREAM + url });
            res.end();
        }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return {
        url: base + "/",
        requests,
        close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
}
