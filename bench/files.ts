// Regular files through the kernel ABI: 4 KiB pwrite64+pread64 pairs at offset 0 of a tmpfs
// file, against the same loop run natively on real Linux (bench/loops/loops.c `file`, a file
// on /dev/shm), timed in alternation in one run. Issue 16's goal: at least 5 times Linux.
//
// Pid 2 creates "f" and the 4 KiB of data are poked into its I/O area once; a pair is
// pwrite64 of them and pread64 back into another buffer of the I/O area: two kernel entries
// and two page copies each way, as Linux's loop makes two syscalls and copies through the
// page cache.

import { CALLS, FLAGS } from "../wasm/abi.js";
import { Kernel } from "../wasm/kernel.js";
import {
  collectGarbage, compare, rowFromTimes, timeOnce, withGoal, type BenchOptions, type Row,
} from "./harness.js";
import { buildLoops, fileLoop } from "./loops.js";

const SPEEDUP_GOAL = 5;
const WARMUP_ROUNDS = 2;
const BYTES = 4096;
const MODEL_PAIRS = 200_000;
const HOST_PAIRS = 200_000;

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

/** `pairs` pwrite64+pread64 pairs; the sum of the bytes read. */
function pairs(s: Setup, n: number): number {
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

export async function filesBench(opts: BenchOptions): Promise<Row[]> {
  const built = buildLoops();
  if (!built.ok) opts.log(`files: no Linux baseline: ${built.reason}`);
  const n = Math.max(1000, Math.round(MODEL_PAIRS * opts.scale));
  const hostN = Math.max(1000, Math.round(HOST_PAIRS * opts.scale));
  const name = "4 KiB pwrite64+pread64 pairs";
  opts.log(`files: ${name} (${opts.rounds} rounds after ${WARMUP_ROUNDS} warm-up)...`);
  const times: number[] = [];
  const linuxTimes: number[] = [];
  for (let r = 0; r < WARMUP_ROUNDS + opts.rounds; r++) {
    const s = setup();
    collectGarbage();
    const [sec, sum] = timeOnce(() => pairs(s, n));
    if (sum !== n * BYTES) throw new Error(`bench: ${name}: read ${sum}, want ${n * BYTES}`);
    if (r >= WARMUP_ROUNDS) times.push(sec);
    if (built.ok) {
      const ns = fileLoop(built.bin, hostN, BYTES);
      if (r >= WARMUP_ROUNDS) linuxTimes.push(ns / 1e9);
    }
  }
  const base = { bench: "files", case: name, unit: "pairs/s" };
  let model = rowFromTimes({ ...base, what: "model: raw k_syscall export" }, n, times);
  if (!built.ok) return [model];
  const linux = rowFromTimes(
    { ...base, what: "baseline: real Linux, native loop (bench/loops)" }, hostN, linuxTimes,
  );
  model = withGoal(compare(model, linux), SPEEDUP_GOAL * linux.rate);
  model.note = `goal: ${SPEEDUP_GOAL}× Linux's best rate in this run`;
  return [model, linux];
}
