// BUG: a hand-written futex lock that loses a wakeup.
//
// The lock is one shared word, 0 free and 1 held. lock() takes it with xchg(1); finding it held
// (xchg returned 1), it sleeps in FUTEX_WAIT until unlock() wakes it. unlock() stores 0 by xchg
// and wakes one sleeper. Two children each take the lock, add one to a shared counter and drop
// it. The waiter checks the value with xchg, but hands FUTEX_WAIT the word as it reads it
// *again* (C's `futex(&w, FUTEX_WAIT, w)`), not the value it checked. If the holder unlocks
// between the check and that read, the waiter reads 0 and sleeps "while the word is 0": the
// kernel's re-check agrees, and the wake it needed has already been sent to nobody.
//
// Shows up as: a deadlock, the waiter asleep in futex on a free lock and the parent in waitpid,
// on the schedules where the holder's unlock (xchg, FUTEX_WAKE) falls between the waiter's
// xchg and its load.
// Fix: pass FUTEX_WAIT the value the check saw, so the kernel sleeps only if the word still
// holds it (futex-lost-wakeup.fixed.ts): that comparison is what makes check-then-sleep atomic.

import {
  FUTEX_WAIT, FUTEX_WAKE, MAP_ANONYMOUS, MAP_SHARED, PROT_READ, PROT_WRITE, type Os,
} from "ipcsim";

const PAGE = 4096;

export default async function main(os: Os) {
  const base = await os.mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS);
  const word = base;
  const counter = base + 4;
  const lock = async (os: Os) => {
    while ((await os.xchg(word, 1)) !== 0) {
      const now = await os.loadInt(word); // BUG: not the value the xchg saw
      try {
        await os.futex(word, FUTEX_WAIT, now);
      } catch (e) {
        if ((e as { code?: string }).code !== "EAGAIN") throw e; // the word moved: try again
      }
    }
  };
  const unlock = async (os: Os) => {
    await os.xchg(word, 0);
    await os.futex(word, FUTEX_WAKE, 1);
  };
  const worker = async (os: Os) => {
    await lock(os);
    await os.storeInt(counter, (await os.loadInt(counter)) + 1);
    await unlock(os);
  };
  const a = await os.fork(worker);
  const b = await os.fork(worker);
  await os.waitpid(a);
  await os.waitpid(b);
  const total = await os.loadInt(counter);
  os.assert(total === 2, `counter is ${total}, expected 2`);
  await os.munmap(base, PAGE);
}
