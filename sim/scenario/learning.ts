// Learning in blocks, so that run i of an exploration depends only on the seed and i.
//
// URW learns each process's length from the runs before (PCT used to learn the run's length;
// it now draws a scale per run, and random and mix learn nothing: the wrapper is harmless).
// Learning from every earlier run would make run i depend on which runs finished first once
// runs go to several workers (pool.ts). So a strategy learns at block boundaries only: run i
// learns from every run of the blocks before its own, applied in run order, whoever ran them.
// Blocks are [0,1), [1,2), [2,4), ... [128,256), then every 256 runs: early runs learn almost at
// once, later blocks are long enough to keep every worker busy between two boundaries.
// Random, pct and mix learn nothing (no lessons are kept, and pool.ts puts no barrier at block
// boundaries: its workers need not wait for each other); dfs is one sequential search and is
// not wrapped.

import type { Prng } from "../prng.js";
import { DecisionLog, type DecisionKind } from "./decisions.js";
import { MixStrategy } from "./strategies/mix.js";
import { PctStrategy } from "./strategies/pct.js";
import { RandomStrategy } from "./strategies/random.js";
import type { ChoicePoint, Strategy } from "./strategies/strategy.js";

const BLOCK_RUNS_MAX = 256;

/** The strategies whose `end` learns nothing. Any other is taken to learn (a new strategy
 * keeps its barriers until it is listed here). */
const LEARNS_NOTHING = [RandomStrategy, PctStrategy, MixStrategy];

/** The first run index of the block after run `run`'s. */
export function blockEnd(run: number): number {
  if (run >= BLOCK_RUNS_MAX) return (Math.floor(run / BLOCK_RUNS_MAX) + 1) * BLOCK_RUNS_MAX;
  let end = 1;
  while (end <= run) end *= 2;
  return end;
}

/** The first run index of run `run`'s block. */
function blockStart(run: number): number {
  if (run >= BLOCK_RUNS_MAX) return Math.floor(run / BLOCK_RUNS_MAX) * BLOCK_RUNS_MAX;
  return run === 0 ? 0 : blockEnd(run) / 2;
}

/** What one finished run teaches a strategy: Strategy.end's arguments, as plain data (it
 * crosses between threads). */
export interface Lesson {
  run: number;
  values: number[];
  arities: number[];
  kinds: DecisionKind[];
  continuable: boolean[];
  stepsBy: number[];
  steps: number;
}

export function lessonOf(run: number, log: DecisionLog, stepsBy: readonly number[],
  steps: number): Lesson {
  return {
    run, values: [...log.values], arities: [...log.arities], kinds: [...log.kinds],
    continuable: [...log.continuable], stepsBy: [...stepsBy], steps,
  };
}

/** `inner`, learning only at block boundaries. `fromOwnRuns`: each run's end is a lesson (one
 * thread); otherwise lessons come through `learn` (a worker is told every run's). */
export class BlockLearning implements Strategy {
  readonly name: string;
  /** Whether the inner strategy learns at all (random, pct, mix do not: no lessons are kept). */
  readonly learns: boolean;
  private pending: Lesson[] = [];
  private current = -1;

  constructor(readonly inner: Strategy, private readonly fromOwnRuns: boolean) {
    this.name = inner.name;
    this.learns = !LEARNS_NOTHING.some((c) => inner instanceof c);
  }

  learn(lesson: Lesson): void {
    if (this.learns) this.pending.push(lesson);
  }

  begin(run: number, prng: Prng): boolean {
    this.current = run;
    const start = blockStart(run);
    if (this.pending.some((l) => l.run < start)) {
      const now = this.pending.filter((l) => l.run < start).sort((a, b) => a.run - b.run);
      this.pending = this.pending.filter((l) => l.run >= start);
      for (const l of now) this.inner.end(logOf(l), l.stepsBy, l.steps);
    }
    return this.inner.begin(run, prng);
  }

  choose(cp: ChoicePoint): number {
    return this.inner.choose(cp);
  }

  end(log: DecisionLog, stepsBy: readonly number[], steps: number): void {
    // Random keeps no lessons: no copy of the run's log to throw away.
    if (this.fromOwnRuns && this.learns) this.learn(lessonOf(this.current, log, stepsBy, steps));
  }
}

function logOf(l: Lesson): DecisionLog {
  const log = new DecisionLog();
  for (let i = 0; i < l.values.length; i++) {
    log.push(l.kinds[i], l.arities[i], l.values[i], l.continuable[i]);
  }
  return log;
}
