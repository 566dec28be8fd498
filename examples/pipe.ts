// The parent writes to its child through a pipe: the classic first IPC program (pipe(2)'s
// example). The parent makes the pipe and forks; the child closes the write end it does not use
// and reads until EOF, which comes once the parent has written and closed its write end; the
// parent waits for the child and checks it exited 0.
//
//   npx ipcsim run examples/pipe.ts

import type { Os } from "ipcsim";

const MESSAGE = "hello through the pipe";

export default async function main(os: Os) {
  const [r, w] = await os.pipe();
  const child = await os.fork(async (os) => {
    await os.close(w); // else this process holds a write end, and EOF never comes
    let text = "";
    for (;;) {
      const chunk = await os.read(r, 64);
      if (chunk.length === 0) break; // EOF: every write end is closed
      text += new TextDecoder().decode(chunk);
    }
    os.assert(text === MESSAGE, `child read "${text}"`);
    await os.close(r);
  });
  await os.close(r);
  await os.write(w, MESSAGE);
  await os.close(w);
  const { status } = await os.waitpid(child, 0);
  os.assert(status && "exited" in status && status.exited === 0,
    `child ended with ${JSON.stringify(status)}`);
}
