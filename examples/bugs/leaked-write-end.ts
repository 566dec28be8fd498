// BUG: a leaked pipe write end hides EOF.
//
// The parent makes a pipe, forks a child that reads until EOF, writes a message, closes its
// write end and waits for the child. The child inherited both ends and never closes its own
// copy of the write end, so the pipe always has a writer: once the message is read, the child's
// next read blocks forever instead of returning EOF, and the parent waits forever in waitpid.
//
// Shows up as: a deadlock on every schedule (the child blocked in read on the pipe, the parent
// in waitpid on the child); explore reports it on the first run.
// Fix: the child closes the write end first (leaked-write-end.fixed.ts).

import type { Os } from "ipcsim";

export default async function main(os: Os) {
  const [r, w] = await os.pipe();
  const child = await os.fork(async (os) => {
    // BUG: missing `await os.close(w);`
    while ((await os.read(r, 64)).length > 0) {}
  });
  await os.close(r);
  await os.write(w, "hello");
  await os.close(w);
  await os.waitpid(child, 0);
}
