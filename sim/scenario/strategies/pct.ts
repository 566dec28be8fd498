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
//
// The clock (candidate 0, scheduler.ts: a timer may fire) is not a process: each expiry is an
// event of its own, as if a thread with one step. When the clock is a candidate for a new
// expiry (the advances made so far changed), it takes a random rank among the candidates'
// priorities (above all, between two, or below all, equally likely), kept until it fires: so a
// timer beats a given set of runnable processes with probability 1/(m+1), and a timed retry
// loop cannot starve the process it waits for, as a fixed top priority would.

import type { Prng } from "../../prng.js";
import { CLOCK } from "../decisions.js";
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
  /** The clock's priority, and the advances made before the expiry it was drawn for. */
  private clockPrio = 0;
  private clockFor = -1;

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
    this.clockFor = -1;
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
    const n = cp.candidates.length;
    if (cp.candidates[n - 1] === CLOCK && cp.stepsBy[CLOCK] !== this.clockFor) this.drawClock(cp);
    let best = 0;
    let bestPrio = -Infinity;
    for (let i = 0; i < n; i++) {
      const pid = cp.candidates[i];
      const p = pid === CLOCK ? this.clockPrio : this.prio(pid);
      if (p > bestPrio) {
        bestPrio = p;
        best = i;
      }
    }
    return best;
  }

  /** A rank among the process candidates' priorities, each of the m+1 places equally likely. */
  private drawClock(cp: ChoicePoint): void {
    const ps: number[] = [];
    for (const pid of cp.candidates) if (pid !== CLOCK) ps.push(this.prio(pid));
    ps.sort((a, b) => b - a);
    const g = this.prng.below(ps.length + 1);
    this.clockPrio =
      g === 0 ? ps[0] + 1 : g === ps.length ? ps[g - 1] - 1 : (ps[g - 1] + ps[g]) / 2;
    this.clockFor = cp.stepsBy[CLOCK];
  }

  end(_log: unknown, _stepsBy: readonly number[], steps: number): void {
    if (steps > this.k) this.k = steps;
  }
}
