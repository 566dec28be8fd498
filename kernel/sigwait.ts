// sigtimedwait and sigwaitinfo (rt_sigtimedwait): take a pending signal of a set
// synchronously, its siginfo copied out, instead of running its handler.
//
// Linux: kernel/signal.c (sys_rt_sigtimedwait, do_sigtimedwait, dequeue_signal).
//
// The set loses SIGKILL and SIGSTOP. A pending signal of the set is dequeued at once (the
// lowest, synchronous faults first, as delivery picks: next_signal). Else, with a timeout of
// zero, EAGAIN; else the caller sleeps with the set's signals unblocked (real_blocked keeps
// the mask: Proc.sigSaved under SIGST_WAITINFO, and a signal blocked there is not dropped as
// ignored meanwhile: sig_ignored), until a signal arrives (sigWake interrupts the sleep at
// once: the "eintr" class) or the timeout (virtual time, itimer.ts sleepUntil) passes. Either
// way the mask comes back and the set is tried once more: a signal of the set is the result,
// else EAGAIN after the timeout and EINTR after a signal (schedule_hrtimeout's -EINTR is no
// restart code: a handler with SA_RESTART, or a stop and SIGCONT, still gives EINTR).
//
// The arguments stay in the process entry for the sleep: a0, a1 the set's halves, a2 the
// siginfo buffer (0: NULL), a3 the timeout (0: NULL, wait forever).

import { EAGAIN, EINTR } from "./abi";
import { sleepForever, sleepUntil } from "./itimer";
import { Proc } from "./proc";
import { SIGST_WAITINFO, SIG_UNBLOCKABLE } from "./signal";
import { sigDequeue, siginfoToUser } from "./siginfo";
import { timespecFromUser } from "./sys_time";
import { ktimeAddSafe, timeNow } from "./time";

@inline function set64(lo: i32, hi: i32): u64 {
  return (<u64><u32>hi << 32) | <u64><u32>lo;
}

/** The set the call waits for, from its saved arguments, without SIGKILL and SIGSTOP. */
@inline function waitSet(p: Proc): u64 {
  return set64(p.a0, p.a1) & ~SIG_UNBLOCKABLE;
}

/** The call's result for dequeued sig: sig, with its siginfo copied to the caller's buffer
 * (EFAULT if it cannot be: the signal is consumed all the same, as in Linux). */
function taken(p: Proc, sig: i32): i32 {
  const infoVa = <u32>p.a2;
  if (infoVa == 0) return sig;
  const r = siginfoToUser(p, infoVa, sig);
  return r < 0 ? r : sig;
}

/** The sleep ends: the mask before it comes back (real_blocked), and the set is tried again. */
function wakeTake(p: Proc, otherwise: i32): i32 {
  p.sigBlocked = p.sigSaved & ~SIG_UNBLOCKABLE;
  p.sigSaved = 0;
  p.sigState &= ~SIGST_WAITINFO;
  const sig = sigDequeue(p, waitSet(p));
  return sig != 0 ? taken(p, sig) : otherwise;
}

/** rt_sigtimedwait(set, info, timeout): the set as two halves, info and timeout as addresses
 * (0: NULL). */
export function sigTimedwait(p: Proc, lo: i32, hi: i32, infoVa: u32, tsVa: u32): i32 {
  if (p.woke != 0) return wakeTake(p, -EAGAIN); // the timeout passed (its only wake-up)
  let ns: i64 = -1;
  if (tsVa != 0) {
    ns = timespecFromUser(p, tsVa); // get_timespec64 (EFAULT), then timespec64_valid (EINVAL)
    if (ns < 0) return <i32>ns;
  }
  const set = waitSet(p);
  const sig = sigDequeue(p, set);
  if (sig != 0) return taken(p, sig);
  if (ns == 0) return -EAGAIN;
  p.sigSaved = p.sigBlocked;
  p.sigState |= SIGST_WAITINFO;
  p.sigBlocked &= ~set;
  return ns < 0 ? sleepForever(p) : sleepUntil(p, ktimeAddSafe(timeNow(), ns));
}

/** A signal ended the sleep (syscall.ts interruptCode): a signal of the set is the result,
 * another one EINTR. */
export function sigwaitInterrupt(p: Proc): i32 {
  return wakeTake(p, -EINTR);
}

/** The process dies in the call (exit aborts it): nothing to restore, but the state bit goes. */
export function sigwaitAbort(p: Proc): void {
  if ((p.sigState & SIGST_WAITINFO) == 0) return;
  p.sigBlocked = p.sigSaved & ~SIG_UNBLOCKABLE;
  p.sigSaved = 0;
  p.sigState &= ~SIGST_WAITINFO;
}
