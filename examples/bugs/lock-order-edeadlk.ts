// BUG: two record locks taken in opposite orders, and F_SETLKW's EDEADLK not handled.
//
// Two processes move a unit between two accounts, each guarded by a byte of a FIFO's record
// locks (fcntl F_SETLKW, F_WRLCK): A moves from account 0 to 1 and locks byte 0 then byte 1, B
// the other way. Where both first locks are taken before either second, the second F_SETLKW
// that would close the cycle is refused with EDEADLK (fs/locks.c posix_locks_deadlock) instead
// of sleeping forever (as SysV semaphores would: sem-order.ts). The code treats every return
// of its lock helper as success, as C code that does not check fcntl's -1 does, and updates
// an account whose lock the other process holds: that one's update, made from what it read
// before, overwrites it.
//
// Shows up as: a failed assertion (the total is no longer 20), on the schedules where both
// first locks come before either second.
// Fix: on EDEADLK let go of what you hold and start again (lock-order-edeadlk.fixed.ts); or
// take the locks in one global order.

import { ErrnoError, F_SETLK, F_SETLKW, F_UNLCK, F_WRLCK, O_RDWR, type Os } from "ipcsim";

export default async function main(os: Os) {
  await os.mkfifo("accounts");
  const fd = await os.open("accounts", O_RDWR);
  const accounts = [10, 10]; // the data the locks guard (shared JS state)
  const lock = async (os: Os, byte: number) => {
    try {
      await os.fcntl(fd, F_SETLKW, { l_type: F_WRLCK, l_start: byte, l_len: 1 });
    } catch (e) {
      if (!(e instanceof ErrnoError)) throw e; // BUG: EDEADLK taken for a lock
    }
  };
  const transfer = (from: number, to: number) => async (os: Os) => {
    await lock(os, from);
    const balance = accounts[from];
    await lock(os, to);
    accounts[from] = balance - 1;
    accounts[to] += 1;
    await os.fcntl(fd, F_SETLK, { l_type: F_UNLCK, l_start: 0, l_len: 0 });
  };
  const a = await os.fork(transfer(0, 1));
  const b = await os.fork(transfer(1, 0));
  await os.waitpid(a, 0);
  await os.waitpid(b, 0);
  os.assert(accounts[0] + accounts[1] === 20, `the accounts hold ${accounts.join(" + ")}`);
  await os.unlink("accounts");
}
