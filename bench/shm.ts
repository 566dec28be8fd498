// Shared memory: bytes moved through the page tables, and memory at scale.
//
// 1. 4 KiB store+load pairs through an shm attachment (MB/s, both directions counted): the
//    model's `store` copies the I/O area into the segment's page and `load` copies it back, each
//    walking the page tables, against two host baselines of the same 4 KiB copied in and back
//    out, in the same run: a C memcpy loop (bench/loops/loops.c, `loops memcpy`), and, from
//    JavaScript, Uint8Array.prototype.set (V8 calls memmove; one JS call per copy, as the
//    model pays one wasm call per access). All buffers stay in cache.
// 2. Scale: 10,000 processes (forks of pid 2) each attach the same segment and store one byte
//    into a page of its own; wall time, and the kernel's memory (its pool pages and the wasm
//    memory a snapshot copies).
// 3. A 1 GiB segment of which 1,000 pages (spread over the whole segment) are touched: the
//    kernel memory it costs (frames, the segment's page index, the page tables).

import { CALLS, FLAGS } from "../wasm/abi.js";
import { Kernel } from "../wasm/kernel.js";
import { alternate, compare, now, rowFromTimes, type BenchOptions, type Row } from "./harness.js";
import { buildLoops, memcpyLoop } from "./loops.js";

const PID = 2;
const PAGE = 4096;
const MIB = 1 << 20;
const { IPC_CREAT } = FLAGS.ipc;

function check(what: string, r: number): number {
  if (r < 0) throw new Error(`bench shm: ${what} returned ${r}`);
  return r;
}

/** A kernel whose pid 2 has a one-page segment attached and 4 KiB of data in its I/O area. */
function attached(): { k: Kernel; addr: number; va: number; out: number } {
  const k = new Kernel();
  const id = check("shmget", k.syscall(PID, CALLS.shmget, 0, PAGE, IPC_CREAT | 0o600));
  const addr = check("shmat", k.syscall(PID, CALLS.shmat, id, 0, 0));
  const va = k.ioBase + 0x10000;
  const out = k.ioBase + 0x20000;
  const data = new Uint8Array(PAGE).map((_, i) => (i * 131 + 7) & 0xff);
  if (!k.poke(PID, va, data) || !k.poke(PID, out, new Uint8Array(PAGE))) {
    throw new Error("bench shm: poke");
  }
  return { k, addr, va, out };
}

function copyRows(opts: BenchOptions): Row[] {
  const pairs = Math.max(1000, Math.round(200_000 * opts.scale));
  const { k, addr, va, out } = attached();
  const raw = k.x;
  const src = new Uint8Array(PAGE).fill(7);
  const mid = new Uint8Array(PAGE);
  const dst = new Uint8Array(PAGE);
  const times = alternate({
    syscall: () => {
      let sum = 0;
      for (let i = 0; i < pairs; i++) {
        sum += k.syscall(PID, CALLS.store, addr, va, PAGE);
        sum += k.syscall(PID, CALLS.load, addr, out, PAGE);
      }
      return sum;
    },
    raw: () => {
      let sum = 0;
      for (let i = 0; i < pairs; i++) {
        sum += raw.k_syscall(PID, CALLS.store, addr, va, PAGE, 0, 0, 0);
        sum += raw.k_syscall(PID, CALLS.load, addr, out, PAGE, 0, 0, 0);
      }
      return sum;
    },
    memcpy: () => {
      let sum = 0;
      for (let i = 0; i < pairs; i++) {
        mid.set(src);
        dst.set(mid);
        sum += dst[i & (PAGE - 1)];
      }
      return sum;
    },
  }, opts.rounds, 2);
  const native = nativeMemcpy(opts, pairs);
  const got = k.peek(PID, out, PAGE);
  if (!got || got.some((x, i) => x !== ((i * 131 + 7) & 0xff))) {
    throw new Error("bench shm: load did not return the stored bytes");
  }
  const bytes = pairs * 2 * PAGE;
  const base = { bench: "shm", case: "4 KiB store+load through the page tables", unit: "MB/s" };
  const mb = (r: Row): Row => ({ ...r, rate: r.rate / 1e6, rateWorst: r.rateWorst / 1e6 });
  const row = (what: string, t: number[]) => mb(rowFromTimes({ ...base, what }, bytes, t));
  const js = row("host: Uint8Array.set (memmove from JS), 2 x 4 KiB", times.memcpy);
  const sys = row("model: store+load via Kernel.syscall", times.syscall);
  const rawRow = row("model: store+load via raw k_syscall", times.raw);
  if (native.length === 0) return [compare(sys, js), compare(rawRow, js), js];
  const c = row("baseline: host memcpy, C loop (bench/loops), 2 x 4 KiB", native);
  return [compare(sys, c), compare(rawRow, c), compare(js, c), c];
}

/** Seconds of each round of the native memcpy loop (none without Linux and cc). */
function nativeMemcpy(opts: BenchOptions, pairs: number): number[] {
  const built = buildLoops();
  if (!built.ok) {
    opts.log(`shm: no native memcpy baseline: ${built.reason}`);
    return [];
  }
  const out: number[] = [];
  memcpyLoop(built.bin, pairs, PAGE);
  for (let r = 0; r < opts.rounds; r++) out.push(memcpyLoop(built.bin, pairs, PAGE) / 1e9);
  return out;
}

/** Kernel memory now: pool pages in use (MiB) and the wasm memory a snapshot copies (MiB). */
function memory(k: Kernel): { poolMiB: number; topMiB: number } {
  return { poolMiB: (k.pagesUsed() * PAGE) / MIB, topMiB: (k.x.k_mem_top() >>> 0) / MIB };
}

function scaleRow(opts: BenchOptions): Row {
  const procs = Math.max(100, Math.round(10_000 * opts.scale));
  const k = new Kernel();
  const id = check("shmget", k.syscall(PID, CALLS.shmget, 0, procs * PAGE, IPC_CREAT | 0o600));
  const before = memory(k);
  const t0 = now();
  for (let i = 0; i < procs; i++) {
    const child = check("fork", k.syscall(PID, CALLS.fork));
    const addr = check("shmat", k.syscall(child, CALLS.shmat, id, 0, 0));
    check("store", k.syscall(child, CALLS.store, addr + i * PAGE, k.ioBase, 1));
  }
  const sec = now() - t0;
  const after = memory(k);
  const frames = k.x.k_shmem_frames();
  if (frames !== procs) throw new Error(`bench shm: ${frames} segment frames, want ${procs}`);
  const row = rowFromTimes(
    {
      bench: "shm", case: `${procs} processes attach one segment, each touches a page`,
      what: "model: fork+shmat+store", unit: "procs/s",
    },
    procs, [sec],
  );
  const perProcKiB = ((after.poolMiB - before.poolMiB) * MIB / procs / 1024).toFixed(1);
  row.note = `${sec.toFixed(2)} s wall; kernel pool ${before.poolMiB.toFixed(1)} -> ` +
    `${after.poolMiB.toFixed(1)} MiB in use (${perProcKiB} KiB a process: ` +
    "page directory, two page tables, its segment frame, and a zero frame for the I/O page the " +
    `store read); wasm memory ${after.topMiB.toFixed(0)} MiB`;
  return row;
}

function bigSegmentRow(opts: BenchOptions): Row {
  const touched = Math.max(10, Math.round(1000 * opts.scale));
  const size = 1 << 30;
  const k = new Kernel();
  const before = memory(k);
  const id = check("shmget", k.syscall(PID, CALLS.shmget, 0, size, IPC_CREAT | 0o600));
  const addr = check("shmat", k.syscall(PID, CALLS.shmat, id, 0, 0));
  const stride = Math.floor(size / PAGE / touched);
  const t0 = now();
  for (let i = 0; i < touched; i++) {
    check("store", k.syscall(PID, CALLS.store, addr + i * stride * PAGE, k.ioBase, 8));
  }
  const sec = now() - t0;
  const after = memory(k);
  const frames = k.x.k_shmem_frames();
  const row = rowFromTimes(
    {
      bench: "shm", case: `1 GiB segment, ${touched} pages touched`,
      what: "model: store one page each", unit: "pages/s",
    },
    touched, [sec],
  );
  row.note = `${frames} frames (${((frames * PAGE) / MIB).toFixed(1)} MiB); kernel pool in use ` +
    `${before.poolMiB.toFixed(1)} -> ${after.poolMiB.toFixed(1)} MiB ` +
    "(frames + segment index + page tables); " +
    `wasm memory ${after.topMiB.toFixed(0)} MiB`;
  return row;
}

export async function shmBench(opts: BenchOptions): Promise<Row[]> {
  opts.log("shm: 4 KiB store+load vs memcpy");
  const rows = copyRows(opts);
  opts.log("shm: scale (processes attaching one segment)");
  rows.push(scaleRow(opts));
  opts.log("shm: 1 GiB segment");
  rows.push(bigSegmentRow(opts));
  return rows;
}
