// Fixed: the relay accepts both clients and reads both names before it answers either, so
// each client gets the other's name (accept-one-at-a-time.ts has the bug).

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
  const conns: { fd: number; name: string }[] = [];
  for (let i = 0; i < 2; i++) {
    const fd = await os.accept(listener);
    conns.push({ fd, name: new TextDecoder().decode(await os.recv(fd, 16)) });
  }
  await os.send(conns[0].fd, conns[1].name);
  await os.send(conns[1].fd, conns[0].name);
  for (const c of conns) await os.close(c.fd);
  for (const kid of kids) await os.waitpid(kid);
}
