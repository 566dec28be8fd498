// `explore`: many schedules of a scenario with one strategy, stopping at the first failure,
// which is then shrunk (shrink.ts). Each run draws from its own PRNG, forked from the seed's;
// the decision string, not the seed, is what replays a run (URW also learns from the runs of
// earlier blocks: learning.ts, so that run i depends only on the seed and i and the runs may go
// to several workers, pool.ts; random, pct and mix learn nothing). Reports `sometimes`
// coverage: each condition reached in at least one run or not.
//
// Sharding (DESIGN.md "Scaling out"): shard k of n runs the k-th of n equal slices of the run
// indices [0, runs), each run with the same PRNG stream it has in the unsharded exploration, so
// n machines together cover what one would (urw, which learns from earlier runs, learns within
// its shard). dfs is one deterministic search and cannot be sharded.

import { Prng } from "../prng.js";
import { mergeSometimes } from "./checks.js";
import { StrategyError, isSearch, makeStrategy } from "./strategies/index.js";
import { Runner, type RunOptions, type RunResult, type Scenario } from "./run.js";
import { shrink } from "./shrink.js";
import { BlockLearning } from "./learning.js";
import type { Strategy } from "./strategies/strategy.js";

/** Options of explore: run's, and the budget, shrinking, progress and sharding. */
export interface ExploreOptions extends RunOptions {
  /** Schedules to run at most (default 1000). */
  runs?: number;
  /** Shrink a failure (default true), with at most this many re-runs (default 2000). */
  shrink?: boolean;
  shrinkBudget?: number;
  /** Called after each run (for a progress bar). */
  onProgress?: (done: number, total: number) => void;
  /** Run only slice `index` (1-based) of `count` of the run indices. */
  shard?: { index: number; count: number };
}

/** The run indices [from, to) of a shard. */
export function shardRange(
  total: number, shard?: { index: number; count: number },
): [number, number] {
  if (!shard) return [0, total];
  const { index, count } = shard;
  if (!Number.isInteger(count) || count < 1 ||
    !Number.isInteger(index) || index < 1 || index > count) {
    throw new StrategyError(`--shard ${index}/${count}: want K/N with 1 <= K <= N`);
  }
  return [Math.floor(((index - 1) * total) / count), Math.floor((index * total) / count)];
}

/** What explore resolves to: ok, or the first failure found and its shrunk form. */
export interface ExploreResult {
  ok: boolean;
  /** Runs made before stopping (not counting shrinking). */
  runs: number;
  /** The search enumerated every schedule (dfs within its bound) before the budget. */
  exhausted: boolean;
  strategy: string;
  seed: number;
  /** The first failing run as found, and shrunk (equal when shrinking is off). */
  failure?: RunResult;
  shrunk?: RunResult;
  shrinkRuns?: number;
  /** Each `sometimes` condition seen, and whether some run reached it. */
  sometimes: Record<string, boolean>;
}

/** Run up to `runs` schedules of `scenario` (default 1000), each from its own PRNG forked from
 * `seed`; stop at the first failing run and shrink its decisions to a smaller failing run
 * (fewer preemptions, then fewer calls). `sometimes` reports each os.sometimes condition.
 * @throws StrategyError for an unknown strategy or a bad shard.
 * @example
 * const e = await explore(main, { strategy: "pct", runs: 500 });
 * if (!e.ok) console.log(e.shrunk?.replayCommand);
 */
export async function explore(
  scenario: Scenario, opts: ExploreOptions = {},
): Promise<ExploreResult> {
  const runner = new Runner(scenario, opts);
  runner.record = false; // the failure is replayed recorded
  const strategy = exploreStrategy(opts);
  const seed = opts.seed ?? 0;
  const [from, to] = shardRange(opts.runs ?? 1000, opts.shard);
  if (opts.shard && isSearch(strategy)) {
    throw new StrategyError(
      `--shard: ${strategy.name} is one deterministic search and cannot be sharded`);
  }
  const total = to - from;
  const master = new Prng(seed);
  for (let i = 0; i < from; i++) master.fork();
  const coverage = new Map<string, boolean>();
  let runs = 0;
  for (; runs < total; runs++) {
    const pending = runner.execute(strategy, master.fork(), from + runs);
    if (!pending) break;
    const exec = await pending;
    mergeSometimes(coverage, exec.sometimes);
    opts.onProgress?.(runs + 1, total);
    if (exec.verdict.kind === "ok") continue;
    const failure = runner.result(await runner.recorded(exec, from + runs), seed, strategy.name);
    const base = {
      ok: false, runs: runs + 1, exhausted: false, strategy: strategy.name, seed, failure,
    };
    if (opts.shrink === false) {
      return { ...base, shrunk: failure, sometimes: Object.fromEntries(coverage) };
    }
    const s = await shrink(runner, exec, opts.shrinkBudget ?? 2000);
    const shrunk = runner.result(await runner.recorded(s.exec, from + runs), seed, "replay");
    return { ...base, shrunk, shrinkRuns: s.runs, sometimes: Object.fromEntries(coverage) };
  }
  const exhausted = isSearch(strategy) && strategy.exhausted;
  const sometimes = Object.fromEntries(coverage);
  return { ok: true, runs, exhausted, strategy: strategy.name, seed, sometimes };
}

/** The strategy explore runs: a named one learns in blocks (learning.ts), except dfs (one
 * sequential search); a Strategy object passed in is used as is. `fromOwnRuns` false: the
 * lessons are given by the caller (a worker, told every run's). */
export function exploreStrategy(opts: RunOptions, fromOwnRuns = true): Strategy {
  const strategy = makeStrategy(opts);
  if (isSearch(strategy) || typeof opts.strategy === "object") return strategy;
  return new BlockLearning(strategy, fromOwnRuns);
}
