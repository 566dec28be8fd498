// BUG: a client that takes one recv for one whole message on a stream socket.
//
// A server answers each request on a socketpair with a status line and then a body, in two
// sends (as a program writes a header, then the payload). The client reads its answer with one
// recv of a buffer big enough for both, and expects the whole answer. A stream socket keeps no
// message boundaries (unix(7): SOCK_STREAM is a byte stream): a recv returns what is queued
// when it runs, so when the client runs between the server's two sends it gets the status line
// alone (a short read), and the body arrives with the next recv.
//
// Shows up as: a failed assertion "answer: OK\n (7 bytes)", on the schedules where the client
// reads between the two sends.
// Fix: frame the answer (here, a newline ends the body) and recv until the frame is whole, or
// recv with MSG_WAITALL for a known length (stream-one-recv.fixed.ts).

import { AF_UNIX, SOCK_STREAM, type Os } from "ipcsim";

const ANSWER = "OK\nhello, world\n";

export default async function main(os: Os) {
  const [client, server] = await os.socketpair(AF_UNIX, SOCK_STREAM);
  const child = await os.fork(async (os) => {
    await os.close(client);
    await os.recv(server, 64); // the request
    await os.send(server, "OK\n"); // the status line...
    await os.send(server, "hello, world\n"); // ...then the body
    await os.close(server);
  });
  await os.close(server);
  await os.send(client, "GET greeting\n");
  // BUG: one recv is not one message on a stream
  const got = new TextDecoder().decode(await os.recv(client, 256));
  os.assert(got === ANSWER, `answer: ${got} (${got.length} bytes)`);
  await os.close(client);
  await os.waitpid(child);
}
