// Syscall entry points for SysV IPC: argument checks and copies from user memory (a message's
// type and text, the sops, the timeout); the mechanisms take kernel values. Messages handed to
// a receiver and the *ctl structures are copied by the mechanisms, where Linux copies them.
// Linux: ipc/syscall.c, ipc/msg.c (ksys_msgget, ksys_msgsnd, ksys_msgrcv, ksys_msgctl),
// ipc/sem.c (ksys_semget, ksys_semtimedop, do_semtimedop, ksys_semctl).
//
// The engine passes size_t sizes as i32 (it clamps sizes above INT_MAX, which no message can
// reach) and msgrcv's long msgtyp as two halves (low, high).

import {
  BLOCKED, CLOCK_REALTIME, E2BIG, EBADF, EFAULT, EINVAL, ENAMETOOLONG, ENOENT, ENOMEM,
  ENOTSOCK, O_CREAT, O_NONBLOCK, SIGEV_THREAD,
} from "./abi";
import { fdGet, file } from "./file";
import {
  MQ_PRIO_MAX, mqAttrCurmsgs, mqAttrMaxmsg, mqAttrMsgsize, mqNotify, mqNotifyCheck, mqOfFile,
  mqOpen, mqReceive, mqSend, mqUnlink,
} from "./mqueue";
import { timespecFromUser } from "./sys_time";
import { timeAbsToMono } from "./time";
import { bufAlloc, bufFree, bufFromUser } from "./ipc";
import { msgAbort, msgGet, msgLoad, msgRcv, msgSnd, msgsndWait } from "./msg";
import { PATH_MAX, P_MSGMAX, P_SEMOPM } from "./param";
import { Proc } from "./proc";
import { SOP_BYTES, semGet } from "./sem";
import {
  NOT_FAST, SEMOPM_FAST, semAbort, semTimedop, semTimedout, semopOne, sopsFast,
} from "./semop";
import { paramGet } from "./sysctl";
import { MsgBuf, Timespec } from "./uapi";
import { copyFromUser, copyFromUserSmall, copyToUser } from "./vm";

// msgctl(msqid, cmd, buf) and semctl(semid, semnum, cmd, arg) enter their mechanisms directly:
// each command copies its own structure.
export { msgCtl as sysMsgctl } from "./msg";
export { semCtl as sysSemctl } from "./sem";

/** msgsnd's mtype, as copied in. */
const MTYPE_BYTES: u32 = <u32>offsetof<MsgBuf>();
const mtypeBuf: usize = memory.data(<i32>MTYPE_BYTES, 8);
/** semtimedop's struct timespec64, as copied in. */
const TIMESPEC_BYTES: u32 = <u32>offsetof<Timespec>();
const timeoutBuf: usize = memory.data(<i32>TIMESPEC_BYTES, 16);

export function sysMsgget(p: Proc, key: i32, flg: i32): i32 {
  return msgGet(key, flg);
}

/** msgsnd(msqid, msgp, msgsz, msgflg): msgp is | mtype i64 | mtext |. ksys_msgsnd copies mtype
 * in, do_msgsnd checks msgsz, msqid and mtype and loads the text (load_msg) before it looks the
 * queue up. A woken sender retries with the message it loaded before it slept. */
export function sysMsgsnd(p: Proc, msqid: i32, va: u32, msgsz: i32, flg: i32): i32 {
  if (p.woke != 0) return msgSnd(p, msqid, msgsndWait(p).msg, flg);
  if (copyFromUserSmall(p, mtypeBuf, va, MTYPE_BYTES) != MTYPE_BYTES) return -EFAULT;
  const mtype = changetype<MsgBuf>(mtypeBuf).mtype;
  if (msgsz > paramGet(P_MSGMAX) || msgsz < 0 || msqid < 0) return -EINVAL;
  if (mtype < 1) return -EINVAL;
  const m = msgLoad(p, va + 8, msgsz, mtype);
  if (m < 0) return m;
  return msgSnd(p, msqid, m, flg);
}

/** msgrcv(msqid, msgp, msgsz, msgtyp, msgflg), msgtyp in two halves. */
export function sysMsgrcv(
  p: Proc, msqid: i32, va: u32, msgsz: i32, typLo: i32, typHi: i32, flg: i32,
): i32 {
  // The low half masked explicitly: with `<i64><u32>typLo` alone, the optimised build (binaryen
  // 131 nightly) loaded the inlined p.a3 sign-extended (i64.load32_s), so a msgtyp whose low
  // half has bit 31 set (3000000000, LONG_MAX) reached msgRcv as another number (issue 21).
  return msgRcv(p, msqid, va, msgsz, (<i64>typHi << 32) | (<i64>typLo & 0xffffffff), flg);
}

export function sysSemget(p: Proc, key: i32, nsems: i32, flg: i32): i32 {
  return semGet(key, nsems, flg);
}

/** semop(semid, sops, nsops) is semtimedop without a timeout. */
export function sysSemop(p: Proc, semid: i32, sopsVa: u32, nsops: u32): i32 {
  return sysSemtimedop(p, semid, sopsVa, nsops, 0);
}

/** semtimedop(semid, sops, nsops, timeout), timeout 0 is NULL (ksys_semtimedop, then
 * do_semtimedop): the timeout is copied first, then nsops is checked (E2BIG before EINVAL)
 * and the sops are copied. A sleeper keeps the kernel's copy of its sops. */
@inline export function sysSemtimedop(
  p: Proc, semid: i32, sopsVa: u32, nsops: u32, timeoutVa: u32,
): i32 {
  if (p.woke != 0 && p.timedOut != 0) return semTimedout(p); // the timeout's deadline passed
  if (timeoutVa != 0 && copyFromUser(p, timeoutBuf, timeoutVa, TIMESPEC_BYTES) != TIMESPEC_BYTES) {
    return -EFAULT;
  }
  if (nsops > <u32>paramGet(P_SEMOPM)) return -E2BIG;
  if (nsops < 1) return -EINVAL;
  const n = <i32>nsops;
  // Linux: ipc/sem.c do_semtimedop() copies up to SEMOPM_FAST sops to its stack, not kmalloc;
  // here a static buffer, which semTimedop copies to a buffer of its own if the caller sleeps.
  const fast = n <= SEMOPM_FAST;
  const h = fast ? sopsFast : bufAlloc(n * SOP_BYTES, false);
  if (h == 0) return -ENOMEM;
  let r = -EFAULT;
  const bytes = n * SOP_BYTES;
  const copied = fast ? copyFromUserSmall(p, h, sopsVa, <u32>bytes) == <u32>bytes // one piece
    : bufFromUser(p, h, bytes, sopsVa);
  if (copied) {
    r = n == 1 && timeoutVa == 0 ? semopOne(p, semid, h) : NOT_FAST;
    if (r == NOT_FAST) r = semTimedop(p, semid, h, n, timeoutVa != 0 ? timeoutBuf : 0);
  }
  if (r != BLOCKED && !fast) bufFree(h, n * SOP_BYTES);
  return r;
}

/** A process dies or is interrupted by a signal inside a SysV call (blocked, or woken and not
 * yet retried): release what the call holds (a sender's message, a sleeper's sops and its
 * place in complex_count). */
export function sysvAbort(p: Proc): void {
  msgAbort(p);
  semAbort(p);
}

// ---- POSIX message queues (ipc/mqueue.c) ----

/** struct mq_attr (include/uapi/linux/mqueue.h): four longs and four reserved. */
const MQ_ATTR_BYTES: u32 = 64;
const mqAttrBuf: usize = memory.data(<i32>MQ_ATTR_BYTES, 16);
/** struct sigevent as mq_notify copies it: sigev_value @0, sigev_signo @8, sigev_notify @12. */
const SIGEVENT_BYTES: u32 = 64;
const mqSevBuf: usize = memory.data(<i32>SIGEVENT_BYTES, 16);
/** A queue's name, after glibc's slash (getname). */
const mqName: usize = memory.data(PATH_MAX + 1, 16);

/** glibc's check (a name must start with '/': EINVAL) and getname of the rest: its length,
 * or -EFAULT / -ENAMETOOLONG / -ENOENT (a name that is only "/"). */
function mqGetname(p: Proc, va: u32): i32 {
  if (copyFromUser(p, mqName, va, 1) != 1) return -EFAULT;
  if (load<u8>(mqName) != 0x2f) return -EINVAL;
  let len = 0;
  while (len <= PATH_MAX) {
    if (copyFromUser(p, mqName + len, va + 1 + <u32>len, 1) != 1) return -EFAULT;
    if (load<u8>(mqName + len) == 0) break;
    len++;
  }
  if (len >= PATH_MAX) return -ENAMETOOLONG;
  return len == 0 ? -ENOENT : len;
}

/** mq_open(name, oflag, mode, attr) as glibc's: attr is read only with O_CREAT (glibc passes
 * it only then; the syscall copies it: EFAULT). */
export function sysMqOpen(p: Proc, nameVa: u32, oflag: i32, mode: i32, attrVa: u32): i32 {
  const hasAttr = (oflag & O_CREAT) != 0 && attrVa != 0;
  if (hasAttr && copyFromUser(p, mqAttrBuf, attrVa, MQ_ATTR_BYTES) != MQ_ATTR_BYTES) {
    return -EFAULT;
  }
  const len = mqGetname(p, nameVa);
  if (len < 0) return len;
  const maxmsg = load<i64>(mqAttrBuf, 8);
  return mqOpen(p, mqName, len, oflag, hasAttr, maxmsg, load<i64>(mqAttrBuf, 16), mode);
}

/** mq_unlink(name) as glibc's. */
export function sysMqUnlink(p: Proc, nameVa: u32): i32 {
  const len = mqGetname(p, nameVa);
  if (len < 0) return len;
  return mqUnlink(mqName, len);
}

/** prepare_timeout: the absolute CLOCK_REALTIME deadline at va as monotonic ns (an instant
 * before the trace began: 0, passed), -1 for none (va 0), or -EFAULT / -EINVAL (as -errno,
 * below -1). */
function mqDeadline(p: Proc, va: u32): i64 {
  if (va == 0) return -1;
  const ns = timespecFromUser(p, va);
  if (ns < 0) return ns - 1;
  const t = timeAbsToMono(CLOCK_REALTIME, ns);
  return t < 0 ? 0 : t;
}

/** mq_timedsend(mqd, msg, len, prio, abs_timeout): the timeout, then the priority. */
export function sysMqTimedsend(p: Proc, mqd: i32, va: u32, len: u32, prio: i32, ts: u32): i32 {
  const deadline = mqDeadline(p, ts);
  if (deadline < -1) return <i32>(deadline + 1);
  if (<u32>prio >= <u32>MQ_PRIO_MAX) return -EINVAL;
  const fi = fdGet(p, mqd);
  if (fi < 0) return fi;
  return mqSend(p, fi, va, len, prio, deadline);
}

/** mq_timedreceive(mqd, msg, len, prio, abs_timeout). */
export function sysMqTimedreceive(
  p: Proc, mqd: i32, va: u32, len: u32, prioVa: u32, ts: u32,
): i32 {
  const deadline = mqDeadline(p, ts);
  if (deadline < -1) return <i32>(deadline + 1);
  const fi = fdGet(p, mqd);
  if (fi < 0) return fi;
  return mqReceive(p, fi, va, len, prioVa, deadline);
}

/** mq_notify(mqd, sevp): sevp NULL removes the caller's registration. */
/** NOTIFY_COOKIE_LEN (include/uapi/linux/mqueue.h). */
const NOTIFY_COOKIE_LEN: u32 = 32;

/** SIGEV_THREAD (do_mq_notify, before the queue's descriptor is looked at): the cookie is
 * copied from sigev_value.sival_ptr (EFAULT), sigev_signo names a netlink socket (EBADF when
 * it is not open; the model has no sockets, so any open descriptor is ENOTSOCK). */
function mqNotifyThread(p: Proc, sockFd: i32): i32 {
  const hi = load<u32>(mqSevBuf, 4);
  const cookie = load<u32>(mqSevBuf);
  if (hi != 0 || copyFromUser(p, mqCookie, cookie, NOTIFY_COOKIE_LEN) != NOTIFY_COOKIE_LEN) {
    return -EFAULT;
  }
  const f = fdGet(p, sockFd);
  return f < 0 ? -EBADF : -ENOTSOCK;
}
const mqCookie: usize = memory.data(<i32>NOTIFY_COOKIE_LEN, 8);

export function sysMqNotify(p: Proc, mqd: i32, sevVa: u32): i32 {
  let how = -1;
  if (sevVa != 0) {
    if (copyFromUser(p, mqSevBuf, sevVa, SIGEVENT_BYTES) != SIGEVENT_BYTES) return -EFAULT;
    how = load<i32>(mqSevBuf, 12);
    if (how < 0) return -EINVAL;
  }
  const signo = load<i32>(mqSevBuf, 8);
  const value = load<i32>(mqSevBuf);
  const checked = sevVa != 0 ? mqNotifyCheck(how, signo) : 0;
  if (checked < 0) return checked;
  if (how == SIGEV_THREAD) return mqNotifyThread(p, signo);
  const fi = fdGet(p, mqd);
  if (fi < 0) return fi;
  return mqNotify(p, fi, how, signo, value);
}

/** mq_getsetattr(mqd, new, old): new's flags other than O_NONBLOCK are EINVAL; old is the
 * queue's attr with the description's O_NONBLOCK. */
export function sysMqGetsetattr(p: Proc, mqd: i32, newVa: u32, oldVa: u32): i32 {
  let flags: i64 = 0;
  if (newVa != 0) {
    if (copyFromUser(p, mqAttrBuf, newVa, MQ_ATTR_BYTES) != MQ_ATTR_BYTES) return -EFAULT;
    flags = load<i64>(mqAttrBuf);
    if ((flags & ~(<i64>O_NONBLOCK)) != 0) return -EINVAL;
  }
  const fi = fdGet(p, mqd);
  if (fi < 0) return fi;
  const q = mqOfFile(fi);
  if (q < 0) return q;
  const f = file(fi);
  memory.fill(mqAttrBuf, 0, MQ_ATTR_BYTES);
  store<i64>(mqAttrBuf, <i64>(f.flags & O_NONBLOCK));
  store<i64>(mqAttrBuf, <i64>mqAttrMaxmsg(fi), 8);
  store<i64>(mqAttrBuf, <i64>mqAttrMsgsize(fi), 16);
  store<i64>(mqAttrBuf, <i64>mqAttrCurmsgs(fi), 24);
  if (newVa != 0) f.flags = (f.flags & ~O_NONBLOCK) | <i32>flags;
  if (oldVa != 0 && copyToUser(p, oldVa, mqAttrBuf, MQ_ATTR_BYTES) != MQ_ATTR_BYTES) {
    return -EFAULT;
  }
  return 0;
}
