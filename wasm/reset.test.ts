// The fast reset gives what the full init gives: after runs of scenarios that use every
// mechanism (pipes, FIFOs, SysV queues and semaphores, forks, deadlocks left behind), the state
// that matters equals the post-init snapshot, and a run after a fast reset records the same
// trace as a run on a fresh kernel.

import { describe, expect, it } from "vitest";
import { Prng } from "../sim/prng.js";
import { Runner, type ScenarioMain } from "../sim/scenario/run.js";
import { makeStrategy } from "../sim/scenario/strategies/index.js";
import { CALLS } from "./abi.js";
import { Kernel } from "./kernel.js";
import mix from "../sim/scenario/testdata/mix.js";
import pipeLeak from "../sim/scenario/testdata/pipe-leak.js";
import semCycle from "../sim/scenario/testdata/sem-cycle.js";
import shm from "../sim/scenario/testdata/shm-counter.js";
import sig from "../sim/scenario/testdata/sig-handler.js";
import type { Os } from "../sim/scenario/os.js";
import {
  F_RDLCK, F_SETLK, F_SETLKW, F_WRLCK, LOCK_EX, LOCK_SH, O_RDWR,
} from "../sim/scenario/constants.js";

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

/** File locks held, split, and waited for when the run ends (records in use, a blocker tree). */
const locks: ScenarioMain = async (os: Os) => {
  await os.mkfifo("l");
  const fd = await os.open("l", O_RDWR);
  await os.fcntl(fd, F_SETLK, { l_type: F_WRLCK, l_start: 0, l_len: 10 });
  await os.fcntl(fd, F_SETLK, { l_type: F_RDLCK, l_start: 3, l_len: 2 });
  await os.flock(fd, LOCK_EX);
  for (let i = 0; i < 3; i++) {
    await os.fork(async (c) => {
      await c.fcntl(fd, F_SETLKW, { l_type: F_WRLCK, l_start: i, l_len: 4 });
    });
  }
  await os.fork(async (c) => {
    const mine = await c.open("l", O_RDWR);
    await c.flock(mine, LOCK_SH);
  });
};

describe("Kernel.resetFast", () => {
  const title =
    "restores every table, static range and the pool's free list to the post-init state";
  it(title, async () => {
    const k = new Kernel();
    k.resetFast();
    const plan = k.fastResetPlan()!;
    const master = new Prng(9);
    for (const scenario of [mix, pipeLeak, semCycle, wide, shm, sig, locks, mix]) {
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

  it("restores the SysV arrays only up to what a run wrote (a high-water mark per array)", () => {
    const k = new Kernel();
    k.resetFast();
    const x = k.x;
    const ipc = [18, 19, 20, 21]; // kernel/views.ts LAYOUT_IPC_FIRST..
    for (const t of ipc) expect(x.k_layout_touched(t)).toBe(0);
    // A private set and a keyed one, then a queue removed: bits, a record page, a key bucket.
    expect(k.syscall(2, CALLS.semget, 0, 1, 0o1600)).toBeGreaterThanOrEqual(0);
    expect(k.syscall(2, CALLS.semget, 1234, 1, 0o1600)).toBeGreaterThanOrEqual(0);
    const q = k.syscall(2, CALLS.msgget, 77, 0o1600);
    expect(k.syscall(2, CALLS.msgctl, q, 0, 0)).toBe(0); // IPC_RMID
    const marks = ipc.map((t) => x.k_layout_touched(t));
    for (const [i, t] of ipc.entries()) {
      expect(marks[i]).toBeLessThanOrEqual(x.k_layout_entries(t));
    }
    expect(marks[0]).toBeGreaterThan(0); // a record page of each type
    expect(marks[0]).toBeLessThan(x.k_layout_entries(18)); // not the shm type's slots
    k.resetFast();
    expect(k.fastResetPlan()!.verify()).toBeNull();
    for (const t of ipc) expect(x.k_layout_touched(t)).toBe(0);
  });

  it("restores the lock records only up to the high-water mark a run reached", async () => {
    const k = new Kernel();
    k.resetFast();
    const LAYOUT_LOCKS = 26; // kernel/views.ts
    expect(k.x.k_layout_touched(LAYOUT_LOCKS)).toBe(0);
    await new Runner(locks, {}, k).execute(makeStrategy({}), new Prng(1), 0);
    expect(k.x.k_layout_touched(LAYOUT_LOCKS)).toBeGreaterThan(0);
    k.resetFast();
    expect(k.fastResetPlan()!.verify()).toBeNull();
    expect(k.x.k_layout_touched(LAYOUT_LOCKS)).toBe(0);
  });

  it("makes a run record the same trace as on a fresh kernel", async () => {
    const shared = new Kernel();
    const master = new Prng(4);
    for (let i = 0; i < 15; i++) {
      const scenario = [mix, wide, semCycle, shm, sig, locks][i % 6];
      const seed = master.nextU32();
      const a = new Runner(scenario, {}, shared);
      const ea = (await a.execute(makeStrategy({}), new Prng(seed), 0))!;
      const b = new Runner(scenario, {}, new Kernel());
      const eb = (await b.execute(makeStrategy({}), new Prng(seed), 0))!;
      expect(a.result(ea, seed, "random").trace()).toBe(b.result(eb, seed, "random").trace());
    }
  });
});
