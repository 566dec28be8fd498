// Shrinking (shrink.ts): the fewest preemptions first, then the fewest calls.

import { describe, expect, it } from "vitest";
import { Prng } from "../prng.js";
import { Runner } from "./run.js";
import { shrink } from "./shrink.js";
import { lostUpdate as lostUpdateAfter } from "./testdata/lost-update.js";
import { ReplayStrategy } from "./strategies/replay.js";
import { decodeDecisions } from "./decisions.js";

/** examples/bugs/shm-lost-update.ts: two children load a shared counter and store it + 1. */
const lostUpdate = lostUpdateAfter(0);

async function replay(runner: Runner, decisions: string) {
  return (await runner.execute(new ReplayStrategy(decodeDecisions(decisions)), new Prng(0), 0))!;
}

describe("shrink", () => {
  // Issue 12: on main, "021" (2 preemptions) was a fixed point of the local steps (no
  // 1-preemption neighbour fails), though "0001" (1 preemption) fails the same way.
  it("reaches the fewest preemptions a failure needs, past a local minimum", async () => {
    const runner = new Runner(lostUpdate);
    const failing = await replay(runner, "021");
    expect(failing.verdict.kind).toBe("assertion");
    expect(failing.log.preemptions()).toBe(2);
    const s = await shrink(runner, failing);
    expect(s.exec.verdict).toEqual(failing.verdict);
    expect(s.exec.log.preemptions()).toBe(1);
    expect(s.exec.log.toString()).toBe("0001");
    expect(s.runs).toBeLessThan(100);
  });

  it("keeps to its run budget", async () => {
    const runner = new Runner(lostUpdate);
    const failing = await replay(runner, "021");
    for (const budget of [0, 1, 5, 12]) {
      const s = await shrink(runner, failing, budget);
      expect(s.runs).toBeLessThanOrEqual(budget);
      expect(s.exec.verdict).toEqual(failing.verdict);
    }
  });
});
