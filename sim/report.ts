// Human and JSON renderings of replay and check results, shared by the CLI and the library.

import { numberedLines, stepIndent } from "./trace/strace.js";
import {
  canonicalJson, eventToJson, outcomeToJson, resultToJson, type Json,
} from "./trace/serialise.js";
import { describeDifference, expectedOutcome } from "./trace/compare.js";
import type { Outcome, Step, Trace } from "./trace/types.js";
import type { CheckResult, ReplayResult, ReplayedStep } from "./replay.js";
import type { StateView } from "./state.js";
import type { StepFilter } from "./trace/filter.js";
import { formatState } from "./state.js";
import { plural } from "./text.js";

/** The lines of one replayed step (strace-like, numbered); with a filter (`-e trace=`, `-p`),
 * none for a step it hides. */
export function replayStepText(s: ReplayedStep, filter?: StepFilter): string[] {
  const lines = numberedLines(s.step, s.outcome, s.steps, filter);
  if (s.allowed > 1 && (filter === undefined || filter(s.step.pid, s.step.call))) {
    lines.push(`${stepIndent(s.step)}   # one of ${s.allowed} outcomes the model allows here ` +
      "(--seed picks)");
  }
  return lines;
}

export function replayHeaderText(trace: { file: string }, seed: number): string {
  return `# ipcsim replay ${trace.file} --seed ${seed}`;
}

export function replayStateText(state: StateView, steps: number): string[] {
  return ["# final state", ...formatState(state), `# ${plural(steps, "step")}`];
}

export function replayText(
  trace: Trace, r: ReplayResult, seed: number, filter?: StepFilter,
): string[] {
  const lines: string[] = [replayHeaderText(trace, seed)];
  for (const s of r.steps) lines.push(...replayStepText(s, filter));
  lines.push(...replayStateText(r.state, r.steps.length));
  return lines;
}

/** The JSON document of a replay, in pieces that can be written as the replay goes:
 * head, then each step's outcome (comma-separated), then tail. */
export function replayJsonHead(trace: { file: string }, seed: number): string {
  const head = canonicalJson({
    schemaVersion: 1, tool: "ipcsim", command: "replay", trace: trace.file, seed,
  });
  return `${head.slice(0, -1)},"outcomes":[`;
}

export function replayJsonStep(s: ReplayedStep): string {
  return canonicalJson({ ...outcomeToJson(s.outcome, s.step), allowed: s.allowed });
}

export function replayJsonTail(state: StateView): string {
  return `],"state":${canonicalJson(state as unknown as Json)}}`;
}

export function replayJson(trace: Trace, r: ReplayResult, seed: number): string {
  return replayJsonHead(trace, seed) + r.steps.map(replayJsonStep).join(",") +
    replayJsonTail(r.state);
}

function expectationText(step: Step): string {
  const parts: string[] = [];
  if (step.expect !== undefined) parts.push(`result ${canonicalJson(resultToJson(step.expect))}`);
  if (step.expectEvents !== undefined) {
    parts.push(`events ${canonicalJson(step.expectEvents.map(eventToJson))}`);
  }
  return parts.join(", ");
}

/** An outcome on one line: its result (or "(no return)") and its events, as JSON. */
export function outcomeText(o: Outcome): string {
  const r = o.result === undefined ? "(no return)" : canonicalJson(resultToJson(o.result));
  return `result ${r}, events ${canonicalJson(o.events.map(eventToJson))}`;
}

/** Where an allowed outcome differs from what the step expects, field by field
 * (`differs: result.data: expected "hellO", got "hello"`); none when nothing is expected. */
function differenceText(step: Step, o: Outcome, indent: string): string[] {
  const text = describeDifference(expectedOutcome(step, o), o);
  return text === "" ? [] : [`${indent}differs: ${text}`];
}

export function checkText(trace: Trace, r: CheckResult, command: string): string[] {
  if (!r.divergence) {
    const met = `${plural(r.checked, "expectation")} met by the model`;
    return [`ok: ${plural(r.steps, "step")}, ${met} (${trace.file})`];
  }
  const d = r.divergence;
  const last = d.lastAgreeing >= 0
    ? `step ${d.lastAgreeing} (line ${trace.steps[d.lastAgreeing].line})`
    : "none";
  return [
    `divergence at step ${d.step.index} (${trace.file}:${d.step.line}), ` +
      `pid ${d.step.pid} ${d.step.call}`,
    `  expected: ${expectationText(d.step)}`,
    `  the model allows ${d.allowed.length === 1 ? "only" : `${d.allowed.length} outcomes`}:`,
    ...d.allowed.flatMap((o) => [`    ${outcomeText(o)}`, ...differenceText(d.step, o, "      ")]),
    `  last agreeing step: ${last}`,
    `  reproduce: ${command}`,
  ];
}

export function checkJson(trace: Trace, r: CheckResult): Json {
  const out: { [k: string]: Json } = {
    schemaVersion: 1,
    tool: "ipcsim",
    command: "check",
    trace: trace.file,
    ok: !r.divergence,
    steps: r.steps,
    checked: r.checked,
  };
  if (r.divergence) {
    const d = r.divergence;
    out.divergence = {
      step: d.step.index,
      line: d.step.line,
      expected: {
        result: d.step.expect === undefined ? null : resultToJson(d.step.expect),
        events: d.step.expectEvents === undefined ? null : d.step.expectEvents.map(eventToJson),
      },
      allowed: d.allowed.map((o) => outcomeToJson(o, d.step)),
      lastAgreeing: d.lastAgreeing,
    };
  }
  return out;
}
