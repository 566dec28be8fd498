// Two processes increment a counter in shared memory without a lock: a lost update.
import { IPC_CREAT, IPC_PRIVATE, IPC_RMID, type Os } from "ipcsim";

export default async function main(os: Os) {
  const id = await os.shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0o600);
  const base = await os.shmat(id);
  await os.storeInt(base + 8, 0);
  const child = await os.fork(async (c) => {
    const v = await c.loadInt(base + 8);
    await c.storeInt(base + 8, v + 1);
  });
  const v = await os.loadInt(base + 8);
  await os.storeInt(base + 8, v + 1);
  await os.waitpid(child);
  const total = await os.loadInt(base + 8);
  await os.shmdt(base);
  await os.shmctl(id, IPC_RMID);
  os.assert(total === 2, `total is ${total}`);
}
