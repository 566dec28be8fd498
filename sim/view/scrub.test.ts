// The state cursor (scrub.ts) against followTrace's states: for recorded cases and the view's
// test data, jumping to steps in random orders (a seeded fast-check property) gives exactly
// the state followTrace gives after each step, and none where the model stops following.

import { readFileSync, readdirSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Kernel } from "../../wasm/kernel.js";
import { parseTrace } from "../trace/parse.js";
import type { Trace } from "../trace/types.js";
import { followTrace } from "./flows.js";
import { StateCursor } from "./scrub.js";
import { pageTrace, viewDataOf } from "./view-data.js";

const CASES = "kernel/test/cases";
/** Every fifth recorded case (sorted by name), the view's own test data, and the engine's
 * herds (steps whose retry orders leave several worlds: no snapshot there). */
const FILES = [
  ...readdirSync(CASES).filter((f) => f.endsWith(".jsonl")).sort()
    .filter((_, i) => i % 5 === 0).map((f) => `${CASES}/${f}`),
  ...readdirSync("sim/view/testdata").map((f) => `sim/view/testdata/${f}`),
  ...["fifo-herd", "fifo-herds", "fifo-herd-shm"].map((f) => `sim/model/testdata/${f}.jsonl`),
];

const traces = new Map<string, Trace>(
  FILES.map((f) => [f, parseTrace(readFileSync(f, "utf8"), f)]));
const kernel = new Kernel();
/** Each case's states as followTrace gives them (JSON: the comparison's form). */
const expected = new Map(FILES.map((f) => {
  const followed = followTrace(traces.get(f)!, kernel, true);
  const states = followed.states.map((s) => JSON.stringify(s));
  return [f, { states, followed: followed.followed }];
}));

describe("the state cursor", () => {
  it("gives followTrace's state after each step, jumping to steps in any order", () => {
    const cursorKernel = new Kernel();
    const jumps = fc.constantFrom(...FILES).chain((file) => fc.record({
      file: fc.constant(file),
      every: fc.integer({ min: 1, max: 8 }),
      steps: fc.array(fc.nat(traces.get(file)!.steps.length + 1), { minLength: 1, maxLength: 40 }),
    }));
    fc.assert(fc.property(jumps, ({ file, every, steps }) => {
      const want = expected.get(file)!;
      const cursor = new StateCursor(traces.get(file)!, want.followed,
        { every, kernel: cursorKernel });
      for (const i of steps) {
        const got = cursor.stateAt(i);
        expect(got === undefined ? undefined : JSON.stringify(got), `${file} step ${i}`)
          .toBe(want.states[i]);
      }
    }), { numRuns: 100, seed: 20 });
  });

  it("gives every step's state walking back from the end after building its snapshots", () => {
    for (const file of FILES) {
      const want = expected.get(file)!;
      const cursor = new StateCursor(traces.get(file)!, undefined, { every: 4 });
      while (!cursor.build(3));
      // One every 4 steps, but where several worlds are left (the herds).
      const most = Math.floor(want.followed / 4) + 1;
      if (!file.includes("herd")) expect(cursor.snapshots()).toBe(most);
      else expect(cursor.snapshots()).toBeGreaterThan(1);
      const n = traces.get(file)!.steps.length;
      for (let i = n - 1; i >= 0; i--) {
        const got = cursor.stateAt(i);
        expect(got === undefined ? undefined : JSON.stringify(got), `${file} step ${i}`)
          .toBe(want.states[i]);
      }
    }
  });

  it("follows the page's own copy of the trace (its text) to the same states", () => {
    for (const file of FILES) {
      const data = viewDataOf(traces.get(file)!);
      const want = expected.get(file)!;
      expect(data.followed).toBe(want.followed);
      const cursor = new StateCursor(pageTrace(data), data.followed);
      data.steps.forEach((s) => {
        const got = cursor.stateAt(s.index);
        expect(got === undefined ? undefined : JSON.stringify(got), `${file} step ${s.index}`)
          .toBe(want.states[s.index]);
      });
    }
  });

  it("shows no state from a step whose outcome the model does not allow", () => {
    const text = '{"trace":"ipcsim","version":1}\n{"pid":2,"call":"pipe"}\n' +
      '{"pid":2,"call":"close","fd":3,"expect":{"ret":-1,"errno":"EBADF"}}\n' +
      '{"pid":2,"call":"close","fd":4}\n';
    const trace = parseTrace(text, "t.jsonl");
    expect(followTrace(trace).followed).toBe(1);
    const cursor = new StateCursor(trace);
    expect(cursor.stateAt(2)).toBeUndefined();
    expect(cursor.stateAt(1)).toBeUndefined();
    expect(cursor.stateAt(0)?.processes.map((p) => p.pid)).toEqual([2]);
  });
});
