// What the HTML view embeds (sim/view/web/app.ts renders it): the timeline, each step's text
// and events as the strace view prints them, and the kernel's state after every step (the
// same view `replay` prints at the end), stored once per distinct state.

import type { Kernel } from "../../wasm/kernel.js";
import { formatEvent, formatStep } from "../trace/strace.js";
import type { Trace } from "../trace/types.js";
import { followTrace, type ViewState } from "./flows.js";
import { type Timeline, timelineOf } from "./timeline.js";

interface ViewStep {
  index: number;
  pid: number;
  text: string;
  events: string[];
}

export interface ViewData {
  name: string;
  /** The run's verdict line, when the trace came from a run (`ok`, `deadlock: ...`). */
  verdict?: string;
  /** What the verdict explains (a deadlock's waits and wait-for cycle, a stuck process). */
  explanation?: string[];
  /** The pids of a deadlock's wait-for cycle, the lanes the page marks. */
  cycle?: number[];
  /** A diff's first step where Linux did what the model does not allow: Linux's outcome and
   * the model's allowed ones (as `ipcsim diff` prints them), and the known difference. */
  disagreement?: { step: number; linux: string; model: string[]; known?: string };
  timeline: Timeline;
  steps: ViewStep[];
  /** The distinct states; `stateAt[i]` is the one after step i (-1: the model could not
   * follow the trace that far). */
  states: ViewState[];
  stateAt: number[];
}

export function viewDataOf(
  trace: Trace, verdict?: string, kernel?: Kernel, explanation?: string[],
): ViewData {
  const followed = followTrace(trace, kernel, true);
  const timeline = timelineOf(trace, followed.flows);
  const steps = trace.steps.map((s) => ({
    index: s.index, pid: s.pid, text: formatStep(s, s.expect, trace.steps),
    events: (s.expectEvents ?? []).map((e) => formatEvent(e, trace.steps)),
  }));
  const states: ViewState[] = [];
  const seen = new Map<string, number>();
  const stateAt = trace.steps.map((s) => {
    const state = followed.states[s.index];
    if (state === undefined) return -1;
    const key = JSON.stringify(state);
    let at = seen.get(key);
    if (at === undefined) {
      at = states.push(state) - 1;
      seen.set(key, at);
    }
    return at;
  });
  const cycleLine = explanation?.find((l) => l.startsWith("wait-for cycle: "));
  const cycle = cycleLine ? [...new Set([...cycleLine.matchAll(/pid (\d+)/g)]
    .map((m) => Number(m[1])))] : undefined;
  return { name: timeline.name, verdict, explanation, cycle, timeline, steps, states, stateAt };
}
