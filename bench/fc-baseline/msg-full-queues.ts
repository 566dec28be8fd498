// Two processes blocked sending into each other's full message queues
// (examples/bugs/msg-full-queues.ts) under fc.scheduler: queues of 2 messages, K requests,
// two replies (acknowledgement, result) per request.
import type { FcBug } from "./world.js";
import { waitChildren } from "./sem-order.js";

const MSG_K = 5;
const CAPACITY = 2;

export const msgFullQueues: FcBug = async (w) => {
  const requests = { n: 0 };
  const replies = { n: 0 };
  const send = async (q: { n: number }, label: string) => {
    await w.waitUntil(label, () => q.n < CAPACITY);
    q.n++;
    w.wake();
  };
  const recv = async (q: { n: number }, label: string) => {
    await w.waitUntil(label, () => q.n > 0);
    q.n--;
    w.wake();
  };
  w.spawn("client", async () => {
    await w.step("msgget");
    await w.step("msgget");
    await w.step("fork");
    w.spawn("server", async () => {
      for (let i = 0; i < MSG_K; i++) {
        await recv(requests, "msgrcv request");
        await send(replies, "msgsnd ack");
        await send(replies, "msgsnd result");
      }
    });
    let got = 0;
    for (let i = 0; i < MSG_K; i++) {
      await send(requests, "msgsnd request"); // BUG: blocks while our reply queue is full
      await w.step("msgrcv reply NOWAIT");
      if (replies.n > 0) {
        replies.n--;
        got++;
        w.wake();
      }
    }
    for (; got < 2 * MSG_K; got++) await recv(replies, "msgrcv reply");
    await waitChildren(w, ["server"]);
  });
  return w.verdict();
};
