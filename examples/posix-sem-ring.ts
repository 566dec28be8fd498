// A ring buffer in shared memory between a producer and a consumer, guarded by two POSIX
// semaphores (the classic bounded buffer): `empty` counts the free slots (starts at SLOTS),
// `full` the filled ones (starts at 0). The producer waits for empty, stores the next number in
// slot i % SLOTS, posts full; the consumer waits for full, loads the slot, posts empty. The
// semaphores are ipcsim's nptl library (glibc's algorithm on cas/fetch_add and futex), so the
// trace shows the atomics and the futex calls a C program's sem_wait and sem_post make: a
// post wakes (FUTEX_WAKE) only when the nwaiters bit says someone may sleep
// (FUTEX_WAIT_BITSET on the value word).
//
//   npx ipcsim run examples/posix-sem-ring.ts

import {
  MAP_ANONYMOUS, MAP_SHARED, PROT_READ, PROT_WRITE, SEM_T_BYTES, sem_destroy, sem_init,
  sem_post, sem_wait, type Os,
} from "ipcsim";

const SLOTS = 2;
const ITEMS = 5;
const PAGE = 4096;

export default async function main(os: Os) {
  // One shared page: the two sem_t, then the slots (MAP_SHARED: the children see our stores).
  const base = await os.mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS);
  const empty = base;
  const full = base + SEM_T_BYTES;
  const slot = (i: number) => base + 2 * SEM_T_BYTES + 4 * (i % SLOTS);
  await sem_init(os, empty, 1, SLOTS); // pshared: the semaphores work across fork
  await sem_init(os, full, 1, 0);

  const producer = await os.fork(async (os) => {
    for (let i = 0; i < ITEMS; i++) {
      await sem_wait(os, empty);
      await os.storeInt(slot(i), 100 + i);
      await sem_post(os, full);
    }
  });
  const consumer = await os.fork(async (os) => {
    for (let i = 0; i < ITEMS; i++) {
      await sem_wait(os, full);
      const got = await os.loadInt(slot(i));
      await sem_post(os, empty);
      os.assert(got === 100 + i, `item ${i}: expected ${100 + i}, got ${got}`);
    }
  });
  await os.waitpid(producer);
  await os.waitpid(consumer);
  await sem_destroy(os, empty);
  await sem_destroy(os, full);
  await os.munmap(base, PAGE);
}
