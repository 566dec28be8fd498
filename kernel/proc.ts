// The process table: struct task_struct as the kernel keeps it (Proc), the table indexed by
// pid, the child lists, and the woken list of processes that must retry their call. Every
// layer reads it (it is include/linux/sched.h's place); the life cycle that changes it (fork,
// exit, waitpid) is in fork.ts and exit.ts.
//
// Linux: include/linux/sched.h (task_struct), include/linux/sched/signal.h (signal_pending),
// kernel/pid.c (alloc_pid).
//
// A pid is its table slot and pids are never reused (a fresh PID namespace hands them out
// cyclically from 2 up to pid_max - 1, 32767: param.ts NPROC). Children are kept in fork
// order, so waitpid(-1) reaps the oldest zombie child first, as do_wait_thread() walks
// tsk->children.
//
// Invariants (procTableCheck, run by exit.ts procCheck): sibling lists are consistent and hold
// exactly the processes whose parent field names the list's owner; only BLOCKED processes are
// on a wait queue, only WOKEN ones on the woken list.

import { PROC_BLOCKED, PROC_IDLE, PROC_UNUSED, PROC_WOKEN } from "./abi";
import { NPROC, PID_FIRST } from "./param";

@unmanaged export class Proc {
  state: i32;
  pid: i32;
  parent: i32;
  /** Wait status once a zombie (exited: code << 8; killed: signal number). */
  exitStatus: i32;
  firstChild: i32;
  lastChild: i32;
  nextSibling: i32;
  prevSibling: i32;
  /** The wait queue this process sleeps on (its address), and its links there. */
  waitQ: usize;
  waitNext: i32;
  waitPrev: i32;
  waitExclusive: i32;
  wokenNext: i32;
  wokenPrev: i32;
  /** The call in progress and its arguments as the engine passed them (the saved registers),
   * so that a woken process can retry it. Nothing else is stored in a0..a5. */
  callNr: i32;
  a0: i32;
  a1: i32;
  a2: i32;
  a3: i32;
  a4: i32;
  a5: i32;
  /** The call was woken from a sleep at least once (Linux's wake_next_reader/writer; a woken
   * FIFO open or msgsnd resumes its wait instead of starting over). */
  woke: i32;
  /** What a blocking call keeps across its sleep: CALL_STATE_BYTES from callState0, read and
   * written only through that call's overlay (callState(p), below). */
  callState0: u64;
  callState1: u64;
  callState2: u64;
  /** waitpid sleepers of this process (signal->wait_chldexit). */
  childWaitHead: i32;
  childWaitTail: i32;
  /** Address space: page directory, lowest memory region, root of the regions' treap and
   * their count (Linux's mm->map_count), all kept by vma.ts. */
  pgdir: usize;
  vmaHead: i32;
  vmaRoot: i32;
  mapCount: i32;
  /** Virtual page numbers [pageFirst, pageEnd) cover every present PTE and every page table
   * (the pages it maps) of this process (vm.ts): fork and exit walk only these. */
  pageFirst: i32;
  pageEnd: i32;
  sigPending: u64;
  /** Pending signals sent to the thread itself (signal.ts: a fault, a pipe's SIGPIPE, raise):
   * dequeued before the others, as Linux takes t->pending before shared_pending. */
  sigPrivate: u64;
  sigBlocked: u64;
  /** Page of signal dispositions, 0 while every signal has its default. */
  sigActions: usize;
  /** Signals (signal.ts, sigdeliver.ts): the mask sigsuspend restores, SIGST_* bits, the
   * signal that stopped the process, the return its call had when it stopped, handler frames
   * set up and not yet run. */
  sigSaved: u64;
  sigState: i32;
  stopSig: i32;
  sigRet: i32;
  sigFrames: i32;
  /** `calls` handlers running (open frames, sigframe.ts) and the page of the calls their
   * frames interrupted (0 until the first opens). */
  sigOpen: i32;
  sigCalls: usize;
  /** The sigaltstack setting and each frame's saved one (sigaltstack.ts): 0 while it is the
   * default (disabled). */
  sigAltstack: usize;
  /** SIGCHLD races (sigdeliver.ts): the step whose SIGCHLD is pending or last ran its handler,
   * and how many more SIGCHLDs this step coalesced into the pending one. */
  chldStep: i32;
  chldRanStep: i32;
  chldExtra: i32;
  /** Virtual time (timer.ts): the deadline this process sleeps until and its ITIMER_REAL,
   * each a Timer record in the one timer queue (| deadline i64 | seq i64 | heap i32 |
   * owner i32 |, read through timer.ts's overlay). */
  sleepDeadline: i64;
  sleepSeq: i64;
  sleepHeap: i32;
  sleepOwner: i32;
  realDeadline: i64;
  realSeq: i64;
  realHeap: i32;
  realOwner: i32;
  /** ITIMER_REAL's interval (signal->it_real_incr), ns; ITIMER_VIRTUAL's and ITIMER_PROF's
   * expiry (in CPU time, which the model never advances) and interval (signal->it[]). */
  realIncr: i64;
  virtExpires: i64;
  virtIncr: i64;
  profExpires: i64;
  profIncr: i64;
  /** restart_block: the absolute deadline an interrupted relative sleep goes on to when it is
   * restarted after a stop (hrtimer_nanosleep_restart); valid while restartArmed is 1. */
  restartDeadline: i64;
  restartArmed: i32;
  /** The sleeper's deadline passed (itimer.ts wakes it): its retry ends the call. */
  timedOut: i32;
  /** POSIX timers (timer.ts pool): the first of this process's (0: none), the next id. */
  posixHead: i32;
  posixNextId: i32;
  /** fs_struct (namei.ts): the working directory (an inode holding a reference for it) and
   * the umask, both inherited at fork. */
  cwd: i32;
  umask: i32;
  /** A poller's poll table entries (pollwait.ts): the first's index + 1, 0 for none. */
  pollHead: i32;
}

@unmanaged class ProcState {
  nextPid: i32;
  wokenHead: i32;
  wokenTail: i32;
  wokenCount: i32;
  live: i32;
}

const S = changetype<ProcState>(memory.data(offsetof<ProcState>(), 16));
const table: usize = memory.data(NPROC * offsetof<Proc>(), 16);

@inline export function proc(pid: i32): Proc {
  return changetype<Proc>(table + <usize>pid * offsetof<Proc>());
}

// ---- per-call continuation state ----
//
// Each blocking call names what it keeps across a sleep in an @unmanaged overlay on the same
// CALL_STATE_BYTES of its process entry, next to the mechanism that owns it:
//   write to a pipe    PipeWriteWait | moved i32 |                                  (pipe.ts)
//   open of a FIFO     FifoOpenWait  | desc i32 | counter i32 |                     (fifo.ts)
//   msgsnd             MsgsndWait    | msg i32 |                                    (msg.ts)
//   msgrcv             MsgrcvWait    | buf u32 | bufsz i32 | msgtyp i64 | flg i32 |  (msg.ts)
//   semop, semtimedop  SemopWait     | nsops i32 | semid i32 | sops usize | blocking i32 |
//                                    | undo i32 |                                   (sem.ts)
//   nanosleep,         NanosleepWait | cpu i32 |                                    (sys_time.ts)
//   clock_nanosleep
// A call starts (and restarts) with every word CALL_NONE (-1): no description, no message, no
// sops held. The words mean nothing once the call is over (callStateReset again).

/** An overlay field that holds nothing. */
export const CALL_NONE: i32 = -1;
export const CALL_STATE_BYTES: usize = 24;

/** The continuation words of p's call, for its overlay: changetype<Overlay>(callState(p)). */
@inline export function callState(p: Proc): usize {
  return changetype<usize>(p) + offsetof<Proc>("callState0");
}

/** Every word CALL_NONE (three stores: this runs on every call's start and end). */
export function callStateReset(p: Proc): void {
  p.callState0 = -1;
  p.callState1 = -1;
  p.callState2 = -1;
}

export function validPid(pid: i32): bool {
  return pid > 0 && pid < NPROC && proc(pid).state != PROC_UNUSED;
}

export function childWaitQ(p: Proc): usize {
  return changetype<usize>(p) + offsetof<Proc>("childWaitHead");
}

export function nextPid(): i32 {
  return S.nextPid;
}

// ---- the woken list (processes that must retry their call) ----

export function wokenPush(p: Proc): void {
  p.wokenNext = 0;
  p.wokenPrev = S.wokenTail;
  if (S.wokenTail != 0) proc(S.wokenTail).wokenNext = p.pid;
  else S.wokenHead = p.pid;
  S.wokenTail = p.pid;
  S.wokenCount++;
}

export function wokenRemove(p: Proc): void {
  if (p.wokenPrev != 0) proc(p.wokenPrev).wokenNext = p.wokenNext;
  else S.wokenHead = p.wokenNext;
  if (p.wokenNext != 0) proc(p.wokenNext).wokenPrev = p.wokenPrev;
  else S.wokenTail = p.wokenPrev;
  p.wokenNext = 0;
  p.wokenPrev = 0;
  S.wokenCount--;
}

export function wokenCount(): i32 {
  return S.wokenCount;
}

/** The woken process after pid in wake order (pid 0: the first one), or 0 at the end. A walk
 * with it is linear; wokenAt(i) in a loop is quadratic (a kill to 1,000 blocked processes with
 * a handler took 35 s when the list was walked that way at every retry). */
export function wokenAfter(pid: i32): i32 {
  return pid == 0 ? S.wokenHead : proc(pid).wokenNext;
}

/** The i-th woken process in wake order (0-based), or 0. */
export function wokenAt(i: i32): i32 {
  let pid = S.wokenHead;
  while (pid != 0 && i > 0) {
    pid = proc(pid).wokenNext;
    i--;
  }
  return pid;
}

// ---- slots and child lists ----

/** Take the next pid's slot for a child of `parent` (0 for init): an idle, zeroed entry on its
 * parent's child list, or null when the table is full. */
export function procSlotTake(parent: i32): Proc | null {
  const pid = S.nextPid;
  if (pid >= NPROC) return null;
  S.nextPid++;
  const p = proc(pid);
  memory.fill(changetype<usize>(p), 0, offsetof<Proc>());
  p.pid = pid;
  p.parent = parent;
  p.state = PROC_IDLE;
  p.callNr = -1;
  callStateReset(p);
  if (parent != 0) linkChild(proc(parent), p);
  S.live++;
  return p;
}

/** Release a slot: off its parent's list, unused. Its pid is never handed out again. */
export function procSlotFree(c: Proc): void {
  unlinkChild(c);
  c.state = PROC_UNUSED;
  S.live--;
}

export function linkChild(parent: Proc, c: Proc): void {
  c.parent = parent.pid;
  c.nextSibling = 0;
  c.prevSibling = parent.lastChild;
  if (parent.lastChild != 0) proc(parent.lastChild).nextSibling = c.pid;
  else parent.firstChild = c.pid;
  parent.lastChild = c.pid;
}

export function unlinkChild(c: Proc): void {
  const parent = proc(c.parent);
  if (c.prevSibling != 0) proc(c.prevSibling).nextSibling = c.nextSibling;
  else parent.firstChild = c.nextSibling;
  if (c.nextSibling != 0) proc(c.nextSibling).prevSibling = c.prevSibling;
  else parent.lastChild = c.prevSibling;
  c.nextSibling = 0;
  c.prevSibling = 0;
}

/** An empty table; the next pid is `first`. */
export function procTableInit(first: i32): void {
  memory.fill(table, 0, <usize>NPROC * offsetof<Proc>());
  S.nextPid = first;
  S.wokenHead = 0;
  S.wokenTail = 0;
  S.wokenCount = 0;
  S.live = 0;
}

/** The process group of every traced process: pid 2's (see exit.ts). */
export const PGID_TRACE: i32 = PID_FIRST;

/** signal_pending (TIF_SIGPENDING): a signal is pending and not blocked. */
@inline export function sigPendingNow(p: Proc): bool {
  return (p.sigPending & ~p.sigBlocked) != 0;
}

// ---- invariants ----

/** The table's own invariants; `each` checks what other layers keep per live process. */
export function procTableCheck(each: (p: Proc) => void): void {
  let live = 0;
  let wokenSeen = 0;
  for (let pid = 1; pid < S.nextPid; pid++) {
    const p = proc(pid);
    if (p.state == PROC_UNUSED) continue;
    live++;
    assert(p.pid == pid, "process entry names another pid");
    checkChildren(p);
    if (p.state == PROC_BLOCKED) assert(p.waitQ != 0, "blocked process on no wait queue");
    else assert(p.waitQ == 0, "non-blocked process on a wait queue");
    if (p.state == PROC_WOKEN) wokenSeen++;
    each(p);
  }
  assert(live == S.live, "live process count drifted");
  assert(wokenSeen == S.wokenCount, "woken list and WOKEN states disagree");
  let n = 0;
  for (let pid = S.wokenHead; pid != 0; pid = proc(pid).wokenNext) {
    assert(proc(pid).state == PROC_WOKEN, "non-woken process on the woken list");
    n++;
  }
  assert(n == S.wokenCount, "woken list length drifted");
}

function checkChildren(p: Proc): void {
  let prev = 0;
  for (let pid = p.firstChild; pid != 0; pid = proc(pid).nextSibling) {
    const c = proc(pid);
    assert(c.state != PROC_UNUSED, "reaped process still on a child list");
    assert(c.parent == p.pid, "child list holds another's child");
    assert(c.prevSibling == prev, "child list back link broken");
    prev = pid;
  }
  assert(p.lastChild == prev, "child list tail is not the last child");
}
