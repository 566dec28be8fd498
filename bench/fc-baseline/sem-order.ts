// Semaphores taken in opposite orders (examples/bugs/sem-order.ts) under fc.scheduler.
import type { FcBug, World } from "./world.js";

export const semOrder: FcBug = async (w) => {
  const sem = [1, 1];
  const P = async (i: number) => {
    await w.waitUntil(`P(${i})`, () => sem[i] > 0);
    sem[i]--;
  };
  const V = async (i: number) => {
    await w.step(`V(${i})`);
    sem[i]++;
    w.wake();
  };
  const worker = (first: number, second: number) => async () => {
    await P(first);
    await P(second);
    await V(second);
    await V(first);
  };
  w.spawn("parent", async () => {
    await w.step("semget");
    await w.step("fork A");
    w.spawn("A", worker(0, 1));
    await w.step("fork B");
    w.spawn("B", worker(1, 0));
    await waitChildren(w, ["A", "B"]);
  });
  return w.verdict();
};

export async function waitChildren(w: World, names: string[]): Promise<void> {
  for (const n of names) await w.waitUntil(`waitpid ${n}`, () => !w.isLive(n));
}
