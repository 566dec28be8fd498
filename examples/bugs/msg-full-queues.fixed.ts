// The fix of msg-full-queues.ts: the client sends each request with IPC_NOWAIT; when the request
// queue is full (EAGAIN) it waits for a reply, which frees room for the server to go on, and
// tries again. The client never sleeps in msgsnd, so the cycle cannot close.

import { ErrnoError, IPC_CREAT, IPC_NOWAIT, IPC_PRIVATE, IPC_RMID, type Os } from "ipcsim";

const K = 5;
const SIZE = 8192;

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
  const isErrno = (e: unknown, code: string) => e instanceof ErrnoError && e.code === code;
  for (let i = 0; i < K; i++) {
    for (;;) {
      try {
        await os.msgsnd(requests, 1, msg(`request ${i}`), IPC_NOWAIT);
        break;
      } catch (e) {
        if (!isErrno(e, "EAGAIN")) throw e;
        await os.msgrcv(replies, SIZE, 0, 0); // make room: take a reply, then retry
        got++;
      }
    }
    try {
      await os.msgrcv(replies, SIZE, 0, IPC_NOWAIT);
      got++;
    } catch (e) {
      if (!isErrno(e, "ENOMSG")) throw e;
    }
  }
  for (; got < 2 * K; got++) await os.msgrcv(replies, SIZE, 0, 0);
  await os.waitpid(server, 0);
  await os.msgctl(requests, IPC_RMID);
  await os.msgctl(replies, IPC_RMID);
}
