// The byte streams of every pipe in one replayed path, and the check that what readers got is
// what writers put in: each byte read exactly once, in order.
//
// Per pipe instance (the shadow's: a FIFO reopened after its last close is a new pipe), the
// reads, concatenated in completion order, must be an interleaving of the writes' accepted
// bytes in which
//   - each write's bytes appear in order, as a prefix of what it accepted (ret), or of what it
//     tried if its count is unknown (killed by SIGPIPE after a partial write, or still blocked);
//   - a write that completed before another was issued is entirely read before it;
//   - a write of at most PIPE_BUF bytes is contiguous (POSIX atomicity);
// and, for a pipe still open at the end, the bytes accepted and not read are exactly the bytes
// the kernel holds. Large blocking writes may interleave (Linux writes them a page at a time
// and sleeps in between), so the check is a search over interleavings; write patterns make it
// nearly deterministic (two writes agree on a byte one time in 64).
//
// Packet mode (O_DIRECT) discards the rest of a packet read short: traces for this check are
// generated without it.

import type { Kernel } from "../wasm/kernel.js";
import type { Step, Trace } from "../sim/trace/types.js";
import { Shadow, type Completion, type PipeInstance } from "./shadow.js";
import type { PathStep } from "./support.js";

const PIPE_BUF = 4096;
/** Choice points the interleaving search may visit before it gives up. */
const SEARCH_MAX = 100_000;

export interface WriteRec {
  step: number;
  data: Uint8Array;
  /** Bytes the write accepted (its ret), or null when unknown. */
  accepted: number | null;
  /** The path step at which it completed (null: never, or killed). */
  completedAt: number | null;
}

interface PipeStream {
  pipe: PipeInstance;
  writes: WriteRec[];
  /** What each read returned, in completion order, with its step. */
  reads: { step: number; data: Uint8Array }[];
}

/** Follow the path with a strict shadow and sort every read and write into its pipe. */
export function collectStreams(trace: Trace, path: readonly PathStep[]) {
  const shadow = new Shadow(true);
  const streams = new Map<PipeInstance, PipeStream>();
  const stream = (pi: PipeInstance) => {
    let s = streams.get(pi);
    if (!s) streams.set(pi, (s = { pipe: pi, writes: [], reads: [] }));
    return s;
  };
  const writes = new Map<number, WriteRec>();
  for (const p of path) {
    const step = trace.steps[p.index];
    const done = shadow.apply(step, p.outcome);
    const written = writtenBytes(step);
    const pi = written ? issuedTo(done, step, shadow) : null;
    if (written && pi) {
      const w: WriteRec = { step: step.index, data: written, accepted: null, completedAt: null };
      writes.set(step.index, w);
      stream(pi).writes.push(w);
    }
    for (const c of done) record(c, p.index, writes, stream);
  }
  return { streams: [...streams.values()], shadow };
}

/** What a write or writev step writes (writev: its segments end to end, one write). */
function writtenBytes(step: Step): Uint8Array | null {
  if (step.call === "write") return step.args.data;
  if (step.call !== "writev") return null;
  const out = new Uint8Array(step.args.iov.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of step.args.iov) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

/** The pipe a step went to, as the shadow saw it when the step was issued. */
function issuedTo(done: Completion[], step: Step, shadow: Shadow): PipeInstance | null {
  const own = done.find((c) => c.step.index === step.index);
  if (own) return own.info.pipe;
  return shadow.procs.get(step.pid)?.pending?.info.pipe ?? null;
}

function record(
  c: Completion,
  at: number,
  writes: Map<number, WriteRec>,
  stream: (pi: PipeInstance) => PipeStream,
): void {
  const r = c.result;
  if (r === null || r === "blocked" || typeof r.ret !== "number") return;
  if (c.step.call === "write" || c.step.call === "writev") {
    const w = writes.get(c.step.index);
    if (w) {
      w.accepted = Math.max(r.ret, 0);
      w.completedAt = at;
    }
  } else if ((c.step.call === "read" || c.step.call === "readv") && c.info.pipe && r.data &&
    r.data.length > 0) {
    stream(c.info.pipe).reads.push({ step: c.step.index, data: r.data });
  }
}

/** Problems with one pipe's stream (empty: every byte read was written, once, in order). */
export function checkStream(s: PipeStream): string[] {
  const total = s.reads.reduce((n, r) => n + r.data.length, 0);
  const all = new Uint8Array(total);
  let o = 0;
  for (const r of s.reads) {
    all.set(r.data, o);
    o += r.data.length;
  }
  const r = new Interleaving(all, s.writes).search();
  if (r.ok) return [];
  const at = locate(s.reads, r.at);
  const name = `pipe ${s.pipe.id}${s.pipe.fifo ? ` (FIFO "${s.pipe.fifo}")` : ""}`;
  const writes = s.writes.map((w) => `step ${w.step} ${w.accepted ?? "?"}/${w.data.length}`);
  return [
    `${name}: byte ${r.at} of what was read (read at step ${at.step}, its byte ${at.offset}) ` +
      `is "${show(all[r.at])}", which no write can supply there (${r.why}); ` +
      `writes (accepted/tried): ${writes.join(", ")}`,
  ];
}

function locate(reads: PipeStream["reads"], at: number): { step: number; offset: number } {
  let o = 0;
  for (const r of reads) {
    if (at < o + r.data.length) return { step: r.step, offset: at - o };
    o += r.data.length;
  }
  return { step: -1, offset: at - o };
}

function show(b: number | undefined): string {
  return b === undefined ? "(end)" : String.fromCharCode(b);
}

interface Frame {
  r: number;
  off: number[];
  options: number[];
}

type Verdict = { ok: true } | { ok: false; at: number; why: string };

/** The search for an interleaving of the writes that reads as `all` (the file comment's
 * rules). Where only one write can supply the next byte it is taken without a choice point;
 * choice points are remembered, so no state is searched twice. */
export class Interleaving {
  /** Bytes each write may supply: what it accepted, or all it tried when that is unknown. */
  private readonly limit: number[];
  /** For each write, the writes that completed before it was issued. */
  private readonly before: number[][];

  constructor(private readonly all: Uint8Array, private readonly ws: readonly WriteRec[]) {
    this.limit = ws.map((w) => w.accepted ?? w.data.length);
    this.before = ws.map((wj) => {
      const done = (wi: WriteRec) => wi.completedAt !== null && wi.completedAt < wj.step;
      return ws.flatMap((wi, i) => (done(wi) ? [i] : []));
    });
  }

  search(): Verdict {
    const seen = new Set<string>();
    const stack: Frame[] = [];
    let r = 0;
    let off = this.ws.map(() => 0);
    let deepest = { at: 0, why: "no write has bytes left" };
    for (let visits = 0; visits < SEARCH_MAX; ) {
      if (r === this.all.length) return { ok: true };
      const options = this.candidates(r, off);
      const fresh = options.length > 1 && !seen.has(`${r}:${off}`);
      if (options.length === 1 || fresh) {
        if (fresh) {
          seen.add(`${r}:${off}`);
          visits++;
          stack.push({ r, off: off.slice(), options: options.slice(1) });
        }
        off[options[0]]++;
        r++;
        continue;
      }
      if (r >= deepest.at) deepest = { at: r, why: this.whyNot(off) };
      const f = stack.pop();
      if (!f) return { ok: false, ...deepest };
      const next = f.options.shift()!;
      if (f.options.length > 0) stack.push(f);
      r = f.r + 1;
      off = f.off.slice();
      off[next]++;
    }
    return { ok: false, at: deepest.at, why: `undecided after ${SEARCH_MAX} choice points` };
  }

  /** The writes that can supply byte r next. */
  private candidates(r: number, off: number[]): number[] {
    const b = this.all[r];
    const { ws, limit } = this;
    // A write of at most PIPE_BUF bytes that has started must finish first.
    for (let j = 0; j < ws.length; j++) {
      const atomic = ws[j].data.length <= PIPE_BUF;
      if (atomic && off[j] > 0 && off[j] < limit[j]) return ws[j].data[off[j]] === b ? [j] : [];
    }
    const out: number[] = [];
    for (let j = 0; j < ws.length; j++) {
      if (off[j] >= limit[j] || ws[j].data[off[j]] !== b) continue;
      if (off[j] === 0 && !this.before[j].every((i) => off[i] === limit[i])) continue;
      out.push(j);
    }
    return out;
  }

  private whyNot(off: number[]): string {
    const next: string[] = [];
    this.ws.forEach((w, j) => {
      if (off[j] >= this.limit[j]) return;
      const waits = off[j] === 0 ? this.before[j].filter((i) => off[i] < this.limit[i]) : [];
      const steps = waits.map((i) => this.ws[i].step).join(", ");
      const after = waits.length ? ` after step ${steps}` : "";
      next.push(`step ${w.step} byte ${off[j]} is "${show(w.data[off[j]])}"${after}`);
    });
    return next.length ? `next: ${next.join("; ")}` : "every write is used up";
  }
}

/** Problems with the pipes still open at the end: bytes accepted and not read must be the bytes
 * the kernel holds (k_pipe_bytes), found through a descriptor that names the pipe. */
export function checkLeftovers(streams: readonly PipeStream[], shadow: Shadow, k: Kernel) {
  const problems: string[] = [];
  for (const s of streams) {
    if (s.pipe.files === 0 || s.writes.some((w) => w.accepted === null)) continue;
    const holder = findFd(shadow, s.pipe);
    if (!holder) continue;
    const f = k.x.k_fd_file(holder.pid, holder.fd);
    if (f < 0) {
      problems.push(`pipe ${s.pipe.id}: fd ${holder.fd} of pid ${holder.pid} should name it`);
      continue;
    }
    const held = k.x.k_pipe_bytes(k.x.k_file_pipe(f));
    const written = s.writes.reduce((n, w) => n + (w.accepted ?? 0), 0);
    const read = s.reads.reduce((n, r) => n + r.data.length, 0);
    if (held !== written - read) {
      problems.push(`pipe ${s.pipe.id}: ${written} bytes accepted, ${read} read, so ` +
        `${written - read} should be buffered, but the kernel holds ${held}`);
    }
  }
  return problems;
}

function findFd(shadow: Shadow, pi: PipeInstance): { pid: number; fd: number } | null {
  for (const p of shadow.procs.values()) {
    if (p.state !== "live") continue;
    for (const [fd, d] of p.fds) if (d.pipe === pi) return { pid: p.pid, fd };
  }
  return null;
}
