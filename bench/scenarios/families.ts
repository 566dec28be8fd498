// Scenario families that grow with N, for the verify benchmark (bench/verify.ts) and
// docs/verify.md: how many runs naive exhaustive search (dfs without a bound) and partial-order
// reduction (dpor) need as N grows.

import { IPC_CREAT, IPC_PRIVATE, SETALL, SETVAL, type Os } from "ipcsim";

type Main = (os: Os) => Promise<void>;

/** N children, each writing a byte into a pipe of its own and reading it back; pid 2 waits
 * for each. No two children share anything. */
export function independentPairs(n: number): Main {
  return async (os) => {
    const kids: number[] = [];
    for (let i = 0; i < n; i++) {
      kids.push(await os.fork(async (c) => {
        const [r, w] = await c.pipe();
        await c.write(w, "x");
        await c.read(r, 1);
      }));
    }
    for (const k of kids) await os.waitpid(k);
  };
}

/** N children each take a mutex semaphore (value 1), post it back, and exit. */
export function semaphoreClients(n: number): Main {
  return async (os) => {
    const sem = await os.semget(IPC_PRIVATE, 1, IPC_CREAT | 0o600);
    await os.semctl(sem, 0, SETVAL, 1);
    const kids: number[] = [];
    for (let i = 0; i < n; i++) {
      kids.push(await os.fork(async (c) => {
        await c.semop(sem, [{ num: 0, op: -1 }]);
        await c.semop(sem, [{ num: 0, op: 1 }]);
      }));
    }
    for (const k of kids) await os.waitpid(k);
  };
}

/** The dining philosophers over a SysV set of N semaphores (the forks, value 1 each): each of
 * N children takes its left and its right fork, eats, and puts both back. `ordered`: every
 * philosopher takes the lower-numbered fork first (the fix); otherwise each takes its left
 * first, and all of them holding their left fork is a deadlock. */
export function philosophers(n: number, ordered = true): Main {
  return async (os) => {
    const forks = await os.semget(IPC_PRIVATE, n, IPC_CREAT | 0o600);
    await os.semctl(forks, 0, SETALL, new Array<number>(n).fill(1));
    const kids: number[] = [];
    for (let i = 0; i < n; i++) {
      const left = i;
      const right = (i + 1) % n;
      const [first, second] = ordered && right < left ? [right, left] : [left, right];
      kids.push(await os.fork(async (c) => {
        await c.semop(forks, [{ num: first, op: -1 }]);
        await c.semop(forks, [{ num: second, op: -1 }]);
        await c.semop(forks, [{ num: first, op: 1 }, { num: second, op: 1 }]);
      }));
    }
    for (const k of kids) await os.waitpid(k);
  };
}
