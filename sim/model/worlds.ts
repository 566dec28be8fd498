// The worlds of a replay, kept without a copy of the kernel each (issue 22).
//
// A world is not a memory snapshot: it is a root (one copy of the kernel memory, or the
// freshly initialised kernel) plus the steps run since, each with the decisions it took at
// its branch points (which woken process retried first, which tied timer fired). The kernel
// is deterministic, so restoring a world is: copy the root back, run those steps again with
// the same decisions. A step with several allowed outcomes therefore costs one root copy,
// whatever its number of retry orders, and memory does not grow with the kernel per branch.
//
// The root is refreshed at each branching step of a single world, and every ROOT_STEPS_MAX
// steps on the fast path. It copies only where the kernel may differ from its post-init state
// S0 (wasm/reset.ts liveRanges: touched table prefixes, pid-indexed entries below the next pid,
// static state, the pool up to its peak page; a few MiB of a fresh kernel's 32), S0 standing
// for the rest; the pool's pages are kept each content once (a large shm segment is mostly pages
// alike). Diffs compare and restore over the same ranges. A root that would hold more than
// ROOT_COPY_MAX is not taken: a restore then re-runs every step since the last root (slower, in
// the same memory). docs/trace-format.md "Branching" says the same.

import type { Kernel } from "../../wasm/kernel.js";
import type { ResetPlan } from "../../wasm/reset.js";
import type { Step } from "../trace/types.js";
import type { Issued } from "./calls.js";

/** Most bytes a root holds: above it, restores re-run from the last root taken below it (or
 * from the initialised kernel). */
const ROOT_COPY_MAX = 96 * 1024 * 1024;
/** Steps of one world after which its state becomes the root (when it may be copied), so that
 * a restore never re-runs more than this many steps of a small kernel. */
export const ROOT_STEPS_MAX = 4096;

/** What the engine knows besides the kernel memory: the calls of blocked processes (pid -> the
 * call; "blocked" as docs/glossary.md defines it, woken included) and each step's ret. */
export interface EngineState {
  blocked: Map<number, Issued>;
  rets: (number | undefined)[];
  /** Processes in `calls` handlers: per open frame, oldest first, the call it interrupted
   * (null: the process was idle). Absent until a frame opens (sim/model/frames.ts). */
  frames?: Map<number, (Issued | null)[]>;
}

export function cloneState(es: EngineState): EngineState {
  const out: EngineState = { blocked: new Map(es.blocked), rets: es.rets.slice() };
  if (es.frames) out.frames = new Map([...es.frames].map(([pid, s]) => [pid, s.slice()]));
  return out;
}

/** One step as a world ran it: the decision taken at each of its branch points, in order. */
interface Exec {
  step: Step;
  path: readonly number[];
  /** The step run before it in this world (since the root), or null. */
  prev: Exec | null;
  /** Steps since the root, this one included. */
  depth: number;
}

/** A state as the blocks (4 KiB) where it differs from the root, and its engine state. */
interface Diff {
  blocks: number[];
  data: Uint8Array[];
  es: EngineState;
}

/** A state the engine can return to: the root, `from` written over it, then `execs` run again. */
export interface World {
  es: EngineState;
  from: Diff | null;
  execs: Exec | null;
}

/** The steps of a world since the root, oldest first. */
export function execsOf(w: World): Exec[] {
  const out: Exec[] = [];
  for (let e = w.execs; e; e = e.prev) out.push(e);
  return out.reverse();
}

export function withExec(w: World, es: EngineState, step: Step, path: readonly number[]): World {
  const depth = (w.execs?.depth ?? 0) + 1;
  return { es, from: w.from, execs: { step, path, prev: w.execs, depth } };
}

const COARSE = 65536;
/** Bytes of each buffer a root's pages are cut from. */
const ARENA = 1 << 20;
const FINE = 4096;

/** Compare the kernel memory with the root, 64 KiB then 4 KiB at a time (memcmp), over only the
 * ranges where either may differ from the post-init state (wasm/reset.ts liveRanges; outside
 * them both are that state): keep the kernel's blocks that differ and put the root's back, so
 * that the kernel is in the root's state again. */
export function diffAndRestore(
  k: Kernel, root: Root, es: EngineState, store: PageStore,
): Diff {
  const top = k.x.k_mem_top() >>> 0;
  const live = bytesOf(k.x.memory.buffer);
  const w = new Int32Array(k.x.memory.buffer);
  const blocks: number[] = [];
  const data: Uint8Array[] = [];
  const length = root.length();
  root.segments(root.liveRanges(), length, (at, end, base, from) => {
    const b0 = bytesOf(base);
    for (let c = at; c < end; c += COARSE) {
      const ce = Math.min(c + COARSE, end);
      if (sameBytes(live, c, b0, from + c - at, ce - c)) continue;
      for (let b = c; b < ce; b += FINE) {
        const e = Math.min(b + FINE, ce);
        const s = from + b - at;
        if (sameBytes(live, b, b0, s, e - b)) continue;
        blocks.push(b);
        data.push(store.intern(live, w, b));
        live.set(b0.subarray(s, s + e - b), b);
      }
    }
  });
  // Past the root's end: the pool grew (the root's pool end makes it garbage once restored).
  for (let b = length; b < top; b += FINE) {
    blocks.push(b);
    data.push(store.intern(live, w, b));
  }
  return { blocks, data, es: cloneState(es) };
}

/** Write a diff over the kernel memory (which must be in the root's state). */
export function applyDiff(k: Kernel, d: Diff): void {
  const n = d.blocks.length;
  if (n === 0) return;
  const need = d.blocks[n - 1] + d.data[n - 1].length - k.x.memory.buffer.byteLength;
  if (need > 0) k.x.memory.grow(Math.ceil(need / 65536));
  const mem = new Uint8Array(k.x.memory.buffer);
  for (let i = 0; i < n; i++) mem.set(d.data[i], d.blocks[i]);
}

/** Undo a diff applied over the root (the kernel must hold exactly root + d). */
export function undoDiff(k: Kernel, root: Root, d: Diff): void {
  const mem = new Uint8Array(k.x.memory.buffer);
  for (let i = 0; i < d.blocks.length; i++) {
    const b = d.blocks[i];
    if (b < root.length()) mem.set(root.block(b, d.data[i].length), b);
  }
}

/** Are two diffs the same state (same bytes, same engine state)? */
export function sameDiff(a: Diff, b: Diff): boolean {
  if (a.blocks.length !== b.blocks.length) return false;
  for (let i = 0; i < a.blocks.length; i++) {
    if (a.blocks[i] !== b.blocks[i]) return false;
    // Blocks of one step's diffs are interned (PageStore): equal contents, one buffer.
    const da = a.data[i];
    const db = b.data[i];
    if (da !== db && (da.length !== db.length || !sameBytes(da, 0, db, 0, da.length))) return false;
  }
  return sameState(a.es, b.es);
}

function sameState(a: EngineState, b: EngineState): boolean {
  if (a.blocked.size !== b.blocked.size || a.rets.length !== b.rets.length) return false;
  for (const [pid, c] of a.blocked) if (b.blocked.get(pid)?.step !== c.step) return false;
  for (let i = 0; i < a.rets.length; i++) if (a.rets[i] !== b.rets[i]) return false;
  return sameFrames(a, b);
}

function sameFrames(a: EngineState, b: EngineState): boolean {
  const fa = a.frames ?? new Map<number, (Issued | null)[]>();
  const fb = b.frames ?? new Map<number, (Issued | null)[]>();
  if (fa.size !== fb.size) return false;
  for (const [pid, s] of fa) {
    const t = fb.get(pid);
    if (!t || t.length !== s.length || s.some((c, i) => c?.step !== t[i]?.step)) return false;
  }
  return true;
}

/** Node's Buffer where there is one: its compare is a memcmp. The page's bundle (the HTML view,
 * the playground) has none: there, 32-bit words compared in a loop. */
const NodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer;

/** A byte view of `b` (a Buffer in Node, no copy). */
function bytesOf(b: ArrayBuffer | Uint8Array): Uint8Array {
  if (b instanceof ArrayBuffer) return NodeBuffer ? NodeBuffer.from(b) : new Uint8Array(b);
  if (!NodeBuffer || NodeBuffer.isBuffer(b)) return b;
  return NodeBuffer.from(b.buffer, b.byteOffset, b.length);
}

function allocBytes(n: number): Uint8Array {
  return NodeBuffer ? NodeBuffer.alloc(n) : new Uint8Array(n);
}

/** Are a[aAt, aAt + n) and b[bAt, bAt + n) the same bytes? */
function sameBytes(a: Uint8Array, aAt: number, b: Uint8Array, bAt: number, n: number,
): boolean {
  if (NodeBuffer?.isBuffer(a)) return a.compare(b, bAt, bAt + n, aAt, aAt + n) === 0;
  const ao = a.byteOffset + aAt;
  const bo = b.byteOffset + bAt;
  if ((ao | bo | n) % 4 === 0) {
    // Every range the worlds compare is 4 KiB aligned: whole words.
    const wa = new Int32Array(a.buffer, ao, n >> 2);
    const wb = new Int32Array(b.buffer, bo, n >> 2);
    for (let i = 0; i < wa.length; i++) if (wa[i] !== wb[i]) return false;
    return true;
  }
  for (let i = 0; i < n; i++) if (a[aAt + i] !== b[bAt + i]) return false;
  return true;
}

/** Pages, each content kept once: a large shared memory segment is mostly pages alike
 * (zero-filled, or a trace's fill pattern), and the trace bounds how many differ; the retry
 * orders of a step mostly leave the same blocks. Pages kept are never written. */
export class PageStore {
  private readonly byHash = new Map<number, Uint8Array[]>();
  /** Pages are cut from buffers of ARENA bytes (Buffers in Node: compared without a view
   * each). */
  private arena = allocBytes(0);
  private used = 0;
  /** Bytes of the distinct pages kept. */
  held = 0;

  /** The kept page with the contents of mem[at, at + FINE) (a copy the first time). */
  intern(mem: Uint8Array, w: Int32Array, at: number): Uint8Array {
    const i = at >> 2;
    let h = 0;
    for (let j = 0; j < FINE >> 2; j += 61) h = Math.imul(h ^ w[i + j], 0x9e3779b1);
    const page = mem.subarray(at, at + FINE);
    const list = this.byHash.get(h);
    if (list) {
      for (const p of list) if (sameBytes(p, 0, page, 0, FINE)) return p;
    }
    if (this.used + FINE > this.arena.length) {
      // Small at first (a step's diffs are a few blocks), up to ARENA.
      this.arena = allocBytes(Math.min(ARENA, Math.max(16 * FINE, this.held)));
      this.used = 0;
    }
    const copy = this.arena.subarray(this.used, this.used + FINE);
    this.used += FINE;
    copy.set(page);
    if (list && list.length < 8) list.push(copy);
    else if (!list) this.byHash.set(h, [copy]);
    this.held += FINE;
    return copy;
  }
}

/** The root of every world: the kernel's memory where it may differ from the post-init state
 * S0 (wasm/reset.ts liveRanges), over S0 elsewhere; or, with `bytes` null, the kernel as the
 * trace's header initialises it. Static data is copied into a buffer reused from one root to
 * the next; the page pool as pages, each content once (PageStore). */
export class Root {
  private buffer: Uint8Array | null = null;
  bytes: Uint8Array | null = null;
  es: EngineState = { blocked: new Map(), rets: [] };
  /** The root's ranges ([start, end) pairs, FINE-aligned); each one's offset in `bytes`, or its
   * pages (a range in the pool). */
  private ranges: number[] = [];
  private offsets: number[] = [];
  private pages: (Uint8Array[] | null)[] = [];
  private top = 0;
  private held = 0;

  /** `whole`: compare, copy and restore the whole memory, as before the live ranges (tests
   * check that both give the same outcomes, picks and worlds). */
  constructor(private readonly plan: ResetPlan, private readonly whole = false) {}

  /** The kernel's live ranges (FINE-aligned): where it may differ from S0. */
  liveRanges(): number[] {
    return this.whole ? [0, this.plan.memTop()] : this.plan.liveRanges(FINE);
  }

  /** The root's memory size (bytes). */
  length(): number {
    return this.top;
  }

  /** Make the kernel's present state, with `es`, the root, unless it would hold more than
   * ROOT_COPY_MAX bytes: then false, and the root is unchanged. */
  take(k: Kernel, es: EngineState): boolean {
    const ranges = this.liveRanges();
    const pool = this.whole ? Infinity : this.plan.poolBase();
    const mem = new Uint8Array(k.x.memory.buffer);
    const w = new Int32Array(k.x.memory.buffer);
    let flat = 0;
    for (let i = 0; i < ranges.length; i += 2) {
      if (ranges[i] < pool) flat += ranges[i + 1] - ranges[i];
    }
    if (flat > ROOT_COPY_MAX) return false;
    // The pages first, in new structures: the old root stays whole if this one is too large.
    const store = new PageStore();
    const pages: (Uint8Array[] | null)[] = [];
    for (let i = 0; i < ranges.length; i += 2) {
      if (ranges[i] < pool) {
        pages.push(null);
        continue;
      }
      const list: Uint8Array[] = [];
      for (let b = ranges[i]; b < ranges[i + 1]; b += FINE) {
        list.push(store.intern(mem, w, b));
        if (flat + store.held > ROOT_COPY_MAX) return false;
      }
      pages.push(list);
    }
    if (!this.buffer || this.buffer.length < flat) this.buffer = new Uint8Array(flat);
    this.bytes = this.buffer.subarray(0, flat);
    this.offsets = [];
    let at = 0;
    for (let i = 0; i < ranges.length; i += 2) {
      this.offsets.push(at);
      if (pages[i >> 1]) continue;
      this.bytes.set(mem.subarray(ranges[i], ranges[i + 1]), at);
      at += ranges[i + 1] - ranges[i];
    }
    this.ranges = ranges;
    this.pages = pages;
    this.held = flat + store.held;
    this.top = k.x.k_mem_top() >>> 0;
    this.es = cloneState(es);
    return true;
  }

  /** Call `f(start, end, base, from)` for each piece of `ranges` (sorted, disjoint, FINE-aligned)
   * below `end`, with where the root's bytes of the piece are: `base` from offset `from`. */
  segments(ranges: number[], end: number,
    f: (start: number, end: number, base: Uint8Array, from: number) => void): void {
    const s0 = this.plan.initial();
    const mine = this.ranges;
    let j = 0;
    let i = 0;
    // Walk the union of `ranges` and the root's ranges, in address order.
    const pieces: number[] = [];
    while (i < ranges.length || j < mine.length) {
      if (j >= mine.length || (i < ranges.length && ranges[i] < mine[j])) {
        pieces.push(ranges[i], ranges[i + 1]);
        i += 2;
      } else {
        pieces.push(mine[j], mine[j + 1]);
        j += 2;
      }
    }
    let r = 0;
    let done = 0;
    for (let p = 0; p < pieces.length; p += 2) {
      let a = Math.max(pieces[p], done);
      const b = Math.min(pieces[p + 1], end);
      while (a < b) {
        while (r < mine.length && mine[r + 1] <= a) r += 2;
        if (r < mine.length && mine[r] <= a) {
          const e = Math.min(b, mine[r + 1]);
          const list = this.pages[r >> 1];
          if (list) {
            for (let c = a; c < e; c += FINE) f(c, c + FINE, list[(c - mine[r]) / FINE], 0);
          } else {
            f(a, e, this.bytes!, this.offsets[r >> 1] + a - mine[r]);
          }
          a = e;
        } else {
          const e = Math.min(b, r < mine.length ? mine[r] : b, s0.length);
          if (e <= a) break;
          f(a, e, s0, a);
          a = e;
        }
      }
      done = Math.max(done, b);
    }
  }

  /** The root's bytes of the block at `at` (FINE-aligned, `n` bytes). */
  block(at: number, n: number): Uint8Array {
    const mine = this.ranges;
    let lo = 0;
    let hi = mine.length >> 1;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (mine[m * 2 + 1] <= at) lo = m + 1;
      else hi = m;
    }
    if (lo < mine.length >> 1 && mine[lo * 2] <= at) {
      const list = this.pages[lo];
      if (list) return list[(at - mine[lo * 2]) / FINE].subarray(0, n);
      const from = this.offsets[lo] + at - mine[lo * 2];
      return this.bytes!.subarray(from, from + n);
    }
    return this.plan.initial().subarray(at, at + n);
  }

  /** Put the kernel back in the root's state; `init` initialises a kernel from scratch. */
  restore(k: Kernel, init: () => void): void {
    if (!this.bytes) return init();
    const need = this.top - k.x.memory.buffer.byteLength;
    if (need > 0) k.x.memory.grow(Math.ceil(need / 65536));
    const mem = new Uint8Array(k.x.memory.buffer);
    this.segments(this.liveRanges(), this.top, (a, e, base, from) => {
      mem.set(base.subarray(from, from + e - a), a);
    });
  }

  /** Bytes held: the static ranges' copy and the distinct pages. */
  heldBytes(): number {
    return this.held;
  }
}
