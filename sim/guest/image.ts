// A compiled guest and its instances. Instantiating the module costs about 100 µs (its memory
// and data segments), and exploring makes a process per run and per fork, so an instance whose
// process ended is kept and reused: a first process gets the memory as instantiation left it
// (the pristine image, copied in), a fork's child gets its parent's. Wasm memory never shrinks
// and a program may read its size, so a first process takes only an instance still of the
// initial size, and a child one no larger than its parent's memory (grown to it): every reuse
// is a fresh instance to the program. Its imports reach their process through `holder`, which
// each use repoints.

import type { Guest } from "./runtime.js";
import { sharedImports } from "./shared.js";
import { wasiImports } from "./wasi.js";

export interface Exports {
  memory: WebAssembly.Memory;
  _start(): void;
  /** lib/ipcsim.c's trampoline: calls the handler at table index fn with sig. */
  /** lib/ipcsim.c's hooks: the handler trampoline's table index, then a siginfo per level. */
  __ipcsim_hooks: WebAssembly.Global;
  asyncify_start_unwind(at: number): void;
  asyncify_stop_unwind(): void;
  asyncify_start_rewind(at: number): void;
  asyncify_stop_rewind(): void;
  asyncify_get_state(): number;
  __stack_pointer: WebAssembly.Global;
  __ipcsim_asyncify_data: WebAssembly.Global;
  /** lib/ipcsim.c's table of shared windows (shared.ts), and the functions its head names. */
  __ipcsim_shared: WebAssembly.Global;
  __indirect_function_table: WebAssembly.Table;
}

/** An instance and the process its imports serve. */
export interface Slot {
  ex: Exports;
  holder: { g: Guest };
}

/** Instances kept for reuse, at most (a run's processes, a few runs' worth). */
const POOL_MAX = 32;

export class GuestImage {
  private free: Slot[] = [];
  private pristine!: Uint8Array;
  private sp0 = 0;

  /** Built with instrument.ts (it imports ipcsim.shared_load): shared accesses are steps. */
  readonly instrumented: boolean;

  constructor(readonly module: WebAssembly.Module, readonly name: string) {
    this.instrumented = WebAssembly.Module.imports(module)
      .some((i) => i.module === "ipcsim" && i.name === "shared_load");
  }

  /** A kept instance whose memory is at most `bytes` (the largest such), or undefined. */
  private take(bytes: number): Slot | undefined {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const size = this.free[i].ex.memory.buffer.byteLength;
      if (size <= bytes && (best < 0 || size > this.free[best].ex.memory.buffer.byteLength)) {
        best = i;
      }
    }
    return best < 0 ? undefined : this.free.splice(best, 1)[0];
  }

  /** An instance for `g`, its memory as instantiation left it. */
  fresh(g: Guest): Slot {
    const s = this.pristine === undefined ? undefined : this.take(this.pristine.length);
    if (!s) return this.instantiate(g);
    s.holder.g = g;
    new Uint8Array(s.ex.memory.buffer).set(this.pristine);
    s.ex.__stack_pointer.value = this.sp0;
    return s;
  }

  /** An instance for `g` with a copy of `parent`'s memory and stack pointer (a fork). */
  copy(g: Guest, parent: Exports): Slot {
    const from = parent.memory.buffer;
    const s = this.take(from.byteLength) ?? this.instantiate(g);
    s.holder.g = g;
    const grow = (from.byteLength - s.ex.memory.buffer.byteLength) / 65536;
    if (grow > 0) s.ex.memory.grow(grow);
    new Uint8Array(s.ex.memory.buffer).set(new Uint8Array(from));
    s.ex.__stack_pointer.value = parent.__stack_pointer.value;
    return s;
  }

  /** The process of `s` is done with it: keep it, unless it stopped mid-unwind. */
  release(s: Slot): void {
    if (s.ex.asyncify_get_state() === 0 && this.free.length < POOL_MAX) this.free.push(s);
  }

  private instantiate(g: Guest): Slot {
    const holder = { g };
    const imports = {
      ipcsim: {
        syscall: (nr: number, ...args: number[]) => holder.g.syscall(nr, args),
        fork: () => holder.g.suspend({ kind: "fork" }),
        getpid: () => holder.g.os.getpid(),
        ...sharedImports(holder),
      },
      wasi_snapshot_preview1: wasiImports(holder),
    };
    const ex = new WebAssembly.Instance(this.module, imports).exports as unknown as Exports;
    if (this.pristine === undefined) {
      this.pristine = new Uint8Array(ex.memory.buffer).slice();
      this.sp0 = ex.__stack_pointer.value as number;
    }
    return { ex, holder };
  }
}
