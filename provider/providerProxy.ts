/**
 * What Pulumi serializes into state (`__provider`) for every ExotelTrunk: a small proxy that, inside
 * the provider process, loads the implementation from the installed `pulumi-exotel` package and
 * forwards each hook to it.
 *
 * Why not serialize the implementation itself (Pulumi's default)? Measured here: the whole provider
 * serializes to ~100 KB per resource; a partially-created resource must travel back to the engine in a
 * gRPC trailer (ErrorResourceInitFailed with `__provider` among its properties), and Node's HTTP/2
 * refuses to send header blocks over 64 KiB, so the engine would never learn of a trunk that could not
 * be cleaned up (an orphan). The proxy is ~2 KB, holds no secret, and lets fixes to delete reach
 * resources created by older releases (the stored copy no longer freezes them).
 *
 * The implementation is looked up from the project directory the provider process runs in, where the
 * program's own `node_modules` holds pulumi-exotel (or, in this repository, by self-reference).
 */
import type * as pulumi from "@pulumi/pulumi";

/** Bumped only if the proxy/implementation contract changes; the implementation checks it. */
export const PROXY_PROTOCOL = 1;

export class ExotelTrunkProviderProxy implements pulumi.dynamic.ResourceProvider {
    private impl?: pulumi.dynamic.ResourceProvider & { checkProtocol?: (n: number) => void };

    private load() {
        if (!this.impl) {
            let mod: { ExotelTrunkProvider: new () => pulumi.dynamic.ResourceProvider & { checkProtocol?: (n: number) => void } };
            try {
                mod = require("pulumi-exotel/runtime");
            } catch (err) {
                // This repository's own root project (Pulumi.yaml inside the package): the package is
                // the nearest enclosing directory whose package.json is pulumi-exotel's.
                const path = require("path");
                const fs = require("fs");
                let dir: string = process.cwd();
                let root: string | undefined;
                for (;;) {
                    const pj = path.join(dir, "package.json");
                    if (fs.existsSync(pj) && JSON.parse(fs.readFileSync(pj, "utf8")).name === "pulumi-exotel") {
                        root = dir;
                        break;
                    }
                    const up = path.dirname(dir);
                    if (up === dir) break;
                    dir = up;
                }
                if (root) mod = require(path.join(root, "dist", "provider", "trunkProvider.js"));
                else throw new Error(
                    `the ExotelTrunk provider could not load the pulumi-exotel package from ${process.cwd()}: ` +
                        `${(err as Error)?.message ?? err}. Install it in the Pulumi project (npm install pulumi-exotel) and run the command again.`,
                    );
            }
            const impl = new mod.ExotelTrunkProvider();
            impl.checkProtocol?.(PROXY_PROTOCOL);
            this.impl = impl;
        }
        return this.impl;
    }

    async configure(req: pulumi.dynamic.ConfigureRequest) {
        return this.load().configure!(req);
    }
    async check(olds: any, news: any) {
        return this.load().check!(olds, news);
    }
    async diff(id: string, olds: any, news: any) {
        return this.load().diff!(id, olds, news);
    }
    async create(inputs: any) {
        return this.load().create(inputs);
    }
    async read(id: string, props: any) {
        return this.load().read!(id, props);
    }
    async update(id: string, olds: any, news: any) {
        return this.load().update!(id, olds, news);
    }
    async delete(id: string, props: any) {
        return this.load().delete!(id, props);
    }
}
