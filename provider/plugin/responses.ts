/** The plugin's answers as protobuf messages: check failures and diffs (provider and trunk alike). */
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { DetailedDiff } from "../engine/previews";

const Kind = provproto.PropertyDiff.Kind;

export function failure(f: { property: string; reason: string }, redact: (t: string) => string): provproto.CheckFailure {
    return new provproto.CheckFailure().setProperty(f.property).setReason(redact(f.reason));
}

export function checkResponse(
    inputs: structproto.Struct | undefined,
    failures: { property: string; reason: string }[],
    redact: (t: string) => string,
): provproto.CheckResponse {
    return new provproto.CheckResponse().setInputs(inputs).setFailuresList(failures.map((f) => failure(f, redact)));
}

export function diffResponse(d: {
    changed: string[];
    replaces: string[];
    stables: string[];
    deleteBeforeReplace: boolean;
    detailed: DetailedDiff;
}): provproto.DiffResponse {
    const resp = new provproto.DiffResponse()
        .setChanges(d.changed.length ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE)
        .setReplacesList(d.replaces)
        .setStablesList(d.stables)
        .setDeletebeforereplace(d.deleteBeforeReplace)
        .setDiffsList(d.changed)
        .setHasdetaileddiff(true);
    for (const [k, v] of Object.entries(d.detailed))
        resp.getDetaileddiffMap().set(k, new provproto.PropertyDiff().setKind(Kind[v.kind]).setInputdiff(v.inputDiff));
    return resp;
}
