// A C program compiled to wasm32-wasi (cc.ts) run as a scenario: each simulated process is a
// WebAssembly instance of the program, and every call it makes goes through the scenario's
// `os`, so the run is an ordinary scenario run (traces, explore, shrinking, the deadlock
// explainer and `ipcsim diff` work unchanged).
//
// A call is synchronous in the guest and asynchronous in `os` (the scheduler decides before it
// runs): Asyncify (cc.ts runs binaryen's pass) bridges the two. The import starts the call,
// unwinds the guest's stack into its save area and returns to `loop`, which awaits the call,
// then rewinds: `_start` is entered again, the stack is rebuilt, and the import, called again
// while rewinding, returns the result. fork is the same dance with a copy: when the parent has
// unwound, its linear memory (stack, globals, heap, stdio buffers, the save area) and its stack
// pointer are copied into a new instance, which rewinds into fork returning 0 while the parent
// rewinds into fork returning the child's pid (the WASIX design; next-mechanisms.md §1). So an
// unflushed printf before a fork is printed twice, as on Linux. What a process writes to its
// fds 0-2 (the kernel's /dev/null description) is its output: sim/scenario/console.ts.
//
// Memory shared between processes (shmat, MAP_SHARED) is a window in the guest's memory that
// shared.ts keeps coherent with the kernel's pages: in a copied build, by the copies around
// each call that settle() makes.

import { ModelError } from "../model/errors.js";
import { ErrnoError } from "../scenario/errors.js";
import type { Os } from "../scenario/os.js";
import type { SigInfo } from "../scenario/os-types.js";
import { GuestImage, type Exports, type Slot } from "./image.js";
import { flush, refresh } from "./shared.js";
import { syscall } from "./syscalls.js";
import { wasiErrno } from "./wasi-errno.js";

const UNWINDING = 1;
const REWINDING = 2;
/** sysroot/lib/ipcsim.c's __ipcsim_asyncify_data (64 KiB), as one save area per level: the
 * program, and a handler running while the level below it waits in a call (nested handlers
 * up to the last area). */
const SAVE_BYTES = 16384;
const LEVELS = 4;
/** siginfo_t as sysroot/include/signal.h lays it out: an int each, in this order. */
const SIGINFO_FIELDS = ["signo", "errno", "code", "pid", "status", "uid", "value"] as const;
const SIGINFO_BYTES = 4 * SIGINFO_FIELDS.length;

/** What an unwound guest waits for: a call's result, a fork, or its exit. */
type Pending =
  | { kind: "call"; run: () => Promise<number> }
  | { kind: "fork" }
  | { kind: "exit"; code: number };

/** One level of the guest's stack: what its unwound call waits for, and what it returns. */
interface Level {
  pending: Pending | null;
  resumeWith: number;
}

export class Guest {
  private slot!: Slot;
  /** The program's level, then a handler's for each handler running (runHandler). */
  private levels: Level[] = [{ pending: null, resumeWith: 0 }];
  /** Its process's `os`: a fork's child gets it when the kernel has made the process. */
  os!: Os;
  constructor(private readonly image: GuestImage) {}

  get name(): string {
    return this.image.name;
  }

  private get ex(): Exports {
    return this.slot.ex;
  }

  /** The instance's exports (shared.ts reads its window table and allocates windows). */
  exports(): Exports {
    return this.slot.ex;
  }

  /** Built with instrument.ts: each shared access is a step, no copies around calls. */
  get instrumented(): boolean {
    return this.image.instrumented;
  }

  /** The first process: the program from `_start`. */
  async main(os: Os): Promise<void> {
    this.os = os;
    this.slot = this.image.fresh(this);
    await this.loop(() => this.ex._start(), false);
  }

  /** Run the C handler at table index `fn` for `sig`, its calls made through the handler's
   * `os` (the scenario engine calls this while the program waits in a call). */
  async runHandler(fn: number, sig: number, info: SigInfo | null, os: Os): Promise<void> {
    if (this.levels.length >= LEVELS) {
      throw new ModelError(`more than ${LEVELS - 1} nested signal handlers in a C guest`);
    }
    const outer = this.os;
    this.os = os;
    this.levels.push({ pending: null, resumeWith: 0 });
    try {
      await refresh(this); // the handler runs now: it sees the kernel's memory as it is
      const hooks = this.ex.__ipcsim_hooks.value as number;
      const trampoline = this.ex.__indirect_function_table.get(this.view().getUint32(hooks, true));
      const at = info ? this.putSiginfo(hooks + 4 + (this.levels.length - 1) * SIGINFO_BYTES,
        info) : 0;
      await this.loop(() => trampoline(fn, sig, at), false);
    } finally {
      this.levels.pop();
      this.os = outer;
    }
  }

  /** An SA_SIGINFO handler's siginfo at `at` (sysroot/include/signal.h siginfo_t). */
  private putSiginfo(at: number, info: SigInfo): number {
    const v = this.view();
    SIGINFO_FIELDS.forEach((f, i) => v.setInt32(at + 4 * i, f === "errno" ? 0 : info[f] ?? 0,
      true));
    return at;
  }

  private get level(): Level {
    return this.levels[this.levels.length - 1];
  }

  /** The guest's `ipcsim.syscall` import. */
  syscall(nr: number, args: number[]): number {
    return this.suspend({ kind: "call", run: () => syscall(this, nr, args) });
  }

  /** Run `entry` (the program's `_start`, or a handler's trampoline) at the current level
   * until it returns, settling each call it unwinds for and rewinding into it. */
  private async loop(entry: () => void, rewind: boolean): Promise<void> {
    const top = this.levels.length === 1;
    for (;;) {
      if (rewind) this.ex.asyncify_start_rewind(this.saveArea());
      try {
        entry();
      } catch (e) {
        if (e instanceof WebAssembly.RuntimeError) return this.trapped(e);
        throw e;
      }
      if (this.ex.asyncify_get_state() !== UNWINDING) {
        if (!top) return; // the handler returned: the level below goes on
        this.image.release(this.slot);
        return;
      }
      this.ex.asyncify_stop_unwind();
      const level = this.level;
      const p = level.pending!;
      level.pending = null;
      level.resumeWith = await this.settle(p);
      rewind = true;
    }
  }

  /** An import's entry: start `p` and unwind, or, rewinding, return what it gave. */
  suspend(p: Pending): number {
    if (this.ex.asyncify_get_state() === REWINDING) {
      this.ex.asyncify_stop_rewind();
      return this.level.resumeWith;
    }
    this.level.pending = p;
    const at = this.saveArea();
    const view = new DataView(this.ex.memory.buffer);
    view.setInt32(at, at + 8, true); // the save area's next free byte
    view.setInt32(at + 4, at + SAVE_BYTES, true); // and its end
    this.ex.asyncify_start_unwind(at);
    return 0;
  }

  private saveArea(): number {
    const base = this.ex.__ipcsim_asyncify_data.value as number;
    return base + (this.levels.length - 1) * SAVE_BYTES;
  }

  private async settle(p: Pending): Promise<number> {
    await flush(this); // a call is where another process may run: it sees our stores
    if (p.kind === "call") {
      const r = await p.run();
      await refresh(this); // and we see theirs
      return r;
    }
    if (p.kind === "exit") {
      this.image.release(this.slot); // done with it: the exit step ends the process
      return this.os.exit(p.code);
    }
    if (this.levels.length > 1) throw new ModelError("fork in a signal handler of a C guest");
    // The child's memory is the parent's now, before the parent runs on.
    const child = new Guest(this.image);
    child.slot = this.image.copy(child, this.ex);
    try {
      const pid = await this.os.fork(async (os) => {
        child.os = os;
        child.level.resumeWith = 0; // fork returns 0 in the child
        await refresh(child);
        return child.loop(() => child.ex._start(), true);
      });
      await refresh(this);
      return pid;
    } catch (e) {
      this.image.release(child.slot);
      return -errnoOf(e);
    }
  }

  /** A trap is the process's death by the signal Linux would send: abort() (unreachable) is
   * SIGABRT, any other trap (a bad address, a division by zero) SIGSEGV. */
  private async trapped(e: WebAssembly.RuntimeError): Promise<void> {
    const sig = /unreachable/.test(e.message) ? 6 : 11;
    this.os.log(`${this.name}: ${e.message}: killed by ${sig === 6 ? "SIGABRT" : "SIGSEGV"}`);
    await this.os.kill(this.os.getpid(), sig);
  }

  // ---- guest memory ----

  bytes(at: number, n: number): Uint8Array {
    return new Uint8Array(this.ex.memory.buffer, at, n).slice();
  }

  view(): DataView {
    return new DataView(this.ex.memory.buffer);
  }

  put(at: number, data: Uint8Array): void {
    new Uint8Array(this.ex.memory.buffer, at, data.length).set(data);
  }
}

/** The errno name of a failed call, as a WASI number; anything else is rethrown. */
export function errnoOf(e: unknown): number {
  if (e instanceof ErrnoError) return wasiErrno(e.code);
  throw e;
}

/** A compiled guest as a scenario module: its first process runs the program's main. */
export function guestModule(
  wasm: Uint8Array, name: string,
): { default: (os: Os) => Promise<void> } {
  const image = new GuestImage(new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>), name);
  return { default: (os: Os) => new Guest(image).main(os) };
}
