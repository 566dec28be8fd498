// BUG: two processes blocked sending into each other's full message queues.
//
// A client sends K requests to a server's SysV queue and, after each, takes one reply if one is
// there (IPC_NOWAIT), then waits for the rest. The server answers each request with two
// messages (an acknowledgement and the result) on the client's queue. Messages are 8 KiB, so
// each queue holds two (msgmnb is 16 KiB). When replies pile up faster than the client takes
// them, the client blocks in msgsnd on the full request queue while the server blocks in msgsnd
// on the full reply queue.
//
// Shows up as: a deadlock with the wait-for cycle client -> request queue -> server -> reply
// queue -> client, on the schedules where the server runs ahead of the client's polls.
// Fix: the client sends with IPC_NOWAIT and, when its request does not fit (EAGAIN), waits for
// a reply before trying again (msg-full-queues.fixed.ts).

import { ErrnoError, IPC_CREAT, IPC_NOWAIT, IPC_PRIVATE, IPC_RMID, type Os } from "ipcsim";

const K = 5;
const SIZE = 8192; // kernel.msgmax: two fill a queue of kernel.msgmnb = 16384

export default async function main(os: Os) {
  const requests = await os.msgget(IPC_PRIVATE, IPC_CREAT | 0o600);
  const replies = await os.msgget(IPC_PRIVATE, IPC_CREAT | 0o600);
  const msg = (text: string) => text.padEnd(SIZE, "."); // one 8 KiB message
  const server = await os.fork(async (os) => {
    for (let i = 0; i < K; i++) {
      await os.msgrcv(requests, SIZE, 0, 0);
      await os.msgsnd(replies, 1, msg(`ack ${i}`), 0);
      await os.msgsnd(replies, 2, msg(`result ${i}`), 0);
    }
  });
  let got = 0;
  for (let i = 0; i < K; i++) {
    // BUG: blocks while our own reply queue is full
    await os.msgsnd(requests, 1, msg(`request ${i}`), 0);
    try {
      await os.msgrcv(replies, SIZE, 0, IPC_NOWAIT);
      got++;
    } catch (e) {
      if (!(e instanceof ErrnoError && e.code === "ENOMSG")) throw e;
    }
  }
  for (; got < 2 * K; got++) await os.msgrcv(replies, SIZE, 0, 0);
  await os.waitpid(server, 0);
  await os.msgctl(requests, IPC_RMID);
  await os.msgctl(replies, IPC_RMID);
}
