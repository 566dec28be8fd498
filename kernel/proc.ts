// Processes: the process table, fork, exit, waitpid, orphans and init.
//
// Linux: kernel/fork.c (copy_process), kernel/exit.c (do_exit, forget_original_parent,
// do_wait, wait_task_zombie), kernel/pid.c (alloc_pid).
// Syscalls: fork, exit (exit_group), waitpid (wait4).
//
// Model: pid 1 is init, outside the trace: it adopts orphans and reaps every child of its own
// the moment it becomes a zombie (a real init in a fresh PID namespace does the same, a little
// later). pid 2 is the first traced process. A pid is its table slot and pids are never reused
// (a fresh PID namespace hands them out cyclically from 2 up to 4194304).
// Children are kept in fork order, so waitpid(-1) reaps the oldest zombie child first, as
// do_wait_thread() walks tsk->children.
//
// Process groups: every traced process is in group 2, which pid 2 leads (the host bridge makes
// pid 2 a group leader and setpgid is not a trace call), so waitpid(0) and waitpid(-2) name
// every child and waitpid(-N) for any other N names none. No threads.
//
// Invariants (procCheck): sibling lists are consistent and hold exactly the processes whose
// parent field names the list's owner; a zombie holds no descriptors and no memory; only
// BLOCKED processes are on a wait queue, only WOKEN ones on the woken list.

import {
  ECHILD, EAGAIN, EINVAL, ESRCH, EVENT_EXIT, KILLED, PROC_BLOCKED, PROC_IDLE,
  PROC_UNUSED, PROC_WOKEN, PROC_ZOMBIE, PROC_STOPPED, SIGCHLD, WCONTINUED, WNOHANG, WUNTRACED,
} from "./abi";
import { eventPush } from "./event";
import { fdCloseAll, fdTableCopy, fdTableInit, fdCheckProc } from "./file";
import { NPROC, PID_FIRST, PID_INIT } from "./param";
import { semExit } from "./semop";
import { shmExit } from "./shm";
import {
  SIGST_CONT_REPORT, SIGST_STOP_REPORT, sigForkCopy, sigInit, sigRelease, sigSend, sigchldAutoReap,
} from "./signal";
import { callAbort } from "./syscall";
import { vmCreate, vmFork, vmRelease } from "./vm";
import { sleepOn, unlinkWaiter, waitCheck, waitInit, wakeAll } from "./wait";

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
  /** Address space: page directory and first memory region. */
  pgdir: usize;
  vmaHead: i32;
  sigPending: u64;
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
  /** SIGCHLD races (sigdeliver.ts): the step whose SIGCHLD is pending or last ran its handler,
   * and how many more SIGCHLDs this step coalesced into the pending one. */
  chldStep: i32;
  chldRanStep: i32;
  chldExtra: i32;
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
// A call starts (and restarts) with every word CALL_NONE (-1): no description, no message, no
// sops held. The words mean nothing once the call is over (callStateReset again).

/** An overlay field that holds nothing. */
export const CALL_NONE: i32 = -1;
export const CALL_STATE_BYTES: usize = 24;

/** The continuation words of p's call, for its overlay: changetype<Overlay>(callState(p)). */
@inline export function callState(p: Proc): usize {
  return changetype<usize>(p) + offsetof<Proc>("callState0");
}

export function callStateReset(p: Proc): void {
  memory.fill(callState(p), 0xff, CALL_STATE_BYTES);
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

/** The i-th woken process in wake order (0-based), or 0. */
export function wokenAt(i: i32): i32 {
  let pid = S.wokenHead;
  while (pid != 0 && i > 0) {
    pid = proc(pid).wokenNext;
    i--;
  }
  return pid;
}

// ---- creation ----

function procAlloc(parent: i32): Proc | null {
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
  waitInit(childWaitQ(p));
  if (parent != 0) linkChild(proc(parent), p);
  S.live++;
  return p;
}

function linkChild(parent: Proc, c: Proc): void {
  c.parent = parent.pid;
  c.nextSibling = 0;
  c.prevSibling = parent.lastChild;
  if (parent.lastChild != 0) proc(parent.lastChild).nextSibling = c.pid;
  else parent.firstChild = c.pid;
  parent.lastChild = c.pid;
}

function unlinkChild(c: Proc): void {
  const parent = proc(c.parent);
  if (c.prevSibling != 0) proc(c.prevSibling).nextSibling = c.nextSibling;
  else parent.firstChild = c.nextSibling;
  if (c.nextSibling != 0) proc(c.nextSibling).prevSibling = c.prevSibling;
  else parent.lastChild = c.prevSibling;
  c.nextSibling = 0;
  c.prevSibling = 0;
}

/** Reset the table and create init (pid 1) and the first traced process (pid 2). */
export function procInit(): i32 {
  memory.fill(table, 0, <usize>NPROC * offsetof<Proc>());
  S.nextPid = PID_INIT;
  S.wokenHead = 0;
  S.wokenTail = 0;
  S.wokenCount = 0;
  S.live = 0;
  const init = procAlloc(0);
  if (init == null) return -EAGAIN;
  const first = procAlloc(PID_INIT);
  if (first == null) return -EAGAIN;
  assert(first.pid == PID_FIRST, "first traced process must be pid 2");
  sigInit(first);
  let r = vmCreate(first);
  if (r < 0) return r;
  return fdTableInit(first);
}

/** fork(): the child copies the descriptor table, the address space, the signal dispositions
 * and mask (kernel/fork.c copy_process); it starts idle, as if fork had returned 0. */
export function procFork(p: Proc): i32 {
  const c = procAlloc(p.pid);
  if (c == null) return -EAGAIN;
  sigForkCopy(p, c);
  let r = vmFork(p, c);
  if (r >= 0) r = fdTableCopy(p, c);
  if (r < 0) {
    // Undo: the child never ran, so it leaves no zombie and no event.
    fdCloseAll(c);
    vmRelease(c);
    sigRelease(c);
    unlinkChild(c);
    c.state = PROC_UNUSED;
    S.live--;
    return r;
  }
  return c.pid;
}

// ---- termination ----

/** The process ends with wait status `status` (do_exit): its descriptors close (waking pipe
 * peers), its memory goes, its children pass to init, and its parent is notified. */
export function procExit(p: Proc, status: i32): void {
  const inCall = p.state == PROC_BLOCKED || p.state == PROC_WOKEN;
  if (p.state == PROC_BLOCKED) unlinkWaiter(p);
  if (p.state == PROC_WOKEN) wokenRemove(p);
  if (inCall) callAbort(p);
  // Linux: kernel/exit.c:do_exit() runs exit_sem() (SEM_UNDO) before exit_files().
  semExit(p);
  fdCloseAll(p);
  // Linux: exit_mm() detaches every segment (lpid = p), then exit_shm() forgets p as creator.
  vmRelease(p);
  shmExit(p);
  sigRelease(p);
  reparentChildren(p);
  p.state = PROC_ZOMBIE;
  p.exitStatus = status;
  eventPush(EVENT_EXIT, p.pid, status, 0);
  notifyParent(p);
}

function reparentChildren(p: Proc): void {
  const init = proc(PID_INIT);
  while (p.firstChild != 0) {
    const c = proc(p.firstChild);
    unlinkChild(c);
    linkChild(init, c);
    if (c.state == PROC_ZOMBIE) procReap(c);
  }
}

function notifyParent(p: Proc): void {
  const parent = proc(p.parent);
  // Linux: do_notify_parent() still sends SIGCHLD under SA_NOCLDWAIT (not under SIG_IGN), and
  // the child is then released at once (autoreap).
  if (parent.pid != PID_INIT) sigSend(parent, SIGCHLD);
  if (parent.pid == PID_INIT || sigchldAutoReap(parent)) procReap(p);
  // Linux: __wake_up_parent() wakes every waitpid sleeper; each re-checks its children.
  wakeAll(childWaitQ(parent));
}

/** Release a zombie's slot (release_task). Its pid is never handed out again. */
function procReap(c: Proc): void {
  unlinkChild(c);
  c.state = PROC_UNUSED;
  S.live--;
}

/** Terminated by a signal's default action: the wait status is the signal number. */
export function procKill(p: Proc, sig: i32): i32 {
  procExit(p, sig);
  return KILLED;
}

// ---- waitpid ----

const WAIT_VALID: i32 = WNOHANG | WUNTRACED | WCONTINUED | 0x20000000 | 0x40000000 | 0x80000000;
const WCLONE: i32 = 0x80000000;
/** The process group of every traced process: pid 2's. */
export const PGID_TRACE: i32 = PID_FIRST;
const WALL: i32 = 0x40000000;

function waitMatches(c: Proc, target: i32, options: i32): bool {
  // Every traced child is a normal (SIGCHLD) child: __WCLONE alone selects none of them.
  if ((options & WCLONE) != 0 && (options & WALL) == 0) return false;
  if (target > 0) return c.pid == target;
  return target == -1 || target == 0 || target == -PGID_TRACE;
}

/** waitpid(target, status, options) (kernel/exit.c kernel_wait4, do_wait): the pid reported,
 * its wait status left at `status` for sys_waitpid to copy out; 0 (WNOHANG), BLOCKED, -errno. */
export function procWait(p: Proc, target: i32, options: i32, status: usize): i32 {
  if ((options & ~WAIT_VALID) != 0) return -EINVAL;
  // Linux: "-INT_MIN is not defined", kernel_wait4() refuses it before anything else.
  if (target == i32.MIN_VALUE) return -ESRCH;
  let eligible = false;
  for (let pid = p.firstChild; pid != 0; pid = proc(pid).nextSibling) {
    const c = proc(pid);
    if (!waitMatches(c, target, options)) continue;
    eligible = true;
    if (c.state == PROC_ZOMBIE) return reapForWait(c, status);
    const st = stopContStatus(c, options);
    if (st != 0) {
      store<i32>(status, st);
      return c.pid;
    }
  }
  if (!eligible) return -ECHILD;
  if ((options & WNOHANG) != 0) return 0;
  return sleepOn(p, childWaitQ(p), false);
}

/** wait_task_stopped / wait_task_continued: each stop and continue is reported once. */
function stopContStatus(c: Proc, options: i32): i32 {
  if ((options & WUNTRACED) != 0 && (c.sigState & SIGST_STOP_REPORT) != 0) {
    c.sigState &= ~SIGST_STOP_REPORT;
    return (c.stopSig << 8) | 0x7f;
  }
  if ((options & WCONTINUED) != 0 && (c.sigState & SIGST_CONT_REPORT) != 0) {
    c.sigState &= ~SIGST_CONT_REPORT;
    return 0xffff;
  }
  return 0;
}

function reapForWait(c: Proc, status: usize): i32 {
  const pid = c.pid;
  store<i32>(status, c.exitStatus);
  // Linux reaps first and reports EFAULT afterwards (kernel_wait4: put_user after do_wait).
  procReap(c);
  return pid;
}

// ---- invariants ----

export function procCheck(): void {
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
    if (p.state == PROC_ZOMBIE) assert(p.pgdir == 0, "zombie still holds memory");
    if (p.state != PROC_ZOMBIE && pid != PID_INIT) fdCheckProc(p);
    waitCheck(childWaitQ(p));
    assert(p.state != PROC_STOPPED || pid != PID_INIT, "init stopped");
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
