// The fix of sem-order.ts: both processes take the locks in one order, lock 0 then lock 1, so
// whoever holds lock 0 can always go on to lock 1: no cycle.

import { IPC_CREAT, IPC_PRIVATE, IPC_RMID, SETVAL, type Os } from "ipcsim";

export default async function main(os: Os) {
  const locks = await os.semget(IPC_PRIVATE, 2, IPC_CREAT | 0o600);
  await os.semctl(locks, 0, SETVAL, 1);
  await os.semctl(locks, 1, SETVAL, 1);
  const worker = async (os: Os) => {
    await os.semop(locks, [{ num: 0, op: -1 }]);
    await os.semop(locks, [{ num: 1, op: -1 }]);
    await os.semop(locks, [{ num: 1, op: 1 }]);
    await os.semop(locks, [{ num: 0, op: 1 }]);
  };
  const a = await os.fork(worker);
  const b = await os.fork(worker);
  await os.waitpid(a, 0);
  await os.waitpid(b, 0);
  await os.semctl(locks, 0, IPC_RMID);
}
