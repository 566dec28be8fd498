// Pipe write+read pairs per second through the kernel ABI, against the same algorithm in plain
// TypeScript (js-pipe.ts), timed in alternation in one run.
//
// A pair is `syscall(2, write, wfd, va, n)` then `syscall(2, read, rfd, va2, n)` on one pipe
// of pid 2; the n bytes are poked into pid 2's memory once, before timing, and both buffers are
// faulted in then too. Each pair writes into an empty pipe and drains it, so every pair takes
// a page for one slot and frees it (the merge rule never applies: the pipe is empty at each
// write, and Linux merges only into a non-empty pipe's last slot).
//
// Contenders: `Kernel.syscall` (the typed loader: what the engine calls), the raw export
// `k_syscall` (the loader's wrapper cost is the difference), and JsPipe.

import { CALLS } from "../wasm/abi.js";
import { Kernel } from "../wasm/kernel.js";
import { JsPipe } from "./js-pipe.js";
import {
  alternate, compare, rowFromTimes, withGoal, type BenchOptions, type Row,
} from "./harness.js";

/** Issue goal: 16-byte pairs through the kernel, per second. */
const PAIRS_GOAL_16B = 5_000_000;
const PID = 2;
const WARMUP_ROUNDS = 2;

const CASES = [
  { name: "16 B pairs", bytes: 16, pairs: 2_000_000, goal: PAIRS_GOAL_16B },
  { name: "4 KiB pairs", bytes: 4096, pairs: 400_000, goal: undefined },
];

function testBytes(n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 131 + 7) & 0xff;
  return b;
}

interface KernelPipe {
  k: Kernel;
  rfd: number;
  wfd: number;
  va: number;
  va2: number;
}

function kernelPipe(data: Uint8Array): KernelPipe {
  const k = new Kernel();
  const r = k.syscall(PID, CALLS.pipe, k.ioBase, 0);
  if (r !== 0) throw new Error(`bench: pipe() returned ${r}`);
  const rfd = k.peekI32(PID, k.ioBase);
  const wfd = k.peekI32(PID, k.ioBase + 4);
  const va = k.ioBase + 0x10000;
  const va2 = k.ioBase + 0x20000;
  if (!k.poke(PID, va, data) || !k.poke(PID, va2, new Uint8Array(data.length))) {
    throw new Error("bench: poke into pid 2's I/O area failed");
  }
  return { k, rfd, wfd, va, va2 };
}

function sameBytes(a: Uint8Array | null, b: Uint8Array): boolean {
  return a !== null && a.length === b.length && a.every((x, i) => x === b[i]);
}

function runCase(c: (typeof CASES)[number], opts: BenchOptions): Row[] {
  const n = c.bytes;
  const pairs = Math.max(1000, Math.round(c.pairs * opts.scale));
  const data = testBytes(n);
  const kp = kernelPipe(data);
  const { k, rfd, wfd, va, va2 } = kp;
  const raw = k.x;
  const W = CALLS.write;
  const R = CALLS.read;
  const js = new JsPipe(2 * 4096);
  js.mem.set(data, 0);
  const jsOut = 4096;

  const times = alternate({
    syscall: () => {
      let sum = 0;
      for (let i = 0; i < pairs; i++) {
        sum += k.syscall(PID, W, wfd, va, n);
        sum += k.syscall(PID, R, rfd, va2, n);
      }
      return sum;
    },
    raw: () => {
      let sum = 0;
      for (let i = 0; i < pairs; i++) {
        sum += raw.k_syscall(PID, W, wfd, va, n, 0, 0, 0);
        sum += raw.k_syscall(PID, R, rfd, va2, n, 0, 0, 0);
      }
      return sum;
    },
    js: () => {
      let sum = 0;
      for (let i = 0; i < pairs; i++) {
        sum += js.write(0, n);
        sum += js.read(jsOut, n);
      }
      return sum;
    },
  }, opts.rounds, WARMUP_ROUNDS);

  // Each round's checksum matched the first; now check it was the right work.
  const check = k.syscall(PID, W, wfd, va, n) + k.syscall(PID, R, rfd, va2, n);
  if (check !== 2 * n || !sameBytes(k.peek(PID, va2, n), data)) {
    throw new Error(`bench: kernel pipe pair returned ${check} or wrong bytes (wanted ${2 * n})`);
  }
  const jsCount = js.write(0, n) + js.read(jsOut, n);
  if (jsCount !== 2 * n || !sameBytes(js.mem.subarray(jsOut, jsOut + n), data)) {
    throw new Error("bench: JsPipe pair returned the wrong count or bytes");
  }

  const base = { bench: "pipe", case: c.name, unit: "pairs/s" };
  const jsRow = rowFromTimes({ ...base, what: "baseline: plain TS JsPipe" }, pairs, times.js);
  const sysRow = rowFromTimes({ ...base, what: "kernel: Kernel.syscall" }, pairs, times.syscall);
  let sys = compare(sysRow, jsRow);
  const rawWhat = "kernel: raw k_syscall export";
  const rawRow = compare(rowFromTimes({ ...base, what: rawWhat }, pairs, times.raw), jsRow);
  if (c.goal !== undefined) sys = withGoal(sys, c.goal);
  return [sys, rawRow, jsRow];
}

export function pipeBench(opts: BenchOptions): Row[] {
  const rows: Row[] = [];
  for (const c of CASES) {
    opts.log(`pipe: ${c.name} (${opts.rounds} rounds after ${WARMUP_ROUNDS} warm-up)...`);
    rows.push(...runCase(c, opts));
  }
  return rows;
}
