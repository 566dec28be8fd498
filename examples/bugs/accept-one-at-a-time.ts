// BUG: a server that serves one client at a time, with clients that each wait for the other.
//
// A relay on a Unix socket ("/relay"): each client connects, sends its name and waits for the
// other client's name, which the server is meant to pass on. The server accepts a client,
// reads its name, and then keeps serving that connection (reading until the client hangs up)
// before it accepts the next one. The second client's connect succeeds anyway: the kernel
// queues it on the listener's backlog (net/unix/af_unix.c unix_stream_connect queues an embryo
// socket; accept only hands it over), so it sends its name into a socket nobody has accepted
// and waits. The first client waits for a name that only the second can send, through a server
// that will not look at the second connection until the first one ends.
//
// Shows up as: a deadlock across three processes and four sockets: the server blocked in
// recvfrom on the first connection, the first client in recvfrom on its socket, the second in
// recvfrom on a socket still on the listener's queue.
// Fix: accept both clients before serving either (accept-one-at-a-time.fixed.ts); a real
// server would watch the listener and every connection with poll or epoll.

import { AF_UNIX, SOCK_STREAM, type Os } from "ipcsim";

const ADDR = { path: "/relay" };

async function client(os: Os, name: string): Promise<string> {
  const fd = await os.socket(AF_UNIX, SOCK_STREAM);
  await os.connect(fd, ADDR);
  await os.send(fd, name);
  const other = new TextDecoder().decode(await os.recv(fd, 16));
  await os.close(fd);
  return other;
}

export default async function main(os: Os) {
  const listener = await os.socket(AF_UNIX, SOCK_STREAM);
  await os.bind(listener, ADDR);
  await os.listen(listener, 4);
  const kids = [];
  for (const name of ["alice", "bob"]) {
    kids.push(await os.fork(async (os) => {
      await os.close(listener);
      const other = await client(os, name);
      os.assert(other !== name && other !== "", `${name} got "${other}"`);
    }));
  }
  const names: { fd: number; name: string }[] = [];
  for (let served = 0; served < 2; served++) {
    const fd = await os.accept(listener);
    names.push({ fd, name: new TextDecoder().decode(await os.recv(fd, 16)) });
    // BUG: serves this connection to its end before accepting the next; its client waits
    // for the other client's name first.
    while ((await os.recv(fd, 16)).length > 0) { /* more from this client */ }
  }
  for (const kid of kids) await os.waitpid(kid);
}
