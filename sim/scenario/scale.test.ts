// Scenarios at the process table's scale (issue 22, "valid traces never panic the kernel"):
// on main one call logging more than 4,096 events (a group signal killing thousands of
// processes) ended the run with the verdict "kernel panic (a bug in ipcsim)".

import { describe, expect, it } from "vitest";
import { SIGTERM } from "./constants.js";
import type { Os } from "./os.js";
import { run } from "./run.js";

/** main forks `n` children that each pause, then kill(-1, SIGTERM) (every process but init
 * and the caller: kernel/signal.c kill_something_info) ends them all in one call, and main
 * reaps every one. */
function pauseAndKill(n: number) {
  return async (os: Os) => {
    for (let i = 0; i < n; i++) {
      await os.fork(async (c) => {
        await c.pause();
      });
    }
    await os.kill(-1, SIGTERM);
    let reaped = 0;
    for (let i = 0; i < n; i++) {
      const w = await os.waitpid(-1);
      const status = w.status;
      if (status && "signaled" in status && status.signaled === "SIGTERM") reaped++;
    }
    os.assert(reaped === n, `reaped ${reaped} of ${n} killed by SIGTERM`);
  };
}

describe("scenarios with thousands of processes", () => {
  it("16,000 processes killed by one kill(-1, SIGTERM) and reaped: verdict ok", async () => {
    const n = Number(process.env.SCALE_N ?? 16_000);
    const r = await run(pauseAndKill(n), {
      seed: 1, maxSteps: 200_000, expect: { signals: ["SIGTERM"] },
    });
    expect(r.verdict).toEqual({ kind: "ok" });
  }, 600_000);
});
