// Typed message receive (msgrcv(2)): a SysV message queue carries messages of several types,
// and a receiver picks the type it wants. The sender queues an order of types 1, 2, 1, 3; the
// receiver takes the two type-1 messages first (msgtyp 1, in the order sent), then any message
// of type 3 or below, lowest type first (msgtyp -3), then whatever is left (msgtyp 0).
//
//   npx ipcsim run examples/msg-typed.ts

import { IPC_CREAT, IPC_PRIVATE, IPC_RMID, type Os } from "ipcsim";

export default async function main(os: Os) {
  const q = await os.msgget(IPC_PRIVATE, IPC_CREAT | 0o600);
  const sender = await os.fork(async (os) => {
    await os.msgsnd(q, 1, "one-a", 0);
    await os.msgsnd(q, 2, "two", 0);
    await os.msgsnd(q, 1, "one-b", 0);
    await os.msgsnd(q, 3, "three", 0);
  });
  const got: string[] = [];
  const take = async (msgtyp: number) => {
    const { mtype, data } = await os.msgrcv(q, 64, msgtyp, 0); // waits for a matching message
    got.push(`${mtype}:${new TextDecoder().decode(data)}`);
  };
  await take(1);
  await take(1);
  await take(-3);
  await take(0);
  os.assert(got.join(" ") === "1:one-a 1:one-b 2:two 3:three", `received ${got.join(" ")}`);
  await os.waitpid(sender, 0);
  await os.msgctl(q, IPC_RMID);
}
