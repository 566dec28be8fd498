// BUG: the self-pipe trick with a blocking write end.
//
// The parent forwards each realtime signal to its main loop through a pipe: the handler writes
// a 1 KiB record for it, and the main loop reads the records. A child sends five SIGRTMIN. A
// realtime signal queues one instance per kill, and the next one is delivered as soon as the
// handler's sigreturn unblocks it, before the main code runs again: queued signals run their
// handlers back to back. The pipe holds 4 KiB (F_SETPIPE_SZ one page), so the fifth handler's
// write finds it full and blocks, and the only reader is the main code the handler interrupted.
//
// Shows up as: a deadlock (the parent blocked in write inside its handler, its main code's read
// waiting under it), on the schedules where the child queues its signals before the parent's
// handlers have drained them.
// Fix: make the write end non-blocking and drop a record the full pipe cannot take
// (self-pipe-blocking-write.fixed.ts): the bytes already in the pipe will wake the main loop,
// which counts the signals itself.

import { F_SETPIPE_SZ, SA_RESTART, SIGRTMIN, type Os } from "ipcsim";

const SIGNALS = 5;
const RECORD = new Uint8Array(1024);

export default async function main(os: Os) {
  const [r, w] = await os.pipe();
  await os.fcntl(w, F_SETPIPE_SZ, 4096);
  await os.sigaction(SIGRTMIN, async (_sig, _info, h) => {
    await h.write(w, RECORD); // BUG: blocks when the pipe is full
  }, SA_RESTART);
  const child = await os.fork(async (c) => {
    for (let i = 0; i < SIGNALS; i++) await c.kill(await c.getppid(), SIGRTMIN);
  });
  let got = 0;
  while (got < SIGNALS * RECORD.length) got += (await os.read(r, 4096)).length;
  await os.waitpid(child);
}
