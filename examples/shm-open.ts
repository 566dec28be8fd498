// POSIX shared memory and a named semaphore between two processes that share nothing else: both
// are forked before anything is opened, so only names join them (shm_overview(7),
// sem_overview(7)). The producer creates "/data" with shm_open, sizes it, maps it and writes a
// message, then posts the semaphore "/ready"; the consumer opens "/ready" (with O_CREAT too:
// whichever comes first creates it, and sem_open's link() makes the creation atomic), waits on
// it, and reads the message through its own mapping of "/data". The library makes the calls
// glibc makes (open under /dev/shm, a temporary file linked into place, mmap, futex).
//
//   npx ipcsim run examples/shm-open.ts

import {
  MAP_SHARED, O_CREAT, O_RDWR, PROT_READ, PROT_WRITE, sem_close, sem_open, sem_post, sem_unlink,
  sem_wait, shm_open, shm_unlink, type Os,
} from "ipcsim";

const MESSAGE = "payload";

export default async function main(os: Os) {
  const producer = await os.fork(async (os) => {
    const fd = await shm_open(os, "/data", O_CREAT | O_RDWR, 0o600);
    await os.ftruncate(fd, 4096);
    const map = await os.mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    await os.close(fd);
    await os.store(map, MESSAGE);
    const ready = await sem_open(os, "/ready", O_CREAT, 0o600, 0);
    await sem_post(os, ready);
    await sem_close(os, ready);
  });
  const consumer = await os.fork(async (os) => {
    const ready = await sem_open(os, "/ready", O_CREAT, 0o600, 0);
    await sem_wait(os, ready);
    const fd = await shm_open(os, "/data", O_RDWR);
    const map = await os.mmap(0, 4096, PROT_READ, MAP_SHARED, fd, 0);
    await os.close(fd);
    const text = new TextDecoder().decode(await os.load(map, MESSAGE.length));
    os.assert(text === MESSAGE, `read ${JSON.stringify(text)}`);
    os.log(`consumer read ${JSON.stringify(text)}`);
    await sem_close(os, ready);
  });
  await os.waitpid(producer);
  await os.waitpid(consumer);
  await shm_unlink(os, "/data");
  await sem_unlink(os, "/ready");
}
