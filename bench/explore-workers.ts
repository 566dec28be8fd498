// Explore on several worker threads (sim/scenario/pool.ts): executions/s of the 2-process
// 20-call throughput scenario (scenarios/throughput.ts) with 1, 2 and every core's worth of
// workers, each rate against 1 worker's in the same run. Issue 12's goal: 2 workers at least
// 1.7 times one on a 2-core machine. A round includes starting the workers (each loads the
// scenario, about 0.1-0.3 s), as a user's explore does; the rounds alternate between the worker
// counts. The "steady" rows leave the start out: the runs after the first chunk came back, over
// the time since (what more runs or more cores buy; the goal is judged on the whole rows).

import { availableParallelism } from "node:os";
import { exploreInWorkers } from "../sim/scenario/pool.js";
import {
  collectGarbage, compare, now, rowFromTimes, withGoal, type BenchOptions, type Row,
} from "./harness.js";

const SCENARIO = "bench/scenarios/throughput.ts";
const WARMUP = 1;
const TWO_WORKERS_RATIO_GOAL = 1.7;

export async function exploreWorkersBench(opts: BenchOptions): Promise<Row[]> {
  const counts = [...new Set([1, 2, availableParallelism()])].sort((a, b) => a - b);
  const runs = Math.max(2000, Math.round(60_000 * opts.scale));
  const times = new Map<number, number[]>();
  const steady = new Map<number, number[]>();
  const push = (m: Map<number, number[]>, w: number, s: number) =>
    (m.get(w) ?? m.set(w, []).get(w)!).push(s);
  for (let round = 0; round < WARMUP + opts.rounds; round++) {
    for (const workers of counts) {
      opts.log(`explore-workers: round ${round + 1}, ${workers} worker(s), ${runs} runs`);
      collectGarbage();
      const t0 = now();
      let first: { done: number; at: number } | undefined;
      const onProgress = (done: number) => { first ??= { done, at: now() }; };
      const r = await exploreInWorkers(SCENARIO,
        { strategy: "random", seed: 1, runs, shrink: false, workers, onProgress });
      const s = now() - t0;
      if (!r.ok || r.runs !== runs) {
        throw new Error(`bench: explore-workers ${workers}: ok ${r.ok}, ${r.runs} runs`);
      }
      if (round < WARMUP) continue;
      push(times, workers, s);
      // The time `runs` would take at the rate after the first reply.
      push(steady, workers, (t0 + s - first!.at) * runs / (runs - first!.done));
    }
  }
  const base = {
    bench: "explore-workers", case: "throughput: 2 processes, 20 calls", unit: "executions/s",
  };
  const rows = counts.map((w) =>
    rowFromTimes({ ...base, what: `model: explore --workers ${w}` }, runs, times.get(w)!));
  const one = rows[0];
  const whole = rows.map((row, i) => {
    if (i === 0) return row;
    const r = compare(row, one);
    if (counts[i] !== 2) return r;
    const g = withGoal(r, one.rate * TWO_WORKERS_RATIO_GOAL);
    g.note = `goal: ${TWO_WORKERS_RATIO_GOAL}x one worker`;
    return g;
  });
  const steadyRows = counts.map((w) => rowFromTimes(
    { ...base, what: `model: explore --workers ${w}, steady (start left out)` },
    runs, steady.get(w)!));
  return [...whole, steadyRows[0], ...steadyRows.slice(1).map((r) => compare(r, steadyRows[0]))];
}
