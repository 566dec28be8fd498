// FIXED: lock-order-edeadlk.ts. A process whose second F_SETLKW is refused with EDEADLK lets
// go of its first lock and starts again (reading its balance again): the other process, whose
// wait closed no cycle, gets both locks, and the first one's next try waits behind them.

import { ErrnoError, F_SETLK, F_SETLKW, F_UNLCK, F_WRLCK, O_RDWR, type Os } from "ipcsim";

export default async function main(os: Os) {
  await os.mkfifo("accounts");
  const fd = await os.open("accounts", O_RDWR);
  const accounts = [10, 10];
  const lock = (os: Os, byte: number) =>
    os.fcntl(fd, F_SETLKW, { l_type: F_WRLCK, l_start: byte, l_len: 1 });
  const unlockAll = (os: Os) => os.fcntl(fd, F_SETLK, { l_type: F_UNLCK, l_start: 0, l_len: 0 });
  const transfer = (from: number, to: number) => async (os: Os) => {
    for (;;) {
      await lock(os, from);
      const balance = accounts[from];
      try {
        await lock(os, to);
      } catch (e) {
        if (!(e instanceof ErrnoError && e.code === "EDEADLK")) throw e;
        await unlockAll(os); // back off: the other process may finish
        continue;
      }
      accounts[from] = balance - 1;
      accounts[to] += 1;
      break;
    }
    await unlockAll(os);
  };
  const a = await os.fork(transfer(0, 1));
  const b = await os.fork(transfer(1, 0));
  await os.waitpid(a, 0);
  await os.waitpid(b, 0);
  os.assert(accounts[0] + accounts[1] === 20, `the accounts hold ${accounts.join(" + ")}`);
  await os.unlink("accounts");
}
