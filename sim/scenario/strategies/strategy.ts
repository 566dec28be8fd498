// What a scheduling strategy is: something that, at each decision point of a run, picks an
// index into the candidate list (decisions.ts), and learns from each finished run.

import type { Prng } from "../../prng.js";
import type { DecisionKind, DecisionLog } from "../decisions.js";
import type { Footprint } from "../footprint.js";

/** One decision of a run, as a Strategy sees it. */
export interface ChoicePoint {
  kind: DecisionKind;
  /** Candidate pids in decision order (decisions.ts); at least two. 0 (CLOCK, last) is the
   * clock: a timer may fire. */
  candidates: readonly number[];
  /** The process that made the previous call (0 before the first). */
  last: number;
  /** Calls made so far in this run, and by each pid (indexed by pid; [0]: advances). */
  steps: number;
  stepsBy: readonly number[];
  /** This decision's index in the run's log. */
  index: number;
  /** The run's state here as a key (state-key.ts), where equal keys are equal states: only
   * for a trace run as a program (a "proc" decision); absent elsewhere. */
  state?: () => string;
}

/** How a run's decisions are drawn: `choose` picks a candidate at each decision. A custom
 * one may be passed as `strategy` to run and explore. */
export interface Strategy {
  /** As the CLI names it: "random", "pct:3", "urw", "dfs:2", "replay". */
  readonly name: string;
  /** Start one run (its own PRNG). False when the strategy has nothing left to try (an
   * exhaustive search that has enumerated everything). */
  begin(run: number, prng: Prng): boolean;
  /** An index in [0, candidates.length). */
  choose(cp: ChoicePoint): number;
  /** The run ended: its decisions and how many calls each pid made. */
  end(log: DecisionLog, stepsBy: readonly number[], steps: number): void;
  /** Given, each step's footprint (footprint.ts) as it ends, in step order: `pid` made step
   * `step` (0: an advance). Only partial-order reduction needs it; the scheduler computes
   * footprints only for a strategy that has this method. */
  observe?(pid: number, fp: Footprint, step: number): void;
}
