// What the HTML view embeds (sim/view/web/app.ts renders it): the timeline, each step's text
// and events as the strace view prints them, and the trace itself with its outcomes, which the
// page follows on the kernel wasm to show the kernel's state after any step (scrub.ts: the
// same view `replay` prints at the end), instead of every step's state.

import type { Kernel } from "../../wasm/kernel.js";
import { streamTrace, type TraceStream } from "../trace/parse.js";
import { traceToJsonl } from "../trace/serialise.js";
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
  /** The trace the page follows on the model: its JSON Lines, each step with the outcome the
   * views show (its `expect` and `expect_events`), each distinct line once (`lines`) and the
   * text as their indices (`order`: a long run repeats its calls), and the file it came from. */
  trace: { file: string; lines: string[]; order: number[] };
  /** The steps the model follows: after them the page shows no state. */
  followed: number;
}

export function viewDataOf(
  trace: Trace, verdict?: string, kernel?: Kernel, explanation?: string[],
): ViewData {
  const followed = followTrace(trace, kernel);
  const timeline = timelineOf(trace, followed.flows);
  const steps = trace.steps.map((s) => ({
    index: s.index, pid: s.pid, text: formatStep(s, s.expect, trace.steps),
    events: (s.expectEvents ?? []).map((e) => formatEvent(e, trace.steps)),
  }));
  const cycleLine = explanation?.find((l) => l.startsWith("wait-for cycle: "));
  const cycle = cycleLine ? [...new Set([...cycleLine.matchAll(/pid (\d+)/g)]
    .map((m) => Number(m[1])))] : undefined;
  return {
    name: timeline.name, verdict, explanation, cycle, timeline, steps,
    trace: { file: trace.file, ...distinctLines(traceText(trace)) }, followed: followed.followed,
  };
}

/** The trace as text with each step's own `expect` and `expect_events` (a replay's outcomes
 * set them, while the step's raw JSON, which the writer prefers, keeps the source's), each step
 * on its line in the source (blank lines for the comments dropped: the states name lines). */
function traceText(trace: Trace): string {
  const steps = trace.steps.map((s) =>
    ({ ...s, raw: { ...s.raw, expect: undefined, expect_events: undefined } }));
  const [header, ...lines] = traceToJsonl({ ...trace, steps }).trimEnd().split("\n");
  const out = [header];
  trace.steps.forEach((s, i) => {
    while (out.length < s.line - 1) out.push("");
    out.push(lines[i]);
  });
  return `${out.join("\n")}\n`;
}

function distinctLines(text: string): { lines: string[]; order: number[] } {
  const lines: string[] = [];
  const index = new Map<string, number>();
  const order = text.split("\n").map((l) => {
    let i = index.get(l);
    if (i === undefined) index.set(l, (i = lines.push(l) - 1));
    return i;
  });
  return { lines, order };
}

/** The page's trace, as the page reads it: its steps decoded as they are iterated. */
export function pageTrace(data: ViewData): TraceStream {
  const { file, lines, order } = data.trace;
  return streamTrace(order.map((i) => lines[i]).join("\n"), file);
}

/** Every step's state, each distinct one stored once: `stateAt[i]` is the one after step i
 * (-1: the model could not follow the trace that far). The playground's worker sends them with
 * a run's view (its runs are short, and its page holds no kernel). */
export interface EagerStates {
  states: ViewState[];
  stateAt: number[];
}

export function eagerStates(trace: Trace, kernel?: Kernel): EagerStates {
  const followed = followTrace(trace, kernel, true);
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
  return { states, stateAt };
}
