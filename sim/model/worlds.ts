// The worlds of a replay, kept without a copy of the kernel each (issue 22).
//
// A world is not a memory snapshot: it is a root (one copy of the kernel memory, or the
// freshly initialised kernel) plus the steps run since, each with the decisions it took at
// its branch points (which woken process retried first, which tied timer fired). The kernel
// is deterministic, so restoring a world is: copy the root back, run those steps again with
// the same decisions. A step with several allowed outcomes therefore costs one root copy,
// whatever its number of retry orders, and memory does not grow with the kernel per branch.
//
// The root is refreshed (one copy into a reused buffer) at each branching step of a single
// world, and every ROOT_STEPS_MAX steps on the fast path, while the kernel's memory is at most
// ROOT_COPY_MAX: above that no copy is made, and a restore re-runs every step since the last
// root (slower, in the same memory). docs/trace-format.md "Branching" says the same.

import type { Kernel } from "../../wasm/kernel.js";
import type { Step } from "../trace/types.js";
import type { Issued } from "./calls.js";

/** Largest kernel memory (bytes) the root copies: above it, restores re-run from the last root
 * taken below it (or from the initialised kernel). */
const ROOT_COPY_MAX = 96 * 1024 * 1024;
/** Steps of one world after which its state becomes the root (when it may be copied), so that
 * a restore never re-runs more than this many steps of a small kernel. */
export const ROOT_STEPS_MAX = 4096;

/** What the engine knows besides the kernel memory: the calls of blocked processes (pid -> the
 * call; "blocked" as docs/glossary.md defines it, woken included) and each step's ret. */
export interface EngineState {
  blocked: Map<number, Issued>;
  rets: (number | undefined)[];
}

export function cloneState(es: EngineState): EngineState {
  return { blocked: new Map(es.blocked), rets: es.rets.slice() };
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
const FINE = 4096;

/** Compare the kernel memory with the root's copy, 64 KiB then 4 KiB at a time (memcmp): keep
 * the kernel's blocks that differ and put the root's back, so that the kernel is in the
 * root's state again. One pass over the memory, whatever the number of differences. */
export function diffAndRestore(k: Kernel, root: Uint8Array, es: EngineState): Diff {
  const top = k.x.k_mem_top() >>> 0;
  const live = Buffer.from(k.x.memory.buffer);
  const base = Buffer.from(root.buffer, root.byteOffset, root.length);
  const blocks: number[] = [];
  const data: Uint8Array[] = [];
  for (let at = 0; at < root.length; at += COARSE) {
    const end = Math.min(at + COARSE, root.length);
    if (live.compare(base, at, end, at, end) === 0) continue;
    for (let b = at; b < end; b += FINE) {
      const e = Math.min(b + FINE, end);
      if (live.compare(base, b, e, b, e) === 0) continue;
      blocks.push(b);
      data.push(new Uint8Array(live.subarray(b, e)));
      live.set(base.subarray(b, e), b);
    }
  }
  // Past the root's end: the pool grew (the root's pool end makes it garbage once restored).
  for (let b = root.length; b < top; b += FINE) {
    blocks.push(b);
    data.push(new Uint8Array(live.subarray(b, Math.min(b + FINE, top))));
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
export function undoDiff(k: Kernel, root: Uint8Array, d: Diff): void {
  const mem = new Uint8Array(k.x.memory.buffer);
  for (let i = 0; i < d.blocks.length; i++) {
    const b = d.blocks[i];
    if (b < root.length) mem.set(root.subarray(b, b + d.data[i].length), b);
  }
}

/** Are two diffs the same state (same bytes, same engine state)? */
export function sameDiff(a: Diff, b: Diff): boolean {
  if (a.blocks.length !== b.blocks.length) return false;
  for (let i = 0; i < a.blocks.length; i++) {
    if (a.blocks[i] !== b.blocks[i]) return false;
    if (!Buffer.from(a.data[i]).equals(b.data[i])) return false;
  }
  return sameState(a.es, b.es);
}

function sameState(a: EngineState, b: EngineState): boolean {
  if (a.blocked.size !== b.blocked.size || a.rets.length !== b.rets.length) return false;
  for (const [pid, c] of a.blocked) if (b.blocked.get(pid)?.step !== c.step) return false;
  for (let i = 0; i < a.rets.length; i++) if (a.rets[i] !== b.rets[i]) return false;
  return true;
}

/** The root of every world: a copy of the kernel memory (in a buffer reused from one root to
 * the next) or, with `bytes` null, the kernel as the trace's header initialises it. */
export class Root {
  private buffer: Uint8Array | null = null;
  bytes: Uint8Array | null = null;
  es: EngineState = { blocked: new Map(), rets: [] };

  /** May the kernel's present state become the root (is it small enough to copy)? */
  static copyable(k: Kernel): boolean {
    return (k.x.k_mem_top() >>> 0) <= ROOT_COPY_MAX;
  }

  /** Make the kernel's present state, with `es`, the root. */
  take(k: Kernel, es: EngineState): void {
    const top = k.x.k_mem_top() >>> 0;
    if (!this.buffer || this.buffer.length < top) this.buffer = new Uint8Array(top);
    this.bytes = this.buffer.subarray(0, top);
    this.bytes.set(new Uint8Array(k.x.memory.buffer, 0, top));
    this.es = cloneState(es);
  }

  /** Put the kernel back in the root's state; `init` initialises a kernel from scratch. */
  restore(k: Kernel, init: () => void): void {
    if (this.bytes) k.restore(this.bytes);
    else init();
  }

  /** Bytes held (for the benchmark's notes). */
  heldBytes(): number {
    return this.buffer?.length ?? 0;
  }
}
