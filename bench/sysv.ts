// SysV IPC operations per second: msgsnd+msgrcv pairs and semop P+V pairs through the kernel
// ABI, against the same loops run natively on real Linux (bench/loops/loops.c, a program of its
// own), timed in alternation in one run. Issue goal (issue 12; issue 7 asked for 5): the model
// at least 10 times faster than real Linux per operation.
//
// Model: pid 2 of a fresh kernel makes one private queue and one one-semaphore set (value 1);
// the msgbuf (mtype 1, n bytes), the receive buffer and the two sembufs are poked into its I/O
// area once, before timing. A msg pair is `msgsnd(q, va, n, 0)` then `msgrcv(q, va2, n, 0, 0)`:
// an empty queue gets one message and gives it back. A sem pair is `semop(s, P, 1)` then
// `semop(s, V, 1)`: 1 -> 0 -> 1, neither ever waits. Linux: the same calls, in C, in a loop.

import { CALLS, FLAGS } from "../wasm/abi.js";
import { Kernel } from "../wasm/kernel.js";
import {
  collectGarbage, compare, rowFromTimes, timeOnce, withGoal, type BenchOptions, type Row,
} from "./harness.js";
import { buildLoops, sysvLoops } from "./loops.js";

/** Issue goal (issue 12): the model's rate at least this many times Linux's, per operation. */
const SPEEDUP_GOAL = 10;
const PID = 2;
const WARMUP_ROUNDS = 2;
const { IPC_CREAT } = FLAGS.ipc;
const { SETVAL, GETVAL } = FLAGS.ipcctl;

/** `rcvOffset`: where the receive buffer starts in its page. The engine puts a msgbuf at page
 * offset 64 (sim/model/sysv.ts MSGBUF_OFFSET): at offset 0 the text lands 8 bytes into the
 * page, 8 bytes past the kernel's page-aligned copy, where V8's memory.copy of 4 KiB is ~6
 * times slower (bench/README.md); the last 4 KiB case keeps that layout to show it. */
const CASES = [
  {
    name: "16 B msgsnd+msgrcv pairs", op: "msg", bytes: 16, rcvOffset: 64,
    model: 1_000_000, host: 200_000,
  },
  {
    name: "4 KiB msgsnd+msgrcv pairs", op: "msg", bytes: 4096, rcvOffset: 64,
    model: 300_000, host: 100_000,
  },
  {
    name: "4 KiB pairs, receive buffer at page offset 0 (the slow copy)",
    op: "msg", bytes: 4096, rcvOffset: 0, model: 300_000, host: 100_000,
  },
  { name: "semop P+V pairs", op: "sem", bytes: 16, rcvOffset: 0, model: 1_000_000, host: 200_000 },
] as const;
type Case = (typeof CASES)[number];

interface KernelSysv {
  k: Kernel;
  msqid: number;
  semid: number;
  /** msgbuf sent, receive buffer, sembuf P, sembuf V. */
  va: number;
  va2: number;
  vaP: number;
  vaV: number;
  sent: Uint8Array;
}

function msgbuf(mtype: number, data: Uint8Array): Uint8Array {
  const b = new Uint8Array(8 + data.length);
  new DataView(b.buffer).setBigInt64(0, BigInt(mtype), true);
  b.set(data, 8);
  return b;
}

function sembuf(num: number, op: number): Uint8Array {
  const b = new Uint8Array(6);
  const v = new DataView(b.buffer);
  v.setUint16(0, num, true);
  v.setInt16(2, op, true);
  return b;
}

function kernelSysv(bytes: number, rcvOffset: number): KernelSysv {
  const k = new Kernel();
  const msqid = k.syscall(PID, CALLS.msgget, 0, IPC_CREAT | 0o600);
  const semid = k.syscall(PID, CALLS.semget, 0, 1, IPC_CREAT | 0o600);
  if (msqid < 0 || semid < 0) throw new Error(`bench: msgget ${msqid}, semget ${semid}`);
  if (k.syscall(PID, CALLS.semctl, semid, 0, SETVAL, 1) !== 0) throw new Error("bench: SETVAL");
  const sent = new Uint8Array(bytes).map((_, i) => (i * 131 + 7) & 0xff);
  const base = k.ioBase;
  const s: KernelSysv = {
    k, msqid, semid, sent,
    va: base + 0x10000, va2: base + 0x20000 + rcvOffset, vaP: base + 0x30000, vaV: base + 0x30008,
  };
  const ok = k.poke(PID, s.va, msgbuf(1, sent)) && k.poke(PID, s.va2, new Uint8Array(8 + bytes)) &&
    k.poke(PID, s.vaP, sembuf(0, -1)) && k.poke(PID, s.vaV, sembuf(0, 1));
  if (!ok) throw new Error("bench: poke into pid 2's I/O area failed");
  return s;
}

/** The model's contenders for a case: through Kernel.syscall, and the raw wasm export. */
function modelLoops(c: Case, s: KernelSysv, pairs: number): Record<string, () => number> {
  const { k, msqid, semid, va, va2, vaP, vaV } = s;
  const raw = k.x;
  const n = c.bytes;
  const SND = CALLS.msgsnd;
  const RCV = CALLS.msgrcv;
  const SEMOP = CALLS.semop;
  if (c.op === "msg") {
    return {
      syscall: () => {
        let sum = 0;
        for (let i = 0; i < pairs; i++) {
          sum += k.syscall(PID, SND, msqid, va, n, 0);
          sum += k.syscall(PID, RCV, msqid, va2, n, 0, 0, 0);
        }
        return sum;
      },
      raw: () => {
        let sum = 0;
        for (let i = 0; i < pairs; i++) {
          sum += raw.k_syscall(PID, SND, msqid, va, n, 0, 0, 0);
          sum += raw.k_syscall(PID, RCV, msqid, va2, n, 0, 0, 0);
        }
        return sum;
      },
    };
  }
  return {
    syscall: () => {
      let sum = 0;
      for (let i = 0; i < pairs; i++) {
        sum += k.syscall(PID, SEMOP, semid, vaP, 1);
        sum += k.syscall(PID, SEMOP, semid, vaV, 1);
      }
      return sum;
    },
    raw: () => {
      let sum = 0;
      for (let i = 0; i < pairs; i++) {
        sum += raw.k_syscall(PID, SEMOP, semid, vaP, 1, 0, 0, 0);
        sum += raw.k_syscall(PID, SEMOP, semid, vaV, 1, 0, 0, 0);
      }
      return sum;
    },
  };
}

/** After timing: the model did the right work (each round's checksum already matched). */
function checkModel(c: Case, s: KernelSysv, sum: number, pairs: number): void {
  const want = c.op === "msg" ? pairs * c.bytes : 0;
  const got = s.k.peek(PID, s.va2, 8 + c.bytes);
  const same = got !== null && got.subarray(8).every((x, i) => x === s.sent[i]) &&
    new DataView(got.buffer).getBigInt64(0, true) === 1n;
  const value = s.k.syscall(PID, CALLS.semctl, s.semid, 0, GETVAL, 0);
  if (sum !== want || (c.op === "msg" && !same) || value !== 1) {
    throw new Error(`bench: ${c.name}: checksum ${sum} (want ${want}), bytes ok ${same}, ` +
      `semaphore ${value} (want 1)`);
  }
}

/** Seconds of one contender's round (after a full collection), with its checksum. */
function round(fn: () => number): [number, number] {
  collectGarbage();
  return timeOnce(fn);
}

/** `loops`: the native loops program, or null for no Linux baseline. */
function runCase(c: Case, opts: BenchOptions, loops: string | null): Row[] {
  const pairs = Math.max(1000, Math.round(c.model * opts.scale));
  const hostPairs = Math.max(1000, Math.round(c.host * opts.scale));
  const s = kernelSysv(c.bytes, c.rcvOffset);
  const model = modelLoops(c, s, pairs);
  const times: Record<string, number[]> = { syscall: [], raw: [], linux: [] };
  const sums: Record<string, number> = {};
  for (let r = 0; r < WARMUP_ROUNDS + opts.rounds; r++) {
    for (const name of ["syscall", "raw"]) {
      const [sec, sum] = round(model[name]);
      if (sums[name] !== undefined && sums[name] !== sum) {
        throw new Error(`bench: ${name} did different work in round ${r} ` +
          `(checksum ${sum}, was ${sums[name]})`);
      }
      sums[name] = sum;
      if (r >= WARMUP_ROUNDS) times[name].push(sec);
    }
    if (loops && (r >= WARMUP_ROUNDS || r === 0)) {
      const ns = sysvLoops(loops, hostPairs, c.bytes);
      if (r >= WARMUP_ROUNDS) times.linux.push((c.op === "msg" ? ns.msgNs : ns.semNs) / 1e9);
    }
  }
  checkModel(c, s, sums.syscall, pairs);
  if (sums.raw !== sums.syscall) throw new Error(`bench: ${c.name}: raw and syscall disagree`);

  const base = { bench: "sysv", case: c.name, unit: "pairs/s" };
  let sys = rowFromTimes({ ...base, what: "model: Kernel.syscall" }, pairs, times.syscall);
  let rawRow = rowFromTimes({ ...base, what: "model: raw k_syscall export" }, pairs, times.raw);
  if (!loops) return [sys, rawRow];
  const linux = rowFromTimes(
    { ...base, what: "baseline: real Linux, native loop (bench/loops)" }, hostPairs, times.linux,
  );
  sys = withGoal(compare(sys, linux), SPEEDUP_GOAL * linux.rate);
  sys.note = `goal: ${SPEEDUP_GOAL}× Linux's best rate in this run`;
  rawRow = compare(rawRow, linux);
  return [sys, rawRow, linux];
}

export async function sysvBench(opts: BenchOptions): Promise<Row[]> {
  const built = buildLoops();
  if (!built.ok) opts.log(`sysv: no Linux baseline: ${built.reason}`);
  const rows: Row[] = [];
  for (const c of CASES) {
    opts.log(`sysv: ${c.name} (${opts.rounds} rounds after ${WARMUP_ROUNDS} warm-up)...`);
    rows.push(...runCase(c, opts, built.ok ? built.bin : null));
  }
  return rows;
}
