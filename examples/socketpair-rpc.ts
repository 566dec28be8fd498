// Request and response over a socketpair between a parent and its child: "like a pipe, but
// full duplex" (socketpair(2), unix(7)). The parent makes an AF_UNIX stream pair, forks a
// server that keeps one end, and keeps the other: each request is a line the server answers
// with a line on the same socket. A stream has no message boundaries, so both sides frame
// their messages by a newline and read until they have a whole one (a recv returns whatever
// is queued: part of a line, or more than one). When the client shuts down its sending side
// (SHUT_WR) the server reads end-of-stream and exits; the client still reads the last replies.
//
//   npx ipcsim run examples/socketpair-rpc.ts

import { AF_UNIX, SHUT_WR, SOCK_STREAM, type Os } from "ipcsim";

const REQUESTS = ["add 2 3", "add 40 2", "add 7 -7"];

/** A reader of newline-framed messages on a stream socket. */
function lines(os: Os, fd: number) {
  let buf = "";
  return async (): Promise<string | null> => {
    for (;;) {
      const nl = buf.indexOf("\n");
      if (nl >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        return line;
      }
      const got = await os.recv(fd, 64);
      if (got.length === 0) return null; // end of stream
      buf += new TextDecoder().decode(got);
    }
  };
}

export default async function main(os: Os) {
  const [client, server] = await os.socketpair(AF_UNIX, SOCK_STREAM);
  const child = await os.fork(async (os) => {
    await os.close(client);
    const next = lines(os, server);
    for (let line = await next(); line !== null; line = await next()) {
      const [, a, b] = line.split(" ");
      await os.send(server, `${Number(a) + Number(b)}\n`);
    }
    await os.close(server);
  });
  await os.close(server);
  for (const r of REQUESTS) await os.send(client, `${r}\n`);
  await os.shutdown(client, SHUT_WR); // no more requests: the server reads end-of-stream
  const next = lines(os, client);
  const answers: string[] = [];
  for (let line = await next(); line !== null; line = await next()) answers.push(line);
  os.assert(answers.join(",") === "5,42,0", `answers ${answers.join(",")}`);
  await os.close(client);
  await os.waitpid(child);
}
