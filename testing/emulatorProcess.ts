/**
 * The emulator in a process of its own (`dist/emulator/cli.js`, as users run `pulumi-exotel-emulator`),
 * driven through its admin endpoints. For runs where the test process is busy itself (several engines
 * through the Automation API): an emulator inside it answers late, and a late answer is a request the
 * provider believes is still in flight. Exotel is on other machines; so is this emulator, as far as the
 * test process's event loop goes.
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import type { LoggedRequest, RateLimitOptions } from "../emulator";
import { ROOT } from "./cli";

export interface EmulatorProcess {
    baseUrl: string;
    pid: number;
    setRateLimit(o: RateLimitOptions | undefined): Promise<void>;
    requests(): Promise<LoggedRequest[]>;
    clearLog(): Promise<void>;
    /** Trunks per account (sid and name), as GET /__emulator/state reports them. */
    inventory(): Promise<Record<string, { trunks: { trunk_sid: string; trunk_name: string }[] }>>;
    close(): Promise<void>;
}

/** `pkg`: the package directory whose dist/emulator runs (default this checkout; the benchmark runs a copy of its own). */
export async function startEmulatorProcess(args: string[] = [], pkg = ROOT): Promise<EmulatorProcess> {
    const cli = path.join(pkg, "dist", "emulator", "cli.js");
    const child: ChildProcess = spawn(process.execPath, [cli, "--port", "0", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    const baseUrl = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout!.on("data", (d: Buffer) => {
            out += d.toString();
            const line = /^(http:\/\/\S+)\n/m.exec(out);
            if (line) resolve(line[1]);
        });
        child.on("exit", (code) => reject(new Error(`the emulator exited (${code}) before it listened: ${err}`)));
    });
    const admin = async <T>(method: string, what: string, body?: unknown): Promise<T> => {
        const res = await fetch(`${baseUrl}/__emulator/${what}`, {
            method,
            headers: body === undefined ? {} : { "Content-Type": "application/json" },
            body: body === undefined ? undefined : JSON.stringify(body),
        });
        if (!res.ok) throw new Error(`emulator admin ${method} ${what}: HTTP ${res.status} ${await res.text()}`);
        return (await res.json()) as T;
    };
    return {
        baseUrl,
        pid: child.pid!,
        setRateLimit: async (o) => void (await admin("POST", "options", { rateLimit: o ?? null })),
        requests: () => admin<LoggedRequest[]>("GET", "requests"),
        clearLog: async () => void (await admin("DELETE", "requests")),
        inventory: () => admin("GET", "state"),
        close: () =>
            new Promise<void>((resolve) => {
                if (child.exitCode !== null) return resolve();
                child.once("exit", () => resolve());
                child.kill("SIGTERM");
            }),
    };
}
