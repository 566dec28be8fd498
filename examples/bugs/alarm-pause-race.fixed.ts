// The fix of alarm-pause-race.ts: SIGALRM is blocked before the alarm is armed, so an early
// expiry leaves it pending; sigsuspend unblocks it and waits in one step (no window between
// the check and the wait), and returns once the handler has run.

import { ErrnoError, SIG_BLOCK, SIG_SETMASK, SIGALRM, type Os } from "ipcsim";

export default async function main(os: Os) {
  let rang = false;
  await os.sigprocmask(SIG_BLOCK, [SIGALRM]);
  await os.sigaction(SIGALRM, () => {
    rang = true;
  });
  await os.alarm(1);
  for (let i = 0; i < 2; i++) await os.getppid();
  while (!rang) {
    try {
      await os.sigsuspend([]); // the mask before SIG_BLOCK: nothing blocked
    } catch (e) {
      if (!(e instanceof ErrnoError && e.code === "EINTR")) throw e;
    }
  }
  await os.sigprocmask(SIG_SETMASK, []);
}
