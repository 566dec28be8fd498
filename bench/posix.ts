// POSIX IPC through the kernel ABI: mq_send+mq_receive pairs, futex wait/wake handoffs between
// two processes, and uncontended sem_post+sem_wait pairs, against the same loops run natively
// on real Linux (bench/loops/loops.c), timed in alternation in one run. Issue 18's goal: at
// least 5 times Linux per operation.
//
// Queue pairs. Pid 2 opens a queue of 10 messages of 64 bytes; a pair is mq_timedsend of 16
// bytes (priority 1, no timeout) into the empty queue and mq_timedreceive of it, the message
// and the receive buffer poked into the I/O area once. Linux: mq_send and mq_receive in C.
//
// Handoffs. Pid 2 maps a shared page and forks pid 3; the word is whose turn it is (0: pid 2's,
// 1: pid 3's). One round is two handoffs: pid 3 waits (FUTEX_WAIT 0: blocked); pid 2 gives it
// the turn (xchg 1) and wakes it (FUTEX_WAKE 1), then waits for its own (FUTEX_WAIT 1:
// blocked); pid 3 returns from its wait (its retry), gives the turn back (xchg 0) and wakes pid
// 2, whose wait returns. Eight kernel entries; Linux's loop makes the same futex calls, with
// its loads and stores as plain instructions and a context switch per handoff.
//
// Semaphore pairs. glibc's uncontended sem_post and sem_wait make no syscall: each is a load
// and a compare-and-swap of the value word (nptl/sem_post.c, sem_waitcommon.c
// __new_sem_wait_fast). The model makes the same four CPU steps (load, cas, load, cas), each a
// kernel entry, so this row compares a kernel call with a user-space instruction: the model
// cannot reach Linux's rate here, and the row says by how much it misses.

import { CALLS, FLAGS } from "../wasm/abi.js";
import { Kernel } from "../wasm/kernel.js";
import {
  collectGarbage, compare, rowFromTimes, timeOnce, withGoal, type BenchOptions, type Row,
} from "./harness.js";
import { buildLoops, futexLoop, mqLoop, semLoop } from "./loops.js";

const SPEEDUP_GOAL = 5;
const WARMUP_ROUNDS = 2;
const { FUTEX_WAIT, FUTEX_WAKE } = FLAGS.futex;
const { MAP_SHARED, MAP_ANONYMOUS } = FLAGS.mmap;
const { PROT_READ, PROT_WRITE } = FLAGS.prot;

interface Setup {
  k: Kernel;
  word: number;
  out: number;
  /** The queue's descriptor (pid 2's), the message, the receive buffer. */
  mqd: number;
  msg: number;
  rcv: number;
}

const MQ_BYTES = 16;

function setup(): Setup {
  const k = new Kernel();
  const prot = PROT_READ | PROT_WRITE;
  const word = k.syscall(2, CALLS.mmap, 0, 4096, prot, MAP_SHARED | MAP_ANONYMOUS);
  if (word < 0 || k.syscall(2, CALLS.fork) !== 3) throw new Error("bench: mmap or fork failed");
  const io = k.ioBase;
  const attr = new Uint8Array(64);
  new DataView(attr.buffer).setBigInt64(8, 10n, true);
  new DataView(attr.buffer).setBigInt64(16, 64n, true);
  const msg = new Uint8Array(MQ_BYTES).map((_, i) => (i * 131 + 7) & 0xff);
  const name = new TextEncoder().encode("/b\0");
  const ok = k.poke(2, io + 0x2000, attr) && k.poke(2, io + 0x2100, name) &&
    k.poke(2, io + 0x3000, msg);
  const flags = FLAGS.open.O_CREAT | FLAGS.open.O_RDWR;
  const mqd = ok ? k.syscall(2, CALLS.mq_open, io + 0x2100, flags, 0o600, io + 0x2000) : -1;
  if (mqd < 0) throw new Error(`bench: mq_open gave ${mqd}`);
  return { k, word, out: io + 0x1000, mqd, msg: io + 0x3000, rcv: io + 0x4000 };
}

/** `pairs` mq_timedsend+mq_timedreceive pairs; the sum of the received sizes. */
function mqPairs(s: Setup, pairs: number): number {
  const { k, mqd, msg, rcv, out } = s;
  const x = k.x;
  const SEND = CALLS.mq_timedsend;
  const RECV = CALLS.mq_timedreceive;
  let sum = 0;
  for (let i = 0; i < pairs; i++) {
    x.k_syscall(2, SEND, mqd, msg, MQ_BYTES, 1, 0, 0);
    sum += x.k_syscall(2, RECV, mqd, rcv, 64, out, 0, 0);
  }
  return sum;
}

/** `rounds` rounds of two handoffs; the sum of the wake counts (2 a round). */
function handoffs(s: Setup, rounds: number): number {
  const { k, word, out } = s;
  const x = k.x;
  const F = CALLS.futex;
  const XCHG = CALLS.xchg;
  let woke = 0;
  for (let i = 0; i < rounds; i++) {
    x.k_syscall(3, F, word, FUTEX_WAIT, 0, 0, 0, 0);
    x.k_syscall(2, XCHG, word, 1, out, 0, 0, 0);
    woke += x.k_syscall(2, F, word, FUTEX_WAKE, 1, 0, 0, 0);
    x.k_syscall(2, F, word, FUTEX_WAIT, 1, 0, 0, 0);
    x.k_retry(3);
    x.k_syscall(3, XCHG, word, 0, out, 0, 0, 0);
    woke += x.k_syscall(3, F, word, FUTEX_WAKE, 1, 0, 0, 0);
    x.k_retry(2);
    if ((i & 1023) === 0) k.drainEvents();
  }
  k.drainEvents();
  return woke;
}

/** `pairs` post+wait pairs as glibc's fast paths: load the word, cas it up by one step (the
 * 32-bit layout: value << 1); load, cas it down. The sum of the cas results. */
function semPairs(s: Setup, pairs: number): number {
  const { k, word, out } = s;
  const x = k.x;
  const LOAD = CALLS.load;
  const CAS = CALLS.cas;
  let sum = 0;
  for (let i = 0; i < pairs; i++) {
    x.k_syscall(2, LOAD, word, out, 4, 0, 0, 0);
    let v = k.peekI32(2, out);
    x.k_syscall(2, CAS, word, v, v + 2, out, 0, 0);
    sum += k.peekI32(2, out);
    x.k_syscall(2, LOAD, word, out, 4, 0, 0, 0);
    v = k.peekI32(2, out);
    x.k_syscall(2, CAS, word, v, v - 2, out, 0, 0);
    sum += k.peekI32(2, out);
  }
  return sum;
}

function round(fn: () => number): [number, number] {
  collectGarbage();
  return timeOnce(fn);
}

interface Case {
  name: string;
  unit: string;
  model: number;
  host: number;
  run: (s: Setup, n: number) => number;
  /** What one unit of `run(s, n)` is worth in the unit (two handoffs a round). */
  per: number;
  want: (n: number) => number;
  linux: (bin: string, n: number) => number;
}

const CASES: readonly Case[] = [
  {
    name: "16 B mq_send+mq_receive pairs", unit: "pairs/s", model: 500_000, host: 200_000,
    run: mqPairs, per: 1, want: (n) => n * MQ_BYTES,
    linux: (bin, n) => mqLoop(bin, n, MQ_BYTES),
  },
  {
    name: "futex wait/wake handoffs between two processes", unit: "handoffs/s",
    model: 200_000, host: 100_000, run: handoffs, per: 2, want: (n) => 2 * n,
    linux: (bin, n) => futexLoop(bin, 2 * n),
  },
  {
    name: "uncontended sem_post+sem_wait pairs (glibc's fast paths)", unit: "pairs/s",
    model: 500_000, host: 2_000_000, run: semPairs, per: 1, want: (n) => n * 2,
    linux: semLoop,
  },
];

function runCase(c: Case, opts: BenchOptions, loops: string | null): Row[] {
  const n = Math.max(1000, Math.round(c.model * opts.scale));
  const hostN = Math.max(1000, Math.round(c.host * opts.scale));
  const times: number[] = [];
  const linuxTimes: number[] = [];
  for (let r = 0; r < WARMUP_ROUNDS + opts.rounds; r++) {
    const s = setup();
    const [sec, sum] = round(() => c.run(s, n));
    if (c.run === handoffs && sum !== c.want(n)) {
      throw new Error(`bench: ${c.name}: ${sum} wakes, want ${c.want(n)}`);
    }
    if (c.run !== handoffs && sum !== c.want(n)) {
      throw new Error(`bench: ${c.name}: checksum ${sum}, want ${c.want(n)}`);
    }
    if (r >= WARMUP_ROUNDS) times.push(sec);
    if (loops && (r >= WARMUP_ROUNDS || r === 0)) {
      const ns = c.linux(loops, hostN);
      if (r >= WARMUP_ROUNDS) linuxTimes.push(ns / 1e9);
    }
  }
  const base = { bench: "posix", case: c.name, unit: c.unit };
  let model = rowFromTimes({ ...base, what: "model: raw k_syscall export" }, n * c.per, times);
  if (!loops) return [model];
  const linux = rowFromTimes(
    { ...base, what: "baseline: real Linux, native loop (bench/loops)" }, hostN * c.per,
    linuxTimes,
  );
  model = withGoal(compare(model, linux), SPEEDUP_GOAL * linux.rate);
  model.note = `goal: ${SPEEDUP_GOAL}× Linux's best rate in this run`;
  return [model, linux];
}

export async function posixBench(opts: BenchOptions): Promise<Row[]> {
  const built = buildLoops();
  if (!built.ok) opts.log(`posix: no Linux baseline: ${built.reason}`);
  const rows: Row[] = [];
  for (const c of CASES) {
    opts.log(`posix: ${c.name} (${opts.rounds} rounds after ${WARMUP_ROUNDS} warm-up)...`);
    rows.push(...runCase(c, opts, built.ok ? built.bin : null));
  }
  return rows;
}
