// The fix of counter-file.ts: a semaphore with count 1 (a mutex) around each process's
// pread and pwrite, so the two read-modify-writes cannot interleave.

import { IPC_CREAT, IPC_PRIVATE, IPC_RMID, O_CREAT, O_RDWR, SETVAL, type Os } from "ipcsim";

export default async function main(os: Os) {
  const fd = await os.open("counter.dat", O_CREAT | O_RDWR, 0o644);
  await os.pwrite64(fd, "0", 0);
  const mutex = await os.semget(IPC_PRIVATE, 1, IPC_CREAT | 0o600);
  await os.semctl(mutex, 0, SETVAL, 1);
  const increment = async (os: Os) => {
    await os.semop(mutex, [{ num: 0, op: -1 }]);
    const text = new TextDecoder().decode(await os.pread64(fd, 16, 0));
    await os.pwrite64(fd, String(Number(text) + 1), 0);
    await os.semop(mutex, [{ num: 0, op: 1 }]);
  };
  const a = await os.fork(increment);
  const b = await os.fork(increment);
  await os.waitpid(a);
  await os.waitpid(b);
  const total = Number(new TextDecoder().decode(await os.pread64(fd, 16, 0)));
  os.assert(total === 2, `lost update: counter is ${total}, expected 2`);
  await os.semctl(mutex, 0, IPC_RMID);
  await os.close(fd);
  await os.unlink("counter.dat");
}
