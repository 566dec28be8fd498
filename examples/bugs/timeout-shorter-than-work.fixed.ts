// The fix of timeout-shorter-than-work.ts: after each timeout the parent checks whether the
// worker is still alive (waitpid WNOHANG) and keeps waiting while it is. Once the worker has
// exited, its V is either there (taken without waiting) or it died without answering.

import { ErrnoError, IPC_CREAT, IPC_NOWAIT, IPC_PRIVATE, IPC_RMID, WNOHANG, type Os } from "ipcsim";

export default async function main(os: Os) {
  const sem = await os.semget(IPC_PRIVATE, 1, IPC_CREAT | 0o600);
  const worker = await os.fork(async (c) => {
    for (let i = 0; i < 4; i++) await c.getppid();
    await c.semop(sem, [[0, 1, 0]]);
  });
  let reaped = false;
  for (;;) {
    try {
      await os.semtimedop(sem, [[0, -1, 0]], { sec: 1 });
      break;
    } catch (e) {
      if (!(e instanceof ErrnoError && e.code === "EAGAIN")) throw e;
    }
    if ((await os.waitpid(worker, WNOHANG)).pid !== worker) continue; // still working
    reaped = true;
    await os.semop(sem, [[0, -1, IPC_NOWAIT]]); // it exited: its answer is there, or EAGAIN
    break;
  }
  if (!reaped) await os.waitpid(worker);
  await os.semctl(sem, 0, IPC_RMID);
}
