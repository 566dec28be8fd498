// FIXED: close-any-fd-drops-my-lock.ts. The lock is an open file description lock
// (F_OFD_SETLKW): it belongs to the description each worker opened for itself, and only that
// description's last close releases it, so the helper's open and close of the FIFO leave it.

import {
  F_GETFL, F_OFD_SETLK, F_OFD_SETLKW, F_UNLCK, F_WRLCK, O_NONBLOCK, O_RDWR, type Os,
} from "ipcsim";

export default async function main(os: Os) {
  await os.mkfifo("log");
  let inside = 0;
  const logIsNonblocking = async (os: Os) => {
    const mine = await os.open("log", O_RDWR | O_NONBLOCK);
    const flags = await os.fcntl(mine, F_GETFL);
    await os.close(mine); // an OFD lock stays
    return (flags & O_NONBLOCK) !== 0;
  };
  const worker = async (os: Os) => {
    // Each worker its own description: forked ones would share one, and with it the lock.
    const fd = await os.open("log", O_RDWR);
    await os.fcntl(fd, F_OFD_SETLKW, { l_type: F_WRLCK, l_start: 0, l_len: 0 });
    inside++;
    os.assert(inside === 1, `${inside} processes write the log at once`);
    await logIsNonblocking(os);
    await os.getppid();
    os.assert(inside === 1, `${inside} processes write the log at once`);
    inside--;
    await os.fcntl(fd, F_OFD_SETLK, { l_type: F_UNLCK, l_start: 0, l_len: 0 });
    await os.close(fd);
  };
  const a = await os.fork(worker);
  const b = await os.fork(worker);
  await os.waitpid(a, 0);
  await os.waitpid(b, 0);
  await os.unlink("log");
}
