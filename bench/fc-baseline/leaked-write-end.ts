// Leaked pipe write end (examples/bugs/leaked-write-end.ts) under fc.scheduler: the child reads
// until EOF without closing its copy of the write end; the parent writes, closes, waits.
import type { FcBug } from "./world.js";

export const leakedWriteEnd: FcBug = async (w) => {
  const pipe = { bytes: 0, writers: 1 };
  w.spawn("parent", async () => {
    await w.step("pipe");
    pipe.writers++; // fork: the child inherits both ends
    w.spawn("child", async () => {
      // BUG: no close of the write end here.
      for (;;) {
        await w.waitUntil("read", () => pipe.bytes > 0 || pipe.writers === 0);
        if (pipe.bytes === 0) return;
        pipe.bytes = 0;
      }
    });
    await w.step("fork");
    await w.step("close r");
    await w.step("write");
    pipe.bytes += 5;
    w.wake();
    await w.step("close w");
    pipe.writers--;
    w.wake();
    await w.waitUntil("waitpid", () => !w.isLive("child"));
  });
  return w.verdict();
};
