// BUG: a handler and the main code update the same counter, and the main code does not block
// the signal around its update.
//
// The counter lives in the process's memory (a private mapping). The main code increments it
// twice with a load and a store; the SIGUSR1 handler increments it once the same way. A child
// sends one SIGUSR1. When the signal arrives between the main code's load and its store, the
// handler's increment is overwritten: a lost update inside one process, no second thread.
//
// Shows up as: the assertion "counter is 3" fails (it is 2), on the schedules where the child's
// kill comes between the parent's load and store.
// Fix: block SIGUSR1 around the load and store with sigprocmask (handler-shared-state.fixed.ts):
// a signal that comes meanwhile is delivered when it is unblocked, after the store.

import {
  MAP_ANONYMOUS, MAP_PRIVATE, PROT_READ, PROT_WRITE, SA_RESTART, SIGUSR1, type Os,
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
  for (let i = 0; i < 2; i++) await increment(os, counter); // BUG: SIGUSR1 not blocked
  await os.waitpid(child);
  const [n] = await os.load(counter, 1);
  os.assert(n === 3, `counter is ${n}, not 3`);
}
