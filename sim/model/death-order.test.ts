// Issue 21 (mem-signals, seed 256): one kill(0, sig) killed two processes attached to one
// segment, and Linux's shm_lpid was either victim, where the model let only one die last.
// The victims of one signal now die in any order (kernel/sigdeliver.ts sigDoom): each order
// is a world, and a later step may show any of them.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseTrace } from "../trace/parse.js";
import { checkTrace } from "../replay.js";
import { ModelReplay } from "./engine.js";

const CASE = "kernel/test/cases/kill-group-death-order.jsonl";

/** The recorded case with the last step's shm_lpid replaced. */
function withLpid(lpid: number): string {
  return readFileSync(CASE, "utf8").replace(/"shm_lpid":\d+/, `"shm_lpid":${lpid}`);
}

describe("the victims of one signal die in any order", () => {
  it("either victim of kill(0) may be the segment's last detacher, and no other process", () => {
    for (const lpid of [2, 4]) {
      const r = checkTrace(parseTrace(withLpid(lpid), CASE));
      expect(r.divergence, `shm_lpid ${lpid}`).toBeUndefined();
    }
    const r = checkTrace(parseTrace(withLpid(3), CASE));
    expect(r.divergence?.step.call).toBe("shmctl");
  });

  it("the kill is one outcome (both exits) reached by two retry orders, two worlds", () => {
    const trace = parseTrace(readFileSync(CASE, "utf8"), CASE);
    const model = new ModelReplay(trace);
    for (const step of trace.steps) {
      const allowed = model.step(step);
      if (step.call === "kill") {
        expect(allowed).toHaveLength(1);
        expect(allowed[0].result).toBeUndefined(); // the caller died in its own call
        expect(allowed[0].events.map((e) => ("exit" in e ? e.exit : 0)).sort()).toEqual([2, 4]);
      }
      model.chooseAll();
      if (step.call === "kill") expect(model.worldCount()).toBe(2);
    }
  });

  it("deaths whose order does not show take no branch: 1,000 pausers killed leave one world",
    () => {
      // Each order would be a world that differs only in the kernel's free lists; their exits
      // write no segment's or semaphore's last pid (kernel/sigdeliver.ts sigWokenFree).
      const n = 1000;
      const lines = ['{"trace": "ipcsim", "version": 1}'];
      for (let i = 0; i < n; i++) lines.push('{"pid": 2, "call": "fork"}');
      for (let i = 0; i < n; i++) lines.push(`{"pid": ${3 + i}, "call": "pause"}`);
      lines.push('{"pid": 2, "call": "kill", "target": -1, "sig": "SIGTERM"}');
      lines.push('{"pid": 2, "call": "waitpid", "target": -1, "options": []}');
      const trace = parseTrace(lines.join("\n"), "t.jsonl");
      const model = new ModelReplay(trace);
      for (const step of trace.steps) {
        const allowed = model.step(step);
        model.chooseAll();
        expect(model.worldCount()).toBe(1);
        if (step.call === "kill") expect(allowed[0].events).toHaveLength(n);
      }
    });

  it("a lone victim dies as before: one world, its exit in the kill's step", () => {
    const trace = parseTrace([
      '{"trace": "ipcsim", "version": 1}',
      '{"pid": 2, "call": "fork"}',
      '{"pid": 2, "call": "kill", "target": 3, "sig": "SIGKILL"}',
      '{"pid": 2, "call": "waitpid", "target": 3, "options": []}',
    ].join("\n"), "t.jsonl");
    const model = new ModelReplay(trace);
    const outs = trace.steps.map((s) => {
      const allowed = model.step(s);
      model.chooseAll();
      expect(model.worldCount()).toBe(1);
      return allowed;
    });
    expect(outs[1]).toEqual([expect.objectContaining({ result: { ret: 0 } })]);
    expect(outs[1][0].events).toEqual([{ exit: 3, status: { signaled: "SIGKILL" } }]);
    expect(outs[2][0].result).toMatchObject({ ret: 3 });
  });
});
