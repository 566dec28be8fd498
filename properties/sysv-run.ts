// A replay for the SysV properties that can look between steps and add steps at the end: it
// follows a generated trace exactly as `ipcsim replay --seed` does (support.ts replayPath: the
// seeded PRNG picks among allowed outcomes, every world that produced the pick is kept), hands
// each step's completed calls to the property in causal order, and can append steps (a final
// IPC_STAT, an exit phase). The trace it reports on failure holds the appended steps too, so it
// replays to the same failure.

import { ModelReplay } from "../sim/model/engine.js";
import { Prng } from "../sim/prng.js";
import { decodeStep } from "../sim/trace/parse.js";
import type { Outcome, Result, Step, Trace } from "../sim/trace/types.js";
import type { Kernel } from "../wasm/kernel.js";
import { GeneratedTrace, statusAfter, type Status } from "./arbitraries.js";
import type { StepFields } from "./call-table.js";
import { discardSharedKernel, sharedKernel, withTrace } from "./support.js";

/** A call that ended in a step: its own step and its result (never "blocked"). */
export interface Done {
  step: Step;
  result: Exclude<Result, "blocked">;
}

/** What a step ended, in the order it happened: the caller's call, then the exits (an exit's
 * SEM_UNDO adjustments are applied before the waiters they wake run), then the woken calls. */
export type Ended = { done: Done } | { exit: number };

export class SysvRun {
  readonly trace: Trace;
  readonly model: ModelReplay;
  private readonly prng: Prng;
  private status = new Map<number, Status>([[2, "idle"]]);

  constructor(readonly g: GeneratedTrace, kernel: Kernel) {
    this.trace = { ...g.trace, steps: [] };
    this.model = new ModelReplay(g.trace, {}, kernel);
    this.prng = new Prng(g.seed);
  }

  get kernel(): Kernel {
    return this.model.kernel;
  }

  /** Run one step of the trace (the next one in order) and return what it ended. */
  take(step: Step): { outcome: Outcome; ended: Ended[] } {
    if (step.index !== this.trace.steps.length) {
      throw new Error(`assertion: step ${step.index} taken out of order`);
    }
    this.trace.steps.push(step);
    const allowed = this.model.step(step);
    const outcome = this.model.chooseSeeded(allowed, this.prng);
    this.status = statusAfter(this.status, step, [outcome]);
    return { outcome, ended: this.ended(step, outcome) };
  }

  /** Add a step at the end of the trace (pid and fields as a trace line writes them). */
  append(pid: number, fields: StepFields): { outcome: Outcome; ended: Ended[] } {
    const index = this.trace.steps.length;
    const where = { file: this.trace.file, line: index + 2 };
    const step = decodeStep({ pid, ...fields }, index, this.trace.steps, where);
    return this.take(step);
  }

  /** The result of an appended call that must complete at once. */
  call(pid: number, fields: StepFields): Exclude<Result, "blocked"> {
    const { outcome } = this.append(pid, fields);
    const r = outcome.result;
    if (r === undefined || r === "blocked") {
      const index = this.trace.steps.length - 1;
      throw new Error(`appended step ${index} (${fields.call}) did not return`);
    }
    return r;
  }

  /** Processes that may call now, in pid order. */
  idle(): number[] {
    return this.pids("idle");
  }

  pids(status: Status): number[] {
    const out = [...this.status].filter(([, s]) => s === status).map(([pid]) => pid);
    return out.sort((a, b) => a - b);
  }

  /** The step each blocked process is blocked in. */
  blockedIn(): Map<number, Step> {
    const out = new Map<number, Step>();
    for (const [pid, index] of this.model.blockedSteps()) out.set(pid, this.trace.steps[index]);
    return out;
  }

  /** One world: the live kernel is the state every allowed continuation starts from. */
  singleWorld(): boolean {
    return this.model.worldCount() === 1;
  }

  /** The trace as run, for the failure report: it shares the steps, so steps appended later
   * are in it too. */
  report(): GeneratedTrace {
    const last = this.g.steps.length - 1;
    const stop = `${this.g.stop}; any steps after step ${last} were added by the property`;
    return new GeneratedTrace(this.trace, this.g.seed, stop, this.g.error);
  }

  private ended(step: Step, o: Outcome): Ended[] {
    const out: Ended[] = [];
    const r = o.result;
    if (r !== undefined && r !== "blocked") out.push({ done: { step, result: r } });
    for (const e of o.events) if ("exit" in e) out.push({ exit: e.exit });
    for (const e of o.events) {
      if (!("wake" in e) || e.result === "blocked") continue;
      out.push({ done: { step: this.trace.steps[e.step], result: e.result } });
    }
    return out;
  }
}

/** Replay all of g's steps, calling `each` after every one. */
export function runAll(
  run: SysvRun,
  each: (step: Step, ended: Ended[], outcome: Outcome) => void,
): void {
  for (const step of run.g.steps) {
    const { outcome, ended } = run.take(step);
    each(step, ended, outcome);
  }
}

/** Run a property's body on g with a SysvRun on the shared kernel; on failure save the trace
 * as run (appended steps included) and say how to replay it (support.ts withTrace). */
export function withRun(name: string, g: GeneratedTrace, body: (run: SysvRun) => void): void {
  const run = new SysvRun(g, sharedKernel());
  try {
    withTrace(name, run.report(), () => body(run));
  } catch (e) {
    discardSharedKernel(); // a trap may have left it inconsistent
    throw e;
  }
}
