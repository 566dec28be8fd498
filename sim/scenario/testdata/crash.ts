// Crashes the worker thread that runs it: in its CRASH_AT-th execution in a worker (default 5,
// run index 4 on one worker), the child calls process.exit(7), which ends the worker thread.
// On the main thread (the replay of a reported run) it never crashes. The crashed-worker case
// of pool.test.ts (issue 12: a worker that crashes is reported, no run silently lost).
import { isMainThread } from "node:worker_threads";
import type { Os } from "ipcsim";

let executions = 0;

export default async function main(os: Os): Promise<void> {
  const crashAt = Number(process.env.CRASH_AT ?? 5);
  const [r, w] = await os.pipe();
  const child = await os.fork(async (c) => {
    if (!isMainThread && ++executions === crashAt) process.exit(7);
    await c.write(w, "x");
  });
  await os.read(r, 1);
  await os.waitpid(child);
}
