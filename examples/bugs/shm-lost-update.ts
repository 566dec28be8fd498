// BUG: a lost update to a shared-memory counter.
//
// The parent attaches a SysV shared memory segment holding a counter at 0 and forks two
// children; each loads the counter and stores it plus one. Nothing orders the two
// read-modify-writes: when both children load before either stores, both store 1.
//
// Shows up as: the parent's assertion "counter is 2" fails, on the schedules where the loads
// interleave with the stores (OSTEP's simple-race, SCTBench's account_bad).
// Fix: each child holds a semaphore (a mutex) around its load and store
// (shm-lost-update.fixed.ts).

import { IPC_CREAT, IPC_PRIVATE, IPC_RMID, type Os } from "ipcsim";

const u32 = (n: number) => new Uint8Array(new Uint32Array([n]).buffer);
const fromU32 = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true);

export default async function main(os: Os) {
  const shm = await os.shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0o600);
  const counter = await os.shmat(shm, 0, 0); // a new segment reads as zeros
  const increment = async (os: Os) => {
    const v = fromU32(await os.load(counter, 4));
    await os.store(counter, u32(v + 1)); // BUG: another process may have stored in between
  };
  const a = await os.fork(increment);
  const b = await os.fork(increment);
  await os.waitpid(a, 0);
  await os.waitpid(b, 0);
  const total = fromU32(await os.load(counter, 4));
  os.assert(total === 2, `lost update: counter is ${total}, expected 2`);
  await os.shmctl(shm, IPC_RMID);
}
