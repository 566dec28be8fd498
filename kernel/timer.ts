// The timer queue: every pending deadline of the system in one binary min-heap, ordered by
// (deadline, arm sequence), so the earliest is at the root (O(1) to read, O(log n) to arm,
// cancel or pop). Its records are of three kinds, named by a handle:
//   - a sleeper's deadline (one per process, in its entry: nanosleep, clock_nanosleep,
//     semtimedop; later every timed wait): the process sleeps on a wait queue as usual and
//     the deadline wakes it (itimer.ts timerExpire);
//   - a process's ITIMER_REAL (one per process, in its entry; alarm shares it);
//   - a POSIX timer (timer_create), a record of the pool below.
// This file is the data structure only; what an expiry does is itimer.ts's.
//
// Linux: kernel/time/hrtimer.c and lib/timerqueue.c (the per-CPU rbtree of hrtimers, leftmost
// cached). Timers with equal expiry are ordered by when they were queued (timerqueue_add puts
// an equal key to the right): here the arm sequence.
//
//   handle:  | index (pid, or pool entry) << 2 | kind (2 bits) |     (0: no timer)
//   Timer:   | deadline i64 | seq i64 | heap i32 | owner i32 |
//            (Proc.sleepDeadline.., Proc.realDeadline.., the head of each PosixTimer)
//   heap:    i32 handles; a record is queued iff heap[rec.heap] == its handle and rec.heap <
//            size (so nothing needs resetting: stale positions never match).
//
// Invariants (timerCheck): the heap property; each queued record's position names it.

import { NPOSIXTIMER, NPROC } from "./param";
import { Proc, proc } from "./proc";

export const TIMER_SLEEPER: i32 = 0;
export const TIMER_REAL: i32 = 1;
const TIMER_POSIX: i32 = 2;

/** The record every queued timer starts with (an overlay). */
@unmanaged class Timer {
  /** Monotonic ns. */
  deadline: i64;
  seq: i64;
  heap: i32;
  owner: i32;
}

/** A POSIX timer (struct k_itimer): its Timer, then its settings and signal state. */
@unmanaged export class PosixTimer extends Timer {
  /** it_interval, ns (0: one-shot). */
  interval: i64;
  /** it_overrun (-1 after a rearm), it_overrun_last (what timer_getoverrun returns). */
  overrun: i64;
  overrunLast: i64;
  /** it_signal_seq, and it_sigqueue_seq: the seq when its signal was last queued. */
  signalSeq: i32;
  sigqueueSeq: i32;
  /** The timer's id in its process, the clock id, sigev_notify, signo, si_value. */
  id: i32;
  clock: i32;
  notify: i32;
  signo: i32;
  value: i32;
  /** POSIX_TIMER_DISARMED / ARMED / REQUEUE_PENDING (it_status). */
  status: i32;
  /** The sigqueue entry of its queued signal (0: not queued: list_empty(&sigq.list)). */
  sigq: i32;
  /** On the ignored list (a periodic timer whose signal was ignored: posixtimer_sig_ignore). */
  ignored: i32;
  /** Its signal was periodic when queued (it_sig_periodic). */
  sigPeriodic: i32;
  /** The next timer of its process (0: none); in use (1) or on the free list (0). */
  next: i32;
  inUse: i32;
}

@unmanaged class QueueState {
  size: i32;
  seq: i64;
  /** The pool: lowest never handed out (from 1), the free list, entries in use. */
  bump: i32;
  free: i32;
  used: i32;
}

const TIMERS_MAX: i32 = 2 * NPROC + NPOSIXTIMER;
const Q = changetype<QueueState>(memory.data(offsetof<QueueState>(), 16));
const heap: usize = memory.data(TIMERS_MAX * 4, 16);
const pool: usize = memory.data((NPOSIXTIMER + 1) * <i32>offsetof<PosixTimer>(), 16);

export function timerInit(): void {
  Q.size = 0;
  Q.seq = 0;
  Q.bump = 1;
  Q.free = 0;
  Q.used = 0;
}

// ---- handles ----

@inline export function sleeperHandle(p: Proc): i32 { return (p.pid << 2) | TIMER_SLEEPER; }
@inline export function realHandle(p: Proc): i32 { return (p.pid << 2) | TIMER_REAL; }
@inline export function posixHandle(i: i32): i32 { return (i << 2) | TIMER_POSIX; }
@inline export function handleKind(h: i32): i32 { return h & 3; }
@inline export function handleIndex(h: i32): i32 { return h >> 2; }

function timerOf(h: i32): Timer {
  const i = h >> 2;
  const kind = h & 3;
  if (kind == TIMER_POSIX) return changetype<Timer>(posixAddr(i));
  const field = kind == TIMER_SLEEPER ? offsetof<Proc>("sleepDeadline") :
    offsetof<Proc>("realDeadline");
  return changetype<Timer>(changetype<usize>(proc(i)) + field);
}

@inline function posixAddr(i: i32): usize {
  return pool + <usize>i * offsetof<PosixTimer>();
}

export function posixTimer(i: i32): PosixTimer {
  return changetype<PosixTimer>(posixAddr(i));
}

// ---- the pool of POSIX timers ----

/** A zeroed POSIX timer entry (its signalSeq kept: a signal queued by the entry's previous
 * timer must not match), or 0 when the pool is empty. */
export function posixAlloc(): i32 {
  let i = Q.free;
  if (i != 0) Q.free = posixTimer(i).next;
  else if (Q.bump <= NPOSIXTIMER) {
    i = Q.bump++;
    posixTimer(i).signalSeq = 0;
  } else return 0;
  const t = posixTimer(i);
  const seq = t.signalSeq;
  memory.fill(posixAddr(i), 0, offsetof<PosixTimer>());
  t.signalSeq = seq;
  t.inUse = 1;
  Q.used++;
  return i;
}

export function posixFree(i: i32): void {
  const t = posixTimer(i);
  assert(t.inUse == 1 && !timerQueued(posixHandle(i)), "posixFree: timer in use");
  t.inUse = 0;
  t.signalSeq++;
  t.next = Q.free;
  Q.free = i;
  Q.used--;
}

export function posixUsed(): i32 {
  return Q.used;
}

/** The pool and the heap, for kernel/views.ts (their contents need no reset). */
export function timerPoolBase(): usize { return pool; }
export function timerHeapBase(): usize { return heap; }
export function timerHeapEntries(): i32 { return TIMERS_MAX; }
/** Pool entries ever handed out this run, and heap entries in use (kernel/views.ts). */
export function timerPoolLive(): i32 { return Q.bump; }
export function timerHeapLive(): i32 { return Q.size; }

// ---- the heap ----

@inline function at(i: i32): i32 {
  return load<i32>(heap + (<usize>i << 2));
}

@inline function put(i: i32, h: i32): void {
  store<i32>(heap + (<usize>i << 2), h);
  timerOf(h).heap = i;
}

/** a is due before b: earlier deadline, or the same one armed earlier. */
function before(a: i32, b: i32): bool {
  const ta = timerOf(a);
  const tb = timerOf(b);
  return ta.deadline < tb.deadline || (ta.deadline == tb.deadline && ta.seq < tb.seq);
}

export function timerQueued(h: i32): bool {
  const i = timerOf(h).heap;
  return i >= 0 && i < Q.size && at(i) == h;
}

function siftUp(i: i32): void {
  const h = at(i);
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(h, at(parent))) break;
    put(i, at(parent));
    i = parent;
  }
  put(i, h);
}

function siftDown(i: i32): void {
  const h = at(i);
  while (true) {
    const l = 2 * i + 1;
    if (l >= Q.size) break;
    const r = l + 1;
    const c = r < Q.size && before(at(r), at(l)) ? r : l;
    if (!before(at(c), h)) break;
    put(i, at(c));
    i = c;
  }
  put(i, h);
}

/** Queue timer h to expire at `deadline` (moving it if it was queued: hrtimer_start). */
export function timerArm(h: i32, owner: i32, deadline: i64): void {
  timerCancel(h);
  assert(Q.size < TIMERS_MAX, "timer heap full");
  const t = timerOf(h);
  t.deadline = deadline;
  t.seq = Q.seq++;
  t.owner = owner;
  store<i32>(heap + (<usize>Q.size << 2), h);
  t.heap = Q.size++;
  siftUp(t.heap);
}

/** Take timer h off the queue if it is on it (hrtimer_try_to_cancel). */
export function timerCancel(h: i32): void {
  if (!timerQueued(h)) return;
  const i = timerOf(h).heap;
  timerOf(h).heap = -1;
  const last = at(--Q.size);
  if (i == Q.size) return;
  put(i, last);
  if (i > 0 && before(last, at((i - 1) >> 1))) siftUp(i);
  else siftDown(i);
}

/** The earliest deadline queued, or -1. */
export function timerNext(): i64 {
  return Q.size == 0 ? -1 : timerOf(at(0)).deadline;
}

/** Take the earliest timer off the queue if its deadline is `t` or earlier: its handle, or 0. */
export function timerPopDue(t: i64): i32 {
  if (Q.size == 0) return 0;
  const h = at(0);
  if (timerOf(h).deadline > t) return 0;
  timerCancel(h);
  return h;
}

/** Timers due at one deadline that timerTies reports, at most (a tie of more fires the rest in
 * arm order: each is still fired, only the choice of who goes first is bounded). */
const TIES_MAX: i32 = 16;
const ties: usize = memory.data(TIES_MAX << 2, 4);
/** The walk's stack of heap indices: each tie found pushes its two children. */
const tieStack: usize = memory.data((2 * TIES_MAX + 2) << 2, 4);

/** The timers queued at the earliest deadline, in arm order: how many (at most TIES_MAX);
 * `timerTieAt(k)` is the k-th. Only the top of the heap holds them: a node is walked only
 * when its deadline is the root's. */
export function timerTies(): i32 {
  if (Q.size == 0) return 0;
  const t = timerOf(at(0)).deadline;
  let n = 0;
  store<i32>(tieStack, 0);
  let top = 1;
  while (top > 0 && n < TIES_MAX) {
    top--;
    const i = load<i32>(tieStack + (<usize>top << 2));
    if (i >= Q.size || timerOf(at(i)).deadline != t) continue;
    n = tieInsert(n, at(i));
    store<i32>(tieStack + (<usize>top << 2), 2 * i + 1);
    store<i32>(tieStack + (<usize>(top + 1) << 2), 2 * i + 2);
    top += 2;
  }
  return n;
}

/** Insert h into the first n ties by arm order: the new count. */
function tieInsert(n: i32, h: i32): i32 {
  let k = n;
  while (k > 0 && timerOf(load<i32>(ties + (<usize>(k - 1) << 2))).seq > timerOf(h).seq) {
    store<i32>(ties + (<usize>k << 2), load<i32>(ties + (<usize>(k - 1) << 2)));
    k--;
  }
  store<i32>(ties + (<usize>k << 2), h);
  return n + 1;
}

/** The k-th timer timerTies found. */
export function timerTieAt(k: i32): i32 {
  return load<i32>(ties + (<usize>k << 2));
}

export function timerCheck(): void {
  assert(Q.size >= 0 && Q.size <= TIMERS_MAX, "timer heap size out of range");
  for (let i = 0; i < Q.size; i++) {
    const h = at(i);
    assert(timerOf(h).heap == i, "a queued timer names another heap slot");
    if (i > 0) assert(!before(h, at((i - 1) >> 1)), "timer heap out of order");
  }
}
