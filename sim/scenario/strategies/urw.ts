// URW, uniform random walk ("Selectively Uniform Concurrency Testing", Zhao, Wolff, Mathur,
// Roychoudhury, ASPLOS'25; Shuttle's UniformRandomScheduler): pick a process with probability
// proportional to the calls it still has to make, so that every interleaving of the processes'
// calls is about equally likely even when their lengths differ (uniform random picks make the
// interleavings that run a long process first exponentially rare).
//
// A process's length is estimated from earlier runs (the most calls that pid made in any run;
// 1 before it was seen), as Shuttle estimates from a trial run. Woken processes race uniformly.
// The clock (candidate 0) is weighed the same way, by the advances it still has to make.

import type { Prng } from "../../prng.js";
import type { ChoicePoint, Strategy } from "./strategy.js";

export class UrwStrategy implements Strategy {
  readonly name = "urw";
  private prng!: Prng;
  private estimate: number[] = [];

  begin(_run: number, prng: Prng): boolean {
    this.prng = prng;
    return true;
  }

  choose(cp: ChoicePoint): number {
    const n = cp.candidates.length;
    if (cp.kind !== 0) return this.prng.below(n);
    let total = 0;
    const w: number[] = [];
    for (let i = 0; i < n; i++) {
      const pid = cp.candidates[i];
      const left = Math.max(1, (this.estimate[pid] ?? 1) - (cp.stepsBy[pid] ?? 0));
      w.push(left);
      total += left;
    }
    let r = this.prng.below(total);
    for (let i = 0; i < n; i++) {
      if (r < w[i]) return i;
      r -= w[i];
    }
    return n - 1;
  }

  end(_log: unknown, stepsBy: readonly number[]): void {
    for (let pid = 0; pid < stepsBy.length; pid++) {
      const s = stepsBy[pid];
      if (s !== undefined && s > (this.estimate[pid] ?? 0)) this.estimate[pid] = s;
    }
  }
}
