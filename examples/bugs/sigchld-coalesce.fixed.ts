// The fix of sigchld-coalesce.ts: SIGCHLD only says "some children may have exited"; after each
// wake-up the parent reaps with waitpid(-1, WNOHANG) until no exited child is left, and counts
// the children it reaped, not the signals.

import { ErrnoError, SIG_BLOCK, SIGCHLD, WNOHANG, type Os } from "ipcsim";

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
  await os.sigaction(SIGCHLD, () => {});
  await os.fork(async () => {});
  await os.fork(async () => {});
  while (reaped < 2) {
    await suspend(os);
    while ((await os.waitpid(-1, WNOHANG)).pid > 0) reaped++;
  }
}
