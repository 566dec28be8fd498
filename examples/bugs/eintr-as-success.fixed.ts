// The fix of eintr-as-success.ts: the read loop retries a read that failed with EINTR, so a
// signal delivered while the child waits costs one more read, not the message.

import { ErrnoError, SIGPIPE, SIGUSR1, type Os } from "ipcsim";

async function readMessage(os: Os, fd: number, n: number): Promise<string> {
  let text = "";
  while (text.length < n) {
    let chunk: Uint8Array;
    try {
      chunk = await os.read(fd, n - text.length);
    } catch (e) {
      if (e instanceof ErrnoError && e.code === "EINTR") continue; // interrupted: retry
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
