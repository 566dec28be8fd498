// Futexes and the semaphores built on them: futex wait/wake handoffs between two processes, and
// uncontended sem_post+sem_wait pairs, through the kernel ABI, against the same loops run
// natively on real Linux (bench/loops/loops.c), timed in alternation in one run. Issue 18's
// goal: at least 5 times Linux per operation.
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
import { buildLoops, futexLoop, semLoop } from "./loops.js";

const SPEEDUP_GOAL = 5;
const WARMUP_ROUNDS = 2;
const { FUTEX_WAIT, FUTEX_WAKE } = FLAGS.futex;
const { MAP_SHARED, MAP_ANONYMOUS } = FLAGS.mmap;
const { PROT_READ, PROT_WRITE } = FLAGS.prot;

interface Setup {
  k: Kernel;
  word: number;
  out: number;
}

function setup(): Setup {
  const k = new Kernel();
  const prot = PROT_READ | PROT_WRITE;
  const word = k.syscall(2, CALLS.mmap, 0, 4096, prot, MAP_SHARED | MAP_ANONYMOUS);
  if (word < 0 || k.syscall(2, CALLS.fork) !== 3) throw new Error("bench: mmap or fork failed");
  return { k, word, out: k.ioBase + 0x1000 };
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
    if (c.run === semPairs && sum !== n * 2) throw new Error(`bench: ${c.name}: checksum ${sum}`);
    if (r >= WARMUP_ROUNDS) times.push(sec);
    if (loops && (r >= WARMUP_ROUNDS || r === 0)) {
      const ns = c.linux(loops, hostN);
      if (r >= WARMUP_ROUNDS) linuxTimes.push(ns / 1e9);
    }
  }
  const base = { bench: "futex", case: c.name, unit: c.unit };
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

export async function futexBench(opts: BenchOptions): Promise<Row[]> {
  const built = buildLoops();
  if (!built.ok) opts.log(`futex: no Linux baseline: ${built.reason}`);
  const rows: Row[] = [];
  for (const c of CASES) {
    opts.log(`futex: ${c.name} (${opts.rounds} rounds after ${WARMUP_ROUNDS} warm-up)...`);
    rows.push(...runCase(c, opts, built.ok ? built.bin : null));
  }
  return rows;
}
