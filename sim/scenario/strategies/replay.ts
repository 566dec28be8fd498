// Replay of a decision string: the recorded choices in order, then 0 (no preemption, wake
// order) once they run out. A recorded value is taken modulo its decision's candidates, as a
// fast-check Schedule's are (arbitrary.ts), so `Schedule("045")` and `--replay 045` are the same
// run. A string ipcsim printed never holds a value out of range (it is what the run chose); one
// that does (written by hand, or the scenario changed since) is counted in `diverged`, and the
// run goes on (as Shuttle's replay does since PR #354).

import type { ChoicePoint, Strategy } from "./strategy.js";

export class ReplayStrategy implements Strategy {
  readonly name: string = "replay";
  /** Decisions whose recorded value did not fit their candidates, in the last run. */
  diverged = 0;

  constructor(private readonly values: readonly number[]) {}

  begin(): boolean {
    this.diverged = 0;
    return true;
  }

  choose(cp: ChoicePoint): number {
    if (cp.index >= this.values.length) return 0;
    const v = this.values[cp.index];
    if (v < cp.candidates.length) return v;
    this.diverged++;
    return v % cp.candidates.length;
  }

  end(): void {}
}
