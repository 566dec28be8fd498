// BUG: a SIGCHLD handler that reaps one child per signal.
//
// The parent blocks SIGCHLD while it forks two children (so that no SIGCHLD comes before it is
// ready), then waits in sigsuspend until its handler has reaped both. The handler calls
// waitpid(-1, WNOHANG) once per SIGCHLD. A standard signal does not queue: when both children
// exit while SIGCHLD is blocked, one SIGCHLD is pending, the handler runs once and reaps one
// child; the other stays a zombie and the parent waits for a SIGCHLD that never comes.
//
// Shows up as: a deadlock (the parent blocked in sigsuspend, a zombie child left), on the
// schedules where both children exit before the parent's first sigsuspend.
// Fix: in the handler, reap with waitpid(-1, WNOHANG) in a loop until it returns 0
// (sigchld-waitpid-once.fixed.ts): a SIGCHLD means "some children may have changed state".

import { ErrnoError, SIG_BLOCK, SIGCHLD, WNOHANG, type Os } from "ipcsim";

/** sigsuspend returns only by failing with EINTR once a handler has run. */
async function suspend(os: Os): Promise<void> {
  try {
    await os.sigsuspend([]);
  } catch (e) {
    if (!(e instanceof ErrnoError && e.code === "EINTR")) throw e;
  }
}

export default async function main(os: Os) {
  let reaped = 0;
  await os.sigprocmask(SIG_BLOCK, [SIGCHLD]);
  await os.sigaction(SIGCHLD, async (_sig, _info, h) => {
    // BUG: one waitpid per SIGCHLD, but one SIGCHLD may stand for several children.
    if ((await h.waitpid(-1, WNOHANG)).pid > 0) reaped++;
  });
  await os.fork(async () => {});
  await os.fork(async () => {});
  while (reaped < 2) await suspend(os);
}
