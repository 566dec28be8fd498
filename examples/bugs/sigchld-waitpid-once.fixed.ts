// FIXED: sigchld-waitpid-once.ts with a handler that reaps every child that has exited: it
// calls waitpid(-1, WNOHANG) until it returns 0, so one SIGCHLD standing for two exits reaps
// both.

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
  await os.sigaction(SIGCHLD, async (_sig, _info, h) => {
    for (;;) {
      let pid: number;
      try {
        pid = (await h.waitpid(-1, WNOHANG)).pid;
      } catch (e) {
        if (e instanceof ErrnoError && e.code === "ECHILD") return; // all reaped already
        throw e;
      }
      if (pid === 0) return;
      reaped++;
    }
  });
  await os.fork(async () => {});
  await os.fork(async () => {});
  while (reaped < 2) await suspend(os);
}
