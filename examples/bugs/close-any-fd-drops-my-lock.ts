// BUG: a helper that opens and closes the locked file drops the caller's record lock.
//
// Two processes take turns on a log (a FIFO) under an fcntl write lock (F_SETLKW over the whole
// file). Inside the critical section each calls a helper that opens the FIFO again, reads its
// status flags and closes its descriptor. But a POSIX record lock belongs to the process and
// the inode, and ANY close of a descriptor of that file releases all of the process's locks
// on it (fs/file.c filp_flush -> fs/locks.c locks_remove_posix; fcntl(2): "If a process
// closes any file descriptor referring to a file, then all of the process's locks on that file
// are released"): the other process gets the lock while the first is still inside.
//
// Shows up as: a failed assertion (both processes inside the critical section), on the
// schedules where the other process's lock call comes after the helper's close.
// Fix: an open file description lock (F_OFD_SETLKW), which only the description's last close
// releases (close-any-fd-drops-my-lock.fixed.ts); or no second open in the critical section.

import { F_GETFL, F_SETLK, F_SETLKW, F_UNLCK, F_WRLCK, O_NONBLOCK, O_RDWR, type Os } from "ipcsim";

export default async function main(os: Os) {
  await os.mkfifo("log");
  const fd = await os.open("log", O_RDWR);
  let inside = 0;
  /** Some library call that looks at the file through its own descriptor. */
  const logIsNonblocking = async (os: Os) => {
    const mine = await os.open("log", O_RDWR | O_NONBLOCK);
    const flags = await os.fcntl(mine, F_GETFL);
    await os.close(mine); // BUG: also releases the caller's lock on "log"
    return (flags & O_NONBLOCK) !== 0;
  };
  const worker = async (os: Os) => {
    await os.fcntl(fd, F_SETLKW, { l_type: F_WRLCK, l_start: 0, l_len: 0 });
    inside++;
    os.assert(inside === 1, `${inside} processes write the log at once`);
    await logIsNonblocking(os);
    await os.getppid(); // the writing
    os.assert(inside === 1, `${inside} processes write the log at once`);
    inside--;
    await os.fcntl(fd, F_SETLK, { l_type: F_UNLCK, l_start: 0, l_len: 0 });
  };
  const a = await os.fork(worker);
  const b = await os.fork(worker);
  await os.waitpid(a, 0);
  await os.waitpid(b, 0);
  await os.unlink("log");
}
