// BUG: a lost update to a counter kept in a file.
//
// Two processes each add one to a counter stored as text in "counter.dat": open, pread the
// number, pwrite the number plus one. Nothing orders the two read-modify-writes: when both
// read before either writes, both write 1. (Opening with O_APPEND would not help: the count
// is rewritten in place.)
//
// Shows up as: the parent's assertion "counter is 2" fails, on the schedules where the reads
// interleave with the writes.
// Fix: hold a lock around the read-modify-write (counter-file.fixed.ts: a SysV semaphore as
// the mutex; flock or fcntl's record locks do the same).

import { O_CREAT, O_RDWR, type Os } from "ipcsim";

export default async function main(os: Os) {
  const fd = await os.open("counter.dat", O_CREAT | O_RDWR, 0o644);
  await os.pwrite64(fd, "0", 0);
  const increment = async (os: Os) => {
    const text = new TextDecoder().decode(await os.pread64(fd, 16, 0));
    await os.pwrite64(fd, String(Number(text) + 1), 0); // BUG: another may have written
  };
  const a = await os.fork(increment);
  const b = await os.fork(increment);
  await os.waitpid(a);
  await os.waitpid(b);
  const total = Number(new TextDecoder().decode(await os.pread64(fd, 16, 0)));
  os.assert(total === 2, `lost update: counter is ${total}, expected 2`);
  await os.close(fd);
  await os.unlink("counter.dat");
}
