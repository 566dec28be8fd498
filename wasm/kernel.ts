// The one typed loader: the only code that touches WebAssembly.*. It instantiates the kernel
// (inlined by esbuild's binary loader), gives the raw i32 ABI typed names, and owns the
// byte traffic through the kernel's scratch region and the memory snapshots.

import kernelWasm from "./build/kernel.wasm";
import { KERNEL } from "./abi.js";
import { ResetPlan } from "./reset.js";

/** A lock's owner kind: a process's record lock, a description's record lock, or flock's. */
type LockKind = "POSIX" | "OFD" | "flock";

/** What a lock sleeper waits for: its request (type F_RDLCK 0, F_WRLCK 1; end -1: to the end
 * of the file) and the lock at the root of its blocker tree (holderPid 0: a request woken but
 * not yet run), as kernel/views.ts k_view_lock_wait gives them. */
export interface LockWaitView {
  kind: LockKind;
  type: number;
  start: number;
  end: number;
  holderPid: number;
  holderKind: LockKind;
  holderStart: number;
  holderEnd: number;
  /** The request's open file description (the kernel's index). */
  file: number;
}

/** A kernel assertion failed: a bug in the kernel, never a user error. */
export class KernelPanic extends Error {
  constructor(message: string) {
    super(`kernel panic: ${message}`);
    this.name = "KernelPanic";
  }
}

interface Exports {
  memory: WebAssembly.Memory;
  k_init(): number;
  k_param_set(index: number, value: number): number;
  k_syscall(
    pid: number, nr: number, a0: number, a1: number, a2: number, a3: number, a4: number, a5: number,
  ): number;
  k_retry(pid: number): number;
  k_time_now(): number;
  k_time_next(): number;
  k_time_ties(): number;
  k_time_pick(pick: number): void;
  k_time_set_realtime(sec: number): void;
  k_proc_deadline(pid: number): number;
  k_view_lock_wait(pid: number, field: number): number;
  k_woken_count(): number;
  k_woken_at(i: number): number;
  k_woken_after(pid: number): number;
  k_woken_free(): number;
  k_event_count(): number;
  k_event_base(): number;
  k_event_dropped(): number;
  k_event_clear(): void;
  k_flow_log(on: number): void;
  k_view_pipe_slot(pipe: number, n: number, field: number): number;
  k_view_sig_set(pid: number, what: number, hi: number): number;
  k_view_sig_handler(pid: number, sig: number): number;
  k_event_page_head(): number;
  k_event_page_header(): number;
  k_event_page_records(): number;
  k_event_inline(): number;
  k_scratch(): number;
  k_scratch_size(): number;
  k_io_base(): number;
  k_io_size(): number;
  k_poke(pid: number, va: number, len: number): number;
  k_peek(pid: number, va: number, len: number): number;
  k_check(): number;
  k_mem_top(): number;
  k_mem_limit(pages: number): void;
  k_pool_pages(): number;
  k_pages_used(): number;
  k_pages_used_peak(): number;
  k_shmem_frames(): number;
  k_private_frames(): number;
  k_next_pid(): number;
  k_proc_state(pid: number): number;
  k_proc_parent(pid: number): number;
  k_proc_call(pid: number): number;
  k_proc_exit_status(pid: number): number;
  k_nproc(): number;
  k_fd_file(pid: number, fd: number): number;
  k_file_kind(f: number): number;
  k_file_flags(f: number): number;
  k_file_fmode(f: number): number;
  k_file_pipe(f: number): number;
  k_file_sock(f: number): number;
  k_file_epoll(f: number): number;
  k_epoll_item_fd(e: number, k: number): number;
  k_epoll_item_events(e: number, k: number): number;
  k_sock_serial(i: number): number;
  k_sock_type(i: number): number;
  k_sock_peer(i: number): number;
  k_sock_listener(i: number): number;
  k_sock_inq(i: number): number;
  k_sock_wmem(i: number): number;
  k_sock_sndbuf(i: number): number;
  k_sock_poll(i: number): number;
  k_sock_addr_len(i: number): number;
  k_sock_addr_byte(i: number, k: number): number;
  k_npipe(): number;
  k_pipe_in_use(i: number): number;
  k_pipe_readers(i: number): number;
  k_pipe_writers(i: number): number;
  k_pipe_bytes(i: number): number;
  k_pipe_slots(i: number): number;
  k_pipe_max_slots(i: number): number;
  k_pipe_inode(i: number): number;
  k_pipe_serial(i: number): number;
  k_ninode(): number;
  k_inode_in_use(i: number): number;
  k_inode_linked(i: number): number;
  k_inode_pipe(i: number): number;
  k_inode_name(i: number): number;
  // kernel/views.ts (the simulator's read-only views)
  k_view_ipc_in_use(type: number): number;
  k_view_sem_value(semid: number, num: number): number;
  k_view_ipc_max_idx(type: number): number;
  k_view_ipc_id(type: number, idx: number): number;
  k_view_ipc_key(type: number, idx: number): number;
  k_view_ipc_mode(type: number, idx: number): number;
  k_view_msg_qnum(idx: number): number;
  k_view_msg_cbytes(idx: number): number;
  k_view_sem_nsems(idx: number): number;
  k_view_shm_segsz(idx: number): number;
  k_view_shm_nattch(idx: number): number;
  k_view_vma_first(pid: number): number;
  k_view_vma_next(n: number): number;
  k_view_vma_start(n: number): number;
  k_view_vma_end(n: number): number;
  k_view_vma_prot(n: number): number;
  k_view_vma_shared(n: number): number;
  k_view_vma_shmid(n: number): number;
  k_view_msg_qbytes(idx: number): number;
  k_view_msg(idx: number, n: number, field: number): number;
  k_view_msg_waiter(idx: number, side: number, n: number, field: number): number;
  k_view_mq(i: number, field: number): number;
  k_view_mq_msg(i: number, n: number, field: number): number;
  k_view_mq_waiter(i: number, side: number, n: number, field: number): number;
  k_view_sem_waiter(idx: number, list: number, n: number): number;
  k_view_semop_wait(pid: number, op: number, field: number): number;
  k_view_sem_undo(pid: number, n: number, num: number): number;
  k_view_pte(pid: number, va: number, field: number): number;
  k_layout_base(t: number): number;
  k_layout_entry(t: number): number;
  k_layout_entries(t: number): number;
  k_layout_mode(t: number): number;
  k_layout_live(t: number): number;
  k_layout_touched(t: number): number;
  k_layout_count(): number;
  k_heap_base(): number;
  k_pool_start(): number;
  k_chunk_pages(): number;
  k_page_size(): number;
}

/** One event record (kernel/event.ts): seven i32, their meaning per kind. */
export interface KernelEvent {
  kind: number;
  pid: number;
  a: number;
  b: number;
  c: number;
  d: number;
  e: number;
}
const EVENT_WORDS = 7;

/** Copy `count` event records from word `first` of `w` into `into` from index `at`, reusing
 * its records: the index after the last. */
function readEvents(
  w: Int32Array, first: number, count: number, into: KernelEvent[], at: number,
): number {
  for (let i = 0; i < count; i++, at++) {
    const r = first + i * EVENT_WORDS;
    let e = into[at];
    if (e === undefined) into[at] = e = { kind: 0, pid: 0, a: 0, b: 0, c: 0, d: 0, e: 0 };
    e.kind = w[r];
    e.pid = w[r + 1];
    e.a = w[r + 2];
    e.b = w[r + 3];
    e.c = w[r + 4];
    e.d = w[r + 5];
    e.e = w[r + 6];
  }
  return at;
}

let compiled: WebAssembly.Module | undefined;

function kernelModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(kernelWasm);
  return compiled;
}

/** One simulated kernel instance. */
export class Kernel {
  readonly x: Exports;
  readonly ioBase: number;
  readonly ioSize: number;
  readonly scratchSize: number;
  private scratchPtr: number;
  private bytes!: Uint8Array;
  private i32!: Int32Array;

  /** Decides a branch point inside a call (kernel/hooks.ts kernelChoose): which of `n`
   * outcomes Linux may give happens here. The engine sets it to its decide (sim/model/engine.ts)
   * so that every outcome is explored; anything else gets 0, the first. */
  chooser: (n: number) => number = () => 0;

  constructor() {
    let self: Kernel | undefined;
    const abort = (msg: number, file: number, line: number, col: number) => {
      const text = self ? self.readAsString(msg) : "abort";
      const where = self ? self.readAsString(file) : "";
      throw new KernelPanic(`${text} (${where}:${line}:${col})`);
    };
    const k_choose = (n: number) => (self ? self.chooser(n) : 0);
    const instance = new WebAssembly.Instance(kernelModule(), { env: { abort, k_choose } });
    this.x = instance.exports as unknown as Exports;
    self = this;
    this.scratchPtr = this.x.k_scratch();
    this.scratchSize = this.x.k_scratch_size();
    this.ioBase = this.x.k_io_base() >>> 0;
    this.ioSize = this.x.k_io_size() >>> 0;
    this.refreshViews();
    const r = this.x.k_init();
    if (r < 0) throw new KernelPanic(`k_init failed: ${r}`);
  }

  /** memory.grow detaches the old buffer, which leaves its views empty: re-create them then.
   * (Reading `memory.buffer` on every peek and poke cost 3% of a short exploration.) */
  private refreshViews(): void {
    if (this.bytes !== undefined && this.bytes.byteLength !== 0) return;
    const buf = this.x.memory.buffer;
    this.bytes = new Uint8Array(buf);
    this.i32 = new Int32Array(buf);
  }

  private readAsString(ptr: number): string {
    if (!ptr) return "";
    this.refreshViews();
    const len = new Uint32Array(this.bytes.buffer, ptr - 4, 1)[0];
    return String.fromCharCode(...new Uint16Array(this.bytes.buffer.slice(ptr, ptr + len)));
  }

  private resetPlan: ResetPlan | null = null;

  /** Back to the post-init state cheaply (wasm/reset.ts): what `reset()` gives, restoring only
   * what a run can have changed. The first call does a full reset and takes the snapshot. */
  resetFast(): void {
    if (!this.resetPlan) {
      this.resetPlan = new ResetPlan(this);
      return;
    }
    this.resetPlan.reset();
    this.refreshViews();
  }

  /** The fast reset's plan (for tests and the benchmark notes). */
  fastResetPlan(): ResetPlan | null {
    return this.resetPlan;
  }

  reset(): void {
    const r = this.x.k_init();
    if (r < 0) throw new KernelPanic(`k_init failed: ${r}`);
    this.refreshViews();
  }

  setParam(index: number, value: number): boolean {
    return this.x.k_param_set(index, value) === 0;
  }

  syscall(pid: number, nr: number, a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0): number {
    return this.x.k_syscall(pid, nr, a0 | 0, a1 | 0, a2 | 0, a3 | 0, a4 | 0, a5 | 0);
  }

  retry(pid: number): number {
    return this.x.k_retry(pid);
  }

  /** CLOCK_MONOTONIC now: ns since the trace started (kernel/time.ts). */
  timeNow(): number {
    return this.x.k_time_now();
  }

  /** The earliest pending deadline (monotonic ns), or -1 when no timer is queued. */
  timeNext(): number {
    return this.x.k_time_next();
  }

  /** How many timers are due at the earliest deadline (they race: the engine branches). */
  timeTies(): number {
    return this.x.k_time_ties();
  }

  /** Which of the tied timers the next advance fires, in arm order; -1 fires them all. */
  timePick(pick: number): void {
    this.x.k_time_pick(pick);
  }

  /** CLOCK_REALTIME at the start, in whole seconds since the epoch (before the first step;
   * the default is TIME.REALTIME_START_SEC). */
  setRealtime(sec: number): void {
    this.x.k_time_set_realtime(sec);
  }

  /** The deadline a blocked process sleeps until (monotonic ns), or -1 (no deadline). */
  procDeadline(pid: number): number {
    return this.x.k_proc_deadline(pid);
  }

  /** What pid asleep in flock or F_SETLKW waits for (kernel/views.ts k_view_lock_wait), or
   * null when it sleeps in no lock call. */
  lockWait(pid: number): LockWaitView | null {
    const f = (i: number) => this.x.k_view_lock_wait(pid, i);
    const kinds = ["", "POSIX", "OFD", "flock"] as const;
    const kind = f(0);
    if (kind <= 0) return null;
    return {
      kind: kinds[kind] as LockKind, type: f(1), start: f(2), end: f(3), holderPid: f(4),
      holderKind: kinds[f(5)] as LockKind, holderStart: f(6), holderEnd: f(7), file: f(8),
    };
  }

  /** Processes woken and waiting to retry their call, in wake order. */
  woken(): number[] {
    const out: number[] = [];
    for (let pid = this.x.k_woken_after(0); pid !== 0; pid = this.x.k_woken_after(pid)) {
      out.push(pid);
    }
    return out;
  }

  wokenCount(): number {
    return this.x.k_woken_count();
  }

  /** Take the events logged since the last drain: the static buffer's records, then the
   * chain of overflow pages (kernel/event.ts layout). */
  drainEvents(): KernelEvent[] {
    const out: KernelEvent[] = [];
    out.length = this.drainEventsInto(out);
    return out;
  }

  /** drainEvents into `into`, reusing its records (their fields are overwritten, so a caller
   * must not keep them past its next drain): the count taken. The explorer drains after every
   * call, and a fresh record per event was a tenth of the bytes a run allocated. */
  drainEventsInto(into: KernelEvent[]): number {
    const n = this.x.k_event_count();
    if (n === 0) return 0;
    // Records are dropped only when the kernel's page pool is exhausted.
    if (this.x.k_event_dropped() > 0) throw new KernelPanic("event log overflowed");
    this.refreshViews();
    const w = this.i32;
    let got = 0;
    const inline = Math.min(n, this.x.k_event_inline());
    got = readEvents(w, this.x.k_event_base() >> 2, inline, into, got);
    const perPage = this.x.k_event_page_records();
    const header = this.x.k_event_page_header() >> 2;
    for (let page = this.x.k_event_page_head(); page !== 0; page = w[page >> 2] >>> 0) {
      got = readEvents(w, (page >> 2) + header, Math.min(perPage, n - got), into, got);
    }
    if (got !== n) throw new KernelPanic(`event log: ${got} of ${n} records read`);
    this.x.k_event_clear();
    return n;
  }

  /** Write bytes into pid's memory at va (in scratch-sized pieces). False on a bad address. */
  poke(pid: number, va: number, data: Uint8Array): boolean {
    if (data.length <= this.scratchSize) {
      this.refreshViews();
      this.bytes.set(data, this.scratchPtr);
      return this.x.k_poke(pid, va, data.length) === data.length;
    }
    for (let off = 0; off < data.length; off += this.scratchSize) {
      const piece = data.subarray(off, off + this.scratchSize);
      this.refreshViews();
      this.bytes.set(piece, this.scratchPtr);
      if (this.x.k_poke(pid, va + off, piece.length) !== piece.length) return false;
    }
    return true;
  }

  /** Read len bytes of pid's memory at va (null on a bad address). */
  peek(pid: number, va: number, len: number): Uint8Array | null {
    const out = new Uint8Array(len);
    for (let off = 0; off < len; off += this.scratchSize) {
      const n = Math.min(this.scratchSize, len - off);
      if (this.x.k_peek(pid, va + off, n) !== n) return null;
      this.refreshViews();
      out.set(this.bytes.subarray(this.scratchPtr, this.scratchPtr + n), off);
    }
    return out;
  }

  peekI32(pid: number, va: number): number {
    if (this.x.k_peek(pid, va, 4) !== 4) {
      throw new KernelPanic(`peek of an int at ${va} in pid ${pid} failed`);
    }
    this.refreshViews();
    // The scratch region is 16-byte aligned (k_scratch), so an aligned Int32Array read is exact.
    return this.i32[this.scratchPtr >> 2];
  }

  /** The kernel's scratch bytes (valid until the next call). */
  scratch(len: number): Uint8Array {
    this.refreshViews();
    return this.bytes.subarray(this.scratchPtr, this.scratchPtr + len);
  }

  /** Assert every kernel invariant; throws KernelPanic naming the broken one. */
  check(): void {
    this.x.k_check();
  }

  /** A copy of the whole kernel state. */
  snapshot(): Uint8Array {
    const top = this.x.k_mem_top() >>> 0;
    return new Uint8Array(this.x.memory.buffer, 0, top).slice();
  }

  /** Return to a snapshot's state (memory past it is garbage the kernel no longer names). */
  restore(snap: Uint8Array): void {
    const need = snap.length - this.x.memory.buffer.byteLength;
    if (need > 0) this.x.memory.grow(Math.ceil(need / 65536));
    this.refreshViews();
    this.bytes.set(snap, 0);
  }

  pagesUsed(): number {
    return this.x.k_pages_used();
  }
}

export const BLOCKED = KERNEL.BLOCKED;
export const KILLED = KERNEL.KILLED;
export const BADCALLER = KERNEL.BADCALLER;
