// PCT, probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi, Nagarakatte,
// ASPLOS'10): each process gets a random priority when it first appears, above d; d-1 change
// points are drawn uniformly among the first k decisions of a run; the highest-priority
// candidate always runs, and at change point i the process that made the previous call drops
// to priority d-i. A bug of depth d is found with probability at least 1/(n k^(d-1)) per run
// when the run has at most k decisions.
//
// Change points are placed among decisions (decisions.ts: the points where two or more
// processes could step, or two woken processes race), not among all calls: a long stretch where
// one process runs alone (300 write+read pairs before the fork, examples/bugs/late-race.ts)
// has no decision and cannot dilute them. The paper's k counts such points too.
//
// k is not learnt from earlier runs (a run depends only on the seed and its run index, so runs
// may be spread over workers and machines): each run draws its own scale k log-uniformly in
// [2, HORIZON_MAX], so every scale of run is covered by a fixed share of the runs, at a cost of
// a factor about ln(HORIZON_MAX/2) against knowing k. A fixed `horizon` gives the paper's
// algorithm with k = horizon.
//
// Without a depth ("pct"), runs cycle through depths 1, 2, 3 (a small portfolio): a shallow
// bug (depth 1: one ordering, like the uneven workload's) is found in a few runs, where a fixed
// d = 3 keeps disrupting the one order that shows it; deeper bugs cost at most 3 times their
// fixed-depth runs. "pct:D" fixes the depth.
//
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

/** The largest scale (decisions) a run's change points are spread over. */
const HORIZON_MAX = 4096;
const LOG2_HORIZON_MAX = Math.log2(HORIZON_MAX);
/** Draws of the log-uniform scale: a 2^-24 grid on [1, log2 HORIZON_MAX). */
const SCALE_GRID = 1 << 24;

export class PctStrategy implements Strategy {
  readonly name: string;
  private prng!: Prng;
  /** The depth of the current run. */
  private depth: number;
  private priority: number[] = [];
  private changeAt: number[] = [];
  private applied = 0;
  /** The clock's priority, and the advances made before the expiry it was drawn for. */
  private clockPrio = 0;
  private clockFor = -1;

  /** `fixedDepth` undefined: cycle through depths 1..maxDepth, one per run. `horizon`
   * undefined: each run draws its scale (see the file comment). */
  constructor(
    readonly fixedDepth: number | undefined = undefined,
    readonly horizon: number | undefined = undefined,
    readonly maxDepth = 3,
  ) {
    const d = fixedDepth ?? maxDepth;
    if (!Number.isInteger(d) || d < 1) throw new RangeError(`PCT depth must be >= 1, got ${d}`);
    if (horizon !== undefined && !(Number.isInteger(horizon) && horizon >= 1)) {
      throw new RangeError(`PCT horizon must be a whole number >= 1, got ${horizon}`);
    }
    this.name = fixedDepth === undefined ? "pct" : `pct:${fixedDepth}`;
    this.depth = d;
  }

  begin(run: number, prng: Prng): boolean {
    this.prng = prng;
    this.depth = this.fixedDepth ?? 1 + (run % this.maxDepth);
    this.priority = [];
    this.applied = 0;
    this.changeAt = [];
    this.clockFor = -1;
    if (this.depth > 1) {
      const k = this.horizon ?? scale(prng);
      for (let i = 0; i < this.depth - 1; i++) this.changeAt.push(1 + prng.below(k));
    }
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
    // Change point c is taken at the c-th decision (cp.index is 0-based).
    while (this.applied < this.changeAt.length && this.changeAt[this.applied] <= cp.index + 1) {
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

  end(): void {}
}

/** A run's scale: log-uniform in [2, HORIZON_MAX]. */
function scale(prng: Prng): number {
  const e = 1 + (prng.below(SCALE_GRID) / SCALE_GRID) * (LOG2_HORIZON_MAX - 1);
  return Math.floor(2 ** e);
}
