// Explore on several worker threads (sim/scenario/pool.ts): executions/s of the 2-process
// 20-call throughput scenario (scenarios/throughput.ts) with 1, 2 and every core's worth of
// workers, each rate against 1 worker's in the same run. Issue 12's goal: 2 workers at least
// 1.7 times one on a 2-core machine. A round includes starting the workers (each loads the
// scenario, about 0.1-0.3 s), as a user's explore does; the rounds alternate between the worker
// counts. The "steady" rows leave the start out: the runs after the first chunk came back, over
// the time since (what more runs or more cores buy; the goal is judged on the whole rows).
// The same program under fast-check's fc.scheduler (fc-baseline/throughput.ts, one thread) is
// timed in the same alternation: each "steady" row's ratio is against it, and issue 12's
// other goal is 60,000 executions/s per worker (marked on the steady rows).

import { availableParallelism } from "node:os";
import fc from "fast-check";
import { exploreInWorkers } from "../sim/scenario/pool.js";
import {
  collectGarbage, compare, now, rowFromTimes, withGoal, type BenchOptions, type Row,
} from "./harness.js";
import { throughput as fcThroughput } from "./fc-baseline/throughput.js";
import { World } from "./fc-baseline/world.js";

const SCENARIO = "bench/scenarios/throughput.ts";
const WARMUP = 1;
const TWO_WORKERS_RATIO_GOAL = 1.7;
const PER_WORKER_GOAL = 60_000;

/** fc.scheduler on the same program, `runs` executions: its seconds. */
async function fcRound(runs: number): Promise<number> {
  collectGarbage();
  const t0 = now();
  const p = fc.asyncProperty(fc.scheduler(), async (s) => (await fcThroughput(new World(s))).ok);
  const out = await fc.check(p, { seed: 1, numRuns: runs });
  if (out.failed || out.numRuns !== runs) throw new Error("bench: fc throughput program failed");
  return now() - t0;
}

/** Seconds per timed round, by worker count: whole, steady, CPU (every thread of this
 * process); and fc.scheduler's. */
interface Measured {
  times: Map<number, number[]>;
  steady: Map<number, number[]>;
  cpu: Map<number, number[]>;
  fcTimes: number[];
}

async function measure(opts: BenchOptions, counts: number[], runs: number, fcRuns: number):
  Promise<Measured> {
  const m: Measured = { times: new Map(), steady: new Map(), cpu: new Map(), fcTimes: [] };
  const push = (to: Map<number, number[]>, w: number, s: number) =>
    (to.get(w) ?? to.set(w, []).get(w)!).push(s);
  for (let round = 0; round < WARMUP + opts.rounds; round++) {
    opts.log(`explore-workers: round ${round + 1}, fc.scheduler, ${fcRuns} runs`);
    const fcS = await fcRound(fcRuns);
    if (round >= WARMUP) m.fcTimes.push(fcS);
    for (const workers of counts) {
      opts.log(`explore-workers: round ${round + 1}, ${workers} worker(s), ${runs} runs`);
      collectGarbage();
      const t0 = now();
      const c0 = process.cpuUsage();
      let first: { done: number; at: number } | undefined;
      const onProgress = (done: number) => { first ??= { done, at: now() }; };
      const r = await exploreInWorkers(SCENARIO,
        { strategy: "random", seed: 1, runs, shrink: false, workers, onProgress });
      const s = now() - t0;
      const c = process.cpuUsage(c0);
      if (!r.ok || r.runs !== runs) {
        throw new Error(`bench: explore-workers ${workers}: ok ${r.ok}, ${r.runs} runs`);
      }
      if (round < WARMUP) continue;
      push(m.times, workers, s);
      push(m.cpu, workers, (c.user + c.system) / 1e6);
      // The time `runs` would take at the rate after the first reply.
      push(m.steady, workers, (t0 + s - first!.at) * runs / (runs - first!.done));
    }
  }
  return m;
}

export async function exploreWorkersBench(opts: BenchOptions): Promise<Row[]> {
  const counts = [...new Set([1, 2, availableParallelism()])].sort((a, b) => a - b);
  const runs = Math.max(2000, Math.round(60_000 * opts.scale));
  const fcRuns = Math.max(500, Math.round(6000 * opts.scale));
  const { times, steady, cpu, fcTimes } = await measure(opts, counts, runs, fcRuns);
  const base = {
    bench: "explore-workers", case: "throughput: 2 processes, 20 calls", unit: "executions/s",
  };
  const rows = counts.map((w) =>
    rowFromTimes({ ...base, what: `model: explore --workers ${w}` }, runs, times.get(w)!));
  const one = rows[0];
  // Executions per CPU-second (median round): per-worker cost that a loaded machine does not
  // hide (the wall rates above fall when other jobs take the cores).
  const perCpu = (w: number) => {
    const a = cpu.get(w)!.slice().sort((x, y) => x - y);
    return Math.round(runs / a[a.length >> 1]);
  };
  const whole = rows.map((row, i) => {
    row.note = `${perCpu(counts[i])} executions per CPU-second`;
    if (i === 0) return row;
    const r = compare(row, one);
    if (counts[i] !== 2) return r;
    const g = withGoal(r, one.rate * TWO_WORKERS_RATIO_GOAL);
    g.note = `goal: ${TWO_WORKERS_RATIO_GOAL}x one worker; ${r.note}`;
    return g;
  });
  const fcRow = rowFromTimes(
    { ...base, what: "baseline: fast-check fc.scheduler (one thread)" }, fcRuns, fcTimes);
  const steadyOf = (w: number) => rowFromTimes(
    { ...base, what: `model: explore --workers ${w}, steady (start left out)` },
    runs, steady.get(w)!);
  const oneSteady = steadyOf(1).rate;
  const steadyRows = counts.map((w) => {
    const row = steadyOf(w);
    const g = withGoal(compare(row, fcRow), PER_WORKER_GOAL * w);
    g.note = `${Math.round(row.rate / w)} executions/s per worker (goal ${PER_WORKER_GOAL}); ` +
      `${(row.rate / oneSteady).toFixed(2)}x one worker`;
    return g;
  });
  return [...whole, ...steadyRows, fcRow];
}
