// BUG: two semaphores taken in opposite orders.
//
// Two processes each need two locks (SysV semaphores with count 1). A takes lock 0 then lock 1;
// B takes lock 1 then lock 0. If A takes lock 0 and B takes lock 1 before either takes its
// second, each waits in semop for the lock the other holds.
//
// Shows up as: a deadlock with a wait-for cycle A -> sem 1 -> B -> sem 0 -> A, on the schedules
// where both first P's run before either second P.
// Fix: every process takes the locks in one global order, 0 then 1 (sem-order.fixed.ts).

import { IPC_CREAT, IPC_PRIVATE, IPC_RMID, SETVAL, type Os } from "ipcsim";

export default async function main(os: Os) {
  const locks = await os.semget(IPC_PRIVATE, 2, IPC_CREAT | 0o600);
  await os.semctl(locks, 0, SETVAL, 1);
  await os.semctl(locks, 1, SETVAL, 1);
  const worker = (first: number, second: number) => async (os: Os) => {
    await os.semop(locks, [{ num: first, op: -1 }]);
    await os.semop(locks, [{ num: second, op: -1 }]);
    await os.semop(locks, [{ num: second, op: 1 }]);
    await os.semop(locks, [{ num: first, op: 1 }]);
  };
  const a = await os.fork(worker(0, 1));
  const b = await os.fork(worker(1, 0)); // BUG: the opposite order
  await os.waitpid(a, 0);
  await os.waitpid(b, 0);
  await os.semctl(locks, 0, IPC_RMID);
}
