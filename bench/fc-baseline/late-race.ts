// A lost update after a long prefix (examples/bugs/late-race.ts) under fc.scheduler: 300
// write+read pairs by the parent alone, then shm-lost-update's two racing children.
import type { FcBug } from "./world.js";
import { shmLostUpdate } from "./shm-lost-update.js";

const PAIRS = 300;

export const lateRace: FcBug = async (w) => {
  const prefix = async () => {
    await w.step("pipe");
    for (let i = 0; i < PAIRS; i++) {
      await w.step("write");
      await w.step("read");
    }
  };
  return shmLostUpdate(w, prefix);
};
