// The kernel behaviour corpus: every trace in kernel/test/cases/ (one per man-page errno condition
// and per rule of docs/linux-semantics.md), and the examples in examples/traces/, checked against
// the model
// with kernel_check() after every step. A case fails with the divergence as `ipcsim check` prints
// it (sim/report.ts checkText). The same traces are compared with real Linux by
// host-bridge/diff.test.ts.

import { readdirSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { describe, expect, test } from "vitest";
import { checkTrace } from "../../sim/replay.js";
import { checkText } from "../../sim/report.js";
import { readTraceFile } from "../../sim/trace/parse.js";
import type { Trace } from "../../sim/trace/types.js";

const root = join(import.meta.dirname, "../..");
const casesDir = join(import.meta.dirname, "cases");
const examplesDir = join(root, "examples/traces");

function traceFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith(".jsonl")).sort().map((f) => join(dir, f));
}

function load(file: string): { file: string; trace: Trace } {
  return { file, trace: readTraceFile(file) };
}

function expectNoDivergence(file: string, trace: Trace): void {
  const r = checkTrace(trace, { check: true });
  const rel = relative(root, file);
  if (r.divergence) expect.fail(checkText(trace, r, `node dist/cli.js check ${rel}`).join("\n"));
  expect(r.steps).toBe(trace.steps.length);
}

/** The corpus's own rules: named after the file, described, every outcome written down. */
function corpusProblems(file: string, trace: Trace): string[] {
  const problems: string[] = [];
  const name = basename(file, ".jsonl");
  if (trace.header.name !== name) {
    problems.push(`header name ${JSON.stringify(trace.header.name)} is not the file name ${name}`);
  }
  if (!trace.header.description) problems.push("header has no description");
  for (const s of trace.steps) {
    if (s.expect === undefined && s.expectEvents === undefined) {
      problems.push(`line ${s.line}: step ${s.index} (${s.call}) has no expectation`);
    } else if (s.expect === undefined &&
      !(s.expectEvents ?? []).some((e) => "exit" in e && e.exit === s.pid)) {
      problems.push(
        `line ${s.line}: step ${s.index} (${s.call}) has no expect and does not end its caller`);
    }
  }
  return problems;
}

const cases = traceFiles(casesDir).map(load);
const examples = traceFiles(examplesDir).map(load);

describe("kernel behaviour corpus (kernel/test/cases)", () => {
  test("has cases", () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  test("case names are unique", () => {
    const names = cases.map((c) => c.trace.header.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  for (const { file, trace } of cases) {
    test(trace.header.name ?? basename(file), () => {
      expect(corpusProblems(file, trace)).toEqual([]);
      expectNoDivergence(file, trace);
    });
  }
});

describe("example traces (examples/traces)", () => {
  for (const { file, trace } of examples) {
    test(trace.header.name ?? basename(file), () => {
      expectNoDivergence(file, trace);
    });
  }
});
