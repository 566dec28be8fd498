// The scenarios benchmark's baselines do the work they claim: each fast-check program fails the
// way its scenario does (a deadlock or its assertion), except the uneven bug, which uniform
// choice misses; the throughput program passes; every native C program compiles, and the
// deterministic ones show their bug on the first iteration on real Linux.

import { describe, expect, test } from "vitest";
import { FC_BUGS, fcFirstFailure } from "./fc-baseline/index.js";
import { throughput } from "./fc-baseline/throughput.js";
import { World } from "./fc-baseline/world.js";
import { buildNative, nativeBugs, runNative } from "./native.js";
import fc from "fast-check";

const WHY: Record<string, RegExp> = {
  "leaked-write-end": /^deadlock/,
  "sem-order": /^deadlock/,
  "shm-lost-update": /counter is 1/,
  "eintr-as-success": /read 0 bytes/,
  "sigchld-coalesce": /^deadlock/,
  "msg-full-queues": /^deadlock/,
  "late-race": /counter is 1/,
};

describe("fast-check baseline", () => {
  for (const [name, why] of Object.entries(WHY)) {
    test(`${name} fails (${why.source}) within 500 executions of seed 1`, async () => {
      const r = await fcFirstFailure(FC_BUGS[name], 1, 500);
      expect(r.firstFailure).toBeDefined();
      expect(r.why).toMatch(why);
    });
  }
  test("uniform choice misses the uneven bug (N = 25) in 2,000 executions", async () => {
    const r = await fcFirstFailure(FC_BUGS.uneven, 1, 2000);
    expect(r.firstFailure).toBeUndefined();
  });
  test("the throughput program passes 200 executions", async () => {
    const p = fc.asyncProperty(fc.scheduler(), async (s) => (await throughput(new World(s))).ok);
    expect((await fc.check(p, { seed: 1, numRuns: 200 })).failed).toBe(false);
  });
});

describe.runIf(process.platform === "linux")("native baseline", () => {
  test("every bench/native/*.c compiles", () => {
    expect(nativeBugs()).toEqual(Object.keys(FC_BUGS).sort());
    for (const bug of nativeBugs()) buildNative(bug);
  });
  // msg-full-queues hangs once in about 40 iterations on an idle 2-core machine (measured: 2 to
  // 117 over ten runs) and less often under load, so 200 iterations missed it once in CI; an
  // iteration that does not hang takes about a millisecond.
  for (const bug of ["leaked-write-end", "msg-full-queues"]) {
    test(`${bug} shows as a hang within 5,000 iterations`, () => {
      const r = runNative(bug, 20, 5000);
      expect(r).toMatchObject({ bug, found: true, how: "hang" });
    });
  }
});
