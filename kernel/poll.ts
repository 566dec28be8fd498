// Readiness: each descriptor's poll mask (filePoll, the f_op->poll of its kind) and the poll
// loop every poller shares (fs/select.c do_sys_poll, do_poll, do_pollfd). The calls are
// sys_poll.ts's (poll, ppoll).
//
// Linux: fs/select.c (do_pollfd, do_poll, do_sys_poll, poll_schedule_timeout), fs/pipe.c
// (pipe_poll), ipc/mqueue.c (mqueue_poll_file), fs/signalfd.c (signalfd_poll), and
// DEFAULT_POLLMASK (include/linux/poll.h) for the files with no ->poll: /dev/null and the
// tmpfs's regular files and directories.
//
// A pass polls every pollfd of the array (copied in at the call's start, as do_sys_poll does);
// a negative fd is skipped (revents 0), one not open, or open O_PATH (fdget refuses FMODE_PATH),
// is POLLNVAL. Each mask keeps the events asked for plus POLLERR and POLLHUP. A pass that finds
// nothing ready, with time left and no signal pending, adds a poll entry (pollwait.ts) on each
// queue the descriptors' poll functions name and sleeps on pollQ until a wake-up of one of
// them, the deadline or a signal; the retry is the next pass (do_poll's loop). Linux registers
// entries in the first pass and stops at the first ready descriptor; registering them only
// before a sleep is the same to every observer (a ready pass frees them unused). A signal
// pending after a pass that found nothing ends the call with -ERESTARTNOHAND (the caller maps
// it: poll's restart block, ppoll's saved mask), even with a zero timeout; a pass after the
// deadline returns what it found (0: the timeout).

import {
  EFAULT, EINVAL, ENOMEM, ERESTARTNOHAND, POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT, POLLRDNORM,
  POLLWRNORM,
} from "./abi";
import {
  FILE_DIR, FILE_EPOLL, FILE_FIFO, FILE_MQUEUE, FILE_NULL, FILE_PATH, FILE_PIPE, FILE_REG,
  FILE_SIGNALFD, FILE_SOCKET, FMODE_READ, FMODE_WRITE, fdGet, file,
} from "./file";
import { epEventpollPoll, epPollKey } from "./epoll";
import { timerSleepEnd } from "./itimer";
import { mqAttrCurmsgs, mqAttrMaxmsg, mqPollKey } from "./mqueue";
import { NOFILE } from "./param";
import { pipe, pipePoll, rdWait, wrWait } from "./pipe";
import { pollAdd, pollDrop } from "./pollwait";
import { CALL_STATE_BYTES, Proc, callState, sigPendingNow } from "./proc";
import { signalfdPoll, signalfdPollKey } from "./signalfd";
import { timeNow } from "./time";
import { unixPoll, unixPollWait } from "./unix";
import { sleeperHandle, timerArm } from "./timer";
import { copyFromUser, copyToUser } from "./vm";
import { sleepOn, waitCheck, waitInit } from "./wait";

/** include/linux/poll.h DEFAULT_POLLMASK: a file with no ->poll is always ready. */
const DEFAULT_POLLMASK: i32 = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
/** sizeof(struct pollfd): int fd, short events, short revents. */
const POLLFD_BYTES: u32 = 8;

/** Pollers sleep here; only their entries' wake-ups (wait.ts wakePollers), their deadline or a
 * signal end the sleep. */
const pollQ: usize = memory.data(8, 8);
/** The pollfd array of the call being polled (RLIMIT_NOFILE entries at most). */
const fds: usize = memory.data(<i32>(NOFILE * POLLFD_BYTES), 8);

export function pollQInit(): void {
  waitInit(pollQ);
}

/** What a poller keeps across its sleep (Proc call state): its deadline in monotonic ns
 * (-1: none; 0: a zero timeout, never asleep). */
@unmanaged class PollWait {
  deadline: i64;
}

@inline export function pollWait(p: Proc): PollWait {
  assert(offsetof<PollWait>() <= CALL_STATE_BYTES, "PollWait overflows call state");
  return changetype<PollWait>(callState(p));
}

// ---- one descriptor ----

/** The queues a poll of description fi waits on (poll_wait of its ->poll), each added as an
 * entry of p: false when the entry pool is exhausted. */
export function fileWait(p: Proc, fi: i32): bool {
  const f = file(fi);
  switch (f.kind) {
    case FILE_PIPE: case FILE_FIFO: {
      const pi = pipe(f.pipe);
      if ((f.fmode & FMODE_READ) != 0 && !pollAdd(p, rdWait(pi))) return false;
      return (f.fmode & FMODE_WRITE) == 0 || pollAdd(p, wrWait(pi));
    }
    case FILE_MQUEUE: return pollAdd(p, mqPollKey(f.inode));
    case FILE_SIGNALFD: return pollAdd(p, signalfdPollKey(p));
    case FILE_SOCKET: return unixPollWait(p, f.pipe);
    case FILE_EPOLL: return pollAdd(p, epPollKey(f.pipe)); // ep->poll_wait
    default: return true; // no ->poll: nothing to wait for
  }
}

/** vfs_poll of description fi for poller p: its kind's mask (DEFAULT_POLLMASK without a
 * ->poll). One readiness function for every kind: a new file kind adds its case here. */
export function filePoll(p: Proc, fi: i32): i32 {
  const f = file(fi);
  switch (f.kind) {
    case FILE_PIPE: case FILE_FIFO: return pipePoll(fi);
    case FILE_MQUEUE: {
      // mqueue_poll_file: whatever the descriptor's access mode.
      const cur = mqAttrCurmsgs(fi);
      return (cur != 0 ? POLLIN | POLLRDNORM : 0) |
        (cur < mqAttrMaxmsg(fi) ? POLLOUT | POLLWRNORM : 0);
    }
    case FILE_SIGNALFD: return signalfdPoll(p, fi);
    case FILE_SOCKET: return unixPoll(f.pipe);
    case FILE_EPOLL: return epEventpollPoll(p, f.pipe);
    case FILE_NULL: case FILE_REG: case FILE_DIR: return DEFAULT_POLLMASK;
    default: return DEFAULT_POLLMASK;
  }
}

/** Whether description fi has a ->poll (file_can_poll): epoll_ctl refuses the others. */
export function fileCanPoll(fi: i32): bool {
  const k = file(fi).kind;
  return k == FILE_PIPE || k == FILE_FIFO || k == FILE_MQUEUE || k == FILE_SIGNALFD ||
    k == FILE_SOCKET || k == FILE_EPOLL;
}

/** The description fd names for a poll, or -1 (fdget: not open, or an O_PATH descriptor). */
export function pollFile(p: Proc, fd: i32): i32 {
  const fi = fdGet(p, fd);
  return fi < 0 || file(fi).kind == FILE_PATH ? -1 : fi;
}

// ---- the loop ----

@inline function entryFd(i: u32): i32 { return load<i32>(fds + <usize>(i * POLLFD_BYTES)); }
@inline function entryEvents(i: u32): i32 {
  return <i32>load<u16>(fds + <usize>(i * POLLFD_BYTES), 4);
}
@inline function setRevents(i: u32, mask: i32): void {
  store<u16>(fds + <usize>(i * POLLFD_BYTES), <u16>mask, 6);
}

/** do_pollfd: entry i's revents (also stored in the copy). */
function pollOne(p: Proc, i: u32): i32 {
  const fd = entryFd(i);
  let mask = 0;
  if (fd >= 0) {
    const fi = pollFile(p, fd);
    mask = fi < 0 ? POLLNVAL : filePoll(p, fi) & (entryEvents(i) | POLLERR | POLLHUP);
  }
  setRevents(i, mask);
  return mask;
}

/** Entries for every descriptor of the array (poll_wait in each ->poll): false on ENOMEM. */
function waitAll(p: Proc, nfds: u32): bool {
  for (let i: u32 = 0; i < nfds; i++) {
    const fd = entryFd(i);
    if (fd < 0) continue;
    const fi = pollFile(p, fd);
    if (fi >= 0 && !fileWait(p, fi)) return false;
  }
  return true;
}

/** The revents back to the array at ufds (do_sys_poll's unsafe_put_user loop): 0 or -EFAULT. */
function reventsOut(p: Proc, ufds: u32, nfds: u32): i32 {
  for (let i: u32 = 0; i < nfds; i++) {
    const at = i * POLLFD_BYTES + 6;
    if (copyToUser(p, ufds + at, fds + <usize>at, 2) != 2) return -EFAULT;
  }
  return 0;
}

/** do_sys_poll with the deadline in p's PollWait: the count of ready entries, -EINVAL (nfds
 * above RLIMIT_NOFILE), -EFAULT, -ENOMEM, -ERESTARTNOHAND (a signal), or BLOCKED. Every pass
 * copies the array in again (a retry is a new pass over the same user array, which cannot
 * change while its process sleeps). */
export function doSysPoll(p: Proc, ufds: u32, nfds: u32): i32 {
  timerSleepEnd(p); // a wake-up other than the deadline leaves it queued
  pollDrop(p);
  if (nfds > <u32>NOFILE) return -EINVAL;
  const r = pollPass(p, ufds, nfds);
  // The copy is scratch: cleared, so that no step leaves state in it (two worlds of a replay
  // that differ only in the last array polled are one state).
  memory.fill(fds, 0, nfds * POLLFD_BYTES);
  return r;
}

/** One pass over the array at ufds (nfds checked). */
function pollPass(p: Proc, ufds: u32, nfds: u32): i32 {
  const bytes = nfds * POLLFD_BYTES;
  if (copyFromUser(p, fds, ufds, bytes) != bytes) return -EFAULT;
  let count = 0;
  for (let i: u32 = 0; i < nfds; i++) if (pollOne(p, i) != 0) count++;
  if (count == 0 && sigPendingNow(p)) count = -ERESTARTNOHAND;
  if (count == 0 && !pollTimedOut(p)) {
    if (waitAll(p, nfds)) return pollSleep(p);
    pollDrop(p);
    count = -ENOMEM; // poll_get_entry's table->error
  }
  const out = reventsOut(p, ufds, nfds);
  return out < 0 ? out : count;
}

/** The pass is the last: a zero timeout, or the deadline passed (the timer fired, or it was
 * due before the call slept: schedule_hrtimeout returns at once). */
export function pollTimedOut(p: Proc): bool {
  const deadline = pollWait(p).deadline;
  return p.timedOut != 0 || deadline == 0 || (deadline > 0 && deadline <= timeNow());
}

/** poll_schedule_timeout: asleep on pollQ (its entries added) until a wake-up or the
 * deadline. */
export function pollSleep(p: Proc): i32 {
  const deadline = pollWait(p).deadline;
  if (deadline > 0) timerArm(sleeperHandle(p), p.pid, deadline);
  return sleepOn(p, pollQ, false);
}

/** The caller dies or is interrupted in its sleep (syscall.ts undoCall): its entries go. */
export function pollAbort(p: Proc): void {
  pollDrop(p);
}

export function pollQCheck(): void {
  waitCheck(pollQ);
}
