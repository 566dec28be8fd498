// BUG: an EINTR treated as success.
//
// The child reads a 4-byte message from a pipe with a read loop that stops when read fails with
// EINTR, as if the message were complete. The parent has a SIGUSR1 handler installed without
// SA_RESTART (the child inherits it), sends the child SIGUSR1 and then writes the message. When
// the signal arrives while the child is blocked in read, the read fails with EINTR (pipe reads
// are restarted only with SA_RESTART) and the child goes on with 0 bytes.
//
// Shows up as: the child's assertion "read the whole message" fails, on the schedules where the
// child is already waiting in read when the parent's kill runs. When the signal comes before the
// read, the handler runs and the read is not interrupted: the run passes.
// Fix: retry the read on EINTR (eintr-as-success.fixed.ts), or install the handler with
// SA_RESTART.

import { ErrnoError, SIGPIPE, SIGUSR1, type Os } from "ipcsim";

async function readMessage(os: Os, fd: number, n: number): Promise<string> {
  let text = "";
  while (text.length < n) {
    let chunk: Uint8Array;
    try {
      chunk = await os.read(fd, n - text.length);
    } catch (e) {
      if (e instanceof ErrnoError && e.code === "EINTR") break; // BUG: should retry
      throw e;
    }
    if (chunk.length === 0) break;
    text += new TextDecoder().decode(chunk);
  }
  return text;
}

export default async function main(os: Os) {
  await os.sigaction(SIGUSR1, () => {}); // a handler, no SA_RESTART
  await os.sigaction(SIGPIPE, "SIG_IGN"); // the child may be gone before the write
  const [r, w] = await os.pipe();
  const child = await os.fork(async (os) => {
    await os.close(w);
    const msg = await readMessage(os, r, 4);
    os.assert(msg === "ping", `the child read "${msg}", not the 4-byte message`);
  });
  await os.close(r);
  await os.kill(child, SIGUSR1);
  await os.write(w, "ping").catch((e) => {
    if (!(e instanceof ErrnoError && e.code === "EPIPE")) throw e;
  });
  await os.close(w);
  await os.waitpid(child, 0);
}
