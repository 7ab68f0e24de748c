/**
 * A Redis server of our own on loopback (Debian's `redis-server`), for the shared rate-limit tests and
 * benchmarks: no persistence, a free port, stopped by the caller.
 */
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as net from "net";

export interface RedisServer {
    url: string;
    port: number;
    /** Deletes every key. */
    flush(): void;
    /** Every key and its value (hash fields, zset members, strings), to look for what must not be there. */
    dump(): string;
    /** Stops the server (SHUTDOWN NOSAVE; killed if it does not exit). */
    stop(): Promise<void>;
}

export function redisServerPath(): string | undefined {
    try {
        return execFileSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" }).trim() || undefined;
    } catch {
        return undefined;
    }
}

/** A loopback port nobody listens on (for the server, or for a URL that must be refused). */
export async function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const s = net.createServer();
        s.once("error", reject);
        s.listen(0, "127.0.0.1", () => {
            const port = (s.address() as net.AddressInfo).port;
            s.close(() => resolve(port));
        });
    });
}

export async function startRedis(): Promise<RedisServer> {
    const bin = redisServerPath();
    if (!bin) throw new Error("redis-server is not installed (Debian: apt-get install redis-server; .ci/run installs it)");
    const port = await freePort();
    const proc: ChildProcess = spawn(bin, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
        stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 10_000);
        proc.stdout!.on("data", (d) => {
            out += d;
            if (/Ready to accept connections/.test(out)) {
                clearTimeout(t);
                resolve();
            }
        });
        proc.once("exit", (code) => {
            clearTimeout(t);
            reject(new Error(`redis-server exited (${code}): ${out}`));
        });
    });
    const cli = (...args: string[]) => execFileSync("redis-cli", ["-p", String(port), ...args], { encoding: "utf8" });
    return {
        url: `redis://127.0.0.1:${port}`,
        port,
        flush: () => void cli("FLUSHALL"),
        dump: () => {
            const keys = cli("--scan").split("\n").filter(Boolean);
            return keys
                .map((k) => {
                    const type = cli("TYPE", k).trim();
                    const value =
                        type === "hash"
                            ? cli("HGETALL", k)
                            : type === "zset"
                              ? cli("ZRANGE", k, "0", "-1", "WITHSCORES")
                              : type === "list"
                                ? cli("LRANGE", k, "0", "-1")
                                : type === "set"
                                  ? cli("SMEMBERS", k)
                                  : cli("GET", k);
                    return `${k} (${type}): ${value}`;
                })
                .join("\n");
        },
        stop: () =>
            new Promise<void>((resolve) => {
                if (proc.exitCode !== null) return resolve();
                proc.once("exit", () => resolve());
                try {
                    cli("SHUTDOWN", "NOSAVE");
                } catch {
                    proc.kill("SIGKILL");
                }
            }),
    };
}
