// A multiprocessing.Queue-like channel between three processes, built as CPython's
// Lib/multiprocessing/queues.py builds Queue: a pipe carries the data, each message framed as
// Connection.send_bytes frames it (a 4-byte big-endian length, then the bytes, in one write);
// a lock serialises the writers (`_wlock`) and one the readers (`_rlock`); a bounded semaphore
// (`_sem`, BoundedSemaphore(maxsize)) counts the places left: put() takes one before sending,
// get() gives it back after receiving, so at most MAXSIZE messages are in the pipe or in flight.
// The locks are process-shared pthread mutexes and the semaphore a POSIX semaphore from
// ipcsim's nptl library (CPython's Lock is a SemLock, a POSIX semaphore of 1; a mutex here
// exercises the other nptl primitive). CPython's put() hands the object to a feeder thread that
// sends it; a simulated process has one thread, so put() sends it itself.
//
// Two producers put PER_PRODUCER messages each; the main process gets them all. Each
// producer's messages arrive whole and in its order, however the schedule interleaves them.
//
//   npx ipcsim run examples/mp-queue.ts

import {
  MAP_ANONYMOUS, MAP_SHARED, PROT_READ, PROT_WRITE, PTHREAD_MUTEX_T_BYTES, pthread_mutex_init,
  pthread_mutex_lock, pthread_mutex_unlock, sem_init, sem_post, sem_wait, type Os,
} from "ipcsim";

const MAXSIZE = 2;
const PER_PRODUCER = 2;
const PAGE = 4096;

/** The queue's shared state: the pipe's ends and the addresses of its locks and semaphore. */
interface Queue { reader: number; writer: number; rlock: number; wlock: number; sem: number }

async function makeQueue(os: Os): Promise<Queue> {
  const [reader, writer] = await os.pipe();
  const base = await os.mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS);
  const q = { reader, writer, rlock: base, wlock: base + PTHREAD_MUTEX_T_BYTES,
    sem: base + 2 * PTHREAD_MUTEX_T_BYTES };
  await pthread_mutex_init(os, q.rlock);
  await pthread_mutex_init(os, q.wlock);
  await sem_init(os, q.sem, 1, MAXSIZE);
  return q;
}

/** Queue.put, with the feeder thread's send inlined: a place, then the framed message. */
async function put(os: Os, q: Queue, text: string): Promise<void> {
  await sem_wait(os, q.sem);
  const body = new TextEncoder().encode(text);
  const frame = new Uint8Array(4 + body.length);
  new DataView(frame.buffer).setInt32(0, body.length, false); // struct.pack("!i", n)
  frame.set(body, 4);
  await pthread_mutex_lock(os, q.wlock);
  for (let sent = 0; sent < frame.length;) sent += await os.write(q.writer, frame.subarray(sent));
  await pthread_mutex_unlock(os, q.wlock);
}

/** Connection._recv: exactly n bytes (a pipe read may return fewer). */
async function recvExactly(os: Os, fd: number, n: number): Promise<Uint8Array> {
  const buf = new Uint8Array(n);
  for (let got = 0; got < n;) {
    const d = await os.read(fd, n - got);
    os.assert(d.length > 0, "EOF inside a message");
    buf.set(d, got);
    got += d.length;
  }
  return buf;
}

/** Queue.get: one whole message under the reader lock, then its place back. */
async function get(os: Os, q: Queue): Promise<string> {
  await pthread_mutex_lock(os, q.rlock);
  const header = await recvExactly(os, q.reader, 4);
  const size = new DataView(header.buffer).getInt32(0, false);
  const body = await recvExactly(os, q.reader, size);
  await pthread_mutex_unlock(os, q.rlock);
  await sem_post(os, q.sem);
  return new TextDecoder().decode(body);
}

export default async function main(os: Os) {
  const q = await makeQueue(os);
  const producer = (name: string) => async (os: Os) => {
    await os.close(q.reader);
    for (let i = 0; i < PER_PRODUCER; i++) await put(os, q, `${name}:${i}`);
    await os.close(q.writer);
  };
  const a = await os.fork(producer("a"));
  const b = await os.fork(producer("b"));
  await os.close(q.writer);
  const next = { a: 0, b: 0 };
  for (let n = 0; n < 2 * PER_PRODUCER; n++) {
    const [name, i] = (await get(os, q)).split(":") as ["a" | "b", string];
    os.assert(Number(i) === next[name], `got ${name}:${i}, expected ${name}:${next[name]}`);
    next[name]++;
  }
  await os.waitpid(a);
  await os.waitpid(b);
  await os.close(q.reader);
}
