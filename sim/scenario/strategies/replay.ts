// Replay of a decision string: the recorded choices in order, then 0 (no preemption, wake
// order) once they run out. A recorded value that no longer fits (the scenario changed) is
// replaced by 0 and counted in `diverged`, and the run goes on (as Shuttle does since PR #354).

import type { ChoicePoint, Strategy } from "./strategy.js";

export class ReplayStrategy implements Strategy {
  readonly name = "replay";
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
    return 0;
  }

  end(): void {}
}
