// The uneven-workload ordering bug (examples/bugs/uneven.ts) under fc.scheduler: A makes one
// call, B makes N; the bug shows when A runs after all of B's.
import { assert, type FcBug } from "./world.js";
import { waitChildren } from "./sem-order.js";

const UNEVEN_N = 25;

export const uneven: FcBug = async (w) => {
  const sem = { value: 0 };
  w.spawn("parent", async () => {
    await w.step("semget");
    await w.step("fork A");
    w.spawn("A", async () => {
      await w.step("GETVAL");
      assert(sem.value !== UNEVEN_N, `A ran after all ${UNEVEN_N} of B's steps`);
    });
    await w.step("fork B");
    w.spawn("B", async () => {
      for (let i = 0; i < UNEVEN_N; i++) {
        await w.step("semop +1");
        sem.value++;
      }
    });
    await waitChildren(w, ["A", "B"]);
  });
  return w.verdict();
};
