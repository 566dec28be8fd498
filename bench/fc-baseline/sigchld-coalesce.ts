// Two SIGCHLDs coalesced into one handler run (examples/bugs/sigchld-coalesce.ts) under
// fc.scheduler: one pending flag, as a standard signal has; the handler reaps one child.
import type { FcBug } from "./world.js";

export const sigchldCoalesce: FcBug = async (w) => {
  const st = { pending: false, zombies: 0, reaped: 0 };
  const child = (name: string) => async () => {
    await w.step(`${name} exit`);
    st.zombies++;
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
    while (st.reaped < 2) {
      await w.waitUntil("sigsuspend", () => st.pending);
      st.pending = false;
      await w.step("waitpid"); // BUG: the handler reaps one child per run
      if (st.zombies > 0) {
        st.zombies--;
        st.reaped++;
      }
    }
  });
  return w.verdict();
};
