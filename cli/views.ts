// --perfetto FILE and --mermaid FILE: a run's timeline (sim/view/) written where the user asks,
// for `replay` (the model's outcomes), `run` (the run) and `explore` (the shrunk failure).

import { writeFileSync } from "node:fs";
import { Option } from "commander";
import { parseTrace } from "../sim/trace/parse.js";
import type { Step, Trace } from "../sim/trace/types.js";
import type { ReplayedStep } from "../sim/replay.js";
import { mermaidOf } from "../sim/view/mermaid.js";
import { perfettoOf } from "../sim/view/perfetto.js";
import { flowsOf } from "../sim/view/flows.js";
import { timelineOf } from "../sim/view/timeline.js";

export interface ViewFlags {
  perfetto?: string;
  mermaid?: string;
}

export const viewOptions = (): Option[] => [
  new Option("--perfetto <FILE>", "write the run as a Chrome JSON trace for ui.perfetto.dev " +
    "(a track per process, flows for wakes, forks, exits and signals)"),
  new Option("--mermaid <FILE>", "write the run as a Mermaid sequenceDiagram"),
];

export function wantsViews(f: ViewFlags): boolean {
  return f.perfetto !== undefined || f.mermaid !== undefined;
}

/** Write the views `f` asks for of `trace` (its steps carrying their outcomes); returns a
 * line per file written, for the text output. */
export function writeViews(trace: Trace, f: ViewFlags): string[] {
  if (!wantsViews(f)) return [];
  const t = timelineOf(trace, flowsOf(trace));
  const lines: string[] = [];
  if (f.perfetto !== undefined) {
    writeFileSync(f.perfetto, JSON.stringify(perfettoOf(t)) + "\n");
    lines.push(`perfetto: ${f.perfetto} (open it in https://ui.perfetto.dev)`);
  }
  if (f.mermaid !== undefined) {
    writeFileSync(f.mermaid, mermaidOf(t));
    lines.push(`mermaid: ${f.mermaid}`);
  }
  return lines;
}

/** The views of a run's trace text (JSON Lines with its outcomes). */
export function writeRunViews(traceText: string, file: string, f: ViewFlags): string[] {
  return writeViews(parseTrace(traceText, file), f);
}

/** A replayed step as a step that carries the outcome the model gave it. */
export function withOutcome(s: ReplayedStep): Step {
  return { ...s.step, expect: s.outcome.result, expectEvents: s.outcome.events } as Step;
}
