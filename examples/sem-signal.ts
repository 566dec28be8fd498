// A semaphore as a signal (semop(2)): the waiter blocks in P on a semaphore that starts at 0
// until the other process has done its work and posts V. Whatever the order the two run in,
// the waiter sees the work done.
//
//   npx ipcsim run examples/sem-signal.ts

import { IPC_CREAT, IPC_PRIVATE, IPC_RMID, type Os } from "ipcsim";

export default async function main(os: Os) {
  const ready = await os.semget(IPC_PRIVATE, 1, IPC_CREAT | 0o600); // starts at 0
  const [r, w] = await os.pipe();
  const waiter = await os.fork(async (os) => {
    await os.semop(ready, [{ num: 0, op: -1 }]); // waits until the worker posts
    const data = await os.read(r, 16);
    os.assert(new TextDecoder().decode(data) === "done", "the work is not there yet");
  });
  const worker = await os.fork(async (os) => {
    await os.write(w, "done");
    await os.semop(ready, [{ num: 0, op: 1 }]); // post: the work is there
  });
  await os.waitpid(waiter, 0);
  await os.waitpid(worker, 0);
  await os.semctl(ready, 0, IPC_RMID);
}
