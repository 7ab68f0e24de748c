/**
 * Programmable faults: for requests matching a route, the next `times` calls misbehave. Faults apply
 * `before` the request reaches the store (nothing changes at "Exotel") or `after` it (the change is
 * made, then the answer is lost or replaced: the case that makes retries of creates dangerous).
 */

export type Fault =
    /** Answer with this status (an Exotel envelope unless `body` says otherwise). */
    | {
          kind: "status";
          status: number;
          exotelCode?: number;
          retryAfter?: string;
          body?: "envelope" | "html" | "empty";
          headers?: Record<string, string>;
      }
    /** HTTP 200 carrying a failure envelope (`response.code` and `error_data.code`). */
    | { kind: "failureBody"; code: number; exotelCode: number; message?: string }
    /** Accept the connection and never answer (the socket is closed after `ms`, default 60 s). */
    | { kind: "hang"; ms?: number }
    /** Drop the connection without an answer. */
    | { kind: "reset" }
    /** For batch POSTs (destination URIs, settings): make these item indexes fail (207). */
    | { kind: "partial"; failIndexes: number[] };

export interface FaultRule {
    /** HTTP method to match (any when absent). */
    method?: string;
    /** Substring of the path (without query) or `/regex/`; any when absent. */
    path?: string;
    /**
     * Only requests about the trunk with this name (any when absent): a create whose body names it, or a
     * request whose path or `trunk_sid` query holds its sid. So one run can fail a different step of each of
     * several trunks created at once, with `skip` counting that trunk's requests only.
     */
    trunkName?: string;
    /** How many matching calls get the fault. */
    times: number;
    /** Matching calls to let through untouched before the fault starts (default 0). */
    skip?: number;
    /** `before` (default): the store is not touched. `after`: the store applies the request first. */
    when?: "before" | "after";
    fault: Fault;
}

interface ActiveRule extends FaultRule {
    remaining: number;
    skipped: number;
    hits: number;
}

export class FaultController {
    private rules: ActiveRule[] = [];

    add(rule: FaultRule): void {
        if (!rule || !rule.fault || !(rule.times > 0)) throw new Error("a fault rule needs `fault` and `times` > 0");
        this.rules.push({ ...rule, remaining: rule.times, skipped: 0, hits: 0 });
    }

    clear(): void {
        this.rules = [];
    }

    list(): { rule: FaultRule; remaining: number; hits: number }[] {
        return this.rules.map((r) => ({
            rule: { method: r.method, path: r.path, trunkName: r.trunkName, times: r.times, skip: r.skip, when: r.when, fault: r.fault },
            remaining: r.remaining,
            hits: r.hits,
        }));
    }

    /** Takes (consumes) the first matching fault for this request, if any; `trunkName` is the trunk the request is about. */
    take(method: string, path: string, trunkName?: string): ActiveRule | undefined {
        for (const r of this.rules) {
            if (r.remaining <= 0) continue;
            if (r.method && r.method.toUpperCase() !== method.toUpperCase()) continue;
            if (r.path && !matches(r.path, path)) continue;
            if (r.trunkName !== undefined && r.trunkName !== trunkName) continue;
            if (r.skipped < (r.skip ?? 0)) {
                r.skipped += 1;
                continue;
            }
            r.remaining -= 1;
            r.hits += 1;
            return r;
        }
        return undefined;
    }
}

function matches(pattern: string, path: string): boolean {
    if (pattern.length > 2 && pattern.startsWith("/") && pattern.endsWith("/")) {
        return new RegExp(pattern.slice(1, -1)).test(path);
    }
    return path.includes(pattern);
}
