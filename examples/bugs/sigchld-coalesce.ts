// BUG: two SIGCHLDs coalesced into one handler run.
//
// The parent counts exited children by counting SIGCHLD handler runs: it blocks SIGCHLD, forks
// two children that exit at once, and waits in sigsuspend until the handler has run twice. A
// standard signal does not queue: when both children exit while SIGCHLD is blocked (before the
// parent's first sigsuspend), one SIGCHLD is pending, the handler runs once, and the parent
// waits for a second SIGCHLD that never comes.
//
// Shows up as: a deadlock (the parent blocked in sigsuspend, both children zombies), on the
// schedules where both children exit before the parent first waits.
// Fix: treat SIGCHLD as "some children may have exited" and reap with waitpid(-1, WNOHANG) in a
// loop until it returns 0, counting the children reaped (sigchld-coalesce.fixed.ts).

import { ErrnoError, SIG_BLOCK, SIGCHLD, type Os } from "ipcsim";

/** sigsuspend returns only by failing with EINTR once a handler has run. */
async function suspend(os: Os): Promise<void> {
  try {
    await os.sigsuspend([]);
  } catch (e) {
    if (!(e instanceof ErrnoError && e.code === "EINTR")) throw e;
  }
}

export default async function main(os: Os) {
  let exited = 0;
  await os.sigprocmask(SIG_BLOCK, [SIGCHLD]);
  await os.sigaction(SIGCHLD, () => {
    exited++; // BUG: one handler run may stand for several children
  });
  await os.fork(async () => {});
  await os.fork(async () => {});
  while (exited < 2) await suspend(os);
}
