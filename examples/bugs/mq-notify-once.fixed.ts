// FIXED: mq-notify-once.ts. After each notification the parent registers again, then reads
// every message there is (O_NONBLOCK until EAGAIN): a message that comes after the read finds
// the queue empty and registered, so it brings a signal; one that comes before it is read.

import {
  ErrnoError, O_CREAT, O_NONBLOCK, O_RDWR, SIG_BLOCK, SIGEV_SIGNAL, SIGUSR1, type Os,
} from "ipcsim";

export default async function main(os: Os) {
  let notified = 0;
  await os.sigprocmask(SIG_BLOCK, [SIGUSR1]);
  await os.sigaction(SIGUSR1, () => {
    notified++;
  });
  const q = await os.mq_open("/events", O_CREAT | O_RDWR | O_NONBLOCK, 0o600, null);
  const register = () => os.mq_notify(q, { notify: SIGEV_SIGNAL, signo: SIGUSR1 });
  await register();
  const child = await os.fork(async (os) => {
    await os.mq_send(q, "first");
    await os.mq_send(q, "second");
  });
  let received = 0;
  while (received < 2) {
    const before = notified;
    while (notified === before) {
      try {
        await os.sigsuspend([]);
      } catch (e) {
        if (!(e instanceof ErrnoError && e.code === "EINTR")) throw e;
      }
    }
    await register(); // the registration is gone once it fired: make a new one first
    for (;;) {
      try {
        await os.mq_receive(q, 8192);
        received++;
      } catch (e) {
        if (e instanceof ErrnoError && e.code === "EAGAIN") break; // drained
        throw e;
      }
    }
  }
  await os.waitpid(child);
  await os.mq_unlink("/events");
}
