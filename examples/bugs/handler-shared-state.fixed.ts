// FIXED: handler-shared-state.ts with SIGUSR1 blocked around the main code's load and store: a
// signal that arrives in between stays pending and its handler runs when sigprocmask unblocks
// it, after the store.

import {
  MAP_ANONYMOUS, MAP_PRIVATE, PROT_READ, PROT_WRITE, SA_RESTART, SIG_BLOCK, SIG_SETMASK, SIGUSR1,
  type Os,
} from "ipcsim";

async function increment(os: Os, at: number): Promise<void> {
  const [v] = await os.load(at, 1);
  await os.store(at, new Uint8Array([v + 1]));
}

export default async function main(os: Os) {
  const counter = await os.mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  await os.sigaction(SIGUSR1, async (_sig, _info, h) => increment(h, counter), SA_RESTART);
  const child = await os.fork(async (c) => {
    await c.kill(await c.getppid(), SIGUSR1);
  });
  for (let i = 0; i < 2; i++) {
    await os.sigprocmask(SIG_BLOCK, [SIGUSR1]);
    await increment(os, counter);
    await os.sigprocmask(SIG_SETMASK, []);
  }
  await os.waitpid(child);
  const [n] = await os.load(counter, 1);
  os.assert(n === 3, `counter is ${n}, not 3`);
}
