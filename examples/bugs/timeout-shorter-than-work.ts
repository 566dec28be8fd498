// BUG: a retry loop whose timeout is shorter than the work it waits for.
//
// The parent hands a job to a worker process and waits for the worker's "done" (a V on a
// semaphore) with semtimedop and a 1 s timeout, three times; after three timeouts it decides
// the worker hung and gives up. The worker is not hung, only slow: its job takes a few steps,
// and a second is enough only when the worker is not kept waiting for the CPU.
//
// Shows up as: the parent's assertion "the worker answered" fails, on the schedules where the
// three timeouts expire while the worker is still working.
// Fix: a timeout is a reason to check, not a verdict: on EAGAIN the parent asks whether the
// worker is still alive (waitpid WNOHANG) and keeps waiting while it is
// (timeout-shorter-than-work.fixed.ts).

import { ErrnoError, IPC_CREAT, IPC_PRIVATE, IPC_RMID, type Os } from "ipcsim";

const ATTEMPTS = 3;

export default async function main(os: Os) {
  const sem = await os.semget(IPC_PRIVATE, 1, IPC_CREAT | 0o600);
  const worker = await os.fork(async (c) => {
    for (let i = 0; i < 4; i++) await c.getppid(); // the job: a few steps of work
    await c.semop(sem, [[0, 1, 0]]); // done
  });
  let answered = false;
  for (let attempt = 0; attempt < ATTEMPTS && !answered; attempt++) {
    try {
      await os.semtimedop(sem, [[0, -1, 0]], { sec: 1 });
      answered = true;
    } catch (e) {
      if (!(e instanceof ErrnoError && e.code === "EAGAIN")) throw e;
      // BUG: "no answer within the timeout" is taken to mean "no answer ever"
    }
  }
  os.assert(answered, `no answer after ${ATTEMPTS} timeouts of 1 s: the worker was still working`);
  await os.waitpid(worker);
  await os.semctl(sem, 0, IPC_RMID);
}
