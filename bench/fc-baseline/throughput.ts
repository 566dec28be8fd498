// The throughput scenario (bench/scenarios/throughput.ts) under fc.scheduler: 2 processes, 20
// calls, a semaphore the parent posts 8 times and the child takes 7 times. Never fails: it
// measures the cost per execution of promise-based scheduling, for comparison.
import type { FcBug } from "./world.js";
import { waitChildren } from "./sem-order.js";

const POSTS = 8;

export const throughput: FcBug = async (w) => {
  const sem = { value: 0 };
  w.spawn("parent", async () => {
    await w.step("semget");
    await w.step("fork");
    w.spawn("child", async () => {
      for (let i = 0; i < POSTS - 1; i++) {
        await w.waitUntil("semop -1", () => sem.value > 0);
        sem.value--;
      }
      await w.step("exit");
    });
    for (let i = 0; i < POSTS; i++) {
      await w.step("semop +1");
      sem.value++;
      w.wake();
    }
    await waitChildren(w, ["child"]);
    await w.step("exit");
  });
  return w.verdict();
};
