// The fix of sigchld-coalesce.ts: SIGCHLD only says "some children may have exited"; after each
// wake-up the parent reaps with waitpid(-1, WNOHANG) until it returns 0 (children left, none
// exited) or fails with ECHILD (no child left), and counts the children it reaped, not the
// signals.

import { ErrnoError, SIG_BLOCK, SIGCHLD, WNOHANG, type Os } from "ipcsim";

/** Reap one exited child: its pid, or 0 when none has exited (or none is left). */
async function reapOne(os: Os): Promise<number> {
  try {
    return (await os.waitpid(-1, WNOHANG)).pid;
  } catch (e) {
    if (e instanceof ErrnoError && e.code === "ECHILD") return 0;
    throw e;
  }
}

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
    while ((await reapOne(os)) > 0) reaped++;
  }
}
