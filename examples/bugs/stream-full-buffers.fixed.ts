// The fix of stream-full-buffers.ts: the server reads the whole request, header and body,
// before it sends the reply, so the client's send always finds a reader and the client is
// reading by the time the reply fills the server's send buffer.

import { AF_UNIX, MSG_WAITALL, SOCK_STREAM, type Os } from "ipcsim";

const BIG = 256 * 1024;

export default async function main(os: Os) {
  const [client, server] = await os.socketpair(AF_UNIX, SOCK_STREAM);
  const child = await os.fork(async (os) => {
    await os.close(client);
    await os.recv(server, 16, MSG_WAITALL);
    let body = 0;
    while (body < BIG) body += (await os.recv(server, 65536)).length;
    await os.send(server, "r".repeat(BIG));
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
