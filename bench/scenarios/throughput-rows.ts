// Throughput rows: executions per second of the 2-process 20-call scenario
// (scenarios/throughput.ts) explored with each random strategy, against the same program under
// fc.scheduler (fc-baseline/throughput.ts), timed in alternation round by round.
// Issue goal: at least 20,000 executions/s.

import fc from "fast-check";
import { explore, run } from "../../sim/index.js";
import { loadScenario } from "../../sim/scenario/load.js";
import { throughput as fcThroughput } from "../fc-baseline/throughput.js";
import { World } from "../fc-baseline/world.js";
import {
  collectGarbage, compare, rowFromTimes, withGoal, type BenchOptions, type Row,
} from "../harness.js";

const THROUGHPUT_GOAL = 20_000;
const STRATEGIES = ["random", "pct", "urw"];
const WARMUP = 1;

async function timed(fn: () => Promise<number>): Promise<[number, number]> {
  collectGarbage();
  const t0 = process.hrtime.bigint();
  const n = await fn();
  return [Number(process.hrtime.bigint() - t0) / 1e9, n];
}

export async function throughputRows(opts: BenchOptions): Promise<Row[]> {
  const m = await loadScenario("bench/scenarios/throughput.ts");
  const one = await run(m, { seed: 1 });
  if (!one.ok || one.steps !== 20) {
    throw new Error(
      `bench: throughput scenario: ${one.verdict.kind}, ${one.steps} calls (want ok, 20)`);
  }
  const runs = Math.max(200, Math.round(5000 * opts.scale));
  const fcRuns = Math.max(200, Math.round(2000 * opts.scale));
  const contenders: Record<string, () => Promise<number>> = {};
  for (const strategy of STRATEGIES) {
    contenders[strategy] = async () => {
      const r = await explore(m, { strategy, seed: 1, runs, shrink: false });
      if (!r.ok || r.runs !== runs) {
        throw new Error(`bench: throughput ${strategy}: ok ${r.ok}, ${r.runs} runs`);
      }
      return r.runs;
    };
  }
  contenders.fc = async () => {
    const p = fc.asyncProperty(fc.scheduler(), async (s) => (await fcThroughput(new World(s))).ok);
    const out = await fc.check(p, { seed: 1, numRuns: fcRuns });
    if (out.failed) throw new Error("bench: fc throughput program failed");
    return out.numRuns;
  };
  const times: Record<string, number[]> = {};
  for (let r = 0; r < WARMUP + opts.rounds; r++) {
    for (const [name, fn] of Object.entries(contenders)) {
      const [s] = await timed(fn);
      if (r >= WARMUP) (times[name] ??= []).push(s);
    }
  }
  const base = {
    bench: "scenarios", case: "throughput: 2 processes, 20 calls", unit: "executions/s",
  };
  const fcWhat = "baseline: fast-check fc.scheduler";
  const fcRow = rowFromTimes({ ...base, what: fcWhat }, fcRuns, times.fc);
  const rows = STRATEGIES.map((strategy) => {
    const what = `model: explore --strategy ${strategy}`;
    const row = rowFromTimes({ ...base, what }, runs, times[strategy]);
    const r = withGoal(compare(row, fcRow), THROUGHPUT_GOAL);
    r.note = `${Math.round(r.rate * 20 / 1000)} k calls/s; goal ${THROUGHPUT_GOAL} executions/s`;
    return r;
  });
  return [...rows, fcRow];
}
