// Who sent a signal: the siginfo each generation records (si_code, si_pid, si_status,
// si_value; signal.ts keeps it in the instance's sigqueue entry), and its copy to user memory
// (copy_siginfo_to_user) for the calls that take a signal synchronously (sigwait.ts).
//
// kill, sigqueue, raise, tgkill and rt_tgsigqueueinfo are here: the senders a trace names.
//
// Linux: kernel/signal.c (kill_something_info, __kill_pgrp_info, __send_signal_locked:
// SEND_SIG_NOINFO is SI_USER from current, SEND_SIG_PRIV SI_KERNEL from pid 0;
// do_notify_parent, do_notify_parent_cldstop: a SIGCHLD's CLD_* code, the child's pid,
// si_status the exit code or signal; kill_pid_info, do_rt_sigqueueinfo).
//
// The sender reaches signal.ts sigSendInfo through `from`, which it reads and clears as it
// starts: a generation it causes (SIGCONT's SIGCHLD) starts from none. A stop or continue's
// SIGCHLD is sent by Linux from the child itself, while it handles its signals (get_signal):
// `current` is the process whose delivery runs (syscall.ts callFinish, and a SIGCONT's resume),
// and sigSend takes a SIGCHLD sent then as that child's CLD_STOPPED or CLD_CONTINUED.
//
// si_uid is 0 in every siginfo: every traced process is root in the model (the host agent maps
// its traced processes' own uids back to 0, host-bridge/agent/calls_sig.c).

import {
  CLD_CONTINUED, CLD_EXITED, CLD_KILLED, CLD_STOPPED, EFAULT, EINVAL, EPERM, ESRCH, PROC_STOPPED,
  SIGCHLD,
  SIGCONT, SI_QUEUE, SI_TIMER, SI_MESGQ, SI_USER, PROC_UNUSED, SIGALRM, SIGBUS, SIGFPE, SIGILL,
  SIGSEGV, SIGSYS, SIGTRAP, SI_TKILL,
} from "./abi";
import { PID_FIRST } from "./param";
import { PGID_TRACE, Proc, nextPid, proc, validPid } from "./proc";
import { itimerRealRearm, posixtimerDeliver } from "./itimer";
import { collected, sigCollect, sigSendInfo } from "./signal";
import { sigResume } from "./sigdeliver";
import { copyToUser } from "./vm";

const SIG_MAX: i32 = 64;

@unmanaged class Sender {
  pid: i32;
  status: i32;
  /** The signal goes to the thread, not the process (__send_signal_locked with PIDTYPE_PID:
   * t->pending): a fault (force_sig_fault), a pipe's SIGPIPE (send_sig), tgkill. */
  thread: i32;
}

/** The sender the next generation records (0: the kernel). */
export const from = changetype<Sender>(memory.data(offsetof<Sender>(), 8));

/** The process whose signals are being handled (0: none). */
let current: i32 = 0;

export function sigFromReset(): void {
  from.pid = 0;
  from.status = 0;
  from.thread = 0;
  current = 0;
}

export function sigCurrent(): i32 {
  return current;
}

/** `current` becomes pid; returns the one before, for the caller to put back. */
export function sigCurrentSwap(pid: i32): i32 {
  const prev = current;
  current = pid;
  return prev;
}

/** Generate sig for t with a sender: si_pid `pid`, si_status `status`. */
export function sigSendFrom(
  t: Proc, sig: i32, code: i32, value: i32, pid: i32, status: i32,
): i32 {
  from.pid = pid;
  from.status = status;
  return sigSendInfo(t, sig, code, value);
}

/** sigqueue(target, sig, value) by p: rt_sigqueueinfo with glibc's SI_QUEUE siginfo, si_pid
 * the caller's (do_rt_sigqueueinfo, kill_proc_info): one process, never a group, so a target
 * <= 0 names none (ESRCH); the target is looked up before the signal is checked. */
export function sigQueueInfo(p: Proc, target: i32, sig: i32, value: i32): i32 {
  if (target <= 0 || !validPid(target)) return -ESRCH;
  if (sig < 0 || sig > SIG_MAX) return -EINVAL;
  if (sig == 0) return 0;
  return sigSendFrom(proc(target), sig, SI_QUEUE, value, p.pid, 0);
}

/** do_notify_parent: child `pid` ended with wait status `status`: CLD_EXITED with the exit
 * code, or CLD_KILLED with the signal (never CLD_DUMPED: RLIMIT_CORE is 0). */
export function sigSendExit(parent: Proc, pid: i32, status: i32): void {
  const sig = status & 0x7f;
  if (sig == 0) sigSendFrom(parent, SIGCHLD, CLD_EXITED, 0, pid, (status >> 8) & 0xff);
  else sigSendFrom(parent, SIGCHLD, CLD_KILLED, 0, pid, sig);
}

/** do_notify_parent_cldstop: the child stopped (CLD_STOPPED, its stop signal) or continued
 * (CLD_CONTINUED, SIGCONT). */
export function sigSendCldstop(parent: Proc, child: Proc): void {
  if (child.state == PROC_STOPPED) {
    sigSendFrom(parent, SIGCHLD, CLD_STOPPED, 0, child.pid, child.stopSig);
  } else {
    sigSendFrom(parent, SIGCHLD, CLD_CONTINUED, 0, child.pid, SIGCONT);
  }
}

/** SIGCONT resumes stopped p (sigdeliver.ts sigResume), p being `current` meanwhile: its
 * parent's SIGCHLD is p's CLD_CONTINUED. */
export function sigResumeAs(p: Proc): void {
  const prev = sigCurrentSwap(p.pid);
  sigResume(p);
  sigCurrentSwap(prev);
}

// ---- kill, sigqueue ----

/** group_send_sig_info to one process: the signal number is checked once a target exists; a
 * zombie exists and takes (and ignores) any signal. SI_USER from the caller. */
function sendTo(p: Proc, t: Proc, sig: i32): i32 {
  if (sig < 0 || sig > SIG_MAX) return -EINVAL;
  if (sig != 0) sigSendFrom(t, sig, SI_USER, 0, p.pid, 0);
  return 0;
}

/** kill(target, sig) (kill_something_info). Every traced process is in group 2; pid 1 is not
 * in it and -1 spares it and the caller. */
export function sigKill(p: Proc, target: i32, sig: i32): i32 {
  if (target > 0) return validPid(target) ? sendTo(p, proc(target), sig) : -ESRCH;
  if (target == i32.MIN_VALUE) return -ESRCH;
  if (target == -1) {
    let count = 0;
    let ret = 0;
    for (let pid = PID_FIRST; pid < nextPid(); pid++) {
      if (pid == p.pid || proc(pid).state == PROC_UNUSED) continue;
      ret = sendTo(p, proc(pid), sig);
      count++;
    }
    return count != 0 ? ret : -ESRCH;
  }
  const pgid = target == 0 ? PGID_TRACE : -target;
  if (pgid != PGID_TRACE) return -ESRCH;
  let success = false;
  let ret = -ESRCH;
  for (let pid = PID_FIRST; pid < nextPid(); pid++) {
    if (proc(pid).state == PROC_UNUSED) continue;
    ret = sendTo(p, proc(pid), sig);
    if (ret == 0) success = true;
  }
  return success ? 0 : ret;
}

// ---- dequeue, copy out ----

/** SIGSEGV SIGBUS SIGILL SIGTRAP SIGFPE SIGSYS: dequeued first (SYNCHRONOUS_MASK). */
const SYNC_MASK: u64 = (<u64>1 << <u64>(SIGSEGV - 1)) | (<u64>1 << <u64>(SIGBUS - 1)) |
  (<u64>1 << <u64>(SIGILL - 1)) | (<u64>1 << <u64>(SIGTRAP - 1)) |
  (<u64>1 << <u64>(SIGFPE - 1)) | (<u64>1 << <u64>(SIGSYS - 1));

/** dequeue_signal over `set`: the signal taken (its siginfo in signal.ts `collected`), or 0.
 * A SIGALRM restarts an interval ITIMER_REAL; a POSIX timer's signal that is stale (the timer
 * set again or deleted since) is dropped and the next one tried. */
export function sigDequeue(p: Proc, set: u64): i32 {
  while (true) {
    const sig = sigNext(p, set);
    if (sig == 0) return 0;
    sigCollect(p, sig);
    if (sig == SIGALRM) itimerRealRearm(p);
    const timer = collected.timer;
    if (timer < 0 || (timer > 0 && !posixtimerDeliver(timer))) continue;
    return sig;
  }
}


/** next_signal of dequeue_signal over `set`: the thread's own signals first (t->pending, then
 * shared_pending), and in each synchronous faults first, then the lowest. 0 if none. */
export function sigNext(p: Proc, set: u64): i32 {
  let x = p.sigPending & set;
  if (x == 0) return 0;
  if ((x & p.sigPrivate) != 0) x &= p.sigPrivate;
  if ((x & SYNC_MASK) != 0) x &= SYNC_MASK;
  return <i32>ctz(x) + 1;
}

/** struct siginfo (include/uapi/asm-generic/siginfo.h, 128 bytes on x86_64): si_signo @0,
 * si_errno @4, si_code @8, then the union @16: si_pid, si_uid, and @24 si_status (SIGCHLD) or
 * si_value (SI_QUEUE, SI_TIMER, SI_MESGQ). A timer's si_tid and si_overrun are not kept. */
const SIGINFO_BYTES: u32 = 128;
const infoBuf: usize = memory.data(<i32>SIGINFO_BYTES, 8);

/** Is code one that carries si_value? */
function codeHasValue(code: i32): bool {
  return code == SI_QUEUE || code == SI_TIMER || code == SI_MESGQ;
}

/** Copy `collected` (sig's dequeued siginfo) to va: 0, or -EFAULT (copy_siginfo_to_user). */
export function siginfoToUser(p: Proc, va: u32, sig: i32): i32 {
  memory.fill(infoBuf, 0, SIGINFO_BYTES);
  store<i32>(infoBuf, sig);
  store<i32>(infoBuf, collected.code, 8);
  if (collected.code != SI_TIMER) store<i32>(infoBuf, collected.pid, 16);
  if (sig == SIGCHLD && collected.code > 0 && collected.code <= CLD_CONTINUED) {
    store<i32>(infoBuf, collected.status, 24);
  } else if (codeHasValue(collected.code)) {
    store<i32>(infoBuf, collected.value, 24);
  }
  return copyToUser(p, va, infoBuf, SIGINFO_BYTES) == SIGINFO_BYTES ? 0 : -EFAULT;
}

// ---- raise, signal ----

/** raise(sig): glibc's tgkill(getpid(), gettid(), sig) (do_tkill, do_send_specific): SI_TKILL
 * from the caller to itself; the signal number is checked once the thread is found (EINVAL);
 * signal 0 only checks. */
export function sigRaise(p: Proc, sig: i32): i32 {
  if (sig < 0 || sig > SIG_MAX) return -EINVAL;
  if (sig == 0) return 0;
  from.thread = 1;
  return sigSendFrom(p, sig, SI_TKILL, 0, p.pid, 0);
}

/** tgkill(tgid, tid, sig) (do_tkill): SI_TKILL from p to thread `tid` of group `tgid`. */
export function sigTgkill(p: Proc, tgid: i32, tid: i32, sig: i32): i32 {
  if (tgid <= 0 || tid <= 0) return -EINVAL; // "only valid for single tasks"
  return sendSpecific(p, tgid, tid, sig, SI_TKILL, 0);
}

/** rt_tgsigqueueinfo(tgid, tid, sig, info) (do_rt_tgsigqueueinfo) with glibc's
 * pthread_sigqueue siginfo: si_code `code`, si_pid and si_uid the caller's, si_value `value`.
 * Only to itself may a process pose as kill or tgkill (a code >= 0, SI_TKILL): EPERM. */
export function sigTgsigqueueinfo(
  p: Proc, tgid: i32, tid: i32, sig: i32, code: i32, value: i32,
): i32 {
  if (tgid <= 0 || tid <= 0) return -EINVAL;
  if ((code >= 0 || code == SI_TKILL) && tid != p.pid) return -EPERM;
  return sendSpecific(p, tgid, tid, sig, code, value);
}

/** do_send_specific: the thread must exist (a zombie does) in group tgid (ESRCH; every
 * process is one thread, its tid its pid), then the signal is checked (check_kill_permission:
 * EINVAL); 0 only checks. The signal is the thread's own (PIDTYPE_PID). */
function sendSpecific(p: Proc, tgid: i32, tid: i32, sig: i32, code: i32, value: i32): i32 {
  if (!validPid(tid) || tgid != tid) return -ESRCH;
  if (sig < 0 || sig > SIG_MAX) return -EINVAL;
  if (sig == 0) return 0;
  from.thread = 1;
  return sigSendFrom(proc(tid), sig, code, value, p.pid, 0); // 0, or EAGAIN: a full rt queue
}
