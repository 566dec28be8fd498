// SysV semaphores, exactly as ipc/sem.c: the semaphore sets, semget and semctl (GETVAL GETALL
// GETPID GETNCNT GETZCNT SETVAL SETALL IPC_STAT IPC_SET IPC_RMID, the INFO and STAT commands).
// The operations (semop, semtimedop), the pending lists and undo are in semop.ts.
//
// Linux: ipc/sem.c (newary, sem_more_checks, ksys_semget, semctl_setval, semctl_main,
// semctl_stat, semctl_info, semctl_down, freeary). Syscalls: semget, semctl (sys_ipc.ts).
//
// Kernel layouts:
//   SemArray (the type part of the set's IPC record): nsems, complex_count, the array's two
//     pending lists (wait queues), the semaphores' buffer, the undo list (list_id)
//   Sem (32 bytes a semaphore, in the array's buffer): | semval | sempid | alter q | const q |
//   sop (the kernel's copy, as struct sembuf):           | sem_num u16 | sem_op i16 | sem_flg i16 |
//   SemUndo (32-byte object): | procNext | idNext | semid | pid | nsems | semadj buffer (i16) |
//   SemopWait (a semop sleeper's Proc call state): | nsops | semid | sops buffer | blocking |
//     | undo |
//
// Times: sem_ctime (creation, SETVAL, SETALL, IPC_SET) and sem_otime (semop.ts) are the
// virtual CLOCK_REALTIME's seconds (time.ts).
//
// Differences from Linux: a set holds at most 131,072 semaphores (IPC_BUF_MAX).
//
// Invariants (semCheck): 0 <= semval <= SEMVMX; every list holds blocked semop callers of the
// kind it is for; complex_count counts the complex sleepers and the array's alter list is empty
// when it is 0; undo records sit on their array's list and their process's list; used_sems is
// the sum of nsems.

import {
  EACCES, EFAULT, EINVAL, ENOMEM, ENOSPC, ERANGE, GETALL, GETNCNT, GETPID, GETVAL, GETZCNT,
  IPC_INFO, IPC_RMID, IPC_SET, IPC_STAT, PROC_BLOCKED, SEM_INFO, SEM_STAT, SEM_STAT_ANY, SETALL,
  SETVAL, SYS_semop, SYS_semtimedop,
} from "./abi";
import {
  IPC_REC_HDR, IPC_SEM, REC_BYTES, S_IRUGO, S_IWUGO, bufAddr, bufAlloc, bufFree, bufFromUser, bufPages,
  ipcAddId, ipcCtlObtainCheck, ipcGet, ipcIdxUsed, ipcInUse, ipcMaxIdx, ipcObtainCheck,
  ipcObtainIdx, ipcPerm, ipcPerms, ipcRec, ipcRmid, ipcStatPerm, ipcUpdatePerm, obj,
} from "./ipc";
import {
  IPCMNI, P_SEMMNI, P_SEMMNS, P_SEMMSL, P_SEMOPM, SEMAEM, SEMMAP, SEMMNU, SEMUME, SEMUSZ, SEMVMX,
} from "./param";
import { CALL_NONE, CALL_STATE_BYTES, Proc, callState, nextPid, proc } from "./proc";
import {
  countSemcnt, resetUndos, semDropAll, semUndoList, semUnlock, semopInit, smartUpdate,
} from "./semop";
import { paramGet } from "./sysctl";
import { timeRealSeconds } from "./time";
import { SemBuf, SemInfo, Semid64Ds } from "./uapi";
import { copyFromUser, copyToUser } from "./vm";
import { waitCheck, waitEmpty, waitQueue } from "./wait";

export const SOP_BYTES: i32 = <i32>offsetof<SemBuf>();
const SEM_BYTES: i32 = 32;
const SEMID_DS_BYTES: i32 = <i32>offsetof<Semid64Ds>();
const SEMINFO_BYTES: i32 = <i32>offsetof<SemInfo>();
/** GETALL/SETALL's array and an undo record's semadj hold one short per semaphore. */
const SEMVAL_BYTES: i32 = sizeof<u16>();
export const SEMADJ_BYTES: i32 = sizeof<i16>();

/** struct sem_array (after the IpcPerm head of its record). */
@unmanaged export class SemArray {
  nsems: i32;
  complexCount: i32;
  alterHead: i32;
  alterTail: i32;
  constHead: i32;
  constTail: i32;
  /** nsems Sem records in a page buffer. */
  sems: usize;
  /** Undo records of this array (list_id), -1 at the end. */
  undoHead: i32;
  /** The latest sem_otime of its semaphores (get_semotime) and sem_ctime: CLOCK_REALTIME
   * seconds. */
  otime: i64;
  ctime: i64;
}

/** struct sem. */
@unmanaged class Sem {
  semval: i32;
  sempid: i32;
  alterHead: i32;
  alterTail: i32;
  constHead: i32;
  constTail: i32;
}

/** struct sem_undo. */
@unmanaged export class SemUndo {
  procNext: i32;
  idNext: i32;
  semid: i32;
  pid: i32;
  nsems: i32;
  adj: usize;
}

/** A semop caller asleep on a pending list (struct sem_queue, kept in its Proc call state):
 * its own copy of the sops (a page buffer; nsops CALL_NONE when it holds none), the set, the
 * index of the sop that blocks it (q->blocking), its undo record (-1: none). */
@unmanaged class SemopWait {
  nsops: i32;
  semid: i32;
  sops: usize;
  blocking: i32;
  undo: i32;
}

@unmanaged class SemState {
  usedSems: i64;
}

const S = changetype<SemState>(memory.data(offsetof<SemState>(), 16));
/** The kernel's copy of semid64_ds (the largest), seminfo or one semval. */
const tmp: usize = memory.data(SEMID_DS_BYTES, 16);

@inline export function array(idx: i32): SemArray {
  return changetype<SemArray>(ipcRec(IPC_SEM, idx) + IPC_REC_HDR);
}
@inline export function sem(a: SemArray, num: i32): Sem {
  return changetype<Sem>(bufAddr(a.sems, a.nsems * SEM_BYTES, num * SEM_BYTES));
}
@inline export function undo(u: i32): SemUndo {
  return changetype<SemUndo>(obj(u));
}
@inline export function globalAlter(a: SemArray): usize {
  return changetype<usize>(a) + offsetof<SemArray>("alterHead");
}
@inline export function globalConst(a: SemArray): usize {
  return changetype<usize>(a) + offsetof<SemArray>("constHead");
}
@inline export function semAlter(s: Sem): usize {
  return changetype<usize>(s) + offsetof<Sem>("alterHead");
}
@inline export function semConst(s: Sem): usize {
  return changetype<usize>(s) + offsetof<Sem>("constHead");
}
// A sop's fields, each read on its own: a sembuf may straddle two pages of the kernel's copy,
// its 2-byte fields never do.
const SOP_NUM: i32 = <i32>offsetof<SemBuf>("sem_num");
const SOP_OP: i32 = <i32>offsetof<SemBuf>("sem_op");
const SOP_FLG: i32 = <i32>offsetof<SemBuf>("sem_flg");
@inline export function sopNum(h: usize, n: i32, i: i32): i32 {
  return <i32>load<u16>(bufAddr(h, n * SOP_BYTES, i * SOP_BYTES + SOP_NUM));
}
@inline export function sopOp(h: usize, n: i32, i: i32): i32 {
  return <i32>load<i16>(bufAddr(h, n * SOP_BYTES, i * SOP_BYTES + SOP_OP));
}
@inline export function sopFlg(h: usize, n: i32, i: i32): i32 {
  return <i32>load<i16>(bufAddr(h, n * SOP_BYTES, i * SOP_BYTES + SOP_FLG));
}
@inline export function adjAddr(u: i32, num: i32): usize {
  return bufAddr(undo(u).adj, undo(u).nsems * SEMADJ_BYTES, num * SEMADJ_BYTES);
}
/** What a semop sleeper keeps (it is blocked in semop, see semop.ts). */
@inline export function semopWait(p: Proc): SemopWait {
  assert(offsetof<SemopWait>() <= CALL_STATE_BYTES);
  return changetype<SemopWait>(callState(p));
}

export function semInit(): void {
  assert(IPC_REC_HDR + offsetof<SemArray>() <= <usize>REC_BYTES, "SemArray overflows its record");
  S.usedSems = 0;
  semopInit();
}

// ---- semget ----

/** newary: nsems 0 is EINVAL and SEMMNS ENOSPC, both before the id is allocated. */
function newary(key: i32, flg: i32, nsems: i32): i32 {
  if (nsems == 0) return -EINVAL;
  if (S.usedSems + <i64>nsems > <i64>paramGet(P_SEMMNS)) return -ENOSPC;
  const h = bufAlloc(nsems * SEM_BYTES);
  if (h == 0) return -ENOMEM;
  const idx = ipcAddId(IPC_SEM, key, flg, paramGet(P_SEMMNI));
  if (idx < 0) {
    bufFree(h, nsems * SEM_BYTES);
    return idx;
  }
  const a = array(idx);
  a.nsems = nsems;
  a.sems = h;
  a.undoHead = -1;
  a.ctime = timeRealSeconds();
  S.usedSems += nsems;
  return ipcPerm(ipcRec(IPC_SEM, idx)).id;
}

/** sem_more_checks: an existing set must have at least nsems semaphores. */
function semMoreChecks(idx: i32, nsems: i32): i32 {
  return nsems > array(idx).nsems ? -EINVAL : 0;
}

/** ksys_semget: nsems is checked against SEMMSL before the key is looked up. */
export function semGet(key: i32, nsems: i32, flg: i32): i32 {
  if (nsems < 0 || nsems > paramGet(P_SEMMSL)) return -EINVAL;
  return ipcGet(IPC_SEM, key, flg, nsems, newary, semMoreChecks);
}

// ---- semctl ----

/** semctl_setval: the value is checked (ERANGE) before the id, semnum (EINVAL) before the
 * permission; every process's adjustment of that semaphore is reset. */
function semSetval(p: Proc, semid: i32, semnum: i32, val: i32): i32 {
  if (val > SEMVMX || val < 0) return -ERANGE;
  const idx = ipcObtainCheck(IPC_SEM, semid);
  if (idx < 0) return idx;
  const a = array(idx);
  if (semnum < 0 || semnum >= a.nsems) return -EINVAL;
  if (ipcPerms(ipcRec(IPC_SEM, idx), S_IWUGO) < 0) return -EACCES;
  resetUndos(a, semnum);
  sem(a, semnum).semval = val;
  sem(a, semnum).sempid = p.pid;
  a.ctime = timeRealSeconds();
  smartUpdate(a, 0, 0, false);
  semUnlock(a);
  return 0;
}

/** SETALL: nsems values (unsigned short) from va; any above SEMVMX is ERANGE and changes
 * nothing; then as SETVAL for every semaphore. */
function semSetall(p: Proc, a: SemArray, va: u32): i32 {
  const len = a.nsems * SEMVAL_BYTES;
  const h = bufAlloc(len, false);
  if (h == 0) return -ENOMEM;
  let err = bufFromUser(p, h, len, va) ? 0 : -EFAULT;
  for (let i = 0; i < a.nsems && err == 0; i++) {
    if (<i32>load<u16>(bufAddr(h, len, i * SEMVAL_BYTES)) > SEMVMX) err = -ERANGE;
  }
  if (err == 0) {
    for (let i = 0; i < a.nsems; i++) {
      sem(a, i).semval = <i32>load<u16>(bufAddr(h, len, i * SEMVAL_BYTES));
      sem(a, i).sempid = p.pid;
    }
    resetUndos(a, -1);
    a.ctime = timeRealSeconds();
    smartUpdate(a, 0, 0, false);
    semUnlock(a);
  }
  bufFree(h, len);
  return err;
}

function semGetall(p: Proc, a: SemArray, va: u32): i32 {
  for (let i = 0; i < a.nsems; i++) {
    store<u16>(tmp, <u16>sem(a, i).semval);
    const at = va + <u32>(i * SEMVAL_BYTES);
    if (copyToUser(p, at, tmp, SEMVAL_BYTES) != <u32>SEMVAL_BYTES) return -EFAULT;
  }
  return 0;
}

/** semctl_main: GETALL and SETALL ignore semnum; the others check it after the permission. */
function semMain(p: Proc, semid: i32, semnum: i32, cmd: i32, va: u32): i32 {
  const idx = ipcObtainCheck(IPC_SEM, semid);
  if (idx < 0) return idx;
  const a = array(idx);
  if (ipcPerms(ipcRec(IPC_SEM, idx), cmd == SETALL ? S_IWUGO : S_IRUGO) < 0) return -EACCES;
  if (cmd == GETALL) return semGetall(p, a, va);
  if (cmd == SETALL) return semSetall(p, a, va);
  if (semnum < 0 || semnum >= a.nsems) return -EINVAL;
  if (cmd == GETVAL) return sem(a, semnum).semval;
  if (cmd == GETPID) return sem(a, semnum).sempid;
  return countSemcnt(a, semnum, cmd == GETZCNT);
}

/** semctl_stat: IPC_STAT (0), SEM_STAT and SEM_STAT_ANY (the id of an index) into va, as
 * struct semid64_ds (uapi.ts). */
function semStat(p: Proc, semid: i32, cmd: i32, va: u32): i32 {
  const idx = cmd == IPC_STAT ? ipcObtainCheck(IPC_SEM, semid) : ipcObtainIdx(IPC_SEM, semid);
  if (idx < 0) return idx;
  const rec = ipcRec(IPC_SEM, idx);
  if (cmd != SEM_STAT_ANY && ipcPerms(rec, S_IRUGO) < 0) return -EACCES;
  memory.fill(tmp, 0, SEMID_DS_BYTES);
  ipcStatPerm(rec, tmp);
  changetype<Semid64Ds>(tmp).sem_nsems = <u64>array(idx).nsems;
  changetype<Semid64Ds>(tmp).sem_otime = array(idx).otime;
  changetype<Semid64Ds>(tmp).sem_ctime = array(idx).ctime;
  if (copyToUser(p, va, tmp, SEMID_DS_BYTES) != <u32>SEMID_DS_BYTES) return -EFAULT;
  return cmd == IPC_STAT ? 0 : ipcPerm(rec).id;
}

/** semctl_info: struct seminfo at va; returns the highest used index (0 when none). */
function semInfo(p: Proc, cmd: i32, va: u32): i32 {
  const info = cmd == SEM_INFO;
  const out = changetype<SemInfo>(tmp);
  out.semmap = SEMMAP;
  out.semmni = paramGet(P_SEMMNI);
  out.semmns = paramGet(P_SEMMNS);
  out.semmnu = SEMMNU;
  out.semmsl = paramGet(P_SEMMSL);
  out.semopm = paramGet(P_SEMOPM);
  out.semume = SEMUME;
  out.semusz = info ? ipcInUse(IPC_SEM) : SEMUSZ;
  out.semvmx = SEMVMX;
  out.semaem = info ? <i32>S.usedSems : SEMAEM;
  const maxIdx = ipcMaxIdx(IPC_SEM);
  if (copyToUser(p, va, tmp, SEMINFO_BYTES) != <u32>SEMINFO_BYTES) return -EFAULT;
  return maxIdx < 0 ? 0 : maxIdx;
}

/** freeary: undo records go, every sleeper gets EIDRM, the id goes. */
function freeary(idx: i32): void {
  const a = array(idx);
  semDropAll(a);
  ipcRmid(IPC_SEM, idx);
  S.usedSems -= a.nsems;
  bufFree(a.sems, a.nsems * SEM_BYTES);
}

/** semctl_down: IPC_SET (uid, gid, mode from struct semid64_ds at va) and IPC_RMID. */
function semDown(p: Proc, semid: i32, cmd: i32, va: u32): i32 {
  const n = <u32>SEMID_DS_BYTES;
  if (cmd == IPC_SET && copyFromUser(p, tmp, va, n) != n) return -EFAULT;
  const idx = ipcCtlObtainCheck(IPC_SEM, semid);
  if (idx < 0) return idx;
  if (cmd == IPC_RMID) {
    freeary(idx);
    return 0;
  }
  const rec = ipcRec(IPC_SEM, idx);
  const err = ipcUpdatePerm(rec, tmp);
  if (err == 0) array(idx).ctime = timeRealSeconds();
  return err;
}

/** ksys_semctl. arg is SETVAL's value, otherwise the address of the argument. */
export function semCtl(p: Proc, semid: i32, semnum: i32, cmd: i32, arg: i32): i32 {
  if (semid < 0) return -EINVAL;
  const va = <u32>arg;
  if (cmd == IPC_INFO || cmd == SEM_INFO) return semInfo(p, cmd, va);
  if (cmd == IPC_STAT || cmd == SEM_STAT || cmd == SEM_STAT_ANY) return semStat(p, semid, cmd, va);
  const main = cmd == GETVAL || cmd == GETPID || cmd == GETNCNT || cmd == GETZCNT;
  if (main || cmd == GETALL || cmd == SETALL) return semMain(p, semid, semnum, cmd, va);
  if (cmd == SETVAL) return semSetval(p, semid, semnum, arg);
  if (cmd == IPC_SET || cmd == IPC_RMID) return semDown(p, semid, cmd, va);
  return -EINVAL;
}

// ---- invariants ----

function checkList(q: usize, single: bool, num: i32, zero: bool): i32 {
  waitCheck(q);
  let complex = 0;
  for (let pid = waitQueue(q).head; pid != 0; pid = proc(pid).waitNext) {
    const p = proc(pid);
    assert(p.callNr == SYS_semop || p.callNr == SYS_semtimedop, "a semaphore sleeper not in semop");
    const w = semopWait(p);
    assert(w.nsops >= 1 && w.blocking >= 0 && w.blocking < w.nsops, "a sleeper lost its sops");
    if (single) {
      assert(w.nsops == 1 && sopNum(w.sops, 1, 0) == num, "single-sop list holds another");
    }
    let alters = false;
    for (let i = 0; i < w.nsops; i++) if (sopOp(w.sops, w.nsops, i) != 0) alters = true;
    assert(alters != zero, "an alter op on a zero list or a zero op on an alter list");
    if (w.nsops > 1) complex++;
  }
  return complex;
}

export function semCheck(): void {
  let used: i64 = 0;
  for (let idx = 0; idx < IPCMNI; idx++) {
    if (!ipcIdxUsed(IPC_SEM, idx)) continue;
    const a = array(idx);
    assert(a.nsems >= 1 && a.sems != 0, "semaphore set without semaphores");
    used += a.nsems;
    let complex = checkList(globalAlter(a), false, -1, false);
    complex += checkList(globalConst(a), false, -1, true);
    for (let i = 0; i < a.nsems; i++) {
      const s = sem(a, i);
      assert(s.semval >= 0 && s.semval <= SEMVMX, "semval out of [0, SEMVMX]");
      complex += checkList(semAlter(s), true, i, false) + checkList(semConst(s), true, i, true);
      if (a.complexCount > 0) assert(waitEmpty(semAlter(s)), "a semaphore list while merged");
    }
    assert(complex == a.complexCount, "complex_count drifted");
    if (a.complexCount == 0) assert(waitEmpty(globalAlter(a)), "array alter list not unmerged");
    const id = ipcPerm(ipcRec(IPC_SEM, idx)).id;
    for (let u = a.undoHead; u >= 0; u = undo(u).idNext) {
      assert(undo(u).semid == id && undo(u).nsems == a.nsems, "undo record on another set's list");
    }
  }
  assert(used == S.usedSems, "used_sems drifted");
  for (let pid = 1; pid < nextPid(); pid++) {
    for (let u = semUndoList(pid); u >= 0; u = undo(u).procNext) {
      assert(undo(u).pid == pid, "undo record on another process's list");
      assert(ipcObtainCheck(IPC_SEM, undo(u).semid) >= 0, "undo record of a removed set");
    }
  }
}

/** Report the pages of every set, undo record and sleeper's sops to `count`. */
export function semPages(count: (page: usize) => void): void {
  for (let idx = 0; idx < IPCMNI; idx++) {
    if (!ipcIdxUsed(IPC_SEM, idx)) continue;
    const a = array(idx);
    bufPages(a.sems, a.nsems * SEM_BYTES, count);
    for (let u = a.undoHead; u >= 0; u = undo(u).idNext) {
      bufPages(undo(u).adj, undo(u).nsems * SEMADJ_BYTES, count);
    }
  }
  for (let pid = 1; pid < nextPid(); pid++) {
    const p = proc(pid);
    const inSemop = p.callNr == SYS_semop || p.callNr == SYS_semtimedop;
    if (p.state != PROC_BLOCKED || !inSemop || semopWait(p).nsops == CALL_NONE) continue;
    bufPages(semopWait(p).sops, semopWait(p).nsops * SOP_BYTES, count);
  }
}
