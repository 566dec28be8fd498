// Spins in JavaScript after its first call in the child (pid 3): the watchdog's case
// (pool.test.ts). SPIN=microtask: a microtask loop; SPIN=timer: an hour-long timer awaited.
import type { Os } from "ipcsim";

export default async function main(os: Os): Promise<void> {
  const [r, w] = await os.pipe();
  await os.fork(async (c) => {
    await c.write(w, "x");
    const how = process.env.SPIN ?? "loop";
    if (how === "microtask") {
      for (;;) await Promise.resolve();
    } else if (how === "timer") {
      await new Promise((resolve) => setTimeout(resolve, 3_600_000));
    } else {
      for (;;) { /* spin */ }
    }
  });
  await os.read(r, 1);
  await os.waitpid(-1);
}
