// The fix of sleep-for-sync.ts: the parent waits for the child to exit (waitpid), which
// happens after the child's last store however slow the child is, and only then reads.

import { IPC_CREAT, IPC_PRIVATE, IPC_RMID, type Os } from "ipcsim";

export default async function main(os: Os) {
  const shm = await os.shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0o600);
  const result = await os.shmat(shm, 0, 0);
  const child = await os.fork(async (c) => {
    let sum = 0;
    for (let i = 1; i <= 3; i++) {
      sum += i;
      await c.storeInt(result + 4, i);
    }
    await c.storeInt(result, sum);
  });
  await os.waitpid(child); // the child has exited: everything it stored is there
  const v = await os.loadInt(result);
  os.assert(v === 6, `the parent read ${v}: the child had not written its 6 yet`);
  await os.shmctl(shm, IPC_RMID);
}
