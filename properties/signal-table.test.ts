// The signal generator reaches what matters (floors on a fixed-seed sample of signal-heavy
// traces): handlers that run, stops and continues, calls interrupted with EINTR, restarted
// calls (a handler ran and the call sleeps on), processes killed by a signal, waitpid
// reporting a stop.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Outcome } from "../sim/trace/types.js";
import { traceArb } from "./arbitraries.js";
import { SIGNAL_HEAVY } from "./weights.js";
import { replayPath, sharedKernel } from "./support.js";
import "./timeouts.js";

function features(path: { outcome: Outcome }[], blocked: Set<number>): Set<string> {
  const seen = new Set<string>();
  for (const { outcome: o } of path) {
    if (o.result === "blocked") blocked.add(o.pid);
    const r = o.result;
    const stopped = typeof r === "object" && r.status !== undefined && "stopped" in r.status;
    if (stopped) seen.add("waitpid reports a stop");
    if (typeof r === "object" && r.errno === "EINTR") seen.add(`${o.call} EINTR at once`);
    for (const e of o.events) {
      if ("signal" in e) {
        seen.add("handler ran");
        if (blocked.has(e.pid) && !o.events.some((w) => "wake" in w && w.wake === e.pid)) {
          seen.add("handler ran, call sleeps on");
        }
      }
      if ("stop" in e) seen.add("stop");
      if ("cont" in e) seen.add("cont");
      if ("exit" in e && "signaled" in e.status) seen.add("killed by a signal");
      if ("wake" in e) {
        blocked.delete(e.wake);
        if (typeof e.result === "object" && e.result.errno === "EINTR") seen.add("EINTR wake");
      }
      if ("exit" in e) blocked.delete(e.exit);
    }
  }
  return seen;
}

describe("what the signal generator reaches (120 signal-heavy traces, fixed seed)", () => {
  const counts = new Map<string, number>();
  const heavy = traceArb({ weights: SIGNAL_HEAVY, stepsMax: 30 });
  const sample = fc.sample(heavy, { numRuns: 120, seed: 42 });
  for (const g of sample) {
    const { path } = replayPath(g.trace, g.seed, sharedKernel());
    for (const f of features(path, new Set())) counts.set(f, (counts.get(f) ?? 0) + 1);
  }
  const all = [...counts].sort();
  const floors: [string, number][] = [
    ["handler ran", 20], ["handler ran, call sleeps on", 1], ["stop", 15], ["cont", 8],
    ["EINTR wake", 4], ["killed by a signal", 30], ["waitpid reports a stop", 1],
  ];
  for (const [feature, floor] of floors) {
    it(`${feature}: in at least ${floor} traces`, () => {
      expect(counts.get(feature) ?? 0, JSON.stringify(all)).toBeGreaterThanOrEqual(floor);
    });
  }
});
