// A lost update that needs one preemption after 600 calls: child A makes 600 loads, then
// loads and stores a shared counter; child B loads and stores it once. Nothing orders the two
// read-modify-writes, but B races A's only when A is preempted between its load and its store,
// so the failing decision string is 600-odd zeros and a 1 (issue 12: a failure file named after
// it was longer than a file name may be).
import { IPC_CREAT, IPC_PRIVATE, IPC_RMID, type Os } from "ipcsim";

const u32 = (n: number) => new Uint8Array(new Uint32Array([n]).buffer);
const fromU32 = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true);

export default async function main(os: Os) {
  const shm = await os.shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0o600);
  const counter = await os.shmat(shm, 0, 0);
  const increment = async (os: Os) => {
    const v = fromU32(await os.load(counter, 4));
    await os.store(counter, u32(v + 1));
  };
  const a = await os.fork(async (c) => {
    for (let i = 0; i < 600; i++) await c.load(counter, 4);
    await increment(c);
  });
  const b = await os.fork(increment);
  await os.waitpid(a, 0);
  await os.waitpid(b, 0);
  const total = fromU32(await os.load(counter, 4));
  os.assert(total === 2, `lost update: counter is ${total}, expected 2`);
  await os.shmctl(shm, IPC_RMID);
}
