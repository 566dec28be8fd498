// select(2) and pselect6 (glibc's pselect): fd_set bitmaps polled with the poll loop's pieces
// (poll.ts: each descriptor's mask, the entries, the sleep on pollQ).
//
// Linux: fs/select.c (core_sys_select, max_select_fd, do_select, kern_select, do_pselect,
// get_sigset_argpack, poll_select_finish).
//
// n below 0 is EINVAL; n is cut to the fd table's max_fds (here RLIMIT_NOFILE: the traced
// processes' tables on the host are larger still, for the agent's reserved descriptors, and a
// trace's n is at most FD_SETSIZE, 1024). Each set given is copied in (FDS_BYTES(n): whole
// 64-bit words, EFAULT); a set bit of a descriptor not open is EBADF (max_select_fd: an O_PATH
// descriptor is open there, but fdget refuses it: POLLNVAL). A descriptor is readable when its
// mask has POLLIN_SET (POLLIN, POLLRDNORM, POLLRDBAND, POLLHUP, POLLERR, POLLNVAL), writable
// with POLLOUT_SET (POLLOUT, POLLWRNORM, POLLWRBAND, POLLERR, POLLNVAL), exceptional with
// POLLPRI or POLLNVAL (never a pipe); the result counts set bits. With nothing ready a signal
// gives -ERESTARTNOHAND and the sets are not written; otherwise they are written back whole
// (FDS_BYTES(n), EFAULT), and the time left goes back to a non-zero timeout
// (poll_select_finish: EFAULT there turns an interrupted call into EINTR), which a restart
// after a stop reads again: the time stopped adds to the wait (case select-kinds). pselect6's
// mask is swapped in as ppoll's (sys_poll.ts).

import {
  BLOCKED, EBADF, EFAULT, EINTR, EINVAL, ENOMEM, ERESTARTNOHAND, POLLERR, POLLHUP, POLLIN,
  POLLNVAL, POLLOUT, POLLPRI, POLLRDBAND, POLLRDNORM, POLLWRBAND, POLLWRNORM,
} from "./abi";
import { fdGet } from "./file";
import { timerSleepEnd } from "./itimer";
import { NOFILE } from "./param";
import {
  filePoll, fileWait, pollFile, pollSleep, pollTimedOut, pollWait,
} from "./poll";
import { pollDrop } from "./pollwait";
import { Proc, sigPendingNow } from "./proc";
import { pollSelectFinish, setTimeoutFromUser, setUserSigmask } from "./sys_poll";
import { timespecFromUser } from "./sys_time";
import { NSEC_PER_SEC, ktimeAddSafe, timeNow } from "./time";
import { copyFromUser, copyToUser } from "./vm";

// POLLNVAL is in all three (an O_PATH descriptor, which fdget refuses, is in every set
// asked: select_poll_one's EPOLLNVAL; case select-kinds).
const POLLIN_SET: i32 = POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR | POLLNVAL;
const POLLOUT_SET: i32 = POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR | POLLNVAL;
const POLLEX_SET: i32 = POLLPRI | POLLNVAL;
const SET_BYTES: u32 = <u32>NOFILE / 8;
const USEC_PER_SEC: i64 = 1000000;

/** The three sets as read (in, out, ex) and the three results, SET_BYTES each. */
const sets: usize = memory.data(<i32>SET_BYTES * 6, 8);
const buf: usize = memory.data(16, 8);

@inline function setAt(k: i32): usize { return sets + <usize>(<u32>k * SET_BYTES); }
@inline function bit(k: i32, fd: i32): bool {
  return (<i32>load<u8>(setAt(k) + <usize>(fd >> 3)) & (1 << (fd & 7))) != 0;
}
@inline function setBit(k: i32, fd: i32): void {
  const at = setAt(k) + <usize>(fd >> 3);
  store<u8>(at, <u8>(<i32>load<u8>(at) | (1 << (fd & 7))));
}
@inline function anyBit(fd: i32): bool { return bit(0, fd) || bit(1, fd) || bit(2, fd); }
/** FDS_BYTES(n): whole unsigned longs. */
@inline function fdsBytes(n: i32): u32 { return <u32>((n + 63) >> 6) << 3; }

/** get_fd_set: the user's set at va (0: NULL, all clear), FDS_BYTES(n) bytes. */
function getFdSet(p: Proc, k: i32, va: u32, n: i32): i32 {
  memory.fill(setAt(k), 0, SET_BYTES);
  memory.fill(setAt(k + 3), 0, SET_BYTES);
  const len = fdsBytes(n);
  if (va == 0 || len == 0) return 0;
  return copyFromUser(p, setAt(k), va, len) == len ? 0 : -EFAULT;
}

/** max_select_fd: EBADF for a set bit of a descriptor not open, else the highest set + 1. */
function maxSelectFd(p: Proc, n: i32): i32 {
  let max = 0;
  for (let fd = 0; fd < n; fd++) {
    if (!anyBit(fd)) continue;
    if (fdGet(p, fd) < 0) return -EBADF;
    max = fd + 1;
  }
  return max;
}

/** One pass of do_select over descriptors below n: the count of result bits. */
function selectPass(p: Proc, n: i32): i32 {
  let count = 0;
  for (let fd = 0; fd < n; fd++) {
    if (!anyBit(fd)) continue;
    const fi = pollFile(p, fd);
    const mask = fi < 0 ? POLLNVAL : filePoll(p, fi); // O_PATH: fdget fails
    if ((mask & POLLIN_SET) != 0 && bit(0, fd)) { setBit(3, fd); count++; }
    if ((mask & POLLOUT_SET) != 0 && bit(1, fd)) { setBit(4, fd); count++; }
    if ((mask & POLLEX_SET) != 0 && bit(2, fd)) { setBit(5, fd); count++; }
  }
  return count;
}

/** Entries for every descriptor with a bit (poll_wait in each ->poll): false on ENOMEM. */
function waitAll(p: Proc, n: i32): bool {
  for (let fd = 0; fd < n; fd++) {
    if (!anyBit(fd)) continue;
    const fi = pollFile(p, fd);
    if (fi >= 0 && !fileWait(p, fi)) return false;
  }
  return true;
}

/** core_sys_select with the deadline in p's PollWait; the sets at inp, outp, exp (0: NULL). */
function coreSysSelect(p: Proc, n: i32, inp: u32, outp: u32, exp: u32): i32 {
  timerSleepEnd(p);
  pollDrop(p);
  if (n < 0) return -EINVAL;
  if (n > NOFILE) n = NOFILE;
  const r = selectPasses(p, n, inp, outp, exp);
  memory.fill(sets, 0, SET_BYTES * 6); // scratch: no step leaves state in it (poll.ts)
  return r;
}

function selectPasses(p: Proc, n: i32, inp: u32, outp: u32, exp: u32): i32 {
  let err = getFdSet(p, 0, inp, n);
  if (err == 0) err = getFdSet(p, 1, outp, n);
  if (err == 0) err = getFdSet(p, 2, exp, n);
  if (err < 0) return err;
  const max = maxSelectFd(p, n);
  if (max < 0) return max;
  let ret = selectPass(p, max);
  if (ret == 0 && !sigPendingNow(p) && !pollTimedOut(p)) {
    if (waitAll(p, max)) return pollSleep(p);
    pollDrop(p);
    return -ENOMEM;
  }
  if (ret == 0 && sigPendingNow(p)) return -ERESTARTNOHAND;
  const len = fdsBytes(n);
  if (len == 0) return ret;
  if (inp != 0 && copyToUser(p, inp, setAt(3), len) != len) return -EFAULT;
  if (outp != 0 && copyToUser(p, outp, setAt(4), len) != len) return -EFAULT;
  if (exp != 0 && copyToUser(p, exp, setAt(5), len) != len) return -EFAULT;
  return ret;
}

/** select(n, inp, outp, exp, tvp): tvp a struct timeval address (0: none). */
export function sysSelect(p: Proc, n: i32, inp: u32, outp: u32, exp: u32, tvp: u32): i32 {
  const w = pollWait(p);
  if (p.woke == 0) {
    w.deadline = -1;
    if (tvp != 0) {
      if (copyFromUser(p, buf, tvp, 16) != 16) return -EFAULT;
      // kern_select: tv_usec past a second carries into the seconds (no EINVAL for it).
      const usec = load<i64>(buf, 8);
      const ns = timeoutNs(load<i64>(buf) + usec / USEC_PER_SEC, (usec % USEC_PER_SEC) * 1000);
      clearBuf();
      if (ns < 0) return -EINVAL;
      w.deadline = ns == 0 ? 0 : ktimeAddSafe(timeNow(), ns);
    }
  }
  const r = coreSysSelect(p, n, inp, outp, exp);
  return r == BLOCKED ? r : pollSelectFinish(p, tvp, r, true);
}

/** pselect6(n, inp, outp, exp, tsp, sig): sig the address of {sigset_t *, size_t} (0: none). */
export function sysPselect6(p: Proc, n: i32, inp: u32, outp: u32, exp: u32, tsp: u32,
  sig: u32): i32 {
  if (p.woke == 0) {
    const tErr = setTimeoutFromUser(p, tsp);
    if (tErr < 0) return tErr;
    const err = sigsetArgpack(p, sig);
    if (err < 0) return err;
  }
  const r = coreSysSelect(p, n, inp, outp, exp);
  return r == BLOCKED ? r : pollSelectFinish(p, tsp, r, false);
}

/** poll_select_set_timeout's check (timespec64_valid) on a normalised pair: ns, or -1. */
function timeoutNs(sec: i64, nsec: i64): i64 {
  if (sec < 0 || nsec < 0 || nsec >= NSEC_PER_SEC) return -1;
  if (sec > (<i64>0x7fffffffffffffff - nsec) / NSEC_PER_SEC) return <i64>0x7fffffffffffffff;
  return sec * NSEC_PER_SEC + nsec;
}

/** get_sigset_argpack then set_user_sigmask: {sigset_t *up, size_t size} at va. */
function sigsetArgpack(p: Proc, va: u32): i32 {
  if (va == 0) return 0;
  if (copyFromUser(p, buf, va, 16) != 16) return -EFAULT;
  const up = load<u64>(buf);
  const size = load<u64>(buf, 8);
  clearBuf();
  if (up == 0) return 0;
  if (size != 8) return -EINVAL;
  return up <= 0xffffffff ? setUserSigmask(p, <u32>up, 8) : -EFAULT;
}

/** buf is scratch: cleared after each use (no step leaves state in it). */
function clearBuf(): void {
  store<u64>(buf, 0);
  store<u64>(buf, 0, 8);
}
