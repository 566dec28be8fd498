// What pool.ts and its workers (worker.ts) say to each other, and the shared watch block.
//
// The watch block (an Int32Array over a SharedArrayBuffer, one per worker), which the worker
// writes as it runs and the main thread reads while the worker may be spinning:
//
//   [run]          the run index being run, -1 when idle
//   [beat]         runs begun so far (the watchdog's heartbeat)
//   [decisions]    decisions made so far in the current run
//   [pidsAt ...]   pidsMax flags: 1 while that pid's JS runs (scheduler.ts Execution.watch)
//   [decisionsAt ...] the current run's first decisionsMax decisions

import type { Lesson } from "./learning.js";
import type { ScenarioBundle } from "./load.js";
import type { RunOptions } from "./run.js";

export const WATCH = {
  run: 0,
  beat: 1,
  decisions: 2,
  pidsAt: 4,
  pidsMax: 1024,
  decisionsAt: 4 + 1024,
  decisionsMax: 1 << 16,
} as const;
export const WATCH_BYTES = (WATCH.decisionsAt + WATCH.decisionsMax) * 4;

/** workerData: the scenario file (and bundle), the run options (plain data), the watch block. */
export interface WorkerInit {
  file: string;
  /** The scenario's bundle as the main thread built it (no esbuild run in the worker). */
  bundle?: ScenarioBundle;
  opts: RunOptions;
  shared: SharedArrayBuffer;
  /** Send the scenario's console output to the main thread (else it is dropped). */
  console: boolean;
}

/** What partial-order reduction counted: runs that were not redundant (each one Mazurkiewicz
 * trace), races reversed, whether the preemption bound cut the search, and runs cut at a state
 * explored before (a trace run as a program: state caching). */
export interface SearchStats {
  classes: number;
  races: number;
  bounded: boolean;
  cached: number;
}

export type ToWorker =
  /** Lessons of finished runs (learning.ts), before the runs that learn from them. */
  | { type: "learn"; lessons: Lesson[] }
  /** Run indices [from, to), stopping at the first failure. */
  | { type: "runs"; from: number; to: number }
  /** Shrink the failing run `run` (its decisions) with at most `budget` re-runs. */
  | { type: "shrink"; run: number; decisions: string; budget: number }
  /** The one run of `ipcsim run` (its strategy and seed, PRNG not forked, as run.ts). */
  | { type: "one" };

export type ToMain =
  | { type: "ready" }
  /** A console.* call of the scenario's (its arguments formatted). */
  | { type: "console"; method: string; text: string }
  /** Runs [from, to) were made; the last failed when `fail` is set. `exhausted`: the strategy
   * had nothing left at `to`. `sometimes`: each run's conditions, for the runs with some. */
  | {
    type: "ran"; from: number; to: number; lessons: Lesson[];
    sometimes: [number, [string, boolean][]][]; exhausted: boolean;
    fail?: { run: number; decisions: string };
    /** dpor's counts so far (strategies/dpor.ts), when the strategy is dpor. */
    search?: SearchStats;
  }
  | { type: "shrunk"; decisions: string; runs: number }
  | { type: "one"; decisions: string };
