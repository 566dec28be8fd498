// Syscall entry points for SysV IPC: decode the arguments, pick the mechanism.
// Linux: ipc/syscall.c, ipc/msg.c (ksys_msgget, ksys_msgsnd, ksys_msgrcv, ksys_msgctl),
// ipc/sem.c (ksys_semget, ksys_semtimedop, ksys_semctl).
//
// The engine passes size_t sizes as i32 (it clamps sizes above INT_MAX, which no message can
// reach) and msgrcv's long msgtyp as two halves (low, high).

import { msgAbort, msgCtl, msgGet, msgRcv, msgSnd } from "./msg";
import { Proc } from "./proc";
import { semCtl, semGet } from "./sem";
import { semAbort, semTimedop } from "./semop";

export function sysMsgget(p: Proc, key: i32, flg: i32): i32 {
  return msgGet(key, flg);
}

/** msgsnd(msqid, msgp, msgsz, msgflg): msgp is | mtype i64 | mtext |. */
export function sysMsgsnd(p: Proc, msqid: i32, va: u32, msgsz: i32, flg: i32): i32 {
  return msgSnd(p, msqid, va, msgsz, flg);
}

/** msgrcv(msqid, msgp, msgsz, msgtyp, msgflg), msgtyp in two halves. */
export function sysMsgrcv(
  p: Proc, msqid: i32, va: u32, msgsz: i32, typLo: i32, typHi: i32, flg: i32,
): i32 {
  return msgRcv(p, msqid, va, msgsz, (<i64>typHi << 32) | <i64><u32>typLo, flg);
}

/** msgctl(msqid, cmd, buf). */
export function sysMsgctl(p: Proc, msqid: i32, cmd: i32, va: u32): i32 {
  return msgCtl(p, msqid, cmd, va);
}

export function sysSemget(p: Proc, key: i32, nsems: i32, flg: i32): i32 {
  return semGet(key, nsems, flg);
}

/** semop(semid, sops, nsops) is semtimedop without a timeout. */
export function sysSemop(p: Proc, semid: i32, sopsVa: u32, nsops: u32): i32 {
  return semTimedop(p, semid, sopsVa, nsops, 0);
}

/** semtimedop(semid, sops, nsops, timeout): timeout 0 is NULL. */
export function sysSemtimedop(p: Proc, semid: i32, sopsVa: u32, nsops: u32, timeoutVa: u32): i32 {
  return semTimedop(p, semid, sopsVa, nsops, timeoutVa);
}

/** semctl(semid, semnum, cmd, arg): arg is SETVAL's int or the address of the argument. */
export function sysSemctl(p: Proc, semid: i32, semnum: i32, cmd: i32, arg: i32): i32 {
  return semCtl(p, semid, semnum, cmd, arg);
}

/** A process dies or is interrupted by a signal inside a SysV call (blocked, or woken and not
 * yet retried): release what the call holds (a sender's message, a sleeper's sops and its place in complex_count). */
export function sysvAbort(p: Proc): void {
  msgAbort(p);
  semAbort(p);
}
