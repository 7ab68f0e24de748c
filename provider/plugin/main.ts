/**
 * `pulumi-resource-exotel`: the entry point of the `exotel` provider plugin. The engine starts it with
 * its own gRPC address as the last argument (flags such as `--tracing <endpoint>` come first) and reads
 * the port it serves on from the first line of stdout (`--print-schema` prints the schema instead). Log
 * lines go to the engine's Log service (shown by the CLI as diagnostics, under the resource they are
 * about); stderr is for what cannot reach the engine.
 *
 * Bundled into one file with everything it needs (scripts/build-plugin): the machine running a program
 * needs only `node` (>= 20), no node_modules.
 */
import * as grpc from "@grpc/grpc-js";
import * as engineproto from "@pulumi/pulumi/proto/engine_pb";
import * as enginerpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import { LogSink } from "../engine/accounts";
import { ExotelPluginServer, serve } from "./server";
import { buildSchema } from "./schema";
import { PLUGIN_VERSION } from "./version";
import { engineAddress } from "./args";

function engineLog(address: string | undefined): LogSink {
    if (!address) return (level, text) => process.stderr.write(`${level}: ${text}\n`);
    const client = new enginerpc.EngineClient(address, grpc.credentials.createInsecure());
    return (level, text, urn) => {
        const req = new engineproto.LogRequest();
        req.setSeverity(level === "warn" ? engineproto.LogSeverity.WARNING : engineproto.LogSeverity.INFO);
        req.setMessage(text);
        // Shown under the resource it is about.
        if (urn) req.setUrn(urn);
        // A failed log must not fail the operation.
        client.log(req, (err) => {
            if (err) process.stderr.write(`${level}: ${text}\n`);
        });
    };
}

async function main(): Promise<void> {
    if (process.argv.includes("--print-schema")) {
        process.stdout.write(`${JSON.stringify(buildSchema(PLUGIN_VERSION), null, 2)}\n`);
        return;
    }
    const server = new ExotelPluginServer({ version: PLUGIN_VERSION, log: engineLog(engineAddress(process.argv.slice(2))) });
    const { port } = await serve(server);
    process.stdout.write(`${port}\n`);
}

main().catch((err: unknown) => {
    process.stderr.write(`pulumi-resource-exotel: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
});
