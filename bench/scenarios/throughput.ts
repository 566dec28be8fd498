// The throughput scenario of issue 7's goal, "a 2-process 20-step scenario": 20 calls in all,
// counting each process's exit. The parent makes a one-semaphore set (value 0), forks, posts it
// 8 times, waits for the child and exits: 12 calls. The child takes it 7 times and exits: 8.
// The child's P's wait whenever it runs ahead of the parent's V's, so the schedule matters.

import { IPC_CREAT, IPC_PRIVATE, type Os } from "ipcsim";

const POSTS = 8;

export default async function main(os: Os) {
  const sem = await os.semget(IPC_PRIVATE, 1, IPC_CREAT | 0o600);
  const child = await os.fork(async (os) => {
    for (let i = 0; i < POSTS - 1; i++) await os.semop(sem, [{ num: 0, op: -1 }]);
  });
  for (let i = 0; i < POSTS; i++) await os.semop(sem, [{ num: 0, op: 1 }]);
  await os.waitpid(child, 0);
}
