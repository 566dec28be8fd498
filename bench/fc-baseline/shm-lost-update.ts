// Lost update to a shared-memory counter (examples/bugs/shm-lost-update.ts) under fc.scheduler.
import { assert, type FcBug, type World } from "./world.js";
import { waitChildren } from "./sem-order.js";

/** `prefix`: what the parent does first, alone (late-race.ts). */
export const shmLostUpdate = async (
  w: World, prefix?: () => Promise<void>,
): ReturnType<FcBug> => {
  const shm = { counter: 0 };
  const worker = async () => {
    await w.step("load");
    const v = shm.counter;
    await w.step("store");
    shm.counter = v + 1;
  };
  w.spawn("parent", async () => {
    await prefix?.();
    await w.step("shmget");
    await w.step("shmat");
    await w.step("fork A");
    w.spawn("A", worker);
    await w.step("fork B");
    w.spawn("B", worker);
    await waitChildren(w, ["A", "B"]);
    await w.step("load");
    assert(shm.counter === 2, `counter is ${shm.counter}, expected 2`);
  });
  return w.verdict();
};
