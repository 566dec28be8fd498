// Two SIGCHLDs coalesced into one handler run (examples/bugs/sigchld-coalesce.ts) under
// fc.scheduler: one pending flag, as a standard signal has; the parent counts handler runs.
import type { FcBug } from "./world.js";

export const sigchldCoalesce: FcBug = async (w) => {
  const st = { pending: false, exited: 0 };
  const child = (name: string) => async () => {
    await w.step(`${name} exit`);
    st.pending = true;
    w.wake();
  };
  w.spawn("parent", async () => {
    await w.step("sigprocmask");
    await w.step("sigaction");
    await w.step("fork 1");
    w.spawn("c1", child("c1"));
    await w.step("fork 2");
    w.spawn("c2", child("c2"));
    while (st.exited < 2) {
      await w.waitUntil("sigsuspend", () => st.pending);
      st.pending = false;
      st.exited++; // the handler: BUG, one run may stand for several children
    }
  });
  return w.verdict();
};
