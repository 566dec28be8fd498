// BUG: sleep(1) "so the child has written" instead of waiting for it.
//
// The parent forks a child that works out a result (a few steps) and stores it in a shared
// memory segment, then sleeps one second "to give the child time" and reads the result. On an
// idle machine the child is done long before the second is up, but nothing says it must be:
// on a loaded machine the second passes first and the parent reads a 0.
//
// Shows up as: the parent's assertion "read the child's 6" fails, on the schedules where the
// sleep's timer fires before the child's last store (the explorer may fire a timer while other
// processes are still runnable: the sleeping process does not know how slow the others are).
// Fix: wait for the child itself, with waitpid, instead of for a time (sleep-for-sync.fixed.ts).

import { IPC_CREAT, IPC_PRIVATE, IPC_RMID, type Os } from "ipcsim";

export default async function main(os: Os) {
  const shm = await os.shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0o600);
  const result = await os.shmat(shm, 0, 0); // a new segment reads as zeros
  const child = await os.fork(async (c) => {
    let sum = 0;
    for (let i = 1; i <= 3; i++) {
      sum += i;
      await c.storeInt(result + 4, i); // progress, for whoever looks
    }
    await c.storeInt(result, sum);
  });
  await os.sleep(1); // BUG: a second is a guess, not a promise
  const v = await os.loadInt(result);
  os.assert(v === 6, `the parent read ${v}: the child had not written its 6 yet`);
  await os.waitpid(child);
  await os.shmctl(shm, IPC_RMID);
}
