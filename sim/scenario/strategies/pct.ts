// PCT, probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi, Nagarakatte,
// ASPLOS'10): each process gets a random priority when it first appears, above d; d-1 change
// points are drawn uniformly among the k steps a run is expected to take; the highest-priority
// candidate always runs, and at change point i the process that made the previous call drops
// to priority d-i. A bug of depth d is found with probability at least 1/(n k^(d-1)) per run.
//
// Without a depth ("pct"), runs cycle through depths 1, 2, 3 (a small portfolio): a shallow
// bug (depth 1: one ordering, like the uneven workload's) is found in a few runs, where a fixed
// d = 3 keeps disrupting the one order that shows it; deeper bugs cost at most 3 times their
// fixed-depth runs. "pct:D" fixes the depth.
//
// k is learnt as Shuttle does: the longest run seen so far (the first run uses `stepsHint`).
// Processes are created dynamically (fork), so a new pid's priority is drawn when it first
// appears among candidates. Woken processes race by the same priorities.

import type { Prng } from "../../prng.js";
import type { ChoicePoint, Strategy } from "./strategy.js";

export class PctStrategy implements Strategy {
  readonly name: string;
  private prng!: Prng;
  private k: number;
  /** The depth of the current run. */
  private depth: number;
  private priority: number[] = [];
  private changeAt: number[] = [];
  private applied = 0;

  /** `fixedDepth` undefined: cycle through depths 1..maxDepth, one per run. */
  constructor(
    readonly fixedDepth: number | undefined = undefined,
    stepsHint = 20,
    readonly maxDepth = 3,
  ) {
    const d = fixedDepth ?? maxDepth;
    if (!Number.isInteger(d) || d < 1) throw new RangeError(`PCT depth must be >= 1, got ${d}`);
    this.name = fixedDepth === undefined ? "pct" : `pct:${fixedDepth}`;
    this.depth = d;
    this.k = Math.max(1, stepsHint);
  }

  begin(run: number, prng: Prng): boolean {
    this.prng = prng;
    this.depth = this.fixedDepth ?? 1 + (run % this.maxDepth);
    this.priority = [];
    this.applied = 0;
    this.changeAt = [];
    for (let i = 0; i < this.depth - 1; i++) this.changeAt.push(1 + prng.below(this.k));
    this.changeAt.sort((a, b) => a - b);
    return true;
  }

  private prio(pid: number): number {
    let p = this.priority[pid];
    if (p === undefined) {
      // Above every change-point priority (1..d-1); distinct with overwhelming probability.
      p = this.depth + this.prng.nextU32() / 0x100000000;
      this.priority[pid] = p;
    }
    return p;
  }

  choose(cp: ChoicePoint): number {
    while (this.applied < this.changeAt.length && this.changeAt[this.applied] <= cp.steps) {
      this.applied++;
      if (cp.last > 0) this.priority[cp.last] = this.depth - this.applied;
    }
    let best = 0;
    let bestPrio = -Infinity;
    for (let i = 0; i < cp.candidates.length; i++) {
      const p = this.prio(cp.candidates[i]);
      if (p > bestPrio) {
        bestPrio = p;
        best = i;
      }
    }
    return best;
  }

  end(_log: unknown, _stepsBy: readonly number[], steps: number): void {
    if (steps > this.k) this.k = steps;
  }
}
