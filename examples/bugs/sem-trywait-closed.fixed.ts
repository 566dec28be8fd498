// The fix of sem-trywait-closed.ts: the consumer blocks in sem_wait for every item, and the
// producer ends the stream with an end marker (a last item, END, posted like the others), so
// "no more items" is something the producer says, not something an empty queue suggests.

import {
  MAP_ANONYMOUS, MAP_SHARED, PROT_READ, PROT_WRITE, SEM_T_BYTES, sem_init, sem_post, sem_wait,
  type Os,
} from "ipcsim";

const ITEMS = 3;
const PAGE = 4096;
const END = -1;

export default async function main(os: Os) {
  const base = await os.mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS);
  const full = base;
  const slot = (i: number) => base + SEM_T_BYTES + 4 * i;
  await sem_init(os, full, 1, 0);
  const producer = await os.fork(async (os) => {
    for (let i = 0; i <= ITEMS; i++) {
      await os.storeInt(slot(i), i < ITEMS ? 100 + i : END);
      await sem_post(os, full);
    }
  });
  let consumed = 0;
  for (;;) {
    await sem_wait(os, full);
    const got = await os.loadInt(slot(consumed));
    if (got === END) break;
    os.assert(got === 100 + consumed, `item ${consumed}: got ${got}`);
    consumed++;
  }
  await os.waitpid(producer);
  os.assert(consumed === ITEMS, `consumed ${consumed} of ${ITEMS} items`);
  await os.munmap(base, PAGE);
}
