// Queued signal entries (struct sigqueue): the siginfo of each pending instance, realtime or
// standard (a standard signal queued past RLIMIT_SIGPENDING, and SIGKILL, have none: their
// siginfo is collect_signal's zeroed one, SI_USER from pid 0).
// Linux: kernel/signal.c (__sigqueue_alloc, __sigqueue_free, collect_signal, send_signal_locked).
//
// Entries come from one fixed pool of SIGQUEUE_MAX, as the signal count they carry is bounded
// by the root user's RLIMIT_SIGPENDING (signal.ts S.queued, which counts every pending entry).
// Index 0 is "none" so that a zeroed signal page holds empty queues. A run only ever takes
// entries through sqAlloc, so the pool's contents need no reset (kernel/views.ts mode 0): the
// state below (the bump index and the free list) is what says which entries are live.
//
//   entry: | next i32 | code i32 (SI_USER 0, SI_KERNEL, SI_QUEUE -1, SI_TIMER -2, CLD_*) |
//          | value i32 (si_value.sival_int) | timer i32 (a POSIX timer's own entry: its pool
//          index, timer.ts; 0: none) | pid i32 (si_pid: the sender, or the child of a
//          SIGCHLD; 0: the kernel) | status i32 (a SIGCHLD's si_status: exit code or signal) |
//
// si_uid is not kept: every traced process is root in the model, so it is always 0.
//
// A POSIX timer's entry is preallocated in Linux (the timer counts against
// RLIMIT_SIGPENDING for its life instead): the pool has room for one per timer beyond
// SIGQUEUE_MAX.
//
// Invariant (sqCheck): the entries in use are the ones the processes' queues hold.

import { PROC_UNUSED, PROC_ZOMBIE, SIGKILL } from "./abi";
import { NPOSIXTIMER, PID_INIT, SIGQUEUE_MAX } from "./param";
import { nextPid, proc } from "./proc";
import { sigBit, sigListHead } from "./signal";

@unmanaged export class SigQueue {
  next: i32;
  code: i32;
  value: i32;
  timer: i32;
  pid: i32;
  status: i32;
}

/** Entries in the pool, index 0 (none) included. */
export const SQ_POOL_ENTRIES: i32 = SIGQUEUE_MAX + NPOSIXTIMER + 1;

@unmanaged class PoolState {
  /** The lowest entry never handed out (entries from 1). */
  bump: i32;
  /** Freed entries, linked through `next` (0: none). */
  free: i32;
  used: i32;
}

const S = changetype<PoolState>(memory.data(offsetof<PoolState>(), 16));
const pool: usize = memory.data(SQ_POOL_ENTRIES * <i32>offsetof<SigQueue>(), 16);

@inline export function sq(i: i32): SigQueue {
  return changetype<SigQueue>(pool + <usize>i * offsetof<SigQueue>());
}

export function sqReset(): void {
  S.bump = 1;
  S.free = 0;
  S.used = 0;
}

/** A new entry holding (code, value, pid, status), or 0 when the pool is empty. */
export function sqAlloc(code: i32, value: i32, pid: i32 = 0, status: i32 = 0): i32 {
  let i = S.free;
  if (i != 0) S.free = sq(i).next;
  else if (S.bump < SQ_POOL_ENTRIES) i = S.bump++;
  else return 0;
  const e = sq(i);
  e.next = 0;
  e.code = code;
  e.value = value;
  e.timer = 0;
  e.pid = pid;
  e.status = status;
  S.used++;
  return i;
}

export function sqFree(i: i32): void {
  assert(i > 0 && S.used > 0, "sqFree: no such entry");
  sq(i).next = S.free;
  S.free = i;
  S.used--;
}

/** Entries ever handed out this run (below the bump index), for kernel/views.ts. */
export function sqLiveEntries(): i32 {
  return S.bump;
}

/** The pool's base and size, for kernel/views.ts. */
export function sqPoolBase(): usize {
  return pool;
}

/** Walk every process's lists: the entries in use are the ones they hold, and a list belongs
 * to a pending signal. Returns the pending instances counted against RLIMIT_SIGPENDING: a
 * standard signal other than SIGKILL counts one without entries, else its entries; a realtime
 * one its entries; a POSIX timer's own entry never (the timer counts instead). */
export function sqCheckAll(): i32 {
  let counted = 0;
  let held = 0;
  for (let pid = PID_INIT; pid < nextPid(); pid++) {
    const p = proc(pid);
    if (p.state == PROC_UNUSED || p.state == PROC_ZOMBIE) continue;
    for (let sig = 1; sig <= 64; sig++) {
      const pending = (p.sigPending & sigBit(sig)) != 0;
      const head = p.sigActions == 0 ? 0 : load<i32>(sigListHead(p, sig));
      assert(pending || head == 0, "sigqueue entries kept for a signal not pending");
      if (!pending || sig == SIGKILL) continue;
      let own = 0;
      for (let e = head; e != 0; e = sq(e).next) {
        held++;
        if (sq(e).timer == 0) own++;
      }
      counted += sig < 32 && head == 0 ? 1 : own;
    }
  }
  assert(S.used == held, "sigqueue: entries in use differ from the entries queued");
  return counted;
}
