// BUG: a server that writes a large reply before reading the rest of the request, talking to
// a client that writes its whole request before reading the reply: both block on full buffers.
//
// The client sends a request header and then a 256 KiB body on a stream socketpair, and only
// then reads the reply. The server reads the header and at once sends its 256 KiB reply,
// meaning to read the body afterwards. An AF_UNIX stream send charges what it queues to the
// sender's send buffer (net/unix/af_unix.c unix_stream_sendmsg: sock_alloc_send_pskb waits
// while sk_wmem_alloc is past sk_sndbuf, 212,992 bytes by default), and only the peer's
// receive gives it back. 256 KiB does not fit: the client waits for the server to read, the
// server for the client to read.
//
// Shows up as: a deadlock, each process blocked in sendto on its socket until the other reads.
// Fix: the server reads the whole request before it replies (stream-full-buffers.fixed.ts);
// a real server could also interleave reads and writes with poll.

import { AF_UNIX, MSG_WAITALL, SOCK_STREAM, type Os } from "ipcsim";

const BIG = 256 * 1024;

export default async function main(os: Os) {
  const [client, server] = await os.socketpair(AF_UNIX, SOCK_STREAM);
  const child = await os.fork(async (os) => {
    await os.close(client);
    await os.recv(server, 16, MSG_WAITALL); // the 16-byte header
    // BUG: replies before reading the body; the client is still sending it
    await os.send(server, "r".repeat(BIG));
    let body = 0;
    while (body < BIG) body += (await os.recv(server, 65536)).length;
    await os.close(server);
  });
  await os.close(server);
  await os.send(client, "PUT len=262144\n\n");
  await os.send(client, "b".repeat(BIG));
  let reply = 0;
  while (reply < BIG) reply += (await os.recv(client, 65536)).length;
  await os.close(client);
  await os.waitpid(child);
}
