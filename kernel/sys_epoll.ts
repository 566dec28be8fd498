// epoll_create1(2), epoll_ctl(2), epoll_wait(2), epoll_pwait(2): the calls around epoll.ts.
//
// Linux: fs/eventpoll.c (do_epoll_create, do_epoll_ctl, do_epoll_wait, do_epoll_pwait,
// ep_poll, ep_timeout_to_timespec, ep_take_care_of_epollwakeup), kernel/signal.c
// (set_user_sigmask, restore_saved_sigmask_unless).
//
// epoll_ctl checks in do_epoll_ctl's order: the event copied in (EFAULT; not for DEL), both
// descriptors (EBADF: fdget refuses O_PATH too), a target with no ->poll (EPERM: regular files,
// directories, /dev/null), epfd not an epoll or the target itself (EINVAL), EPOLLEXCLUSIVE
// with MOD, on an epoll target or with bits beyond EPOLLEXCLUSIVE_OK_BITS (EINVAL), an epoll
// target making a loop or a chain deeper than EP_MAX_NESTS (ELOOP), then the op: ADD (EEXIST),
// DEL and MOD (ENOENT; MOD of an exclusive item EINVAL), any other op EINVAL. EPOLLERR and
// EPOLLHUP are always added; EPOLLWAKEUP is dropped, as for a caller without
// CAP_BLOCK_SUSPEND in the host's user namespace.
//
// epoll_wait sleeps in ep_poll's loop: a pass sends the ready list's events if it has any and
// returns a non-zero count; else the timeout ends it (0), a pending signal ends it with EINTR,
// never restarted (ep_poll returns -EINTR, not a restart code; signal(7)), or it sleeps
// exclusive on the epoll's wq (one waiter per callback), at its head (__add_wait_queue_exclusive:
// the last sleeper is woken first), until a wake-up, its deadline or a signal, and the retry
// is the next pass. The timeout is poll's (ms; negative: none; 0: one
// pass). epoll_pwait swaps in its mask first (set_user_sigmask: EINVAL, EFAULT) and restores
// it on return unless the call gives EINTR, when the handler's return does.

import {
  BLOCKED, EBADF, EEXIST, EFAULT, EINTR, EINVAL, ENOENT, EPERM, EPOLLERR, EPOLLEXCLUSIVE,
  EPOLLHUP, EPOLLIN, EPOLLOUT, EPOLLET, EPOLLWAKEUP, EPOLL_CLOEXEC, EPOLL_CTL_ADD,
  EPOLL_CTL_DEL, EPOLL_CTL_MOD, EMFILE, O_RDWR,
} from "./abi";
import {
  EPOLL_EVENT_BYTES, epAlloc, epEventsAvailable, epFind, epInsert, epItemEvents,
  epLoopCheck, epModify, epRemove, epSendEvents, epWq,
} from "./epoll";
import {
  FILE_EPOLL, FMODE_READ, FMODE_WRITE, fdAllocLowest, fdInstallAt, file, fileAlloc, fileDiscard,
  filePut,
} from "./file";
import { fileCanPoll, pollFile, pollTimedOut, pollWait } from "./poll";
import { Proc, sigPendingNow } from "./proc";
import { SIGST_RESTORE, SIG_UNBLOCKABLE } from "./signal";
import { setUserSigmask } from "./sys_poll";
import { ktimeAddSafe, timeNow } from "./time";
import { timerSleepEnd } from "./itimer";
import { sleeperHandle, timerArm } from "./timer";
import { copyFromUser } from "./vm";
import { sleepOn } from "./wait";

/** fs/eventpoll.c EP_MAX_EVENTS: INT_MAX / sizeof(struct epoll_event). */
const EP_MAX_EVENTS: i32 = 0x7fffffff / 12;
/** EPOLLEXCLUSIVE_OK_BITS: what may go with EPOLLEXCLUSIVE. */
const EXCLUSIVE_OK: i32 =
  EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE;
const evbuf: usize = memory.data(16, 8);

/** epoll_create1(flags). */
export function sysEpollCreate1(p: Proc, flags: i32): i32 {
  if ((flags & ~EPOLL_CLOEXEC) != 0) return -EINVAL;
  // ep_alloc, then the descriptor (EMFILE), then the file (ENFILE).
  const fd = fdAllocLowest(p, 0);
  if (fd < 0) return -EMFILE;
  const fi = fileAlloc(FILE_EPOLL, O_RDWR, FMODE_READ | FMODE_WRITE);
  if (fi < 0) return fi;
  const e = epAlloc(fi);
  if (e < 0) {
    fileDiscard(fi);
    return e;
  }
  file(fi).pipe = e;
  if (!fdInstallAt(p, fd, fi, (flags & EPOLL_CLOEXEC) != 0)) {
    filePut(fi);
    return -EMFILE;
  }
  return fd;
}

/** The epoll description epfd names: its file, -EBADF or -EINVAL. */
function epollFile(p: Proc, epfd: i32): i32 {
  const fi = pollFile(p, epfd);
  if (fi < 0) return -EBADF;
  return file(fi).kind == FILE_EPOLL ? fi : -EINVAL;
}

/** epoll_ctl(epfd, op, fd, event): event the address of a struct epoll_event (0: NULL). */
export function sysEpollCtl(p: Proc, epfd: i32, op: i32, fd: i32, va: u32): i32 {
  const hasEvent = op != EPOLL_CTL_DEL;
  if (hasEvent && copyFromUser(p, evbuf, va, EPOLL_EVENT_BYTES) != EPOLL_EVENT_BYTES) {
    memory.fill(evbuf, 0, 16);
    return -EFAULT;
  }
  let events = load<i32>(evbuf) & ~EPOLLWAKEUP; // ep_take_care_of_epollwakeup
  const data = load<u64>(evbuf, 4);
  memory.fill(evbuf, 0, 16); // scratch (poll.ts)
  const fi = pollFile(p, epfd);
  if (fi < 0) return -EBADF;
  const tf = pollFile(p, fd);
  if (tf < 0) return -EBADF;
  if (!fileCanPoll(tf)) return -EPERM;
  if (fi == tf || file(fi).kind != FILE_EPOLL) return -EINVAL;
  const targetEpoll = file(tf).kind == FILE_EPOLL;
  if (hasEvent && (events & EPOLLEXCLUSIVE) != 0) {
    if (op == EPOLL_CTL_MOD) return -EINVAL;
    if (op == EPOLL_CTL_ADD && (targetEpoll || (events & ~EXCLUSIVE_OK) != 0)) return -EINVAL;
  }
  const e = file(fi).pipe;
  if (op == EPOLL_CTL_ADD && targetEpoll) {
    const loop = epLoopCheck(e, file(tf).pipe);
    if (loop < 0) return loop;
  }
  const n = epFind(e, tf, fd);
  events |= EPOLLERR | EPOLLHUP;
  if (op == EPOLL_CTL_ADD) return n >= 0 ? -EEXIST : epInsert(p, e, tf, fd, events, data);
  if (op == EPOLL_CTL_DEL) {
    if (n < 0) return -ENOENT;
    epRemove(n);
    return 0;
  }
  if (op == EPOLL_CTL_MOD) {
    if (n < 0) return -ENOENT;
    if ((epItemEvents(n) & EPOLLEXCLUSIVE) != 0) return -EINVAL;
    epModify(p, n, events, data);
    return 0;
  }
  return -EINVAL;
}

/** epoll_wait(epfd, events, maxevents, timeout_ms). */
export function sysEpollWait(p: Proc, epfd: i32, va: u32, maxevents: i32, ms: i32): i32 {
  if (p.woke == 0) {
    const w = pollWait(p);
    if (ms < 0) w.deadline = -1;
    else w.deadline = ms == 0 ? 0 : ktimeAddSafe(timeNow(), <i64>ms * 1000000);
  }
  return doEpollWait(p, epfd, va, maxevents);
}

/** epoll_pwait(epfd, events, maxevents, timeout_ms, sigmask, sigsetsize). */
export function sysEpollPwait(
  p: Proc, epfd: i32, va: u32, maxevents: i32, ms: i32, mask: u32, size: u32,
): i32 {
  if (p.woke == 0) {
    const err = setUserSigmask(p, mask, size);
    if (err < 0) return err;
  }
  const r = sysEpollWait(p, epfd, va, maxevents, ms);
  if (r == BLOCKED) return r;
  // restore_saved_sigmask_unless(error == -EINTR): after EINTR the handler's return does.
  if (r != -EINTR && (p.sigState & SIGST_RESTORE) != 0) {
    p.sigBlocked = p.sigSaved & ~SIG_UNBLOCKABLE;
    p.sigState &= ~SIGST_RESTORE;
  }
  return r;
}

/** do_epoll_wait and one pass of ep_poll's loop (the deadline in p's PollWait). */
function doEpollWait(p: Proc, epfd: i32, va: u32, maxevents: i32): i32 {
  timerSleepEnd(p); // a wake-up other than the deadline leaves it queued
  // Linux 6.18 looks the descriptor up first: EBADF wins over a bad maxevents (recorded).
  if (pollFile(p, epfd) < 0) return -EBADF;
  if (maxevents <= 0 || maxevents > EP_MAX_EVENTS) return -EINVAL;
  const fi = epollFile(p, epfd);
  if (fi < 0) return fi;
  const e = file(fi).pipe;
  if (epEventsAvailable(e)) {
    const r = epSendEvents(p, e, va, maxevents);
    if (r != 0) return r;
  }
  if (pollTimedOut(p)) return 0;
  if (sigPendingNow(p)) return -EINTR;
  const deadline = pollWait(p).deadline;
  if (deadline > 0) timerArm(sleeperHandle(p), p.pid, deadline);
  return sleepOn(p, epWq(e), true, true); // __add_wait_queue_exclusive: at the head
}
