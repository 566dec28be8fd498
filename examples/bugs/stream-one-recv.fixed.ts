// The fix of stream-one-recv.ts: the client reads until it has the whole answer (two lines:
// the status and the body), however the stream cut it; a recv returning nothing is the end of
// the stream, which must not come first.

import { AF_UNIX, SOCK_STREAM, type Os } from "ipcsim";

const ANSWER = "OK\nhello, world\n";

export default async function main(os: Os) {
  const [client, server] = await os.socketpair(AF_UNIX, SOCK_STREAM);
  const child = await os.fork(async (os) => {
    await os.close(client);
    await os.recv(server, 64);
    await os.send(server, "OK\n");
    await os.send(server, "hello, world\n");
    await os.close(server);
  });
  await os.close(server);
  await os.send(client, "GET greeting\n");
  let got = "";
  while (got.split("\n").length < 3) { // two whole lines
    const part = await os.recv(client, 256);
    os.assert(part.length > 0, `end of stream after ${JSON.stringify(got)}`);
    got += new TextDecoder().decode(part);
  }
  os.assert(got === ANSWER, `answer: ${got} (${got.length} bytes)`);
  await os.close(client);
  await os.waitpid(child);
}
