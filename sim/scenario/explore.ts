// `explore`: many schedules of a scenario with one strategy, stopping at the first failure,
// which is then shrunk (shrink.ts). Each run draws from its own PRNG, forked from the seed's;
// the decision string, not the seed, is what replays a run (PCT and URW also learn from the
// runs before). Reports `sometimes` coverage: each condition reached in at least one run or not.

import { Prng } from "../prng.js";
import { mergeSometimes } from "./checks.js";
import { DfsStrategy } from "./strategies/dfs.js";
import { makeStrategy } from "./strategies/index.js";
import { Runner, type RunOptions, type RunResult, type Scenario } from "./run.js";
import { shrink } from "./shrink.js";

export interface ExploreOptions extends RunOptions {
  /** Schedules to run at most (default 1000). */
  runs?: number;
  /** Shrink a failure (default true), with at most this many re-runs (default 2000). */
  shrink?: boolean;
  shrinkBudget?: number;
  /** Called after each run (for a progress bar). */
  onProgress?: (done: number, total: number) => void;
}

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

export async function explore(scenario: Scenario, opts: ExploreOptions = {}): Promise<ExploreResult> {
  const runner = new Runner(scenario, opts);
  const strategy = makeStrategy(opts);
  const seed = opts.seed ?? 0;
  const total = opts.runs ?? 1000;
  const master = new Prng(seed);
  const coverage = new Map<string, boolean>();
  let runs = 0;
  for (; runs < total; runs++) {
    const pending = runner.execute(strategy, master.fork(), runs);
    if (!pending) break;
    const exec = await pending;
    mergeSometimes(coverage, exec.sometimes);
    opts.onProgress?.(runs + 1, total);
    if (exec.verdict.kind === "ok") continue;
    const failure = runner.result(exec, seed, strategy.name);
    const base = { ok: false, runs: runs + 1, exhausted: false, strategy: strategy.name, seed, failure };
    if (opts.shrink === false) return { ...base, shrunk: failure, sometimes: Object.fromEntries(coverage) };
    const s = await shrink(runner, exec, opts.shrinkBudget ?? 2000);
    const shrunk = runner.result(s.exec, seed, "replay");
    return { ...base, shrunk, shrinkRuns: s.runs, sometimes: Object.fromEntries(coverage) };
  }
  const exhausted = strategy instanceof DfsStrategy && strategy.exhausted;
  return { ok: true, runs, exhausted, strategy: strategy.name, seed, sometimes: Object.fromEntries(coverage) };
}
