// poll(2) and ppoll(2): the deadline, the signal mask and the restart rules around the poll loop
// (poll.ts doSysPoll).
//
// Linux: fs/select.c (sys_poll, do_restart_poll, sys_ppoll, poll_select_set_timeout,
// poll_select_finish), kernel/signal.c (set_user_sigmask, restore_saved_sigmask_unless).
//
// poll's timeout is in ms (negative: none; 0: one pass); a signal ends its sleep with
// -ERESTART_RESTARTBLOCK: EINTR after a handler, and after a stop the call goes on to the same
// deadline (do_restart_poll: Proc.restartDeadline, -1 for none). ppoll reads its timespec
// (EFAULT, EINVAL) and then swaps in its signal mask (EINVAL unless sigsetsize is 8, EFAULT),
// as sigsuspend does: after a signal (-ERESTARTNOHAND) the mask before the call comes back when
// the handler returns; on any other return at once. Whatever it returns after the poll, ppoll
// writes the time left back to a non-zero timespec (EFAULT is ignored, but an interrupted call
// then gives EINTR: it cannot be restarted with the time it could not write).

import {
  BLOCKED, EFAULT, EINVAL, EINTR, ERESTARTNOHAND, ERESTART_RESTARTBLOCK,
} from "./abi";
import { doSysPoll, pollWait } from "./poll";
import { Proc } from "./proc";
import { SIGST_RESTORE, SIG_UNBLOCKABLE } from "./signal";
import { timespecFromUser } from "./sys_time";
import { NSEC_PER_SEC, ktimeAddSafe, timeNow } from "./time";
import { copyFromUser, copyToUser } from "./vm";

/** sizeof(sigset_t) in the kernel: 8 (glibc passes _NSIG / 8). */
const SIGSET_BYTES: u32 = 8;
const buf: usize = memory.data(16, 8);

/** poll(ufds, nfds, timeout_ms). */
export function sysPoll(p: Proc, ufds: u32, nfds: u32, ms: i32): i32 {
  const w = pollWait(p);
  if (p.woke == 0) {
    if (p.restartArmed != 0) w.deadline = p.restartDeadline; // do_restart_poll
    else if (ms < 0) w.deadline = -1;
    else w.deadline = ms == 0 ? 0 : ktimeAddSafe(timeNow(), <i64>ms * 1000000);
  }
  const r = doSysPoll(p, ufds, nfds);
  if (r != -ERESTARTNOHAND) return r;
  p.restartDeadline = w.deadline;
  p.restartArmed = 1;
  return -ERESTART_RESTARTBLOCK;
}

/** ppoll(ufds, nfds, tsp, sigmask, sigsetsize): tsp and sigmask are addresses (0: NULL). */
export function sysPpoll(p: Proc, ufds: u32, nfds: u32, tsp: u32, mask: u32, size: u32): i32 {
  if (p.woke == 0) {
    const err = setTimeoutFromUser(p, tsp);
    if (err < 0) return err;
    const maskErr = setUserSigmask(p, mask, size);
    if (maskErr < 0) return maskErr;
  }
  const r = doSysPoll(p, ufds, nfds);
  return r == BLOCKED ? r : pollSelectFinish(p, tsp, r);
}

/** poll_select_set_timeout for a user timespec at tsp (0: none, the deadline -1): the
 * sleeper's absolute deadline (0 for a zero timeout), or -errno. */
export function setTimeoutFromUser(p: Proc, tsp: u32): i32 {
  const w = pollWait(p);
  w.deadline = -1;
  if (tsp == 0) return 0;
  const ns = timespecFromUser(p, tsp);
  if (ns < 0) return <i32>ns;
  w.deadline = ns == 0 ? 0 : ktimeAddSafe(timeNow(), ns);
  return 0;
}

/** set_user_sigmask: the mask replaces the blocked set until the call returns (or, after a
 * signal, until its handler returns: SIGST_RESTORE, as sigsuspend). */
export function setUserSigmask(p: Proc, va: u32, size: u32): i32 {
  if (va == 0) return 0;
  if (size != SIGSET_BYTES) return -EINVAL;
  const ok = copyFromUser(p, buf, va, SIGSET_BYTES) == SIGSET_BYTES;
  const mask = load<u64>(buf);
  store<u64>(buf, 0); // scratch: no step leaves state in it (poll.ts)
  if (!ok) return -EFAULT;
  p.sigSaved = p.sigBlocked;
  p.sigBlocked = mask & ~SIG_UNBLOCKABLE;
  p.sigState |= SIGST_RESTORE;
  return 0;
}

/** poll_select_finish (ppoll, pselect6, select): the mask back unless a signal interrupted,
 * then the time left to va (none for a zero timeout), a timespec or (timeval) a timeval. */
export function pollSelectFinish(p: Proc, va: u32, r: i32, timeval: bool = false): i32 {
  if (r != -ERESTARTNOHAND && (p.sigState & SIGST_RESTORE) != 0) {
    p.sigBlocked = p.sigSaved & ~SIG_UNBLOCKABLE;
    p.sigState &= ~SIGST_RESTORE;
  }
  const deadline = pollWait(p).deadline;
  if (va == 0 || deadline == 0) return r;
  let left = deadline - timeNow();
  if (left < 0) left = 0;
  store<i64>(buf, left / NSEC_PER_SEC);
  store<i64>(buf, (left % NSEC_PER_SEC) / (timeval ? 1000 : 1), 8);
  const ok = copyToUser(p, va, buf, 16) == 16;
  store<i64>(buf, 0);
  store<i64>(buf, 0, 8);
  return ok || r != -ERESTARTNOHAND ? r : -EINTR;
}
