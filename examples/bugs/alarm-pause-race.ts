// BUG: alarm + pause, the classic race.
//
// The process sets an alarm for one second, does some work, then calls pause() to wait for the
// alarm's SIGALRM. If the second passes before pause() is reached (a slow machine, or more
// work than expected), the handler runs early, and pause() then waits for a signal that has
// already come: the process sleeps forever.
//
// Shows up as: a deadlock (pid 2 blocked in pause, no timer left), on the schedules where the
// alarm fires between alarm() and pause().
// Fix: block SIGALRM before arming the alarm, and wait with sigsuspend, which unblocks it and
// sleeps in one step: a SIGALRM that came early is pending and ends the sigsuspend at once
// (alarm-pause-race.fixed.ts).

import { ErrnoError, SIGALRM, type Os } from "ipcsim";

export default async function main(os: Os) {
  let rang = false;
  await os.sigaction(SIGALRM, () => {
    rang = true;
  });
  await os.alarm(1);
  for (let i = 0; i < 2; i++) await os.getppid(); // work before waiting
  try {
    await os.pause(); // BUG: if the alarm already rang, nothing will end this
  } catch (e) {
    if (!(e instanceof ErrnoError && e.code === "EINTR")) throw e;
  }
  os.assert(rang, "pause returned without the alarm");
}
