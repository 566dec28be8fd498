// Tests' shorthand: a trace given as step lines, run on the model with invariants checked.
import { parseTrace } from "../trace/parse.js";
import type { Outcome } from "../trace/types.js";
import { ModelReplay } from "./engine.js";

/** Runs `steps` (named `file` in errors) on the model; returns each step's first outcome and
 * passes each step's outcome count to `counted` (a test asserts on it). */
export function runSteps(file: string, steps: object[], counted?: (n: number) => void): Outcome[] {
  const text = [{ trace: "ipcsim", version: 1 }, ...steps].map((s) => JSON.stringify(s)).join("\n");
  const trace = parseTrace(text + "\n", file);
  const model = new ModelReplay(trace, { check: true });
  return trace.steps.map((s) => {
    const outs = model.step(s);
    counted?.(outs.length);
    model.choose(() => true);
    return outs[0];
  });
}
