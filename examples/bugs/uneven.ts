// BUG: the uneven-workload ordering bug (Shuttle's tests/demo/surw.rs; "Selectively Uniform
// Concurrency Testing", ASPLOS'25).
//
// Worker A makes one call: it reads a semaphore's value and asserts that B is not finished yet.
// Worker B makes N = 25 calls, each adding 1 to the semaphore. The assertion fails only when A
// runs after all N of B's calls: an ordering bug of depth 1 hidden behind a long process.
//
// Shows up as: A's assertion fails. A uniform random scheduler picks A last with probability
// about 2^-N (never, in practice, for N = 25); PCT gives A the lowest priority with probability
// about 1/3 per run and URW, which weighs processes by the calls they have left, about 1/(N+1).
// No fix: the program stands for any "A assumed B is not done yet" bug; the point is the
// search strategy.

import { GETVAL, IPC_CREAT, IPC_PRIVATE, IPC_RMID, type Os } from "ipcsim";

const N = 25;

export default async function main(os: Os) {
  const sem = await os.semget(IPC_PRIVATE, 1, IPC_CREAT | 0o600);
  const a = await os.fork(async (os) => {
    const done = await os.semctl(sem, 0, GETVAL);
    os.assert(done !== N, `A ran after all ${N} of B's calls`);
  });
  const b = await os.fork(async (os) => {
    for (let i = 0; i < N; i++) await os.semop(sem, [{ num: 0, op: 1 }]);
  });
  await os.waitpid(a, 0);
  await os.waitpid(b, 0);
  await os.semctl(sem, 0, IPC_RMID);
}
