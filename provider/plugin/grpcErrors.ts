/**
 * A thrown error as a gRPC status, scrubbed of credentials. A ResourceStateError (the trunk exists and state
 * must record it) carries Pulumi's ErrorResourceInitFailed detail with the trunk's id and outputs.
 */
import * as grpc from "@grpc/grpc-js";
import * as anyproto from "google-protobuf/google/protobuf/any_pb";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import { ResourceStateError } from "../errors/ResourceStateError";
import { Json } from "./codec";

export function grpcError(
    err: unknown,
    redact: (text: string) => string,
    outputs: (props: Record<string, unknown>) => Record<string, Json>,
): Partial<grpc.StatusObject> {
    const message = redact(err instanceof Error ? err.message : String(err));
    const metadata = new grpc.Metadata();
    if (err instanceof ResourceStateError) {
        const detail = new provproto.ErrorResourceInitFailed();
        detail.setId(err.id);
        const { __provider: _p, ...outs } = err.properties;
        detail.setProperties(structproto.Struct.fromJavaScript(outputs(outs)));
        detail.setReasonsList(err.reasons.map(redact));
        const any = new anyproto.Any();
        any.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
        const status = new statusproto.Status();
        status.setCode(grpc.status.UNKNOWN);
        status.setMessage(message);
        status.addDetails(any);
        metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
    }
    return { code: grpc.status.UNKNOWN, details: message, metadata };
}
