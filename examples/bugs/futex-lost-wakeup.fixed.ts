// The fix of futex-lost-wakeup.ts: the waiter hands FUTEX_WAIT the value its xchg saw (1,
// held). The kernel compares the word with it under the futex's lock before sleeping: if the
// holder unlocked meanwhile, the word is 0, FUTEX_WAIT fails with EAGAIN and the waiter tries
// the xchg again; if not, it sleeps before the unlock's FUTEX_WAKE can look for it.

import {
  FUTEX_WAIT, FUTEX_WAKE, MAP_ANONYMOUS, MAP_SHARED, PROT_READ, PROT_WRITE, type Os,
} from "ipcsim";

const PAGE = 4096;

export default async function main(os: Os) {
  const base = await os.mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS);
  const word = base;
  const counter = base + 4;
  const lock = async (os: Os) => {
    let seen: number;
    while ((seen = await os.xchg(word, 1)) !== 0) {
      try {
        await os.futex(word, FUTEX_WAIT, seen); // sleep only while the word is what we saw
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
