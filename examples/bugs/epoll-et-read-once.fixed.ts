// Fixed: for each edge-triggered event the server reads every request queued, until recv
// with MSG_DONTWAIT fails with EAGAIN, and only then waits again (epoll-et-read-once.ts has
// the bug). Another arrival after the EAGAIN makes a new event.

import {
  AF_UNIX, EPOLL_CTL_ADD, EPOLLET, EPOLLIN, ErrnoError, MSG_DONTWAIT, SOCK_STREAM, type Os,
} from "ipcsim";

const REQUESTS = ["ping1", "ping2"];

export default async function main(os: Os) {
  const [server, client] = await os.socketpair(AF_UNIX, SOCK_STREAM);
  const child = await os.fork(async (os) => {
    await os.close(server);
    for (const r of REQUESTS) await os.send(client, r);
    let answers = "";
    while (answers.length < 10) answers += new TextDecoder().decode(await os.recv(client, 10));
    os.assert(answers === "pong1pong2", `answers ${answers}`);
    await os.close(client);
  });
  await os.close(client);
  const ep = await os.epoll_create1();
  await os.epoll_ctl(ep, EPOLL_CTL_ADD, server, { events: EPOLLIN | EPOLLET });
  for (let answered = 0; answered < REQUESTS.length;) {
    await os.epoll_wait(ep, 4);
    while (answered < REQUESTS.length) {
      let req: string;
      try {
        req = new TextDecoder().decode(await os.recv(server, 5, MSG_DONTWAIT));
      } catch (e) {
        if (e instanceof ErrnoError && e.code === "EAGAIN") break; // drained: wait again
        throw e;
      }
      await os.send(server, req.replace("ping", "pong"));
      answered++;
    }
  }
  await os.close(server);
  await os.waitpid(child);
}
