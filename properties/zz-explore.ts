import fc from "fast-check";
import { traceArb } from "./arbitraries.js";
import { MSG_HEAVY, SEM_HEAVY, SYSV_HEAVY } from "./sysv-table.js";
import { replayPath } from "./support-lite.js";
import { Kernel } from "../wasm/kernel.js";

export async function main(args: string[]) {
  const which = args[0] ?? "default";
  const weights = which === "msg" ? MSG_HEAVY : which === "sem" ? SEM_HEAVY : which === "sysv" ? SYSV_HEAVY : undefined;
  const k = new Kernel();
  const counts = new Map<string, number>();
  const t0 = Date.now();
  let steps = 0;
  const N = Number(args[1] ?? 200);
  const stops = new Map<string, number>();
  for (const g of fc.sample(traceArb({ weights }), { numRuns: N, seed: 42 })) {
    const { path } = replayPath(g.trace, g.seed, k);
    steps += g.steps.length;
    stops.set(g.stop.replace(/\d+/g, "N"), (stops.get(g.stop.replace(/\d+/g, "N")) ?? 0) + 1);
    const seen = new Set<string>();
    for (const p of path) {
      const st = g.steps[p.index];
      const r = p.outcome.result;
      if (p.allowed > 1) seen.add("several outcomes");
      if (r === "blocked") seen.add(`${st.call} blocked`);
      else if (r && typeof r === "object") seen.add(`${st.call} ${r.errno ?? "ok"}`);
      for (const e of p.outcome.events) {
        if ("wake" in e) {
          const w = g.steps[e.step];
          const res = e.result as any;
          seen.add(`${w.call} woken by ${st.call} (${res.errno ?? "ok"})`);
        }
      }
    }
    for (const s of seen) counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  console.log(which, N, "traces", steps, "steps", Date.now() - t0, "ms", JSON.stringify([...stops]));
  for (const [k2, v] of [...counts].sort()) console.log(String(v).padStart(5), k2);
}
