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
export const ROOT_COPY_MAX = 96 * 1024 * 1024;
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
export interface Exec {
  step: Step;
  path: readonly number[];
  /** The step run before it in this world (since the root), or null. */
  prev: Exec | null;
  /** Steps since the root, this one included. */
  depth: number;
}

/** A state the engine can return to: the root, then `execs` run again. */
export interface World {
  es: EngineState;
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
  return { es, execs: { step, path, prev: w.execs, depth } };
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
