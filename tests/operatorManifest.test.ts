/**
 * examples/gitops/operator/stack.yaml is not run against a cluster here. What can be checked is: it
 * parses, it is a pulumi.com/v1 Stack, it uses only fields the operator's Stack API defines (the list
 * below is the operator's API reference, docs/stacks.md of pulumi/pulumi-kubernetes-operator, Stack.spec),
 * its envRefs are well-formed selectors, and it sets what a trunks stack needs.
 */
import * as fs from "fs";
import * as path from "path";
import { parseAllDocuments } from "yaml";

const STACK_SPEC_FIELDS = [
    "stack",
    "accessTokenSecret",
    "backend",
    "branch",
    "commit",
    "config",
    "configRef",
    "continueResyncOnCommitMatch",
    "destroyOnFinalize",
    "driftDetection",
    "envRefs",
    "envSecrets",
    "environment",
    "envs",
    "expectNoRefreshChanges",
    "fluxSource",
    "gitAuth",
    "gitAuthSecret",
    "prerequisites",
    "preview",
    "programRef",
    "projectRepo",
    "refresh",
    "repoDir",
    "resyncFrequencySeconds",
    "retryMaxBackoffDurationSeconds",
    "retryOnUpdateConflict",
    "secrets",
    "secretsProvider",
    "secretsRef",
    "serviceAccountName",
    "shallow",
    "targetDependents",
    "targets",
    "updateTemplate",
    "useLocalStackOnly",
    "workspaceReclaimPolicy",
    "workspaceTemplate",
];
const SELECTOR_TYPES: Record<string, string[]> = { Env: ["env"], FS: ["filesystem"], Secret: ["secret"], Literal: ["literal"] };

const file = path.join(__dirname, "..", "examples/gitops/operator/stack.yaml");
const docs = parseAllDocuments(fs.readFileSync(file, "utf8"));
const objects = docs.map((d) => {
    expect(d.errors).toEqual([]);
    return d.toJS() as {
        apiVersion: string;
        kind: string;
        metadata: { name: string };
        spec?: Record<string, unknown>;
        stringData?: Record<string, string>;
    };
});
const stack = objects.find((o) => o.kind === "Stack")!;

test("a pulumi.com/v1 Stack that uses only the operator's Stack.spec fields", () => {
    expect(stack.apiVersion).toBe("pulumi.com/v1");
    expect(Object.keys(stack.spec!).filter((k) => !STACK_SPEC_FIELDS.includes(k))).toEqual([]);
});

test("what a trunks stack needs: a Git source (so destroy can install node_modules), refresh, resync, destroyOnFinalize", () => {
    expect(stack.spec).toMatchObject({ refresh: true, destroyOnFinalize: true, branch: "main", continueResyncOnCommitMatch: true });
    expect(stack.spec!.projectRepo).toEqual(expect.stringMatching(/^https:\/\//));
    expect(stack.spec!.resyncFrequencySeconds).toBeGreaterThanOrEqual(60); // the operator's minimum
    expect(stack.spec).not.toHaveProperty("programRef"); // an inline Program cannot carry node_modules
});

test("envRefs are valid selectors, and the token comes from a Kubernetes Secret, never a literal", () => {
    const refs = stack.spec!.envRefs as Record<string, Record<string, unknown>>;
    for (const [name, ref] of Object.entries(refs)) {
        const type = ref.type as string;
        expect(Object.keys(SELECTOR_TYPES)).toContain(type);
        expect(Object.keys(ref).filter((k) => k !== "type")).toEqual(SELECTOR_TYPES[type]);
        if (type === "Secret") expect(ref.secret).toEqual({ name: expect.any(String), key: expect.any(String) });
        if (/TOKEN|KEY/.test(name)) expect(type).toBe("Secret");
    }
    expect(Object.keys(refs).sort()).toEqual([
        "EXOTEL_ACCOUNT_SID",
        "EXOTEL_API_KEY",
        "EXOTEL_API_TOKEN",
        "EXOTEL_REGION",
        "PULUMI_ACCESS_TOKEN",
    ]);
    const secret = objects.find((o) => o.kind === "Secret")!;
    expect(Object.values(secret.stringData!).every((v) => v.startsWith("REPLACE_WITH_"))).toBe(true);
});
