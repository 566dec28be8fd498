// A scenario at the process table's scale, shared by sim/scenario/scale.test.ts (the model) and
// cli/scale-diff.test.ts (its trace diffed on Linux): main forks `n` children that each pause,
// then kill(-1, SIGTERM) (every process but init and the caller: kernel/signal.c
// kill_something_info) ends them all in one call, and main reaps every one.
import { SIGTERM } from "../constants.js";
import type { Os } from "../os.js";

export function pauseAndKill(n: number) {
  return async (os: Os) => {
    for (let i = 0; i < n; i++) {
      await os.fork(async (c) => {
        await c.pause();
      });
    }
    await os.kill(-1, SIGTERM);
    let reaped = 0;
    for (let i = 0; i < n; i++) {
      const status = (await os.waitpid(-1)).status;
      if (status && "signaled" in status && status.signaled === "SIGTERM") reaped++;
    }
    os.assert(reaped === n, `reaped ${reaped} of ${n} killed by SIGTERM`);
  };
}
