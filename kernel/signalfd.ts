// signalfd: a descriptor that reads the reader's own pending signals of its mask as
// 128-byte struct signalfd_siginfo records.
//
// Linux: fs/signalfd.c (do_signalfd4, signalfd_read_iter, signalfd_dequeue,
// signalfd_copyinfo), kernel/signal.c (signalfd_notify, dequeue_signal).
//
// signalfd4(-1, mask, flags) makes a description (file.ts FILE_SIGNALFD, O_RDWR plus
// SFD_NONBLOCK's O_NONBLOCK); signalfd4(fd, ...) on one changes its mask (EINVAL on any other
// descriptor). The mask drops SIGKILL and SIGSTOP. A read dequeues the *reader's* pending
// signals of the mask (a forked child reads its own), lowest first as delivery does
// (siginfo.ts sigDequeue), as many records as fit in count (EINVAL below one record); with
// none pending it returns EAGAIN under O_NONBLOCK, else sleeps until a signal is queued for
// it (signalfd_notify wakes the process's signalfd_wqh whatever the signal), and a signal
// pending that the mask does not take ends the sleep with -ERESTARTSYS. The mask is the
// description's: its low half in File.pos, its high half in File.inode (neither means
// anything else for a signalfd: lseek is noop_llseek, and no inode table holds it).
//
// Records (include/uapi/linux/signalfd.h): ssi_signo @0, ssi_errno @4, ssi_code @8, ssi_pid
// @12, ssi_uid @16, ssi_fd @20, ssi_tid @24, ssi_band @28, ssi_overrun @32, ssi_status @40,
// ssi_int @44, ssi_ptr @48 (u64), ssi_utime @56, ssi_stime @64, filled by the siginfo's layout
// (siginfo_layout): SIL_KILL pid and uid, SIL_RT pid, uid, ptr and int, SIL_TIMER ptr and int
// (tid, overrun), SIL_CHLD pid, uid, status (utime, stime). Differences: a timer's ssi_tid and
// ssi_overrun, a SIGCHLD's ssi_utime and ssi_stime (host CPU ticks) and SIGIO's ssi_band and
// ssi_fd are 0 (the host agent zeroes them too: host-bridge/agent/calls_sig.c; docs/differences.md
// `signalfd-zeroed`).

import {
  CLD_CONTINUED, CLD_EXITED, EAGAIN, EBADF, EFAULT, EINVAL, EMFILE, ENOMEM, O_NONBLOCK, O_RDWR,
  POLLIN, PROC_BLOCKED, SFD_CLOEXEC, SFD_NONBLOCK, SIGCHLD, SI_KERNEL, SI_SIGIO, SI_TIMER, SI_USER,
} from "./abi";
import {
  FILE_SIGNALFD, FMODE_READ, FMODE_WRITE, fdAllocLowest, fdGet, fdInstallAt, file, fileAlloc,
  filePut,
} from "./file";
import { Proc } from "./proc";
import { SIG_UNBLOCKABLE, collected } from "./signal";
import { sigDequeue, sigNext } from "./siginfo";
import { copyToUserAt } from "./uio";
import { sleepOn, waitCheck, waitInit, wakePollers, wakeProc } from "./wait";

const RECORD_BYTES: u32 = 128;

/** Every process's signalfd_wqh: a reader sleeps here, and only its own signals wake it. */
const sfdQ: usize = memory.data(8, 8);
const record: usize = memory.data(<i32>RECORD_BYTES, 8);

export function signalfdInit(): void {
  waitInit(sfdQ);
}

function maskOf(fi: i32): u64 {
  return set64(file(fi).pos, file(fi).inode);
}

function maskSet(fi: i32, mask: u64): void {
  file(fi).pos = <i32>mask;
  file(fi).inode = <i32>(mask >> 32);
}

@inline function set64(lo: i32, hi: i32): u64 {
  return (<u64><u32>hi << 32) | <u64><u32>lo;
}

/** signalfd4(fd, mask, flags) (do_signalfd4; the sigset's size is glibc's, 8). */
export function signalfd4(p: Proc, fd: i32, lo: i32, hi: i32, flags: i32): i32 {
  if ((flags & ~(SFD_CLOEXEC | SFD_NONBLOCK)) != 0) return -EINVAL;
  const mask = set64(lo, hi) & ~SIG_UNBLOCKABLE;
  if (fd != -1) {
    const fi = fdGet(p, fd);
    if (fi < 0) return -EBADF;
    if (file(fi).kind != FILE_SIGNALFD) return -EINVAL;
    maskSet(fi, mask);
    signalfdNotify(p); // wake_up(&current->sighand->signalfd_wqh)
    return fd;
  }
  // anon_inode_getfd: the descriptor (EMFILE), then the file (ENFILE).
  const nfd = fdAllocLowest(p, 0);
  if (nfd < 0) return -EMFILE;
  const fi = fileAlloc(FILE_SIGNALFD, O_RDWR | (flags & O_NONBLOCK), FMODE_READ | FMODE_WRITE);
  if (fi < 0) return fi;
  maskSet(fi, mask);
  if (!fdInstallAt(p, nfd, fi, (flags & SFD_CLOEXEC) != 0)) {
    filePut(fi);
    return -ENOMEM;
  }
  return nfd;
}

/** A signal was queued for p (signalfd_notify): its signalfd read, if it sleeps in one,
 * looks again, and so do its pollers of a signalfd. */
export function signalfdNotify(p: Proc): void {
  if (p.state == PROC_BLOCKED && p.waitQ == sfdQ) wakeProc(p);
  wakePollers(signalfdPollKey(p));
}

/** Where p's pollers of a signalfd wait: its own sighand->signalfd_wqh (sfdQ is shared by
 * every reader, which signalfdNotify picks by process; a poller needs a key of its own, and no
 * queue lives at the address of p's pending set). */
export function signalfdPollKey(p: Proc): usize {
  return changetype<usize>(p) + offsetof<Proc>("sigPending");
}

/** signalfd_poll: POLLIN when a signal of the mask is pending for the poller (next_signal of
 * its own and the shared pending sets, blocked or not). */
export function signalfdPoll(p: Proc, fi: i32): i32 {
  return sigNext(p, maskOf(fi)) != 0 ? POLLIN : 0;
}

/** read(fd, va, count) of signalfd description fi, after vfs_read's checks. */
export function signalfdRead(p: Proc, fi: i32, va: u32, count: u32): i32 {
  let n = count / RECORD_BYTES;
  if (n == 0) return -EINVAL;
  const mask = maskOf(fi);
  let nonblock = (file(fi).flags & O_NONBLOCK) != 0;
  let total: u32 = 0;
  while (n > 0) {
    const sig = sigDequeue(p, mask);
    if (sig == 0) {
      if (total != 0) break;
      return nonblock ? -EAGAIN : sleepOn(p, sfdQ, false);
    }
    recordOf(sig);
    if (copyToUserAt(p, va + total, record, RECORD_BYTES) != RECORD_BYTES) {
      return total != 0 ? <i32>total : -EFAULT; // the signal is consumed all the same
    }
    total += RECORD_BYTES;
    nonblock = true;
    n--;
  }
  return <i32>total;
}

/** signalfd_copyinfo of `collected` for sig, into `record`. */
function recordOf(sig: i32): void {
  memory.fill(record, 0, RECORD_BYTES);
  const code = collected.code;
  store<u32>(record, <u32>sig);
  store<i32>(record, code, 8);
  if (sig == SIGCHLD && code >= CLD_EXITED && code <= CLD_CONTINUED) { // SIL_CHLD
    store<u32>(record, <u32>collected.pid, 12);
    store<i32>(record, collected.status, 40);
  } else if (code == SI_TIMER) { // SIL_TIMER
    storeValue(collected.value);
  } else if (code < 0 && code != SI_SIGIO) { // SIL_RT: sigqueue, a queue's notification
    store<u32>(record, <u32>collected.pid, 12);
    storeValue(collected.value);
  } else if (code == SI_USER || code == SI_KERNEL) { // SIL_KILL
    store<u32>(record, <u32>collected.pid, 12);
  }
}

/** ssi_int and ssi_ptr: the sigval, whose upper half is 0 (sival_int set alone). */
function storeValue(v: i32): void {
  store<i32>(record, v, 44);
  store<u64>(record, <u64><u32>v, 48);
}

export function signalfdCheck(): void {
  waitCheck(sfdQ);
}
