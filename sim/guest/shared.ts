// Shared memory seen from a C guest (issue 19). The kernel owns every process's address space:
// a SysV segment (shmat) or a shared anonymous mapping (mmap MAP_SHARED) lives in the kernel's
// pages, and the guest sees it through a window, memory of its own that the guest layer
// allocates (sysroot/lib/ipcsim.c __ipcsim_shared_alloc), so the program's pointers are plain
// pointers. The windows are listed in a table in the guest's memory (a fork copies it):
//
//   __ipcsim_shared:  | lo | hi | pending | count | alloc | free | maps[i]: window | kaddr ...
//                       0    4    8         12      16      20     24 + 16 i
//
// (alloc and free are table indices of the guest's heap functions: see lib/ipcsim.c for why
// not exports.)
//
// Two ways keep a window coherent with the kernel (docs/c-guests.md says why both, measured):
//
// - instrumented (instrument.ts, the default): every load and store of the program goes through
//   a check of [lo, hi); one that falls in a window is a call of the trace, `load` or `store`
//   of the kernel's address, so a scheduling point: explore interleaves the accesses of a data
//   race as it does a scenario's os.load/os.store. Private accesses stay in wasm.
// - copied: a process can only be switched out at a call, so before each call the bytes the
//   program changed since the last copy (a diff against the shadow, a second copy of the
//   window) are stored to the kernel, and after the call every window is loaded again. The
//   program runs at full speed; a race shows only at call granularity.
//
// Either way the kernel's memory changes only by `store` steps, so a trace holds everything a
// replay and `ipcsim diff` (real Linux) need.

import { ModelError } from "../model/errors.js";
import type { Guest } from "./runtime.js";

const LO = 0;
const HI = 4;
const PENDING = 8;
const COUNT = 12;
const ALLOC = 16;
const FREE = 20;
const MAPS = 24;
const MAP_BYTES = 16;
/** sysroot/lib/ipcsim.c SHARED_MAX. */
const SHARED_MAX = 32;
const PAGE_BYTES = 4096;

/** One window: its guest address, the kernel address it shows, its size, and its shadow (the
 * bytes as last copied, copied mode only; 0 when instrumented). */
interface Window {
  window: number;
  kaddr: number;
  bytes: number;
  shadow: number;
}

/** The table's address in the guest's memory. */
function table(g: Guest): number {
  return g.exports().__ipcsim_shared.value as number;
}

export function windows(g: Guest): Window[] {
  const v = g.view();
  const t = table(g);
  const out: Window[] = [];
  for (let i = 0, n = v.getUint32(t + COUNT, true); i < n; i++) {
    const at = t + MAPS + i * MAP_BYTES;
    out.push({ window: v.getUint32(at, true), kaddr: v.getUint32(at + 4, true),
      bytes: v.getUint32(at + 8, true), shadow: v.getUint32(at + 12, true) });
  }
  return out;
}

/** The guest's heap function whose table index is at `slot` of the table's head. */
function heap(g: Guest, slot: number): (...a: number[]) => number {
  const ex = g.exports();
  return ex.__indirect_function_table.get(g.view().getUint32(table(g) + slot, true));
}

function writeWindows(g: Guest, list: Window[]): void {
  const v = g.view();
  const t = table(g);
  list.forEach((w, i) => {
    const at = t + MAPS + i * MAP_BYTES;
    [w.window, w.kaddr, w.bytes, w.shadow].forEach((x, j) => v.setUint32(at + 4 * j, x, true));
  });
  v.setUint32(t + COUNT, list.length, true);
  v.setUint32(t + LO, list.length ? Math.min(...list.map((w) => w.window)) : 0, true);
  v.setUint32(t + HI, list.length ? Math.max(...list.map((w) => w.window + w.bytes)) : 0, true);
}

/** A window on `bytes` of the kernel's memory at `kaddr` (just mapped): its guest address. */
export function attach(g: Guest, kaddr: number, bytes: number): number {
  const list = windows(g);
  if (list.length >= SHARED_MAX) {
    throw new ModelError(`more than ${SHARED_MAX} shared mappings in a C guest`);
  }
  const size = Math.ceil(bytes / PAGE_BYTES) * PAGE_BYTES;
  const copied = !g.instrumented;
  const window = heap(g, ALLOC)(copied ? 2 * size : size) >>> 0;
  if (window === 0) throw new ModelError(`a C guest's heap has no room for a ${size}-byte window`);
  list.push({ window, kaddr, bytes: size, shadow: copied ? window + size : 0 });
  writeWindows(g, list);
  return window;
}

/** The window at guest address `at`, or undefined. */
export function windowAt(g: Guest, at: number): Window | undefined {
  return windows(g).find((w) => w.window === at);
}

/** The window is gone from the kernel (shmdt, munmap): free it. */
export function detach(g: Guest, w: Window): void {
  writeWindows(g, windows(g).filter((x) => x.window !== w.window));
  heap(g, FREE)(w.window);
}

// ---- copied mode: the runtime calls these around every call (runtime.ts settle) ----

/** Before a call: store what the program changed in each window since the last copy, one
 * `store` step per run of changed bytes (an unchanged byte may be another process's newer
 * store, so it is never written back). */
export async function flush(g: Guest): Promise<void> {
  if (g.instrumented) return;
  for (const w of windows(g)) {
    const mem = new Uint8Array(g.exports().memory.buffer);
    for (let i = 0; i < w.bytes;) {
      if (mem[w.window + i] === mem[w.shadow + i]) {
        i++;
        continue;
      }
      let end = i + 1;
      while (end < w.bytes && mem[w.window + end] !== mem[w.shadow + end]) end++;
      const run = mem.slice(w.window + i, w.window + end);
      await g.os.store(w.kaddr + i, run);
      g.put(w.shadow + i, run);
      i = end;
    }
  }
}

/** After a call (and where a process starts running: a fork's child, a handler): what the
 * program changed is stored, then every window loaded from the kernel. */
export async function refresh(g: Guest): Promise<void> {
  if (g.instrumented) return;
  await flush(g);
  for (const w of windows(g)) {
    const data = await g.os.load(w.kaddr, w.bytes);
    g.put(w.window, data);
    g.put(w.shadow, data);
  }
}

// ---- instrumented mode: the imports instrument.ts's checks call ----

/** The window holding guest address `at`, and its kernel address. */
export function kernelAddress(g: Guest, at: number): number | undefined {
  const w = windows(g).find((x) => at >= x.window && at < x.window + x.bytes);
  return w && w.kaddr + (at - w.window);
}

/** Stores begun (store_ptr) to a window and not yet done (store_val), innermost last: a
 * store's value may itself contain stores, so they nest. */
const pendingStores = new WeakMap<Guest, { id: number; kaddr: number; bytes: number }[]>();

function setPending(g: Guest, n: number): void {
  g.view().setUint32(table(g) + PENDING, n, true);
}

const REWINDING = 2;
/** What a rewinding import passes to suspend, which then only returns (the call is done). */
const RESUME = { kind: "call", run: async () => 0 } as const;

/** The `ipcsim.shared_*` imports of an instrumented guest. */
export function sharedImports(h: { g: Guest }): Record<string, (...a: never[]) => unknown> {
  const storeVal = (id: number, put: (v: DataView) => void): void => {
    const g = h.g;
    if (g.exports().asyncify_get_state() === REWINDING) return void g.suspend(RESUME);
    const stack = pendingStores.get(g);
    const top = stack?.[stack.length - 1];
    if (!stack || top?.id !== id) return;
    stack.pop();
    setPending(g, stack.length);
    const b = new Uint8Array(8);
    put(new DataView(b.buffer));
    g.suspend({ kind: "call", run: () => g.os.store(top.kaddr, b.slice(0, top.bytes)) });
  };
  return {
    /** A load of `bytes` at guest address `at`, in [lo, hi): a window's is a `load` step,
     * its bytes put in the window for the load to read. */
    shared_load: (at: number, bytes: number): void => {
      const g = h.g;
      if (g.exports().asyncify_get_state() === REWINDING) return void g.suspend(RESUME);
      const k = kernelAddress(g, at >>> 0);
      if (k === undefined) return;
      g.suspend({ kind: "call", run: async () => {
        g.put(at >>> 0, await g.os.load(k, bytes));
        return 0;
      } });
    },
    shared_store_at: (id: number, at: number, bytes: number): void => {
      const g = h.g;
      const k = kernelAddress(g, at >>> 0);
      if (k === undefined) return;
      const stack = pendingStores.get(g) ?? [];
      pendingStores.set(g, stack);
      stack.push({ id, kaddr: k, bytes });
      setPending(g, stack.length);
    },
    shared_store_i32: (id: number, v: number) => storeVal(id, (d) => d.setInt32(0, v, true)),
    shared_store_i64: (id: number, v: bigint) => storeVal(id, (d) => d.setBigInt64(0, v, true)),
    shared_store_f32: (id: number, v: number) => storeVal(id, (d) => d.setFloat32(0, v, true)),
    shared_store_f64: (id: number, v: number) => storeVal(id, (d) => d.setFloat64(0, v, true)),
  };
}
