// `replay` and `check`: run a trace on the model. Replay follows one path (where the model
// allows several outcomes, the seeded PRNG picks); check verifies each step's expectation
// against the set of outcomes the model allows and stops at the first divergence.

import { eventsMatch, resultsMatch } from "./trace/compare.js";
import type { Outcome, Step, Trace } from "./trace/types.js";
import type { TraceStream } from "./trace/parse.js";
import { ModelReplay, type ReplayOptions } from "./model/engine.js";
import { Prng } from "./prng.js";
import { stateView, type StateView } from "./state.js";

/** One step of a replay: the outcome the model gave it. */
export interface ReplayedStep {
  step: Step;
  outcome: Outcome;
  /** How many distinct outcomes the model allowed here (1 where Linux is deterministic). */
  allowed: number;
  /** Earlier steps by index, for naming the calls a wake event resumes. A streaming replay
   * keeps only the steps that blocked (no other step can be woken). */
  steps: readonly Step[];
}

/** What replayTrace returns: every step's outcome, and the kernel's state at the end. */
export interface ReplayResult {
  steps: ReplayedStep[];
  state: StateView;
}

/** Replay `trace`, handing each step's outcome to `onStep` as it happens (nothing is kept but
 * the steps that blocked), and return the final state. Where the model allows several
 * outcomes, `seed` picks. A `TraceStream` is parsed as it is replayed. */
export function replayStream(
  trace: Trace | TraceStream,
  seed: number,
  onStep: (s: ReplayedStep) => void,
  opts: ReplayOptions = {},
): StateView {
  const model = new ModelReplay(trace, opts);
  const prng = new Prng(seed);
  const blocked: Step[] = [];
  for (const step of trace.steps) {
    const allowed = model.step(step);
    const outcome = model.chooseSeeded(allowed, prng);
    if (outcome.result === "blocked") blocked[step.index] = step;
    onStep({ step, outcome, allowed: allowed.length, steps: blocked });
  }
  const k = model.settleView();
  return stateView(k, model.blockedSteps(), blocked);
}

/** Replay `trace` on the model and keep every step's outcome (`ipcsim replay`). Where the
 * model allows several outcomes (a race Linux has too), the PRNG seeded with `seed` picks.
 * @throws TraceError or ModelError when a step is invalid on the model. */
export function replayTrace(trace: Trace, seed: number, opts: ReplayOptions = {}): ReplayResult {
  const steps: ReplayedStep[] = [];
  const state = replayStream(trace, seed, (s) => steps.push(s), opts);
  return { steps, state };
}

interface Divergence {
  step: Step;
  allowed: Outcome[];
  /** Index of the last step whose expectation (or absence of one) agreed, or -1. */
  lastAgreeing: number;
}

/** What checkTrace returns: how many steps carried an expectation that was met, and the
 * first divergence if there is one (then the trace does not hold on the model). */
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

/** Check `trace`'s expectations (each step's `expect` and `expectEvents`) against the
 * outcomes the model allows, following the worlds that still agree; stops at the first step
 * none meets. Absent expectations are not checked.
 * @throws TraceError or ModelError when a step is invalid on the model (a pid that is not
 * alive, an argument the model cannot pass).
 * @example
 * const r = checkTrace(readTraceFile("pipe.jsonl"));
 * if (r.divergence) console.log(`step ${r.divergence.step.index} diverges`);
 */
export function checkTrace(trace: Trace, opts: ReplayOptions = {}): CheckResult {
  const model = new ModelReplay(trace, opts);
  let checked = 0;
  for (const step of trace.steps) {
    const allowed = model.step(step);
    const hasExpect = step.expect !== undefined || step.expectEvents !== undefined;
    if (!model.choose((o) => meetsExpectation(step, o))) {
      const divergence = { step, allowed, lastAgreeing: step.index - 1 };
      return { checked, steps: trace.steps.length, divergence };
    }
    if (hasExpect) checked++;
  }
  return { checked, steps: trace.steps.length };
}

/** A replayed step as a step that carries the outcome the model gave it. */
export function withOutcome(s: ReplayedStep): Step {
  return { ...s.step, expect: s.outcome.result, expectEvents: s.outcome.events } as Step;
}
