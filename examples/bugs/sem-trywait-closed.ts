// BUG: a consumer that takes "no item right now" for "no more items".
//
// A producer puts ITEMS numbers into slots of a shared page, posting the POSIX semaphore
// `full` after each. The consumer waits for the first item with sem_wait, then drains the rest
// with sem_trywait and treats its EAGAIN as "the producer is done, the queue is closed". But
// EAGAIN only says the count is 0 *now*: a consumer that runs ahead of the producer finds the
// queue empty between two items and quits while items are still coming.
//
// Shows up as: the assertion "consumed every item" fails, on the schedules where the consumer
// takes an item before the producer has posted the next one.
// Fix: block in sem_wait for every item, and let the producer say it is done with a real end
// marker, a last item the consumer recognises (sem-trywait-closed.fixed.ts).

import {
  ErrnoError, MAP_ANONYMOUS, MAP_SHARED, PROT_READ, PROT_WRITE, SEM_T_BYTES, sem_init, sem_post,
  sem_trywait, sem_wait, type Os,
} from "ipcsim";

const ITEMS = 3;
const PAGE = 4096;

export default async function main(os: Os) {
  const base = await os.mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS);
  const full = base;
  const slot = (i: number) => base + SEM_T_BYTES + 4 * i;
  await sem_init(os, full, 1, 0);
  const producer = await os.fork(async (os) => {
    for (let i = 0; i < ITEMS; i++) {
      await os.storeInt(slot(i), 100 + i);
      await sem_post(os, full);
    }
  });
  let consumed = 0;
  await sem_wait(os, full); // the first item opens the queue
  for (;;) {
    const got = await os.loadInt(slot(consumed));
    os.assert(got === 100 + consumed, `item ${consumed}: got ${got}`);
    consumed++;
    try {
      await sem_trywait(os, full);
    } catch (e) {
      if (!(e instanceof ErrnoError) || e.code !== "EAGAIN") throw e;
      break; // BUG: empty now is not closed
    }
  }
  await os.waitpid(producer);
  os.assert(consumed === ITEMS, `consumed ${consumed} of ${ITEMS} items`);
  await os.munmap(base, PAGE);
}
