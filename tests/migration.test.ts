/**
 * The migration from dynamic ExotelTrunks to exotel:index:Trunk, as planned from `pulumi stack export`:
 * which trunks move, which do not and why, and the commands in order (import first, then state delete).
 * The suite tests/plugin.yaml.test.ts carries a plan out on a real stack and counts the writes (0).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DYNAMIC_TRUNK_TYPE, migrationCommands, planMigration } from "../provider/migration/toPlugin";
import { main } from "../provider/gitops/cli";

const urn = (name: string, type = DYNAMIC_TRUNK_TYPE) => `urn:pulumi:dev::proj::${type}::${name}`;
const trunk = (name: string, extra: Record<string, unknown> = {}) => ({
    urn: urn(name),
    type: DYNAMIC_TRUNK_TYPE,
    id: `sid_${name}`,
    inputs: {},
    outputs: { trunkSid: `sid_${name}` },
    ...extra,
});
const exported = (...resources: unknown[]) => ({ version: 3, deployment: { resources } });

describe.each([
    ["one trunk", [trunk("a")], ["a"], []],
    [
        "a trunk of another account (connection) is not moved",
        [trunk("a"), trunk("b", { inputs: { connection: { ciphertext: "x" } } })],
        ["a"],
        [/b: it uses `connection`/],
    ],
    ["a trunk never created", [trunk("c", { id: undefined, outputs: {} })], [], [/c: no trunkSid in state/]],
    [
        "other resources are left alone",
        [{ urn: urn("p", "pulumi:providers:pulumi-nodejs"), type: "pulumi:providers:pulumi-nodejs" }, trunk("a")],
        ["a"],
        [],
    ],
    [
        "two trunks of one name (different parents): the second is left to do by hand",
        [trunk("a"), { ...trunk("a"), urn: "urn:pulumi:dev::proj::my:Comp$" + DYNAMIC_TRUNK_TYPE + "::a" }],
        ["a"],
        [/also named "a"/],
    ],
])("planMigration: %s", (_label, resources, moved, skipped) => {
    const plan = planMigration(exported(...resources));
    test("imports exactly these, by sid, and removes exactly their old entries", () => {
        expect(plan.importFile.resources).toEqual(moved.map((n) => ({ type: "exotel:index:Trunk", name: n, id: `sid_${n}` })));
        expect(plan.remove).toEqual(moved.map((n) => urn(n)));
    });
    test("says why each other trunk stays", () => {
        expect(plan.skipped.map((s) => `${s.urn.split("::").pop()}: ${s.reason}`)).toEqual(skipped.map((r) => expect.stringMatching(r)));
    });
});

test("not a stack export: a clear error", () => {
    expect(() => planMigration({ resources: [] })).toThrow(/not the output of `pulumi stack export`/);
});

test("the commands: import first (unprotected, generated code), then one state delete per old entry, quoted", () => {
    const plan = planMigration(exported(trunk("a"), trunk("b'c")));
    expect(migrationCommands(plan, "/tmp/x y.json")).toEqual([
        "pulumi import --file '/tmp/x y.json' --protect=false --yes --out exotel-trunks.generated",
        `pulumi state delete '${urn("a")}' --yes`,
        `pulumi state delete 'urn:pulumi:dev::proj::${DYNAMIC_TRUNK_TYPE}::b'\\''c' --yes`,
    ]);
});

test("pulumi-exotel migrate-to-plugin writes the import file and prints the commands", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-exotel-migrate-"));
    const state = path.join(dir, "stack.json");
    const file = path.join(dir, "import.json");
    fs.writeFileSync(state, JSON.stringify(exported(trunk("a"))));
    let out = "";
    let err = "";
    const code = await main(
        ["migrate-to-plugin", "--state", state, "--out", file],
        (s) => (err += s),
        (s) => (out += s),
    );
    expect(code).toBe(0);
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).toEqual({ resources: [{ type: "exotel:index:Trunk", name: "a", id: "sid_a" }] });
    expect(out.trim().split("\n")).toHaveLength(2);
    expect(err).toMatch(/wrote .*import.json \(1 trunk\(s\)\)/);
    fs.rmSync(dir, { recursive: true, force: true });
});
