// `ipcsim verify` (issue 23): runs needed by naive exhaustive search (dfs without a preemption
// bound: every interleaving) and by partial-order reduction (dpor: one run per Mazurkiewicz
// trace, strategies/dpor.ts) to cover every behaviour of the examples and of scenario families
// that grow with N (scenarios/families.ts): N independent pipe pairs, N clients of one
// semaphore, the dining philosophers with N = 3..6. Naive search stops at a cap (runs or
// seconds) and is then reported as "> cap". Then, per family, the largest N dpor verifies
// within 60 s on one core. These are counts, not rates: the `best` column is runs, the ratio
// is dfs runs / dpor runs (at least, when dfs hit its cap).

import { Prng } from "../sim/prng.js";
import { loadScenario } from "../sim/scenario/load.js";
import { Runner, type Scenario } from "../sim/scenario/run.js";
import { DfsStrategy } from "../sim/scenario/strategies/dfs.js";
import { DporStrategy } from "../sim/scenario/strategies/dpor.js";
import type { Strategy } from "../sim/scenario/strategies/strategy.js";
import { now, type BenchOptions, type Row } from "./harness.js";
import { independentPairs, philosophers, semaphoreClients } from "./scenarios/families.js";
import { pairsTrace, philosophersTrace, semaphoreTrace } from "./scenarios/trace-families.js";

const DFS_RUNS_CAP = 200_000;
const BUDGET_S = 60;
/** Where the largest-N search stops. */
const MAX_N = 64;

interface Search {
  runs: number;
  seconds: number;
  /** Whether the search ran to its end (else it hit the cap). */
  complete: boolean;
  failed: boolean;
}

async function search(scenario: Scenario, s: Strategy, capRuns: number, capS: number):
  Promise<Search> {
  const runner = new Runner(scenario, { maxSteps: 2000 });
  runner.record = false;
  const t0 = now();
  let runs = 0;
  let failed = false;
  for (;;) {
    const pending = runner.execute(s, new Prng(0), runs);
    if (!pending) return { runs, seconds: now() - t0, complete: true, failed };
    const e = await pending;
    runs++;
    if (e.verdict.kind !== "ok") failed = true;
    if (runs >= capRuns || now() - t0 > capS) {
      return { runs, seconds: now() - t0, complete: false, failed };
    }
  }
}

function row(name: string, what: string, s: Search, note: string, base?: Search): Row {
  const r: Row = {
    bench: "verify", case: name, what, unit: s.complete ? "runs" : "runs (cap)",
    rate: s.runs, rateWorst: s.runs, spread: 0, rounds: 1, items: s.runs, ms: s.seconds * 1000,
    note: `${note}; ${s.seconds.toFixed(2)} s${s.failed ? "; some runs failed" : ""}`,
  };
  if (base) {
    r.baseline = "naive dfs (every interleaving)";
    r.ratio = base.runs / s.runs;
  }
  return r;
}

async function compareOn(name: string, scenario: Scenario, opts: BenchOptions): Promise<Row[]> {
  const cap = Math.max(1000, Math.round(DFS_RUNS_CAP * opts.scale));
  const naive = await search(scenario, new DfsStrategy(Infinity), cap, BUDGET_S * opts.scale);
  const dpor = new DporStrategy();
  const reduced = await search(scenario, dpor, Infinity, BUDGET_S);
  opts.log(`verify: ${name}: dfs ${naive.complete ? "" : "> "}${naive.runs}, dpor ${reduced.runs}`);
  const dfsNote = naive.complete ? "every interleaving" : `stopped at the cap`;
  const dporNote = `${dpor.classes} classes, ${dpor.races} races reversed` +
    (reduced.complete ? "" : ", stopped at the 60 s budget");
  return [
    row(name, "naive dfs (every interleaving)", naive, dfsNote),
    row(name, "dpor", reduced, dporNote, naive),
  ];
}

/** A family written as a trace (run as a program): naive dfs, dpor without the state cache,
 * and dpor with it. */
async function compareTrace(name: string, scenario: Scenario, opts: BenchOptions):
  Promise<Row[]> {
  const cap = Math.max(1000, Math.round(DFS_RUNS_CAP * opts.scale));
  const naive = await search(scenario, new DfsStrategy(Infinity), cap, BUDGET_S * opts.scale);
  const plain = new DporStrategy(Infinity, false);
  const reduced = await search(scenario, plain, Infinity, BUDGET_S * opts.scale);
  const cache = new DporStrategy();
  const cached = await search(scenario, cache, Infinity, BUDGET_S * opts.scale);
  opts.log(`verify: ${name} (trace): dfs ${naive.complete ? "" : "> "}${naive.runs}, dpor ` +
    `${reduced.complete ? "" : "> "}${reduced.runs}, dpor + cache ` +
    `${cached.complete ? "" : "> "}${cached.runs}`);
  const cut = (s: Search): string => s.complete ? "" : ", stopped at the budget";
  return [
    row(name, "naive dfs (trace)", naive, naive.complete ? "every interleaving" : "stopped"),
    row(name, "dpor (trace)", reduced, `${plain.classes} classes${cut(reduced)}`, naive),
    row(name, "dpor + state cache (trace)", cached,
      `${cache.classes} classes, ${cache.cached} runs cut at a state seen before${cut(cached)}`,
      naive),
  ];
}

/** The largest N of a family dpor verifies (exhausts) within BUDGET_S seconds. */
async function largest(name: string, family: (n: number) => Scenario, from: number,
  opts: BenchOptions): Promise<Row> {
  let best: { n: number; s: Search } | null = null;
  for (let n = from; n <= MAX_N; n++) {
    const s = await search(family(n), new DporStrategy(), Infinity, BUDGET_S * opts.scale);
    opts.log(`verify: ${name} N=${n}: ${s.runs} runs in ${s.seconds.toFixed(1)} s`);
    if (!s.complete) break;
    best = { n, s };
  }
  const s = best?.s ?? { runs: 0, seconds: 0, complete: true, failed: false };
  const n = best?.n ?? 0;
  return row(`${name}: largest N in ${BUDGET_S * opts.scale} s`, `dpor, N = ${n}`, s,
    n === MAX_N ? `one core; the bench stops at N = ${MAX_N}` : "one core");
}

export async function verifyBench(opts: BenchOptions): Promise<Row[]> {
  const rows: Row[] = [];
  for (const file of ["examples/pipe.ts", "examples/sem-mutex.ts", "examples/fifo.ts",
    "examples/bugs/sem-order.fixed.ts", "examples/bugs/shm-lost-update.fixed.ts"]) {
    rows.push(...await compareOn(file, await loadScenario(file), opts));
  }
  for (let n = 1; n <= 5; n++) {
    rows.push(...await compareOn(`${n} independent pipe pairs`, independentPairs(n), opts));
  }
  for (let n = 2; n <= 4; n++) {
    rows.push(...await compareOn(`${n} clients of one semaphore`, semaphoreClients(n), opts));
  }
  for (let n = 3; n <= 6; n++) {
    rows.push(...await compareOn(`${n} dining philosophers`, philosophers(n), opts));
  }
  for (const [name, family, ns] of [
    ["independent pipe pairs", pairsTrace, [2, 4, 8]],
    ["clients of one semaphore", semaphoreTrace, [2, 3, 4]],
    ["dining philosophers", philosophersTrace, [3, 4]],
  ] as const) {
    for (const n of ns) rows.push(...await compareTrace(`${n} ${name}`, family(n), opts));
  }
  rows.push(await largest("independent pipe pairs", independentPairs, 1, opts));
  rows.push(await largest("clients of one semaphore", semaphoreClients, 2, opts));
  rows.push(await largest("dining philosophers", philosophers, 3, opts));
  rows.push(await largest("dining philosophers (trace, state cache)", philosophersTrace, 3, opts));
  return rows;
}
