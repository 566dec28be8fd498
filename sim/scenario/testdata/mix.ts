// A bit of everything the kernel models today, for the fast-reset and replay tests: pipes,
// a FIFO, a message queue, a semaphore set, forks and waits; leaves objects behind sometimes.
import {
  IPC_CREAT, IPC_NOWAIT, IPC_PRIVATE, IPC_RMID, O_RDONLY, O_WRONLY, SETVAL, type Os,
} from "ipcsim";

export default async function main(os: Os) {
  const [r, w] = await os.pipe();
  const q = await os.msgget(IPC_PRIVATE, IPC_CREAT | 0o600);
  const s = await os.semget(IPC_PRIVATE, 1, IPC_CREAT | 0o600);
  await os.semctl(s, 0, SETVAL, 0);
  await os.mkfifo("chan");
  const a = await os.fork(async (c) => {
    await c.close(r);
    await c.write(w, "from a");
    await c.msgsnd(q, 1, "msg");
    await c.semop(s, [{ num: 0, op: 1 }]);
    const fd = await c.open("chan", O_WRONLY);
    await c.write(fd, "fifo");
    await c.close(fd);
  });
  const b = await os.fork(async (c) => {
    const m = await c.msgrcv(q, 16, 0, 0);
    c.assert(m.mtype === 1, "mtype");
    await c.semop(s, [{ num: 0, op: -1 }]);
    const fd = await c.open("chan", O_RDONLY);
    await c.read(fd, 16);
    await c.close(fd);
  });
  await os.close(w);
  await os.read(r, 64);
  try {
    await os.msgrcv(q, 16, 2, IPC_NOWAIT);
  } catch { /* ENOMSG */ }
  await os.waitpid(a);
  await os.waitpid(b);
  await os.unlink("chan");
  await os.msgctl(q, IPC_RMID);
  await os.semctl(s, 0, IPC_RMID);
}
