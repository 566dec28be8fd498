import fc from "fast-check";
import type { Outcome } from "../sim/trace/types.js";
import { traceArb } from "../properties/arbitraries.js";
import { SIGNAL_HEAVY } from "../properties/weights.js";
import { replayPath, sharedKernel } from "../properties/support.js";
function features(path: { outcome: Outcome }[]): Set<string> {
  const seen = new Set<string>();
  for (const { outcome: o } of path) for (const e of o.events) {
    if ("signal" in e) seen.add("handler");
    if ("wake" in e && typeof e.result === "object" && e.result.errno === "EINTR") seen.add("eintr");
  }
  return seen;
}
for (const seed of [42, 43, 44, 45, 46, 47]) {
  const counts = new Map<string, number>();
  const heavy = traceArb({ weights: SIGNAL_HEAVY, stepsMax: 30 });
  for (const g of fc.sample(heavy, { numRuns: 120, seed })) {
    const { path } = replayPath(g.trace, g.seed, sharedKernel());
    for (const f of features(path)) counts.set(f, (counts.get(f) ?? 0) + 1);
  }
  console.log(seed, JSON.stringify([...counts].sort()));
}
