// A shared-memory producer and consumer with semaphores (the bounded buffer of OSTEP's
// "Semaphores" chapter over shmget(2)/shmat(2)): a one-slot buffer in a shared segment, a
// semaphore `empty` (starts at 1) and `full` (starts at 0). The producer waits for empty, stores
// the next number in the slot, posts full; the consumer waits for full, loads the slot, posts
// empty. Every number arrives once and in order, whatever the schedule.
//
//   npx ipcsim run examples/shm-producer-consumer.ts

import { IPC_CREAT, IPC_PRIVATE, IPC_RMID, SETVAL, type Os } from "ipcsim";

const ITEMS = 5;
const EMPTY = 0;
const FULL = 1;

const u32 = (n: number) => new Uint8Array(new Uint32Array([n]).buffer);
const fromU32 = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true);

export default async function main(os: Os) {
  const shm = await os.shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0o600);
  const slot = await os.shmat(shm, 0, 0); // the child inherits the attachment
  const sems = await os.semget(IPC_PRIVATE, 2, IPC_CREAT | 0o600);
  await os.semctl(sems, EMPTY, SETVAL, 1);
  const P = (num: number) => os.semop(sems, [{ num, op: -1 }]);
  const V = (num: number) => os.semop(sems, [{ num, op: 1 }]);

  const consumer = await os.fork(async (os) => {
    for (let i = 1; i <= ITEMS; i++) {
      await os.semop(sems, [{ num: FULL, op: -1 }]);
      const got = fromU32(await os.load(slot, 4));
      os.assert(got === i, `consumer expected ${i}, got ${got}`);
      await os.semop(sems, [{ num: EMPTY, op: 1 }]);
    }
  });
  for (let i = 1; i <= ITEMS; i++) {
    await P(EMPTY);
    await os.store(slot, u32(i));
    await V(FULL);
  }
  const { status } = await os.waitpid(consumer, 0);
  os.assert(status && "exited" in status && status.exited === 0,
    `consumer ended with ${JSON.stringify(status)}`);
  await os.shmdt(slot);
  await os.shmctl(shm, IPC_RMID);
  await os.semctl(sems, 0, IPC_RMID);
}
