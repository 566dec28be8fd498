import { describe, expect, test } from "vitest";
import type { Outcome } from "../trace/types.js";
import { runSteps } from "./run-steps.js";

/** Runs a trace given as step lines on the model (invariants checked); returns the outcomes. */
function run(...steps: object[]): Outcome[] {
  return runSteps("mem.test", steps);
}

const mmap = (addr: number, flags: string[] = []) => ({
  pid: 2, call: "mmap", addr, length: 8192, prot: ["PROT_READ", "PROT_WRITE"],
  flags: ["MAP_PRIVATE", "MAP_ANONYMOUS", ...flags],
});
const IO_AREA = 0x00100000; // kernel/param.ts USER_IO_BASE: the engine's, not the trace's

// Issue 22: an integer store/load address outside the trace's mappings is refused (on the
// host it named the agent's memory: host bytes reached a recorded trace).
describe("store and load at integer addresses in the model", () => {
  test("are refused outside every mapping the trace made, with the line", () => {
    expect(() => run({ pid: 2, call: "load", addr: IO_AREA, count: 4 }))
      .toThrow(/:2: load at integer address 0x100000 is outside every mapping the trace/);
    expect(() => run({ pid: 2, call: "store", addr: 0x4000_0000, data: "x" }))
      .toThrow(/:2: store at integer address 0x40000000 is outside every mapping/);
  });

  test("run inside a mapping the trace made at that address", () => {
    const at = 0x4000_0000;
    const out = run(mmap(at, ["MAP_FIXED"]),
      { pid: 2, call: "store", addr: at + 4096, data: "hi" },
      { pid: 2, call: "load", addr: at + 4096, count: 2 });
    expect(out[2].result).toMatchObject({ ret: 2 });
  });

  test("a ref past a mapping is still an unmapped address: SIGSEGV, as Linux", () => {
    const out = run(mmap(0), { pid: 2, call: "load", addr: { ref: 0, offset: 8192 }, count: 1 });
    expect(out[1].events).toEqual([{ exit: 2, status: { signaled: "SIGSEGV" } }]);
  });
});
