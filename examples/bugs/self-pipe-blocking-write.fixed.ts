// FIXED: self-pipe-blocking-write.ts with the self-pipe trick done right: the write end is
// non-blocking, a handler that finds the pipe full drops its record (what is in the pipe already
// wakes the main loop), and the main loop counts the signals the handlers saw instead of the
// records.

import {
  ErrnoError, F_SETFL, F_SETPIPE_SZ, O_NONBLOCK, SA_RESTART, SIGRTMIN, type Os,
} from "ipcsim";

const SIGNALS = 5;
const RECORD = new Uint8Array(1024);

export default async function main(os: Os) {
  const [r, w] = await os.pipe();
  await os.fcntl(w, F_SETPIPE_SZ, 4096);
  await os.fcntl(w, F_SETFL, O_NONBLOCK);
  let seen = 0;
  await os.sigaction(SIGRTMIN, async (_sig, _info, h) => {
    seen++;
    try {
      await h.write(w, RECORD);
    } catch (e) {
      if (!(e instanceof ErrnoError && e.code === "EAGAIN")) throw e;
    }
  }, SA_RESTART);
  const child = await os.fork(async (c) => {
    for (let i = 0; i < SIGNALS; i++) await c.kill(await c.getppid(), SIGRTMIN);
  });
  while (seen < SIGNALS) await os.read(r, 4096);
  await os.waitpid(child);
}
