// `replay` and `check`: run a trace on the model. Replay follows one path (where the model
// allows several outcomes, the seeded PRNG picks); check verifies each step's expectation
// against the set of outcomes the model allows and stops at the first divergence.

import { eventsMatch, outcomeKey, resultsMatch } from "./trace/compare.js";
import type { Outcome, Step, Trace } from "./trace/types.js";
import { ModelReplay, type ReplayOptions } from "./model/engine.js";
import { Prng } from "./prng.js";
import { stateView, type StateView } from "./state.js";

export interface ReplayedStep {
  step: Step;
  outcome: Outcome;
  /** How many distinct outcomes the model allowed here (1 where Linux is deterministic). */
  allowed: number;
}

export interface ReplayResult {
  steps: ReplayedStep[];
  state: StateView;
}

export function replayTrace(trace: Trace, seed: number, opts: ReplayOptions = {}): ReplayResult {
  const model = new ModelReplay(trace, opts);
  const prng = new Prng(seed);
  const steps: ReplayedStep[] = [];
  for (const step of trace.steps) {
    const allowed = model.step(step);
    const outcome = allowed.length === 1 ? allowed[0] : allowed[prng.below(allowed.length)];
    const key = outcomeKey(outcome);
    model.choose((o) => outcomeKey(o) === key);
    steps.push({ step, outcome, allowed: allowed.length });
  }
  const k = model.settleView();
  return { steps, state: stateView(k, model.pendingSteps(), trace.steps) };
}

export interface Divergence {
  step: Step;
  allowed: Outcome[];
  /** Index of the last step whose expectation (or absence of one) agreed, or -1. */
  lastAgreeing: number;
}

export interface CheckResult {
  checked: number;
  steps: number;
  divergence?: Divergence;
}

/** Does outcome o satisfy the step's expectations (absent ones are not checked)? */
export function meetsExpectation(step: Step, o: Outcome): boolean {
  if (step.expect !== undefined) {
    if (o.result === undefined || !resultsMatch(step.expect, o.result)) return false;
  }
  if (step.expectEvents !== undefined && !eventsMatch(step.expectEvents, o.events)) return false;
  return true;
}

export function checkTrace(trace: Trace, opts: ReplayOptions = {}): CheckResult {
  const model = new ModelReplay(trace, opts);
  let checked = 0;
  for (const step of trace.steps) {
    const allowed = model.step(step);
    const hasExpect = step.expect !== undefined || step.expectEvents !== undefined;
    if (!model.choose((o) => meetsExpectation(step, o))) {
      return { checked, steps: trace.steps.length, divergence: { step, allowed, lastAgreeing: step.index - 1 } };
    }
    if (hasExpect) checked++;
  }
  return { checked, steps: trace.steps.length };
}
