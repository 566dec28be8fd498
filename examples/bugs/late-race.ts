// BUG: a lost update after a long prefix.
//
// The parent first makes 300 write+read pairs through a pipe of its own (a long, quiet
// start: one process, no decision), then forks two children; each loads a shared-memory
// counter and stores it plus one, with nothing ordering the two read-modify-writes.
//
// Shows up as: the parent's assertion "counter is 2" fails when both children load before
// either stores: one preemption, among the last few of some 610 calls. PCT with change points
// spread uniformly over all calls rarely puts one there (docs/scenarios.md "Strategies").
// Fix: each child holds a semaphore (a mutex) around its load and store (late-race.fixed.ts).

import { IPC_CREAT, IPC_PRIVATE, IPC_RMID, type Os } from "ipcsim";

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
