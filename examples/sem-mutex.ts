// A semaphore as a mutex (semop(2)): three processes each append their pid twice to a shared
// pipe while holding a one-count semaphore, so that each pair is written together. Without the
// P/V around the two writes, explore finds an order where the pairs interleave.
//
//   npx ipcsim run examples/sem-mutex.ts

import { IPC_CREAT, IPC_PRIVATE, IPC_RMID, SETVAL, type Os } from "ipcsim";

const WORKERS = 3;

export default async function main(os: Os) {
  const sem = await os.semget(IPC_PRIVATE, 1, IPC_CREAT | 0o600);
  await os.semctl(sem, 0, SETVAL, 1);
  const [r, w] = await os.pipe();
  const kids: number[] = [];
  for (let i = 0; i < WORKERS; i++) {
    kids.push(
      await os.fork(async (os) => {
        const me = String.fromCharCode(97 + i); // a, b, c
        await os.semop(sem, [{ num: 0, op: -1 }]); // P: take the mutex
        await os.write(w, me);
        await os.write(w, me);
        await os.semop(sem, [{ num: 0, op: 1 }]); // V: give it back
      }),
    );
  }
  for (const pid of kids) await os.waitpid(pid, 0);
  const text = new TextDecoder().decode(await os.read(r, 64));
  os.assert(/^(aa|bb|cc){3}$/.test(text), `pairs interleaved: "${text}"`);
  await os.semctl(sem, 0, IPC_RMID);
}
