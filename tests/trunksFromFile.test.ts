/**
 * `trunksFromFile` builds one ExotelTrunk per entry with exactly the entry's arguments: `protect` goes to the
 * resource options (added to the caller's), `connection` to every trunk, and the summary reads each trunk's outputs.
 * ExotelTrunk is replaced by a recorder here (what the engine does with the resources is the GitOps suite's job).
 * Its outputs are Exotel's answer from ANSWERS, deliberately unlike the entry's arguments (other numbers, with ids
 * and modes, a caller ID the file does not give): a summary built from the arguments instead of the outputs fails.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

const built: { name: string; args: Record<string, unknown>; opts: pulumi.CustomResourceOptions | undefined }[] = [];
/** Each trunk's outputs, by name: what "Exotel" answered, not what the file asked for. */
const ANSWERS: Record<
    string,
    { trunkSid: string; phoneNumbers: { id: string; phoneNumber: string; mode: string }[]; callerId: string | null }
> = {
    plain: { trunkSid: "trmum1a01", phoneNumbers: [{ id: "pn-1", phoneNumber: "+918047090001", mode: "pstn" }], callerId: "+918047090001" },
    kept: {
        trunkSid: "trmum1b02",
        phoneNumbers: [
            { id: "pn-2", phoneNumber: "+918047090002", mode: "flow" },
            { id: "pn-3", phoneNumber: "+918047090003", mode: "pstn" },
        ],
        callerId: "+918047090002",
    },
    unkept: { trunkSid: "trmum1c03", phoneNumbers: [], callerId: null },
};
jest.mock("../provider/program/trunk", () => ({
    ExotelTrunk: class {
        trunkSid: pulumi.Output<string>;
        phoneNumbers: pulumi.Output<{ id: string; phoneNumber: string; mode: string }[]>;
        callerId: pulumi.Output<string | null>;
        constructor(name: string, args: Record<string, unknown>, opts?: pulumi.CustomResourceOptions) {
            built.push({ name, args, opts });
            this.trunkSid = pulumi.output(ANSWERS[name].trunkSid);
            this.phoneNumbers = pulumi.output(ANSWERS[name].phoneNumbers);
            this.callerId = pulumi.output(ANSWERS[name].callerId);
        }
    },
}));
// Imported after the mock is set up (jest hoists jest.mock above the imports).
import { trunksFromFile } from "../provider/gitops/trunksFile";

const FILE =
    "trunks:\n" +
    "  - trunkName: plain\n" +
    "  - trunkName: kept\n    protect: true\n    phoneNumbers: [{ phoneNumber: '+918047091234', mode: flow }]\n    callerId: '+918047091234'\n" +
    "  - trunkName: unkept\n    protect: false\n";
let file: string;
beforeAll(() => {
    file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "trunks-")), "trunks.yaml");
    fs.writeFileSync(file, FILE);
});
beforeEach(() => {
    built.length = 0;
});

const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply((v) => resolve(v)));

test.each<[string, pulumi.CustomResourceOptions | undefined, (pulumi.CustomResourceOptions | undefined)[]]>([
    ["no options: only an entry's own protect", undefined, [undefined, { protect: true }, { protect: false }]],
    [
        "the caller's options for every trunk, an entry's protect added (and winning)",
        { retainOnDelete: true, protect: true },
        [
            { retainOnDelete: true, protect: true },
            { retainOnDelete: true, protect: true },
            { retainOnDelete: true, protect: false },
        ],
    ],
])("%s", (_label, resourceOptions, want) => {
    trunksFromFile(file, { resourceOptions });
    expect(built.map((b) => b.name)).toEqual(["plain", "kept", "unkept"]);
    expect(built.map((b) => b.opts)).toEqual(want);
    expect(built.every((b) => !("protect" in b.args))).toBe(true);
});

test("every trunk gets the entry's arguments and the given connection, and the summary reads their outputs", async () => {
    const connection = { accountSid: "other", apiKey: "k", apiToken: pulumi.secret("t"), region: "mumbai" };
    const { trunks, summary } = trunksFromFile(file, { connection });
    expect(Object.keys(trunks)).toEqual(["plain", "kept", "unkept"]);
    expect(built.map((b) => b.name)).toEqual(["plain", "kept", "unkept"]);
    // The map holds the resources built (their outputs are the ANSWERS of their name).
    expect(await value(trunks.kept.trunkSid)).toBe("trmum1b02");
    expect(built[1].args).toEqual({
        trunkName: "kept",
        phoneNumbers: [{ phoneNumber: "+918047091234", mode: "flow" }],
        callerId: "+918047091234",
        connection,
    });
    expect(built[0].args).toEqual({ trunkName: "plain", connection });
    // Each trunk's outputs (ANSWERS), the numbers only: none of the file's own values.
    expect(await value(summary)).toEqual({
        plain: { trunkSid: "trmum1a01", phoneNumbers: ["+918047090001"], callerId: "+918047090001" },
        kept: { trunkSid: "trmum1b02", phoneNumbers: ["+918047090002", "+918047090003"], callerId: "+918047090002" },
        unkept: { trunkSid: "trmum1c03", phoneNumbers: [], callerId: null },
    });
});
