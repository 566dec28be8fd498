// The quantum rule of the host bridge (pace.ts): valid times must be whole quanta; invalid ones
// (EINVAL tests) and nulls pass; the error names file, line and field.

import { describe, expect, it } from "vitest";
import { checkQuantum, QuantumError } from "./host.js";
import { quantumProblems } from "./pace.js";
import { trace } from "./testing.js";

describe("the host's time quantum", () => {
  it("accepts whole quanta, nulls, zero and invalid timespecs", () => {
    const t = trace([
      { pid: 2, call: "nanosleep", req: { sec: 1, nsec: 300000000 } },
      { pid: 2, call: "nanosleep", req: null },
      { pid: 2, call: "nanosleep", req: { sec: 0, nsec: 1000000000 }, comment: "EINVAL" },
      { pid: 2, call: "nanosleep", req: { sec: -1, nsec: 5 }, comment: "EINVAL" },
      { pid: 2, call: "semtimedop", semid: 0, sops: [], timeout: { sec: 0, nsec: 0 } },
      { pid: 2, call: "alarm", seconds: 3 },
      { call: "advance", by: { sec: 2, nsec: 100000000 } },
      { pid: 2, call: "setitimer", which: "ITIMER_REAL",
        value: { interval: { sec: 0, usec: 7 }, value: { sec: 0, usec: 1000000 } },
        comment: "invalid value: EINVAL, so the interval arms nothing" },
    ]);
    expect(quantumProblems(t)).toEqual([]);
    expect(() => checkQuantum(t)).not.toThrow();
  });

  it("names the file, line and field of every time that is not a whole quantum", () => {
    const t = trace([
      { pid: 2, call: "clock_nanosleep", clock: "CLOCK_MONOTONIC", flags: [],
        req: { sec: 0, nsec: 150000000 } },
      { pid: 2, call: "setitimer", which: "ITIMER_REAL",
        value: { interval: { sec: 1, usec: 50 }, value: { sec: 1, usec: 0 } } },
      { pid: 2, call: "timer_settime", timerid: 0, flags: [],
        value: { interval: { sec: 0, nsec: 0 }, value: { sec: 0, nsec: 1 } } },
      { call: "advance", by: { sec: 0, nsec: 10 } },
    ]);
    expect(quantumProblems(t)).toEqual([
      "<test>:2: step 0 (clock_nanosleep) field req: 0.150000000 s is not a multiple of the " +
        "host's time quantum (100 ms)",
      "<test>:3: step 1 (setitimer) field value.interval: 1.000050000 s is not a multiple of " +
        "the host's time quantum (100 ms)",
      "<test>:4: step 2 (timer_settime) field value.value: 0.000000001 s is not a multiple of " +
        "the host's time quantum (100 ms)",
      "<test>:5: step 3 (advance) field by: 0.000000010 s is not a multiple of the host's " +
        "time quantum (100 ms)",
    ]);
    expect(() => checkQuantum(t)).toThrow(QuantumError);
    expect(() => checkQuantum(t)).toThrow(/docs\/host-bridge.md "Time"/);
  });
});
