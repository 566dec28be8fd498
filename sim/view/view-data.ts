// What the HTML view embeds (sim/view/web/app.ts renders it): the timeline, each step's text
// and events as the strace view prints them, and the kernel's state after every step (the
// same view `replay` prints at the end), stored once per distinct state.

import type { Kernel } from "../../wasm/kernel.js";
import type { StateView } from "../state.js";
import { formatEvent, formatStep } from "../trace/strace.js";
import type { Trace } from "../trace/types.js";
import { followTrace } from "./flows.js";
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
  timeline: Timeline;
  steps: ViewStep[];
  /** The distinct states; `stateAt[i]` is the one after step i (-1: the model could not
   * follow the trace that far). */
  states: StateView[];
  stateAt: number[];
}

export function viewDataOf(trace: Trace, verdict?: string, kernel?: Kernel): ViewData {
  const followed = followTrace(trace, kernel, true);
  const timeline = timelineOf(trace, followed.flows);
  const steps = trace.steps.map((s) => ({
    index: s.index, pid: s.pid, text: formatStep(s, s.expect, trace.steps),
    events: (s.expectEvents ?? []).map((e) => formatEvent(e, trace.steps)),
  }));
  const states: StateView[] = [];
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
  return { name: timeline.name, verdict, timeline, steps, states, stateAt };
}
