// Shrinking (shrink.ts): the fewest preemptions first, then the fewest calls.

import { describe, expect, it } from "vitest";
import { Prng } from "../prng.js";
import { IPC_CREAT, IPC_PRIVATE } from "./constants.js";
import type { Os } from "./os.js";
import { Runner } from "./run.js";
import { shrink } from "./shrink.js";
import { ReplayStrategy } from "./strategies/replay.js";
import { decodeDecisions } from "./decisions.js";

/** examples/bugs/shm-lost-update.ts: two children load a shared counter and store it + 1. */
const lostUpdate = async (os: Os) => {
  const counter = await os.shmat(await os.shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0o600), 0, 0);
  const increment = async (c: Os) => {
    const v = (await c.load(counter, 1))[0];
    await c.store(counter, new Uint8Array([v + 1]));
  };
  const a = await os.fork(increment);
  const b = await os.fork(increment);
  await os.waitpid(a, 0);
  await os.waitpid(b, 0);
  os.assert((await os.load(counter, 1))[0] === 2, "lost update");
};

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
