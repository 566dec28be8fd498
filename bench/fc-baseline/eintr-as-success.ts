// An EINTR treated as success (examples/bugs/eintr-as-success.ts) under fc.scheduler: SIGUSR1
// interrupts the child's read only while it sleeps in it; otherwise its handler just runs.
import { assert, type FcBug } from "./world.js";
import { waitChildren } from "./sem-order.js";

export const eintrAsSuccess: FcBug = async (w) => {
  const pipe = { bytes: 0 };
  const child = { inRead: false, interrupted: false };
  w.spawn("parent", async () => {
    await w.step("sigaction");
    await w.step("pipe");
    await w.step("fork");
    w.spawn("child", async () => {
      await w.step("close w");
      child.inRead = true;
      await w.waitUntil("read", () => pipe.bytes > 0 || child.interrupted);
      child.inRead = false;
      // BUG: EINTR ends the read loop as if the message were complete.
      const got = child.interrupted ? 0 : pipe.bytes;
      assert(got === 4, `read ${got} bytes of the 4-byte message`);
    });
    await w.step("close r");
    await w.step("kill");
    if (child.inRead && pipe.bytes === 0) child.interrupted = true;
    w.wake();
    await w.step("write");
    pipe.bytes += 4;
    w.wake();
    await waitChildren(w, ["child"]);
  });
  return w.verdict();
};
