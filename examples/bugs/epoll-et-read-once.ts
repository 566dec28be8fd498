// BUG: an edge-triggered epoll loop that reads one message per event.
//
// A server watches its end of a stream socketpair with EPOLLET and, for each event, reads one
// 5-byte request and answers it. Edge-triggered means an event per arrival, not per message
// waiting (fs/eventpoll.c: ep_poll_callback queues the item when data arrives; with EPOLLET,
// ep_send_events does not queue it again after reporting it). When the client's second
// request arrives before the server has waited again, both arrivals make one event; the server
// reads the first request and waits for an event that never comes, with the second request
// still queued.
//
// Shows up as: a deadlock: the server in epoll_wait on an item with data left, the client in
// recvfrom waiting for the second answer. Only some schedules: when the server reads between
// the two sends, each arrival is its own event.
// Fix: on each event, read until the socket says EAGAIN (epoll-et-read-once.fixed.ts): the
// edge-triggered contract (epoll(7)).

import { AF_UNIX, EPOLL_CTL_ADD, EPOLLET, EPOLLIN, SOCK_STREAM, type Os } from "ipcsim";

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
    // BUG: one read per event; with EPOLLET an event may stand for several requests.
    const req = new TextDecoder().decode(await os.recv(server, 5));
    await os.send(server, req.replace("ping", "pong"));
    answered++;
  }
  await os.close(server);
  await os.waitpid(child);
}
