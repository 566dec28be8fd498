// The fast reset gives what the full init gives: after runs of scenarios that use every
// mechanism (pipes, FIFOs, SysV queues and semaphores, forks, deadlocks left behind), the state
// that matters equals the post-init snapshot, and a run after a fast reset records the same
// trace as a run on a fresh kernel.

import { describe, expect, it } from "vitest";
import { Prng } from "../sim/prng.js";
import { Runner, type ScenarioMain } from "../sim/scenario/run.js";
import { makeStrategy } from "../sim/scenario/strategies/index.js";
import { Kernel } from "./kernel.js";
import mix from "../sim/scenario/testdata/mix.js";
import pipeLeak from "../sim/scenario/testdata/pipe-leak.js";
import semCycle from "../sim/scenario/testdata/sem-cycle.js";
import shm from "../sim/scenario/testdata/shm-counter.js";
import sig from "../sim/scenario/testdata/sig-handler.js";
import type { Os } from "../sim/scenario/os.js";

/** Many processes and pipes, some left open, to push the table prefixes up. */
const wide: ScenarioMain = async (os: Os) => {
  const fds: number[] = [];
  for (let i = 0; i < 12; i++) fds.push(...(await os.pipe()));
  for (let i = 0; i < 6; i++) {
    await os.fork(async (c) => {
      await c.close(fds[i * 2]);
      if (i % 2 === 0) await c.read(fds[i * 2 + 1], 1); // EBADF-free: a write end read fails
    });
  }
  for (let i = 0; i < 6; i++) await os.waitpid(-1);
};

describe("Kernel.resetFast", () => {
  const title =
    "restores every table, static range and the pool's free list to the post-init state";
  it(title, async () => {
    const k = new Kernel();
    k.resetFast();
    const plan = k.fastResetPlan()!;
    const master = new Prng(9);
    for (const scenario of [mix, pipeLeak, semCycle, wide, shm, sig, mix]) {
      const runner = new Runner(scenario, {}, k);
      const strategy = makeStrategy({ strategy: "random" });
      for (let i = 0; i < 8; i++) {
        await runner.execute(strategy, master.fork(), i);
        k.resetFast();
        expect(plan.verify()).toBeNull();
      }
    }
  });

  it("restores fewer than 200 KiB of static data whole (the rest by prefix)", () => {
    const k = new Kernel();
    k.resetFast();
    // A new big table in the kernel is restored whole (correct, but each run pays for it): name
    // it in kernel/views.ts's layout (k_layout_*) and add it in wasm/reset.ts's plan.
    const missing = "a big kernel table is missing from the fast reset's layout";
    expect(k.fastResetPlan()!.copiedBytes(), missing).toBeLessThan(200 * 1024);
  });

  it("makes a run record the same trace as on a fresh kernel", async () => {
    const shared = new Kernel();
    const master = new Prng(4);
    for (let i = 0; i < 15; i++) {
      const scenario = [mix, wide, semCycle, shm, sig][i % 5];
      const seed = master.nextU32();
      const a = new Runner(scenario, {}, shared);
      const ea = (await a.execute(makeStrategy({}), new Prng(seed), 0))!;
      const b = new Runner(scenario, {}, new Kernel());
      const eb = (await b.execute(makeStrategy({}), new Prng(seed), 0))!;
      expect(a.result(ea, seed, "random").trace()).toBe(b.result(eb, seed, "random").trace());
    }
  });
});
