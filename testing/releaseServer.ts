/**
 * A GitHub release, offline: a loopback HTTP server that serves a release directory (the files
 * `npm run release -- --dry-run --out <dir>` writes) the way github.com serves a release's assets:
 *   GET /<owner>/<repo>/releases/download/<tag>/<asset>   302 to the asset's storage URL (GitHub redirects to
 *                                                         objects.githubusercontent.com; here /_assets/…)
 *   GET /_assets/<sha256>/<asset>                         200, application/octet-stream, with its length
 *   anything else                                         404 "Not Found"
 * Every request is logged (method, path, status, bytes), so a test shows which archive the engine fetched.
 * The engine reaches it through PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES ({@link ReleaseServer.overrides}).
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as path from "path";

export interface ReleaseRequest {
    method: string;
    path: string;
    status: number;
    /** Bytes of the body sent (0 for a redirect or a 404). */
    bytes: number;
    userAgent: string;
}

export interface ReleaseServerOptions {
    /** The directory holding the release's files (archives, checksums). */
    dir: string;
    /** "<owner>/<repo>" as in the schema's pluginDownloadURL (github://api.github.com/<owner>/<repo>). */
    repository: string;
    /** The release's tag, e.g. "v0.1.0". */
    tag: string;
}

export class ReleaseServer {
    readonly requests: ReleaseRequest[] = [];

    private constructor(
        private readonly server: http.Server,
        readonly opts: ReleaseServerOptions,
    ) {}

    static async start(opts: ReleaseServerOptions): Promise<ReleaseServer> {
        const server = http.createServer();
        const rs = new ReleaseServer(server, opts);
        server.on("request", (req, res) => rs.handle(req, res));
        await new Promise<void>((resolve, reject) => {
            server.once("error", reject);
            server.listen(0, "127.0.0.1", () => resolve());
        });
        return rs;
    }

    get baseUrl(): string {
        return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    }

    /** Where GitHub serves the release's assets: `<base>/<owner>/<repo>/releases/download/<tag>`. */
    get downloadUrl(): string {
        return `${this.baseUrl}/${this.opts.repository}/releases/download/${this.opts.tag}`;
    }

    /**
     * The value of PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES that sends the engine here: `regexp=URL`, the regexp
     * matched against the plugin's source URL (github://api.github.com/<owner>/<repo>, not the plugin's name;
     * sdk/go/common/workspace/plugins.go), the URL an http source into which the engine substitutes ${VERSION}
     * (also ${NAME}, ${OS}, ${ARCH}) and then appends `/pulumi-resource-<name>-v<version>-<os>-<arch>.tar.gz`.
     */
    get overrides(): string {
        const source = `github://api.github.com/${this.opts.repository}`;
        const url = `${this.baseUrl}/${this.opts.repository}/releases/download/v\${VERSION}`;
        if (/[=,]/.test(url)) throw new Error(`an override URL cannot hold "=" or ",": ${url}`);
        return `^${source.replace(/[.]/g, "\\.")}$=${url}`;
    }

    /** The asset names of the successful downloads (200s), in order. */
    served(): string[] {
        return this.requests.filter((r) => r.status === 200).map((r) => path.posix.basename(r.path));
    }

    clearLog(): void {
        this.requests.length = 0;
    }

    close(): Promise<void> {
        return new Promise((resolve) => {
            this.server.closeAllConnections();
            this.server.close(() => resolve());
        });
    }

    private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
        const url = new URL(req.url ?? "/", this.baseUrl);
        const log = (status: number, bytes: number) =>
            this.requests.push({ method: req.method ?? "", path: url.pathname, status, bytes, userAgent: req.headers["user-agent"] ?? "" });
        const notFound = () => {
            log(404, 0);
            res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Not Found");
        };
        if (req.method !== "GET" && req.method !== "HEAD") return notFound();
        const prefix = `/${this.opts.repository}/releases/download/${this.opts.tag}/`;
        const file = (name: string) => {
            const decoded = decodeURIComponent(name);
            if (decoded.includes("/") || decoded.startsWith(".")) return null;
            const full = path.join(this.opts.dir, decoded);
            return fs.existsSync(full) && fs.statSync(full).isFile() ? { name: decoded, full } : null;
        };
        if (url.pathname.startsWith(prefix)) {
            const f = file(url.pathname.slice(prefix.length));
            if (!f) return notFound();
            const digest = crypto.createHash("sha256").update(fs.readFileSync(f.full)).digest("hex");
            log(302, 0);
            res.writeHead(302, { location: `${this.baseUrl}/_assets/${digest}/${encodeURIComponent(f.name)}` }).end();
            return;
        }
        const m = /^\/_assets\/[0-9a-f]{64}\/([^/]+)$/.exec(url.pathname);
        const f = m && file(m[1]);
        if (!f) return notFound();
        const body = fs.readFileSync(f.full);
        log(200, req.method === "HEAD" ? 0 : body.length);
        res.writeHead(200, {
            "content-type": "application/octet-stream",
            "content-length": body.length,
            "content-disposition": `attachment; filename=${f.name}`,
        });
        res.end(req.method === "HEAD" ? undefined : body);
    }
}
