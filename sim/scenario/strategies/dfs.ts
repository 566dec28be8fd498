// Bounded exhaustive search: a stateless depth-first enumeration of the decision tree (every
// run replays a prefix of forced choices, then takes 0s), with a preemption bound as in CHESS
// (Musuvathi and Qadeer, PLDI'07) and loom's LOOM_MAX_PREEMPTIONS. Every distinct decision
// sequence within the bound is run exactly once; `begin` returns false when all have been.
//
// A preemption is a "proc" decision other than 0 where the previous process could have
// continued (decisions.ts); choosing among woken processes is never one.

import { DECISION_PROC, type DecisionLog } from "../decisions.js";
import type { ChoicePoint, Strategy } from "./strategy.js";

export class DfsStrategy implements Strategy {
  readonly name: string;
  private prefix: number[] = [];
  private finished = false;
  /** Runs begun (each is one distinct leaf of the tree). */
  runs = 0;

  constructor(readonly bound = Infinity) {
    this.name = bound === Infinity ? "dfs" : `dfs:${bound}`;
  }

  get exhausted(): boolean {
    return this.finished;
  }

  begin(): boolean {
    if (this.finished) return false;
    this.runs++;
    return true;
  }

  choose(cp: ChoicePoint): number {
    if (cp.index >= this.prefix.length) return 0;
    return Math.min(this.prefix[cp.index], cp.candidates.length - 1);
  }

  end(log: DecisionLog): void {
    let preempt = 0;
    const before: number[] = [];
    for (let i = 0; i < log.length; i++) {
      before.push(preempt);
      if (isPreemption(log, i, log.values[i])) preempt++;
    }
    for (let i = log.length - 1; i >= 0; i--) {
      const next = log.values[i] + 1;
      if (next >= log.arities[i]) continue;
      if (before[i] + (isPreemption(log, i, next) ? 1 : 0) > this.bound) continue;
      this.prefix = [...log.values.slice(0, i), next];
      return;
    }
    this.finished = true;
  }
}

function isPreemption(log: DecisionLog, i: number, value: number): boolean {
  return log.kinds[i] === DECISION_PROC && log.continuable[i] && value !== 0;
}
