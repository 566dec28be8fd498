// What the playground's page and its Web Worker say to each other. The page sends a job (one
// run, or an exploration); the worker answers with progress and then one result or one error.
// Everything crosses as structured-clone data: the run's view data is built in the worker.

import type { EagerStates, ViewData } from "../../view-data.js";

export interface Job {
  kind: "run" | "explore";
  /** The scenario's TypeScript source, and the name it goes by in commands. */
  source: string;
  file: string;
  seed: number;
  strategy: string;
  /** A decision string to replay (run only). */
  replay?: string;
  /** Schedules to try (explore only). */
  runs?: number;
}

/** A decision the run made ("you are the scheduler" offers its other candidates): its index
 * in the decision string, the step it came before, what was decided (which process runs
 * next, or which waiter a wake takes first), the candidates (pids; 0 is the clock) and the
 * index chosen. */
export interface Choice {
  index: number;
  step: number;
  kind: "proc" | "woken";
  candidates: number[];
  chosen: number;
}

/** One run as the page shows it. */
export interface RunView {
  /** The run's decisions, one value each (the decision string decoded), and where they were. */
  values: number[];
  choices: Choice[];
  ok: boolean;
  verdict: string;
  decisions: string;
  preemptions: number;
  replayCommand: string;
  text: string[];
  view: ViewData;
  /** The kernel's state after each step, computed here too: the page holds no kernel. */
  states: EagerStates;
}

export type Reply =
  | { kind: "progress"; done: number; total: number }
  | { kind: "run"; run: RunView }
  | { kind: "explore"; runs: number; ok: boolean; shrunk?: RunView; summary: string }
  | { kind: "error"; message: string; line?: number; column?: number };
