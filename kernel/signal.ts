// Signals: dispositions, the blocked mask, the pending set and generation (kill, and the
// kernel's own SIGPIPE, SIGCHLD, SIGSEGV). Delivery is in sigdeliver.ts.
// Syscalls (sys_signal.ts): kill, rt_sigaction, rt_sigprocmask, rt_sigpending (pause and
// rt_sigsuspend are in sigdeliver.ts).
//
// Linux: kernel/signal.c (kill_something_info, __kill_pgrp_info, send_signal_locked,
// prepare_signal, sig_ignored, complete_signal, collect_signal, do_sigaction, sigprocmask,
// do_sigpending), include/linux/signal.h (SIG_KERNEL_*_MASK: default actions).
//
// Generation, as send_signal_locked: prepare_signal (a stop signal discards a pending SIGCONT;
// SIGCONT discards pending stop signals and continues a stopped process, whatever its
// disposition), then the signal is dropped if ignored and not blocked (SIG_IGN, or SIG_DFL
// with a default of ignore, or SIG_DFL in init), then queued: a standard signal (1..31) is a
// pending bit and coalesces; a realtime one (32..64) queues one entry per kill up to
// SIGQUEUE_MAX entries system-wide (every traced process is root: one RLIMIT_SIGPENDING), and
// past it sets the bit only (kill's SI_USER never fails). Then complete_signal: a fatal signal
// (SIG_DFL, terminate without core, not blocked) kills at once, any other unblocked one wakes
// the target: an idle target runs its handlers now, a sleeping one is interrupted
// (sigdeliver.ts), a stopped one leaves it pending (only SIGKILL and SIGCONT act on it).
//
// Memory: a page per process, allocated on first need (0: every disposition SIG_DFL, no
// realtime entries queued, no handler frame):
//   0            SigAction, signal 0..64:          | handler i32 | flags i32 | mask u64 |
//   RT_QUEUES    realtime queues, signal 32..64:   | head i32 | tail i32 |  (sigqueue.ts entries)
//   STD_INFO     standard signal 0..31:            | entry i32 |  (the first of its entries,
//                0: one instance, SI_USER)
//   FRAMES_BASE  handler frames (sigdeliver.ts), up to the page's end, SIG_FRAMES_MAX of
//                SigFrame:                | sig i8 | flags i8 | code i16 | value i32 | saved u64 |
//
// Every realtime instance has an entry (its siginfo: kill's SI_USER, sigqueue's SI_QUEUE and
// value), queued in order; a standard signal has one only when its siginfo is not SI_USER
// (sigqueue's, ITIMER_REAL's SI_KERNEL). Delivery puts the siginfo in the handler's frame, and
// the handler's `signal` event reports its code and value.
// A POSIX timer's signal is the timer's own entry, which itimer.ts queues even behind a pending
// standard signal (so a standard signal may have several entries); S.queued counts each live
// timer instead of its entry. Flushed, a periodic timer's entry parks the timer
// (posixtimer_sig_ignore); a sigaction that stops ignoring requeues it (timersUnignore).
//
// Every instance's siginfo (si_code, si_pid, si_status, si_value) is kept in its entry
// (siginfo.ts says who the sender is); si_uid is always 0 (every traced process is root).
// Differences: no threads; no sigaltstack.
//
// Invariants (sigCheck): SIGKILL and SIGSTOP are never blocked nor caught; a standard signal is
// pending at most once (a bit); a realtime signal with queued entries has its bit set; the
// system-wide count of queued entries equals the entries of every process.

import {
  EAGAIN, EINVAL, ENOMEM, SI_USER, HANDLER_SIG_DFL, HANDLER_SIG_IGN,
  HANDLER_calls, HANDLER_catch, PROC_BLOCKED, SYS_sigtimedwait,
  PROC_IDLE, PROC_STOPPED, PROC_UNUSED, PROC_ZOMBIE, SIGABRT, SIGBUS, SIGCHLD, SIGCONT, SIGFPE,
  SIGILL, SIGKILL, SIGQUIT, SIGSEGV, SIGSTOP, SIGSYS, SIGTRAP, SIGTSTP, SIGTTIN, SIGTTOU, SIGURG,
  SIGWINCH, SIGXCPU, SIGXFSZ, SIG_BLOCK, SIG_FRAMES_MAX, SIG_SETMASK, SIG_UNBLOCK, SA_NOCLDWAIT,
} from "./abi";
import { pageAllocRaw, pagePut } from "./mem";
import { sq, sqAlloc, sqCheckAll, sqFree, sqReset } from "./sigqueue";
import { PAGE_SIZE, PID_INIT, SIGQUEUE_MAX } from "./param";
import { timersUnignore } from "./itimer";
import { posixTimer, posixUsed } from "./timer";
import { Proc, proc } from "./proc";
import { doomSig, sigDoom, sigWake } from "./sigdeliver";
import { signalfdNotify } from "./signalfd";
import {
  from, sigCurrent, sigFromReset, sigResumeAs, sigSendCldstop, sigSendFrom,
} from "./siginfo";
import {
  SigFrame, chldFrameCoalesces, sigframeCheck, sigframeInit, sigframeRelease,
} from "./sigframe";

const ACT_TERM: i32 = 1;
const ACT_CORE: i32 = 2;
export const ACT_IGN: i32 = 3;
export const ACT_STOP: i32 = 4;
export const ACT_CONT: i32 = 5;

/** The first realtime signal of the kernel (glibc's SIGRTMIN is 34: it keeps 32 and 33). */
const SIGRT_FIRST: i32 = 32;
const SIG_MAX: i32 = 64;

/** struct k_sigaction, as far as the model keeps it. */
@unmanaged class SigAction {
  handler: i32;
  flags: i32;
  mask: u64;
}

/** The siginfo a delivery collected (SI_USER and 0 without an entry) and its POSIX timer (0:
 * none; -1: the entry of a timer deleted or set again since, which delivery drops). */
@unmanaged class SigInfo {
  code: i32;
  value: i32;
  timer: i32;
  pid: i32;
  status: i32;
}

export const collected = changetype<SigInfo>(memory.data(offsetof<SigInfo>(), 8));

const RT_QUEUES: usize = <usize>(SIG_MAX + 1) * offsetof<SigAction>();
const RT_QUEUE_BYTES: usize = 8;
const STD_INFO: usize = RT_QUEUES + <usize>(SIG_MAX - SIGRT_FIRST + 1) * RT_QUEUE_BYTES;
/** The frames fill the page from here (the counts end at 1300): SIG_FRAMES_MAX of them. */
export const FRAMES_BASE: usize = 1536;

/** SIGKILL and SIGSTOP: never blocked, caught or ignored (sigprocmask drops them silently). */
export const SIG_UNBLOCKABLE: u64 = (<u64>1 << <u64>(SIGKILL - 1)) | (<u64>1 << <u64>(SIGSTOP - 1));
/** SIGSTOP SIGTSTP SIGTTIN SIGTTOU (SIG_KERNEL_STOP_MASK). */
const SIG_STOP_MASK: u64 = (<u64>1 << <u64>(SIGSTOP - 1)) | (<u64>1 << <u64>(SIGTSTP - 1)) |
  (<u64>1 << <u64>(SIGTTIN - 1)) | (<u64>1 << <u64>(SIGTTOU - 1));
const SIG_CONT_BIT: u64 = <u64>1 << <u64>(SIGCONT - 1);

@unmanaged class SigState {
  /** Pending entries (sigqueue) of every process: the root user's RLIMIT_SIGPENDING count. */
  queued: i32;
  /** Trace steps started (k_syscall), for the SIGCHLD races of sigdeliver.ts. */
  step: i32;
}

const S = changetype<SigState>(memory.data(offsetof<SigState>(), 16));

export function sigReset(): void {
  assert(STD_INFO + <usize>SIGRT_FIRST * sizeof<i32>() <= FRAMES_BASE, "signal page overlaps");
  const framesEnd = FRAMES_BASE + <usize>SIG_FRAMES_MAX * offsetof<SigFrame>();
  assert(framesEnd <= <usize>PAGE_SIZE, "signal frames overflow the page");
  S.queued = 0;
  S.step = 0;
  sigFromReset();
  sqReset();
}

/** A trace step starts (callStart). */
export function sigStepBegin(): void {
  S.step++;
}

export function sigStep(): i32 {
  return S.step;
}

/** signal(7) default actions: core for QUIT ILL TRAP ABRT BUS FPE SEGV XCPU XFSZ SYS; ignore
 * for CHLD URG WINCH; stop for STOP TSTP TTIN TTOU; continue for CONT; terminate otherwise
 * (realtime signals included). */
export function defaultAction(sig: i32): i32 {
  if (sig == SIGQUIT || sig == SIGILL || sig == SIGTRAP || sig == SIGABRT || sig == SIGBUS) {
    return ACT_CORE;
  }
  if (sig == SIGFPE || sig == SIGSEGV || sig == SIGXCPU || sig == SIGXFSZ || sig == SIGSYS) {
    return ACT_CORE;
  }
  if (sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH) return ACT_IGN;
  if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) return ACT_STOP;
  if (sig == SIGCONT) return ACT_CONT;
  return ACT_TERM;
}

@inline export function sigBit(sig: i32): u64 {
  return <u64>1 << <u64>(sig - 1);
}

export function sigInit(p: Proc): void {
  p.sigPending = 0;
  p.sigPrivate = 0;
  p.sigBlocked = 0;
  p.sigActions = 0;
  p.sigSaved = 0;
  p.sigState = 0;
  p.stopSig = 0;
  p.sigRet = 0;
  p.sigFrames = 0;
  sigframeInit(p);
}

@inline function entry(p: Proc, sig: i32): SigAction {
  return changetype<SigAction>(p.sigActions + <usize>sig * offsetof<SigAction>());
}

export function sigHandler(p: Proc, sig: i32): i32 {
  return p.sigActions == 0 ? HANDLER_SIG_DFL : entry(p, sig).handler;
}

export function sigFlags(p: Proc, sig: i32): i32 {
  return p.sigActions == 0 ? 0 : entry(p, sig).flags;
}

export function sigMask(p: Proc, sig: i32): u64 {
  return p.sigActions == 0 ? 0 : entry(p, sig).mask;
}

/** SA_RESETHAND (SA_ONESHOT): the handler goes back to SIG_DFL as the signal is delivered. */
export function sigResetHandler(p: Proc, sig: i32): void {
  entry(p, sig).handler = HANDLER_SIG_DFL;
}

/** The dispositions page of p, allocated (all SIG_DFL) on first use; 0 when out of memory. */
export function sigActionsPage(p: Proc): usize {
  if (p.sigActions == 0) {
    const page = pageAllocRaw();
    if (page == 0) return 0;
    memory.fill(page, 0, PAGE_SIZE);
    p.sigActions = page;
  }
  return p.sigActions;
}

/** fork copies dispositions and the mask; the child's pending set starts empty
 * (kernel/fork.c copy_process: init_sigpending, copy_sighand). */
export function sigForkCopy(p: Proc, c: Proc): void {
  sigInit(c);
  c.sigBlocked = p.sigBlocked;
  if (p.sigActions == 0 || sigActionsPage(c) == 0) return;
  memory.copy(c.sigActions, p.sigActions, RT_QUEUES);
}

/** The process is gone: its pending entries are freed (flush_sigqueue) and its page too. */
export function sigRelease(p: Proc): void {
  let pending = p.sigPending;
  while (pending != 0) {
    const sig = <i32>ctz(pending) + 1;
    pending &= pending - 1;
    sigFlush(p, sig);
  }
  if (p.sigActions != 0) pagePut(p.sigActions);
  p.sigActions = 0;
  p.sigFrames = 0;
  sigframeRelease(p);
}

// ---- the pending set ----

// Realtime queue of sig: head and tail entries (0: empty).
@inline function rtHead(p: Proc, sig: i32): usize {
  return p.sigActions + RT_QUEUES + <usize>(sig - SIGRT_FIRST) * RT_QUEUE_BYTES;
}

/** The sigqueue entry of standard sig's pending instance (0: none, SI_USER). */
@inline function stdInfo(p: Proc, sig: i32): usize {
  return p.sigActions + STD_INFO + <usize>sig * sizeof<i32>();
}

/** Where sig's list of entries starts (a realtime queue's head, then its tail 4 bytes on; a
 * standard signal's first entry), for a process with a signal page. */
export function sigListHead(p: Proc, sig: i32): usize {
  return sig >= SIGRT_FIRST ? rtHead(p, sig) : stdInfo(p, sig);
}

/** Queue one instance (send_signal_locked after the ignore check): 0, or -EAGAIN when a
 * realtime sigqueue finds RLIMIT_SIGPENDING reached (kill's SI_USER then sets the bit only). */
function enqueue(p: Proc, sig: i32, code: i32, value: i32, pid: i32, status: i32): i32 {
  const bit = sigBit(sig);
  if (sig == SIGCHLD && chldRace(p)) return 0;
  if (sig < SIGRT_FIRST) {
    // Linux: legacy_queue(): a standard signal already pending is dropped (the sender gets 0,
    // and the first instance's siginfo stays).
    if ((p.sigPending & bit) != 0) return 0;
    p.sigPending |= bit;
    if (sig == SIGKILL) return 0; // SIGKILL goes straight to out_set, without a sigqueue
    // A process with every disposition SIG_DFL (no signal page) and the signal unblocked takes
    // the default action: nothing reads this siginfo, and no page is allocated to keep it
    // (16,000 victims of one kill would each take one).
    const unread = p.sigActions == 0 && (p.sigBlocked & bit) == 0 && p.callNr != SYS_sigtimedwait;
    if (!unread && S.queued < SIGQUEUE_MAX && sigActionsPage(p) != 0) {
      store<i32>(stdInfo(p, sig), sqAlloc(code, value, pid, status));
    }
    S.queued++;
    return 0;
  }
  if (S.queued < SIGQUEUE_MAX && sigActionsPage(p) != 0) {
    const e = sqAlloc(code, value, pid, status);
    assert(e != 0, "sigqueue pool smaller than RLIMIT_SIGPENDING");
    const q = rtHead(p, sig);
    const tail = load<i32>(q, 4);
    if (tail == 0) store<i32>(q, e);
    else sq(tail).next = e;
    store<i32>(q, e, 4);
    S.queued++;
  } else if (code != SI_USER) {
    return -EAGAIN;
  }
  p.sigPending |= bit;
  return 0;
}

/** SIGCHLD comes from other processes (a child's exit, stop, continue), which run alongside
 * the parent on Linux. Two of them in one step may coalesce (the parent had not dequeued the
 * first yet) or not (its handler ran in between): a caught, unblocked SIGCHLD that coalesces
 * with one of the same step counts as a possible extra handler run (sigdeliver.ts); true when
 * it coalesced with a `calls` handler's (sigframe.ts chldFrameCoalesces): dropped. */
function chldRace(p: Proc): bool {
  if ((p.sigPending & sigBit(SIGCHLD)) == 0) {
    p.chldStep = S.step;
    p.chldExtra = 0;
    return chldFrameCoalesces(p);
  }
  const caught = sigHandler(p, SIGCHLD) >= HANDLER_catch;
  if (caught && p.chldStep == S.step && (p.sigBlocked & sigBit(SIGCHLD)) == 0) p.chldExtra++;
  return false;
}

/** Take one instance of a pending sig (collect_signal), its siginfo left in `collected`: a
 * realtime signal keeps its bit while entries remain. */
export function sigCollect(p: Proc, sig: i32): void {
  collected.code = SI_USER;
  collected.value = 0;
  collected.timer = 0;
  collected.pid = 0;
  collected.status = 0;
  if (sig >= SIGRT_FIRST) {
    const q: usize = p.sigActions == 0 ? 0 : rtHead(p, sig);
    const e = q == 0 ? 0 : load<i32>(q);
    if (e != 0) {
      takeInfo(e);
      const next = sq(e).next;
      store<i32>(q, next);
      if (next == 0) store<i32>(q, 0, 4);
      entryFree(e);
      if (next != 0) return;
    }
  } else if (sig != SIGKILL) {
    const e = p.sigActions == 0 ? 0 : load<i32>(stdInfo(p, sig));
    if (e == 0) {
      S.queued--; // the one instance, SI_USER
    } else {
      takeInfo(e);
      const next = sq(e).next;
      store<i32>(stdInfo(p, sig), next);
      entryFree(e);
      if (next != 0) return;
    }
  }
  p.sigPending &= ~sigBit(sig);
  p.sigPrivate &= ~sigBit(sig);
}

function takeInfo(e: i32): void {
  collected.code = sq(e).code;
  collected.value = sq(e).value;
  collected.pid = sq(e).pid;
  collected.status = sq(e).status;
  collected.timer = 0;
  const i = sq(e).timer;
  if (i == 0) return;
  const t = posixTimer(i);
  if (t.inUse != 0 && t.sigq == e) {
    t.sigq = 0;
    collected.timer = i;
  } else {
    collected.timer = -1;
  }
}

/** Free a dequeued or flushed entry: a timer's own does not count in S.queued. */
function entryFree(e: i32): void {
  if (sq(e).timer == 0) S.queued--;
  sqFree(e);
}

/** posixtimer_sig_ignore(): a timer's entry is flushed; a periodic timer whose entry it still
 * was goes on the ignored list. */
function entryFlush(e: i32): void {
  const i = sq(e).timer;
  if (i != 0) {
    const t = posixTimer(i);
    if (t.inUse != 0 && t.sigq == e) {
      t.sigq = 0;
      if (t.sigPeriodic != 0) t.ignored = 1;
    }
  }
  entryFree(e);
}

/** Discard every pending instance of sig (flush_sigqueue_mask). */
function sigFlush(p: Proc, sig: i32): void {
  if ((p.sigPending & sigBit(sig)) == 0) return;
  if (sig >= SIGRT_FIRST) {
    const q: usize = p.sigActions == 0 ? 0 : rtHead(p, sig);
    let e = q == 0 ? 0 : load<i32>(q);
    while (e != 0) {
      const next = sq(e).next;
      entryFlush(e);
      e = next;
    }
    if (q != 0) store<u64>(q, 0);
  } else if (sig != SIGKILL) {
    let e = p.sigActions == 0 ? 0 : load<i32>(stdInfo(p, sig));
    if (e == 0) S.queued--;
    while (e != 0) {
      const next = sq(e).next;
      entryFlush(e);
      e = next;
    }
    if (p.sigActions != 0) store<i32>(stdInfo(p, sig), 0);
  }
  p.sigPending &= ~sigBit(sig);
  p.sigPrivate &= ~sigBit(sig);
}

function flushMask(p: Proc, mask: u64): void {
  let m = p.sigPending & mask;
  while (m != 0) {
    sigFlush(p, <i32>ctz(m) + 1);
    m &= m - 1;
  }
}

// ---- generation ----

/** sig_handler_ignored: SIG_IGN, or SIG_DFL with a default of ignore (SIGCONT included). */
function handlerIgnores(h: i32, sig: i32): bool {
  if (h == HANDLER_SIG_IGN) return true;
  return h == HANDLER_SIG_DFL && (defaultAction(sig) == ACT_IGN || sig == SIGCONT);
}

/** prepare_signal's stop and continue: a stop signal discards a pending SIGCONT, SIGCONT the
 * pending stop signals. True when SIGCONT must resume stopped p (sigResume, after queueing). */
export function sigPrepare(p: Proc, sig: i32): bool {
  if ((sigBit(sig) & SIG_STOP_MASK) != 0) flushMask(p, SIG_CONT_BIT);
  if (sig != SIGCONT) return false;
  flushMask(p, SIG_STOP_MASK);
  return p.state == PROC_STOPPED;
}

/** sig_ignored: dropped at generation when not blocked and ignored. Init (SIGNAL_UNKILLABLE)
 * ignores every signal it has no handler for, SIGKILL and SIGSTOP included. */
export function ignoredNow(p: Proc, sig: i32): bool {
  if ((p.sigBlocked & sigBit(sig)) != 0 || realBlocked(p, sig)) return false;
  const h = sigHandler(p, sig);
  if (h == HANDLER_SIG_DFL && p.pid == PID_INIT) return true;
  return handlerIgnores(h, sig);
}

/** In sigtimedwait, sig was blocked before the call unblocked its set (real_blocked). */
@inline function realBlocked(p: Proc, sig: i32): bool {
  return (p.sigState & SIGST_WAITINFO) != 0 && (p.sigSaved & sigBit(sig)) != 0;
}

/** sig_fatal, as complete_signal uses it: kills at once without waiting for delivery (not a
 * signal sigtimedwait waits for with it blocked: real_blocked). Signals that dump core go the
 * slow way (delivery), so a stopped process keeps them pending. */
function fatalNow(p: Proc, sig: i32): bool {
  if (sig == SIGKILL) return true;
  if ((p.sigBlocked & sigBit(sig)) != 0 || realBlocked(p, sig)) return false;
  if (sigHandler(p, sig) != HANDLER_SIG_DFL) return false;
  return defaultAction(sig) == ACT_TERM;
}

/** Generate sig for p from the kernel's current task (SEND_SIG_NOINFO: SI_USER, si_pid
 * current's; a pipe's SIGPIPE is the writer's own), or a SIGCHLD of a stop or continue from
 * the child whose signals are being handled (sigSendCldstop). */
export function sigSend(p: Proc, sig: i32): void {
  if (sig == SIGCHLD && sigCurrent() != 0) {
    sigSendCldstop(p, proc(sigCurrent()));
    return;
  }
  from.pid = p.pid;
  sigSendInfo(p, sig, SI_USER, 0);
}

/** send_sig(sig, p, 0) of the kernel to p's own thread (a pipe write's SIGPIPE, a fault):
 * SI_USER from the caller, queued on the thread (p.sigPrivate). */
export function sigSendThread(p: Proc, sig: i32): i32 {
  from.thread = 1;
  sigSend(p, sig);
  return 0;
}

/** Generate sig for p with its siginfo (send_signal_locked): prepare, drop if ignored, queue,
 * complete. 0, or -EAGAIN (enqueue). The sender is what sigSendFrom set (else the kernel). */
export function sigSendInfo(p: Proc, sig: i32, code: i32, value: i32): i32 {
  const pid = from.pid;
  const status = from.status;
  const thread = from.thread;
  from.pid = 0;
  from.status = 0;
  from.thread = 0;
  if (p.state == PROC_ZOMBIE || p.state == PROC_UNUSED) return 0;
  if ((p.sigState & SIGST_EXITING) != 0) return 0; // in do_exit: PF_EXITING, wants_signal()
  if (doomSig(p) != 0) return 0; // dying (SIGNAL_GROUP_EXIT): prepare_signal() drops it
  const resume = sigPrepare(p, sig);
  if (!ignoredNow(p, sig)) {
    const newly = (p.sigPending & sigBit(sig)) == 0;
    const r = enqueue(p, sig, code, value, pid, status);
    if (r < 0) return r;
    // A standard signal pending already stays one instance, shared or not (differences:
    // thread-pending); a new one is the thread's when sent to it.
    if (thread != 0 && (newly || sig >= SIGRT_FIRST)) p.sigPrivate |= sigBit(sig);
    signalfdNotify(p);
  }
  if (resume) sigResumeAs(p);
  else if ((p.sigPending & sigBit(sig)) != 0) complete(p, sig);
  return 0;
}

/** RLIMIT_SIGPENDING is reached (a POSIX timer cannot be made: EAGAIN). */
export function sigQueuedFull(): bool { return S.queued >= SIGQUEUE_MAX; }
/** A POSIX timer is made (+1) or freed (-1): it counts against RLIMIT_SIGPENDING. */
export function sigTimerCount(d: i32): void { S.queued += d; }

/** complete_signal for a single-threaded target. */
export function complete(p: Proc, sig: i32): void {
  if (p.state == PROC_STOPPED) {
    if (sig == SIGKILL) sigDoom(p, SIGKILL);
    return; // wants_signal() is false for a stopped task: it dequeues after SIGCONT
  }
  if ((p.sigBlocked & sigBit(sig)) != 0) return;
  // A process on the CPU in its own call takes its signals on the way out (callFinish).
  if ((p.sigState & SIGST_RUNNING) != 0) return;
  if (fatalNow(p, sig) && p.pid != PID_INIT) {
    sigDoom(p, sig); // signal_wake_up(t, 1): it dies when it next runs
    return;
  }
  sigWake(p);
}

/** force_sig_fault (force_sig_info_to_task): a fault cannot be ignored or blocked; a blocked or
 * ignored signal is unblocked and reset to SIG_DFL before it is sent. */
export function sigForceFault(p: Proc, sig: i32): void {
  const blocked = (p.sigBlocked & sigBit(sig)) != 0;
  if (blocked || sigHandler(p, sig) == HANDLER_SIG_IGN) {
    if (p.sigActions != 0) sigResetHandler(p, sig);
    p.sigBlocked &= ~sigBit(sig);
  }
  sigSendThread(p, sig);
}

/** With SIGCHLD ignored (SIG_IGN) or SA_NOCLDWAIT, children are reaped at exit
 * (do_notify_parent). */
export function sigchldAutoReap(parent: Proc): bool {
  return sigHandler(parent, SIGCHLD) == HANDLER_SIG_IGN ||
    (sigFlags(parent, SIGCHLD) & SA_NOCLDWAIT) != 0;
}

/** Process state bits (Proc.sigState). */
export const SIGST_RUNNING: i32 = 1; // on the CPU in a call: signals wait for its return
export const SIGST_RESTORE: i32 = 2; // sigsuspend: restore sigSaved after delivery
export const SIGST_STOP_REPORT: i32 = 4; // stopped, not yet reported to waitpid(WUNTRACED)
export const SIGST_CONT_REPORT: i32 = 8; // continued, not yet reported to waitpid(WCONTINUED)
export const SIGST_EXITING: i32 = 16; // in procExit: signals no longer reach it
export const SIGST_WAITINFO: i32 = 32; // in sigtimedwait: sigSaved is real_blocked (sigwait.ts)

// ---- sigaction, sigprocmask, sigpending ----

/** rt_sigaction with an action (do_sigaction): SIGKILL, SIGSTOP and numbers outside 1..64
 * give EINVAL; the handler mask never holds SIGKILL or SIGSTOP; a disposition that ignores
 * discards the pending signal, blocked or not (POSIX 3.3.1.3). */
export function sigAction(p: Proc, sig: i32, handler: i32, flags: i32, mask: u64): i32 {
  if (sig < 1 || sig > SIG_MAX || sig == SIGKILL || sig == SIGSTOP) return -EINVAL;
  if (handler < HANDLER_SIG_DFL || handler > HANDLER_calls) {
    return -EINVAL; // not a handler a trace can name (the bridge refuses the step too)
  }
  if (sigActionsPage(p) == 0) return -ENOMEM;
  const e = entry(p, sig);
  const wasIgnored = e.handler == HANDLER_SIG_IGN;
  e.handler = handler;
  e.flags = flags;
  e.mask = mask & ~SIG_UNBLOCKABLE;
  if (handlerIgnores(handler, sig)) sigFlush(p, sig);
  else if (wasIgnored) timersUnignore(p, sig);
  return 0;
}

/** sigprocmask(how, set): change the blocked mask (sys_rt_sigprocmask copies the old one out
 * afterwards). */
export function sigProcmask(p: Proc, how: i32, set: u64): i32 {
  const old = p.sigBlocked;
  let mask: u64;
  if (how == SIG_BLOCK) mask = old | set;
  else if (how == SIG_UNBLOCK) mask = old & ~set;
  else if (how == SIG_SETMASK) mask = set;
  else return -EINVAL;
  p.sigBlocked = mask & ~SIG_UNBLOCKABLE;
  return 0;
}

/** do_sigpending: the pending signals that are blocked. */
export function sigPendingBlocked(p: Proc): u64 {
  return p.sigPending & p.sigBlocked;
}

// ---- invariants ----

export function sigCheck(p: Proc): void {
  assert((p.sigBlocked & SIG_UNBLOCKABLE) == 0, "SIGKILL or SIGSTOP blocked");
  assert(sigHandler(p, SIGKILL) == HANDLER_SIG_DFL, "SIGKILL has a disposition");
  assert(sigHandler(p, SIGSTOP) == HANDLER_SIG_DFL, "SIGSTOP has a disposition");
  assert((p.sigState & SIGST_RUNNING) == 0, "a process is still marked running between steps");
  assert(p.sigFrames >= 0 && p.sigFrames <= SIG_FRAMES_MAX, "handler frame count out of range");
  sigframeCheck(p);
  if (p.state == PROC_IDLE || p.state == PROC_BLOCKED) {
    assert((p.sigPending & ~p.sigBlocked) == 0, "a deliverable signal left pending");
  }
}

/** The count of pending instances (S.queued, with the live POSIX timers) is what the
 * processes' lists hold (sigqueue.ts sqCheckAll walks them). */
export function sigCheckAll(): void {
  assert(S.queued >= 0 && S.queued <= SIGQUEUE_MAX, "queued signal count out of range");
  assert(sqCheckAll() + posixUsed() == S.queued, "queued signal count drifted");
}

