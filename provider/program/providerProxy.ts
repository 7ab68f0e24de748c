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
 * One hook only, `configure`: the dynamic-provider host deserializes a provider and awaits its
 * `configure` before it calls any other hook (`getProvider` in `@pulumi/pulumi/cmd/dynamic-provider`),
 * so `configure` loads the implementation and puts its hooks on the proxy. When it cannot (the package is
 * not installed), every hook it puts there fails with that error: the host caches the provider before
 * `configure` and takes a missing `delete` for success, which would drop a trunk from state and orphan it. The serializer wraps every
 * function it stores in ~330 bytes; with one hook instead of eight, `__provider` is under 2 KiB per
 * resource (pinned by tests/providerHost.test.ts).
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
import type { TrunkResourceProvider } from "../trunkTypes";

/** The hooks `configure` copies from the implementation onto the proxy. */
type Hooks = Omit<Required<TrunkResourceProvider>, "configure">;

export class ExotelTrunkProviderProxy {
    // Comments inside this method are stored in every resource's state: keep them out. The protocol is a
    // literal on purpose (see above); the implementation's PROXY_PROTOCOL must equal it (tested).
    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        const protocol = 1;
        const hooks = ["check", "diff", "create", "read", "update", "delete"] as const;
        const nodeModule = require("module") as typeof import("module");
        const nodePath = require("path") as typeof import("path");
        const load = nodeModule.createRequire(nodePath.join(process.cwd(), "__pulumi_exotel_proxy__.js"));
        let impl: Required<TrunkResourceProvider> & { checkProtocol?: (n: number) => void };
        let failed: Error | undefined;
        try {
            impl = new (load("pulumi-exotel/runtime") as { ExotelTrunkProvider: new () => typeof impl }).ExotelTrunkProvider();
            impl.checkProtocol?.(protocol);
        } catch (err) {
            failed = new Error(
                `ExotelTrunk could not load pulumi-exotel from the Pulumi project in ${process.cwd()}: ` +
                    `${String((err as Error)?.message ?? err).split("\n")[0]}. Install it there and run again.`,
            );
        }
        for (const hook of hooks) Object.assign(this, { [hook]: failed ? () => Promise.reject(failed) : impl![hook].bind(impl!) });
        if (failed) throw failed;
        return impl!.configure(req);
    }
}

/** The proxy as the resource class hands it to Pulumi (its other hooks exist once `configure` ran). */
export type SerializedProvider = ExotelTrunkProviderProxy & Hooks;
