// AF_UNIX stream socketpair send+recv pairs through the kernel ABI, against the same loop run
// natively on real Linux (bench/loops/loops.c `socketpair`), timed in alternation in one run.
// Issue 17's goal: 16-byte pairs at least 5 times Linux's rate.
//
// A pair is sendto(fd1, buf, n, 0) then recvfrom(fd0, buf2, n, 0) by pid 2: each send queues
// one buffer on the empty peer (unix_stream_sendmsg: an skb charged to the sender) and the
// receive takes it whole and frees it, so every pair allocates and frees one buffer, as
// Linux's loop does. The n bytes are poked into pid 2's I/O area once, before timing.

import { CALLS, FLAGS } from "../wasm/abi.js";
import { Kernel } from "../wasm/kernel.js";
import {
  collectGarbage, compare, rowFromTimes, timeOnce, withGoal, type BenchOptions, type Row,
} from "./harness.js";
import { buildLoops, socketpairLoop } from "./loops.js";

const SPEEDUP_GOAL = 5;
const WARMUP_ROUNDS = 2;
const CASES = [
  { name: "16 B send+recv pairs", bytes: 16, pairs: 1_000_000, goal: SPEEDUP_GOAL },
  { name: "4 KiB send+recv pairs", bytes: 4096, pairs: 200_000, goal: undefined },
];

interface Setup {
  k: Kernel;
  fd0: number;
  fd1: number;
  data: number;
  back: number;
}

function setup(bytes: number): Setup {
  const k = new Kernel();
  const io = k.ioBase;
  const { AF_UNIX } = FLAGS.family;
  const r = k.syscall(2, CALLS.socketpair, AF_UNIX, FLAGS.socktype.SOCK_STREAM, 0, io);
  if (r !== 0) throw new Error(`bench: socketpair gave ${r}`);
  const data = new Uint8Array(bytes).map((_, i) => (i * 131 + 7) & 0xff);
  if (!k.poke(2, io + 0x1000, data)) throw new Error("bench: poke into pid 2 failed");
  return { k, fd0: k.peekI32(2, io), fd1: k.peekI32(2, io + 4), data: io + 0x1000,
    back: io + 0x3000 };
}

/** `n` send+recv pairs of `bytes`; the sum of the bytes received. */
function pairs(s: Setup, n: number, bytes: number): number {
  const x = s.k.x;
  const S = CALLS.sendto;
  const R = CALLS.recvfrom;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    x.k_syscall(2, S, s.fd1, s.data, bytes, 0, 0, 0);
    sum += x.k_syscall(2, R, s.fd0, s.back, bytes, 0, 0, 0);
  }
  return sum;
}

export function socketBench(opts: BenchOptions): Row[] {
  const built = buildLoops();
  if (!built.ok) opts.log(`socket: no Linux baseline: ${built.reason}`);
  const rows: Row[] = [];
  for (const c of CASES) {
    const n = Math.max(1000, Math.round(c.pairs * opts.scale));
    opts.log(`socket: ${c.name} (${opts.rounds} rounds after ${WARMUP_ROUNDS} warm-up)...`);
    const times: number[] = [];
    const linuxTimes: number[] = [];
    for (let r = 0; r < WARMUP_ROUNDS + opts.rounds; r++) {
      const s = setup(c.bytes);
      collectGarbage();
      const [sec, sum] = timeOnce(() => pairs(s, n, c.bytes));
      if (sum !== n * c.bytes) throw new Error(`bench: ${c.name}: received ${sum} bytes`);
      if (r >= WARMUP_ROUNDS) times.push(sec);
      if (!built.ok) continue;
      const ns = socketpairLoop(built.bin, n, c.bytes);
      if (r >= WARMUP_ROUNDS) linuxTimes.push(ns / 1e9);
    }
    const base = { bench: "socket", case: c.name, unit: "pairs/s" };
    const model = rowFromTimes({ ...base, what: "model: raw k_syscall export" }, n, times);
    if (!built.ok) {
      rows.push(model);
      continue;
    }
    const linux = rowFromTimes(
      { ...base, what: "baseline: real Linux, native loop (bench/loops)" }, n, linuxTimes,
    );
    let judged = compare(model, linux);
    if (c.goal !== undefined) {
      judged = withGoal(judged, c.goal * linux.rate);
      judged.note = `goal: ${c.goal}× Linux's best rate in this run`;
    }
    rows.push(judged, linux);
  }
  return rows;
}
