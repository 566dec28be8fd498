// Rows for the simulator: each bug scenario (examples/bugs/) explored with one strategy per
// seed, stopping at the first failure (no shrinking while timed), executions to that failure
// and executions per second; then one more exploration with shrinking for the shrunk run's
// length. Scenarios load as the CLI loads them (sim/scenario/load.ts: "ipcsim" is dist/).
//
// The timed search is explore()'s loop (sim/scenario/explore.ts) on one Runner for all the
// seeds of a row: explore() makes a kernel per call, which costs more than the few executions
// an easy bug needs, and would make executions/s measure kernel set-up. firstFailure() is
// checked against explore() for seed 1 of every row.

import {
  Prng, Runner, explore, makeStrategy, type ExploreResult, type ScenarioModule,
} from "../../sim/index.js";
import { loadScenario } from "../../sim/scenario/load.js";
import type { Row } from "../harness.js";
import { describe, timeToBug, type TimeToBug } from "./stats.js";

interface SimRowExtra {
  timeToBug: TimeToBug;
  /** The first failure of seed 1, shrunk: calls and preemptions (and before shrinking). */
  shrunk?: { steps: number; preemptions: number; fromSteps: number; verdict: string };
  unsupported?: string;
}

export async function loadBug(name: string): Promise<ScenarioModule> {
  return loadScenario(`examples/bugs/${name}.ts`);
}

/** Executions to the first failure for seeds 1..seeds (one seed for dfs: it ignores it), and
 * seed 1's failure shrunk. Seed 1 runs first through explore() itself (untimed): it checks the
 * timed loop below and gives the shrunk failure. */
async function simTimeToBug(
  m: ScenarioModule, strategy: string, seeds: number, cap: number,
): Promise<TimeToBug & { unsupported?: string; shrunk?: SimRowExtra["shrunk"] }> {
  const check = await explore(m, { strategy, seed: 1, runs: cap });
  const v = check.failure?.verdict;
  if (v?.kind === "unsupported") return { ...timeToBug([], cap, 0, 1), unsupported: v.message };
  const runner = new Runner(m);
  const firsts: (number | undefined)[] = [];
  let executions = 0;
  const t0 = performance.now();
  for (let seed = 1; seed <= (strategy.startsWith("dfs") ? 1 : seeds); seed++) {
    const r = await firstFailure(runner, strategy, seed, cap);
    if (seed === 1 && r.runs !== check.runs) {
      throw new Error(`bench: ${strategy} seed 1: first failure at ${r.runs}, ` +
        `explore() says ${check.runs}`);
    }
    firsts.push(r.failed ? r.runs : undefined);
    executions += r.runs;
  }
  const seconds = (performance.now() - t0) / 1e3;
  return { ...timeToBug(firsts, cap, executions, seconds), shrunk: shrunkOf(check) };
}

/** explore()'s search without its result objects: runs until the first failure or the cap. */
async function firstFailure(
  runner: Runner, strategy: string, seed: number, cap: number,
): Promise<{ failed: boolean; runs: number }> {
  const s = makeStrategy({ strategy });
  const master = new Prng(seed);
  for (let i = 0; i < cap; i++) {
    const pending = runner.execute(s, master.fork(), i);
    if (!pending) return { failed: false, runs: i };
    if ((await pending).verdict.kind !== "ok") return { failed: true, runs: i + 1 };
  }
  return { failed: false, runs: cap };
}

function shrunkOf(r: ExploreResult): SimRowExtra["shrunk"] {
  if (r.ok || !r.shrunk || !r.failure) return undefined;
  return {
    steps: r.shrunk.steps, preemptions: r.shrunk.preemptions, fromSteps: r.failure.steps,
    verdict: r.shrunk.verdict.kind,
  };
}

export async function simRow(
  bug: string, m: ScenarioModule, strategy: string, seeds: number, cap: number,
): Promise<Row & SimRowExtra> {
  const t = await simTimeToBug(m, strategy, seeds, cap);
  const what = `model: explore --strategy ${strategy}`;
  const base = { bench: "scenarios", case: bug, what, unit: "executions/s" };
  if (t.unsupported) {
    return {
      ...base, rate: 0, rateWorst: 0, spread: 0, rounds: 0, items: 0, ms: 0,
      note: `not run: ${t.unsupported}`, timeToBug: t, unsupported: t.unsupported,
    };
  }
  const rate = t.executions / t.seconds;
  const shrunk = t.shrunk;
  const s = shrunk
    ? `; shrunk to ${shrunk.steps} calls, ${shrunk.preemptions} preemptions ` +
      `(from ${shrunk.fromSteps})`
    : "";
  const seedsNote = strategy.startsWith("dfs") ? " (dfs is deterministic: one search)" : "";
  return {
    ...base, rate, rateWorst: rate, spread: 0, rounds: 1, items: t.executions, ms: t.seconds * 1e3,
    note: describe(t) + seedsNote + s, timeToBug: t, shrunk,
  };
}
