// Helpers for the parser's tests: a trace is written as its step lines, the header added as
// line 1, so that a step's file line is its position + 2.
import { parseTrace, TraceError } from "../parse.js";
import type { Step } from "../types.js";

export const HEADER = '{"trace": "ipcsim", "version": 1}';
export const FILE = "traces/x.jsonl";

/** A trace whose header is line 1 and whose steps are lines 2, 3, ... */
export function parse(...steps: string[]) {
  return parseTrace([HEADER, ...steps].join("\n"), FILE);
}

export function errorOf(f: () => unknown): TraceError {
  try {
    f();
  } catch (e) {
    if (e instanceof TraceError) return e;
    throw e;
  }
  throw new Error("expected a TraceError, got none");
}

/** The message for a trace whose last line is `bad`, after `good` steps. */
export function failure(bad: string, ...good: string[]): string {
  return errorOf(() => parse(...good, bad)).message;
}

export function oneStep(json: string): Step {
  return parse(json).steps[0];
}
