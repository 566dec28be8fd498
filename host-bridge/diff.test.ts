// Every example trace and every kernel behaviour case, run on the model and on real Linux step
// by step: they must agree on every step. Skipped, with the reason, where the host bridge
// cannot run (not Linux, or the agent is not built) — never silently passed.

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { readTraceFile } from "../sim/trace/parse.js";
import { diffText, diffTrace } from "./diff.js";
import { hostSupport } from "./host.js";

const support = hostSupport();
const dirs = ["examples/traces", "kernel/test/cases"];

function traces(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith(".jsonl")).sort().map((f) => join(dir, f));
  } catch {
    return [];
  }
}

const files = dirs.flatMap(traces);

const skipped = support.ok ? "" : ` (skipped: ${support.reason})`;
describe.skipIf(!support.ok)(`model and Linux agree on every step${skipped}`, () => {
  test("there are traces to compare", () => {
    expect(files.length).toBeGreaterThan(0);
  });

  test.each(files)("%s", async (file) => {
    const trace = readTraceFile(file);
    const r = await diffTrace(trace);
    const report = diffText(trace, r, `ipcsim diff ${file}`).join("\n");
    expect(r.disagreement, report).toBeUndefined();
    expect(r.agreed).toBe(trace.steps.length);
  });
});
