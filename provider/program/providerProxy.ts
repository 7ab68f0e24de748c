/**
 * What Pulumi serializes into state (`__provider`) for every ExotelTrunk: a small proxy that, inside
 * the provider process, loads the implementation from the installed `pulumi-exotel` package and
 * forwards each hook to it.
 *
 * Why not serialize the implementation itself (Pulumi's default)? Measured: the whole provider
 * serializes to ~100 KB per resource; a partially-created resource must travel back to the engine in a
 * gRPC trailer (ErrorResourceInitFailed with `__provider` among its properties), and Node's HTTP/2
 * refuses to send header blocks over 64 KiB, so the engine would never learn of a trunk that could not
 * be cleaned up (an orphan). The proxy is a few KB, holds no secret, and lets fixes to delete reach
 * resources created by older releases (the stored copy no longer freezes them).
 *
 * Rules for this file, because of how Pulumi's closure serializer works:
 * - The class must not reference anything exported from a module of this package (TypeScript compiles
 *   such a reference to `exports.X` / `module_1.X`, and the serializer turns a captured module of a
 *   package in `node_modules` into `require("pulumi-exotel/dist/...")`, which the package's `exports`
 *   map rightly refuses). Only Node built-ins are required, by name, at run time.
 * - The implementation is resolved exactly as a file of the user's project would resolve it
 *   (`createRequire` anchored in the project directory the provider process runs in): the project's own
 *   `node_modules` under any package manager layout (npm, pnpm's symlinks, yarn), or Node's
 *   package self-reference when the project is this package itself. `pulumi-exotel/runtime` is the one
 *   internal entry of the `exports` map that exists for this.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ProviderInputs, ProviderState, TrunkResourceProvider } from "../trunkTypes";

/** What the proxy needs of the implementation (`pulumi-exotel/runtime`'s ExotelTrunkProvider). */
type Implementation = Required<TrunkResourceProvider> & {
    checkProtocol?: (n: number) => void;
};

export class ExotelTrunkProviderProxy implements TrunkResourceProvider {
    private impl?: Implementation;

    private load(): Implementation {
        if (!this.impl) {
            // A literal on purpose (see above); the implementation's PROXY_PROTOCOL must equal it (tested).
            const protocol = 1;
            const nodeModule = require("module") as typeof import("module");
            const nodePath = require("path") as typeof import("path");
            const fromProject = nodeModule.createRequire(nodePath.join(process.cwd(), "__pulumi_exotel_proxy__.js"));
            let mod: { ExotelTrunkProvider: new () => Implementation };
            try {
                mod = fromProject("pulumi-exotel/runtime") as typeof mod;
            } catch (err) {
                throw new Error(
                    `the ExotelTrunk provider could not load the pulumi-exotel package from the Pulumi project in ${process.cwd()}: ` +
                        `${String((err as Error)?.message ?? err).split("\n")[0]}. Install it in the project (npm install pulumi-exotel) and run the command again; ` +
                        `it must stay installed as long as the stack holds trunks.`,
                );
            }
            const impl = new mod.ExotelTrunkProvider();
            impl.checkProtocol?.(protocol);
            this.impl = impl;
        }
        return this.impl;
    }

    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        return this.load().configure(req);
    }
    async check(olds: ProviderInputs, news: ProviderInputs): Promise<pulumi.dynamic.CheckResult<ProviderInputs>> {
        return this.load().check(olds, news);
    }
    async diff(id: string, olds: ProviderState, news: ProviderInputs): Promise<pulumi.dynamic.DiffResult> {
        return this.load().diff(id, olds, news);
    }
    async create(inputs: ProviderInputs): Promise<pulumi.dynamic.CreateResult<ProviderState>> {
        return this.load().create(inputs);
    }
    async read(id: string, props?: ProviderState): Promise<pulumi.dynamic.ReadResult<ProviderState>> {
        return this.load().read(id, props);
    }
    async update(id: string, olds: ProviderState, news: ProviderInputs): Promise<pulumi.dynamic.UpdateResult<ProviderState>> {
        return this.load().update(id, olds, news);
    }
    async delete(id: string, props: ProviderState): Promise<void> {
        return this.load().delete(id, props);
    }
}
