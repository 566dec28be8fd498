// Two processes take two semaphores in opposite orders: deadlocks in some schedules only.
import { IPC_CREAT, IPC_PRIVATE, IPC_RMID, SETALL, type Os } from "ipcsim";

export default async function main(os: Os) {
  const id = await os.semget(IPC_PRIVATE, 2, IPC_CREAT | 0o600);
  await os.semctl(id, 0, SETALL, [1, 1]);
  const child = await os.fork(async (c) => {
    await c.semop(id, [{ num: 1, op: -1 }]);
    await c.semop(id, [{ num: 0, op: -1 }]);
    await c.semop(id, [{ num: 0, op: 1 }, { num: 1, op: 1 }]);
  });
  await os.semop(id, [{ num: 0, op: -1 }]);
  await os.semop(id, [{ num: 1, op: -1 }]);
  await os.semop(id, [{ num: 0, op: 1 }, { num: 1, op: 1 }]);
  await os.waitpid(child);
  await os.semctl(id, 0, IPC_RMID);
}
