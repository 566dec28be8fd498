// --perfetto FILE, --mermaid FILE, --html FILE and --events FILE: a run's views (sim/view/) and
// its event log, written where the user asks, for `replay` (the model's outcomes), `run` (the
// run) and `explore` (the shrunk failure).

import { writeFileSync } from "node:fs";
import { Option } from "commander";
import { type Verdict, verdictExplanation, verdictLine } from "../sim/scenario/verdict.js";
import { parseTrace } from "../sim/trace/parse.js";
import type { Outcome, Step, Trace } from "../sim/trace/types.js";
import { outcomeText } from "../sim/report.js";
import { mermaidOf } from "../sim/view/mermaid.js";
import { perfettoOf } from "../sim/view/perfetto.js";
import { eventLog } from "../sim/view/events.js";
import { flowsOf } from "../sim/view/flows.js";
import { viewApp } from "../sim/view/app-bundle.js";
import { htmlOf } from "../sim/view/html.js";
import { timelineOf } from "../sim/view/timeline.js";
import { viewDataOf } from "../sim/view/view-data.js";

export interface ViewFlags {
  perfetto?: string;
  mermaid?: string;
  html?: string;
  events?: string;
}

export const viewOptions = (): Option[] => [
  new Option("--perfetto <FILE>", "write the run as a Chrome JSON trace for ui.perfetto.dev " +
    "(a track per process, flows for wakes, forks, exits and signals)"),
  new Option("--mermaid <FILE>", "write the run as a Mermaid sequenceDiagram"),
  new Option("--html <FILE>", "write the run as one self-contained HTML page: lanes, " +
    "arrows, and the kernel's state at every step"),
  new Option("--events <FILE>", "write the run's event log as JSON Lines: each step's call, " +
    "result, events, data moved and who sleeps (docs/events.md)"),
];

export function wantsViews(f: ViewFlags): boolean {
  return f.perfetto !== undefined || f.mermaid !== undefined || f.html !== undefined ||
    f.events !== undefined;
}

/** Write the views `f` asks for of `trace` (its steps carrying their outcomes); returns a
 * line per file written, for the text output. */
export function writeViews(
  trace: Trace, f: ViewFlags, verdict?: string, explanation?: string[],
): string[] {
  if (!wantsViews(f)) return [];
  const lines: string[] = [];
  if (f.html !== undefined) {
    const data = viewDataOf(trace, verdict, undefined, explanation);
    writeFileSync(f.html, htmlOf(data, viewApp(), data.name));
    lines.push(`html: ${f.html}`);
  }
  if (f.events !== undefined) {
    writeFileSync(f.events, eventLog(trace, verdict).join("\n") + "\n");
    lines.push(`events: ${f.events}`);
  }
  if (f.perfetto === undefined && f.mermaid === undefined) return lines;
  const t = timelineOf(trace, flowsOf(trace));
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

/** The views of a run's trace text (JSON Lines with its outcomes) and its verdict line. */
export function writeRunViews(
  traceText: string, file: string, f: ViewFlags, verdict?: Verdict,
): string[] {
  const why = verdict && verdictExplanation(verdict);
  return writeViews(parseTrace(traceText, file), f, verdict && verdictLine(verdict), why);
}

/** The HTML view of a command that failed: the error, with its file and line. */
export function writeErrorPage(path: string, message: string, title: string): void {
  writeFileSync(path, htmlOf({ error: message }, viewApp(), title));
}

/** The HTML view of a diff: Linux's run up to where it disagreed (or all of it), opening at
 * the disagreement with Linux's outcome and the model's allowed ones side by side. */
export function writeDiffPage(path: string, linux: Trace, d?: {
  step: Step; host: Outcome; allowed: Outcome[]; known?: { id: string; summary: string };
}): void {
  const what = d === undefined ? `all ${linux.steps.length} steps agree with Linux`
    : `${d.known ? `known difference "${d.known.id}"` : "disagreement"} at step ${d.step.index}`;
  const data = viewDataOf(linux, what);
  if (d) {
    data.disagreement = {
      step: d.step.index, linux: outcomeText(d.host), model: d.allowed.map(outcomeText),
      known: d.known?.summary,
    };
  }
  writeFileSync(path, htmlOf(data, viewApp(), data.name));
}
