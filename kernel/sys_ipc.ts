// Syscall entry points for SysV IPC: argument checks and copies from user memory (a message's
// type and text, the sops, the timeout); the mechanisms take kernel values. Messages handed to
// a receiver and the *ctl structures are copied by the mechanisms, where Linux copies them.
// Linux: ipc/syscall.c, ipc/msg.c (ksys_msgget, ksys_msgsnd, ksys_msgrcv, ksys_msgctl),
// ipc/sem.c (ksys_semget, ksys_semtimedop, do_semtimedop, ksys_semctl).
//
// The engine passes size_t sizes as i32 (it clamps sizes above INT_MAX, which no message can
// reach) and msgrcv's long msgtyp as two halves (low, high).

import { BLOCKED, E2BIG, EFAULT, EINVAL, ENOMEM } from "./abi";
import { bufAlloc, bufFree, bufFromUser } from "./ipc";
import { msgAbort, msgGet, msgLoad, msgRcv, msgSnd, msgsndWait } from "./msg";
import { P_MSGMAX, P_SEMOPM } from "./param";
import { Proc } from "./proc";
import { SOP_BYTES, semGet } from "./sem";
import {
  NOT_FAST, SEMOPM_FAST, semAbort, semTimedop, semTimedout, semopOne, sopsFast,
} from "./semop";
import { paramGet } from "./sysctl";
import { MsgBuf, Timespec } from "./uapi";
import { copyFromUser, copyFromUserSmall } from "./vm";

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
