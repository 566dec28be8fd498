// Regular files and file locks through the kernel ABI, against the same loops run natively on
// real Linux (bench/loops/loops.c `file` and `flock`, a file on /dev/shm), timed in alternation
// in one run. Issue 16's goal for both: at least 5 times Linux.
//
// - 4 KiB pwrite64+pread64 pairs at offset 0 of a tmpfs file: pid 2 creates "f" and the 4 KiB
//   are poked into its I/O area once; a pair is pwrite64 of them and pread64 back into another
//   buffer of the I/O area: two kernel entries and two page copies each way, as Linux's loop
//   makes two syscalls and copies through the page cache.
// - flock(LOCK_EX)+flock(LOCK_UN) pairs on that file, never contended: two kernel entries, a
//   lock taken and freed (fs/locks.c flock_lock_inode both ways).

import { CALLS, FLAGS } from "../wasm/abi.js";
import { Kernel } from "../wasm/kernel.js";
import {
  collectGarbage, compare, rowFromTimes, timeOnce, withGoal, type BenchOptions, type Row,
} from "./harness.js";
import { buildLoops, fileLoop, flockLoop } from "./loops.js";

const SPEEDUP_GOAL = 5;
const WARMUP_ROUNDS = 2;
const BYTES = 4096;
const PAIRS = 200_000;

interface Setup {
  k: Kernel;
  fd: number;
  data: number;
  back: number;
}

function setup(): Setup {
  const k = new Kernel();
  const io = k.ioBase;
  const data = new Uint8Array(BYTES).map((_, i) => (i * 131 + 7) & 0xff);
  const ok = k.poke(2, io + 0x1000, new TextEncoder().encode("f\0")) &&
    k.poke(2, io + 0x2000, data);
  const flags = FLAGS.open.O_CREAT | FLAGS.open.O_RDWR;
  const fd = ok ? k.syscall(2, CALLS.open, io + 0x1000, flags, 0o600) : -1;
  if (fd < 0) throw new Error(`bench: open gave ${fd}`);
  return { k, fd, data: io + 0x2000, back: io + 0x4000 };
}

/** `n` pwrite64+pread64 pairs; the sum of the bytes read. */
function ioPairs(s: Setup, n: number): number {
  const x = s.k.x;
  const W = CALLS.pwrite64;
  const R = CALLS.pread64;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    x.k_syscall(2, W, s.fd, s.data, BYTES, 0, 0, 0);
    sum += x.k_syscall(2, R, s.fd, s.back, BYTES, 0, 0, 0);
  }
  return sum;
}

/** `n` flock LOCK_EX+LOCK_UN pairs; the pairs where both calls gave 0. */
function flockPairs(s: Setup, n: number): number {
  const x = s.k.x;
  const F = CALLS.flock;
  const { LOCK_EX, LOCK_UN } = FLAGS.flock;
  let ok = 0;
  for (let i = 0; i < n; i++) {
    const a = x.k_syscall(2, F, s.fd, LOCK_EX, 0, 0, 0, 0);
    const b = x.k_syscall(2, F, s.fd, LOCK_UN, 0, 0, 0, 0);
    if (a === 0 && b === 0) ok++;
  }
  return ok;
}

interface Case {
  name: string;
  unit: string;
  /** The model's loop: its checksum must be `want(n)`. */
  model: (s: Setup, n: number) => number;
  want: (n: number) => number;
  /** The native loop's nanoseconds for n pairs. */
  linux: (bin: string, n: number) => number;
}

const CASES: Case[] = [
  {
    name: "4 KiB pwrite64+pread64 pairs", unit: "pairs/s", model: ioPairs,
    want: (n) => n * BYTES, linux: (bin, n) => fileLoop(bin, n, BYTES),
  },
  {
    name: "flock LOCK_EX+LOCK_UN pairs (uncontended)", unit: "pairs/s", model: flockPairs,
    want: (n) => n, linux: flockLoop,
  },
];

export async function filesBench(opts: BenchOptions): Promise<Row[]> {
  const built = buildLoops();
  if (!built.ok) opts.log(`files: no Linux baseline: ${built.reason}`);
  const n = Math.max(1000, Math.round(PAIRS * opts.scale));
  const rows: Row[] = [];
  for (const c of CASES) {
    opts.log(`files: ${c.name} (${opts.rounds} rounds after ${WARMUP_ROUNDS} warm-up)...`);
    const times: number[] = [];
    const linuxTimes: number[] = [];
    for (let r = 0; r < WARMUP_ROUNDS + opts.rounds; r++) {
      const s = setup();
      collectGarbage();
      const [sec, sum] = timeOnce(() => c.model(s, n));
      if (sum !== c.want(n)) {
        throw new Error(`bench: ${c.name}: checksum ${sum}, want ${c.want(n)}`);
      }
      if (r >= WARMUP_ROUNDS) times.push(sec);
      if (built.ok) {
        const ns = c.linux(built.bin, n);
        if (r >= WARMUP_ROUNDS) linuxTimes.push(ns / 1e9);
      }
    }
    const base = { bench: "files", case: c.name, unit: c.unit };
    const model = rowFromTimes({ ...base, what: "model: raw k_syscall export" }, n, times);
    if (!built.ok) {
      rows.push(model);
      continue;
    }
    const linux = rowFromTimes(
      { ...base, what: "baseline: real Linux, native loop (bench/loops)" }, n, linuxTimes,
    );
    const judged = withGoal(compare(model, linux), SPEEDUP_GOAL * linux.rate);
    judged.note = `goal: ${SPEEDUP_GOAL}× Linux's best rate in this run`;
    rows.push(judged, linux);
  }
  return rows;
}
