// The default strategy: uniform random picks and PCT in turn, run by run (even run indices
// random, odd ones pct, itself cycling through depths 1, 2, 3). Each finds what the other
// misses: random preempts often, so a bug that needs preemptions anywhere in a short run
// takes it a few runs, and PCT keeps one order for a whole run, so a bug that needs one
// process to run far ahead (the uneven workload) takes it a few runs where random needs 2^25.
// PCT's change points are among decisions (pct.ts), so a long single-process prefix does not
// dilute them. A bug either finds in r runs takes the mix at most about 2r.
//
// Each member gets its own run numbering (run i of the mix is run floor(i/2) of its member),
// and neither learns from earlier runs: a run depends only on the seed and its run index.

import type { Prng } from "../../prng.js";
import type { DecisionLog } from "../decisions.js";
import { PctStrategy } from "./pct.js";
import { RandomStrategy } from "./random.js";
import type { ChoicePoint, Strategy } from "./strategy.js";

export class MixStrategy implements Strategy {
  readonly name = "mix";
  private readonly members: readonly Strategy[] = [new RandomStrategy(), new PctStrategy()];
  private current: Strategy = this.members[0];

  begin(run: number, prng: Prng): boolean {
    const n = this.members.length;
    this.current = this.members[run % n];
    return this.current.begin(Math.floor(run / n), prng);
  }

  choose(cp: ChoicePoint): number {
    return this.current.choose(cp);
  }

  end(log: DecisionLog, stepsBy: readonly number[], steps: number): void {
    this.current.end(log, stepsBy, steps);
  }
}
