// The fix of late-race.ts: a semaphore with count 1 (a mutex) around each child's load and
// store, so the two read-modify-writes cannot interleave, however long the run before them.

import { IPC_CREAT, IPC_PRIVATE, IPC_RMID, SETVAL, type Os } from "ipcsim";

const PAIRS = 300;
const u32 = (n: number) => new Uint8Array(new Uint32Array([n]).buffer);
const fromU32 = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true);

export default async function main(os: Os) {
  const [r, w] = await os.pipe();
  for (let i = 0; i < PAIRS; i++) {
    await os.write(w, "x");
    await os.read(r, 1);
  }
  await os.close(r);
  await os.close(w);
  const shm = await os.shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0o600);
  const counter = await os.shmat(shm, 0, 0);
  const mutex = await os.semget(IPC_PRIVATE, 1, IPC_CREAT | 0o600);
  await os.semctl(mutex, 0, SETVAL, 1);
  const increment = async (os: Os) => {
    await os.semop(mutex, [{ num: 0, op: -1 }]);
    const v = fromU32(await os.load(counter, 4));
    await os.store(counter, u32(v + 1));
    await os.semop(mutex, [{ num: 0, op: 1 }]);
  };
  const a = await os.fork(increment);
  const b = await os.fork(increment);
  await os.waitpid(a, 0);
  await os.waitpid(b, 0);
  const total = fromU32(await os.load(counter, 4));
  os.assert(total === 2, `lost update: counter is ${total}, expected 2`);
  await os.shmctl(shm, IPC_RMID);
  await os.semctl(mutex, 0, IPC_RMID);
}
