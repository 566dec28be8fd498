// BUG: mq_notify registered once and expected to fire for every message.
//
// The parent registers for a SIGUSR1 when its queue gets a message (mq_notify), then waits for
// two notifications, taking one message after each. A child sends two messages. But a
// registration fires once and is then removed (ipc/mqueue.c __do_notify), and only when a
// message arrives in an empty queue: the second message brings no signal, and the parent waits
// in sigsuspend forever.
//
// Shows up as: a deadlock, the parent in sigsuspend with a message in its queue, on every
// schedule.
// Fix: register again after each notification, before reading, and then read every message
// there is (O_NONBLOCK until EAGAIN), as mq_notify(3)'s example does (mq-notify-once.fixed.ts).

import {
  ErrnoError, O_CREAT, O_NONBLOCK, O_RDWR, SIG_BLOCK, SIGEV_SIGNAL, SIGUSR1, type Os,
} from "ipcsim";

export default async function main(os: Os) {
  let notified = 0;
  await os.sigprocmask(SIG_BLOCK, [SIGUSR1]); // taken only inside sigsuspend: no lost signal
  await os.sigaction(SIGUSR1, () => {
    notified++;
  });
  const q = await os.mq_open("/events", O_CREAT | O_RDWR | O_NONBLOCK, 0o600, null);
  await os.mq_notify(q, { notify: SIGEV_SIGNAL, signo: SIGUSR1 });
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
    await os.mq_receive(q, 8192); // BUG: one message a notification, and no new registration
    received++;
  }
  await os.waitpid(child);
  await os.mq_unlink("/events");
}
