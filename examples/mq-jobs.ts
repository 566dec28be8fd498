// A priority job queue on a POSIX message queue, with two workers (mq_overview(7)). The parent
// creates "/jobs" (at most 4 jobs of 32 bytes), forks two workers and sends six jobs, urgent
// ones at priority 9, routine ones at 1, then one "stop" per worker at priority 0, which sorts
// after every job. Each worker receives until its stop and counts what it did in a shared
// word. The queue hands jobs out by priority, then in the order sent: when the queue is full
// the parent blocks in mq_send until a worker's receive makes room (ipc/mqueue.c hands a
// waiting sender's message straight in), and a worker that finds it empty blocks in
// mq_receive until the next send.
//
//   npx ipcsim run examples/mq-jobs.ts

import {
  MAP_ANONYMOUS, MAP_SHARED, O_CREAT, O_EXCL, O_RDWR, PROT_READ, PROT_WRITE, type Os,
} from "ipcsim";

const JOBS: [string, number][] = [
  ["routine 1", 1], ["urgent 1", 9], ["routine 2", 1], ["urgent 2", 9], ["routine 3", 1],
  ["urgent 3", 9],
];

export default async function main(os: Os) {
  const done = await os.mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS);
  const attr = { maxmsg: 4, msgsize: 32 };
  const q = await os.mq_open("/jobs", O_CREAT | O_EXCL | O_RDWR, 0o600, attr);
  const worker = async (os: Os) => {
    for (;;) {
      const { data, prio } = await os.mq_receive(q, 32);
      if (prio === 0) break; // "stop": sent last, and sorted after every job
      os.log(`pid ${os.getpid()}: ${new TextDecoder().decode(data)} (priority ${prio})`);
      await os.fetch_add(done, 1);
    }
  };
  const a = await os.fork(worker);
  const b = await os.fork(worker);
  for (const [job, prio] of JOBS) await os.mq_send(q, job, prio);
  await os.mq_send(q, "stop", 0);
  await os.mq_send(q, "stop", 0);
  await os.waitpid(a);
  await os.waitpid(b);
  const total = await os.loadInt(done);
  os.assert(total === JOBS.length, `${total} jobs done, expected ${JOBS.length}`);
  await os.mq_close(q);
  await os.mq_unlink("/jobs");
}
