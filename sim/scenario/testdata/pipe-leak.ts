// The classic leaked write end: the child forgets to close its copy of the write end, so its
// read never sees EOF once the parent is done. Deadlocks in every schedule.
import type { Os } from "ipcsim";

export default async function main(os: Os) {
  const [r, w] = await os.pipe();
  const child = await os.fork(async (c) => {
    for (;;) {
      const d = await c.read(r, 64);
      if (d.length === 0) break;
    }
  });
  await os.close(r);
  await os.write(w, "data");
  await os.close(w);
  await os.waitpid(child);
}
