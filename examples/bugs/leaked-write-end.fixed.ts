// The fix of leaked-write-end.ts: the child closes its copy of the write end before reading,
// so the parent's close leaves the pipe with no writer and the child's read returns EOF.

import type { Os } from "ipcsim";

export default async function main(os: Os) {
  const [r, w] = await os.pipe();
  const child = await os.fork(async (os) => {
    await os.close(w);
    while ((await os.read(r, 64)).length > 0) {}
  });
  await os.close(r);
  await os.write(w, "hello");
  await os.close(w);
  await os.waitpid(child, 0);
}
