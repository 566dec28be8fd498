// What one execution of a scenario (scheduler.ts Execution) takes and gives.

import type { StateView } from "../state.js";
import type { Outcome, Step } from "../trace/types.js";
import type { DecisionLog } from "./decisions.js";
import type { Tracker } from "./tracking.js";
import type { Verdict } from "./verdict.js";

export interface ExecOptions {
  maxSteps: number;
  /** kernel_check() after every step. */
  kernelCheck: boolean;
  trackPipes: boolean;
  /** Keep what only the trace and the explanations use: each step's outcome with its events,
   * address refs and os.log lines. Without it (explore's runs: a failing one is replayed with
   * it) the outcomes are one scratch object, and refs, logs and events stay empty. */
  record: boolean;
  /** Offer the strategy each decision's state key (state-key.ts): the scenario is a trace
   * run as a program, whose processes have no state the key does not see. */
  stateKeys?: boolean;
}

export interface ExecResult {
  verdict: Verdict;
  log: DecisionLog;
  steps: Step[];
  outcomes: Outcome[];
  /** Recorded address refs per step index (shmdt/store/load/munmap). */
  refs: (Record<string, unknown> | null)[];
  stepsBy: number[];
  sometimes: Map<string, boolean>;
  /** os.log lines, and the index of the step each came after (-1: before the first). */
  logs: string[];
  logAt: number[];
  tracker: Tracker;
  /** Whether outcomes, refs and logs were recorded (ExecOptions.record). */
  recorded: boolean;
  /** The kernel's state at the end (`run`'s text view prints it; explore does not take it). */
  state?: StateView;
}
