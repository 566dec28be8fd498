// SysV semaphores, exactly as ipc/sem.c: semget, semop/semtimedop (atomic multi-op in array
// order, IPC_NOWAIT per sop, SEM_UNDO), semctl (GETVAL GETALL GETPID GETNCNT GETZCNT SETVAL
// SETALL IPC_STAT IPC_SET IPC_RMID, the INFO and STAT commands), undo at exit.
//
// Linux: ipc/sem.c (newary, sem_more_checks, perform_atomic_semop_slow, do_smart_update,
// do_smart_wakeup_zero, wake_const_ops, update_queue, check_restart, merge_queues,
// unmerge_queues, count_semcnt, check_qop, find_alloc_undo, __do_semtimedop, semctl_setval,
// semctl_main, semctl_stat, semctl_info, semctl_down, freeary, exit_sem). Syscalls: semget,
// semop, semtimedop, semctl (sys_ipc.ts).
//
// Waiting is a pure hand-off: a waker completes sleepers itself (update_queue), so the outcome
// depends only on the order in which operations blocked. Pending operations sleep on wait
// queues kept where Linux keeps its lists:
//   - per semaphore: single-sop alter operations (pending_alter) and wait-for-zero (pending_const);
//   - per array: complex (multi-sop) operations (pending_alter, pending_const), and single-sop
//     alter operations that block while a complex one is pending. When the first complex
//     operation blocks, merge_queues moves every per-semaphore alter list to the array's list
//     (in descending sem_num order, FIFO within each); when none is left, unmerge_queues moves
//     them back (semUnlock).
// After a change, do_smart_update runs the wait-for-zero operations of the semaphores now 0,
// then scans the alter list(s) in FIFO order: an operation that now succeeds is completed
// (EVENT_WAKE), one that cannot is skipped, and after a completion the scan restarts unless
// check_restart proves it useless.
//
// A sleeper keeps its call in its process entry: semid a0, nsops a2, its copy of the sops
// (a page buffer) in callAux, the index of its blocking sop in callAux2, its undo record in
// callDone (-1: none). Kernel layouts:
//   sop (as struct sembuf):  | sem_num u16 | sem_op i16 | sem_flg i16 |
//   Sem (32 bytes a semaphore, in the array's buffer): | semval | sempid | alter q | const q |
//   SemUndo (32-byte object): | procNext | idNext | semid | pid | nsems | semadj buffer (i16) |
//
// Differences from Linux: no clock (sem_otime, sem_ctime are 0); a semtimedop timeout other
// than zero never expires (virtual time is a later issue; a zero timeout gives EAGAIN at once,
// as Linux's immediately expiring timer does); a set holds at most 131,072 semaphores.
// Signals are not implemented yet: see the EINTR hook in doSemop.
//
// Invariants (semCheck): 0 <= semval <= SEMVMX; every list holds blocked semop callers of the
// kind it is for; complex_count counts the complex sleepers and the array's alter list is empty
// when it is 0; undo records sit on their array's list and their process's list; used_sems is
// the sum of nsems.

import {
  BLOCKED, E2BIG, EACCES, EFAULT, EFBIG, EIDRM, EINVAL, ENOMEM, ENOSPC, ERANGE, EAGAIN,
  GETALL, GETNCNT, GETPID, GETVAL, GETZCNT, IPC_INFO, IPC_NOWAIT, IPC_RMID, IPC_SET, IPC_STAT,
  PROC_BLOCKED, SEM_INFO, SEM_STAT, SEM_STAT_ANY, SEM_UNDO, SETALL, SETVAL, SYS_semop,
  SYS_semtimedop,
} from "./abi";
import {
  IPC_REC_HDR, IPC_SEM, S_IRUGO, S_IWUGO, bufAddr, bufAlloc, bufFree, bufFromUser, bufPages,
  ipcAddId, ipcCtlObtainCheck, ipcGet, ipcIdxUsed, ipcInUse, ipcMaxIdx, ipcObtainCheck,
  ipcObtainIdx, ipcPerm, ipcPerms, ipcRec, ipcRmid, ipcStatPerm, ipcUpdatePerm, ipcWakeDone,
  obj, objAlloc, objFree,
} from "./ipc";
import {
  IPCMNI, NPROC, P_SEMMNI, P_SEMMNS, P_SEMMSL, P_SEMOPM, SEMAEM, SEMMAP, SEMMNU, SEMUME,
  SEMUSZ, SEMVMX,
} from "./param";
import { Proc, nextPid, proc } from "./proc";
import { paramGet } from "./sysctl";
import { copyFromUser, copyToUser } from "./vm";
import { sleepOn, unlinkWaiter, waitCheck, waitEmpty, waitQueue } from "./wait";

const SOP_BYTES: i32 = 6;
const SEM_BYTES: i32 = 32;
const SEMID_DS_BYTES: i32 = 104;
const SEMINFO_BYTES: i32 = 40;
const NSEC_PER_SEC: i64 = 1000000000;
/** perform() returns WOULD_BLOCK + i when sop i must wait. */
const WOULD_BLOCK: i32 = 1;

/** struct sem_array (after the IpcPerm head of its record). */
@unmanaged class SemArray {
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
@unmanaged class SemUndo {
  procNext: i32;
  idNext: i32;
  semid: i32;
  pid: i32;
  nsems: i32;
  adj: usize;
}

@unmanaged class SemState {
  usedSems: i64;
}

const S = changetype<SemState>(memory.data(offsetof<SemState>(), 16));
/** Each process's undo list (sysvsem.undo_list), most recently used first; -1 when empty. */
const undoHeads: usize = memory.data(NPROC * 4, 16);
const tmp: usize = memory.data(SEMID_DS_BYTES, 16);

@inline function array(idx: i32): SemArray {
  return changetype<SemArray>(ipcRec(IPC_SEM, idx) + IPC_REC_HDR);
}
@inline function sem(a: SemArray, num: i32): Sem {
  return changetype<Sem>(bufAddr(a.sems, a.nsems * SEM_BYTES, num * SEM_BYTES));
}
@inline function undo(u: i32): SemUndo {
  return changetype<SemUndo>(obj(u));
}
@inline function undoHead(pid: i32): usize {
  return undoHeads + <usize>pid * 4;
}
@inline function globalAlter(a: SemArray): usize {
  return changetype<usize>(a) + offsetof<SemArray>("alterHead");
}
@inline function globalConst(a: SemArray): usize {
  return changetype<usize>(a) + offsetof<SemArray>("constHead");
}
@inline function semAlter(s: Sem): usize {
  return changetype<usize>(s) + offsetof<Sem>("alterHead");
}
@inline function semConst(s: Sem): usize {
  return changetype<usize>(s) + offsetof<Sem>("constHead");
}
@inline function sopNum(h: usize, n: i32, i: i32): i32 {
  return <i32>load<u16>(bufAddr(h, n * SOP_BYTES, i * SOP_BYTES));
}
@inline function sopOp(h: usize, n: i32, i: i32): i32 {
  return <i32>load<i16>(bufAddr(h, n * SOP_BYTES, i * SOP_BYTES + 2));
}
@inline function sopFlg(h: usize, n: i32, i: i32): i32 {
  return <i32>load<i16>(bufAddr(h, n * SOP_BYTES, i * SOP_BYTES + 4));
}
@inline function adjAddr(u: i32, num: i32): usize {
  return bufAddr(undo(u).adj, undo(u).nsems * 2, num * 2);
}
/** A sleeper's sops (it is blocked in semop, see the header). */
@inline function wSops(p: Proc): usize {
  return <usize><u32>p.callAux;
}

export function semInit(): void {
  S.usedSems = 0;
  memory.fill(undoHeads, 0xff, <usize>NPROC * 4);
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

// ---- performing operations ----

/** perform_atomic_semop_slow: apply the sops in order, each seeing the earlier ones; undo them
 * all unless every one succeeds. 0, -ERANGE, -EAGAIN (the blocking sop has IPC_NOWAIT), or
 * WOULD_BLOCK + the index of the sop that must wait. Success sets sempid = pid. */
function perform(a: SemArray, h: usize, n: i32, un: i32, pid: i32): i32 {
  let i = 0;
  let result = 0;
  for (; i < n; i++) {
    const s = sem(a, sopNum(h, n, i));
    const op = sopOp(h, n, i);
    const flg = sopFlg(h, n, i);
    let v = s.semval;
    if (op == 0 && v != 0) {
      result = (flg & IPC_NOWAIT) != 0 ? -EAGAIN : WOULD_BLOCK + i;
      break;
    }
    v += op;
    if (v < 0) {
      result = (flg & IPC_NOWAIT) != 0 ? -EAGAIN : WOULD_BLOCK + i;
      break;
    }
    if (v > SEMVMX) {
      result = -ERANGE;
      break;
    }
    if ((flg & SEM_UNDO) != 0) {
      const adj = <i32>load<i16>(adjAddr(un, sopNum(h, n, i))) - op;
      if (adj < -SEMAEM - 1 || adj > SEMAEM) {
        result = -ERANGE;
        break;
      }
      store<i16>(adjAddr(un, sopNum(h, n, i)), <i16>adj);
    }
    s.semval = v;
  }
  if (i == n) {
    for (let j = 0; j < n; j++) sem(a, sopNum(h, n, j)).sempid = pid;
    return 0;
  }
  for (let j = i - 1; j >= 0; j--) {
    const num = sopNum(h, n, j);
    sem(a, num).semval -= sopOp(h, n, j);
    if ((sopFlg(h, n, j) & SEM_UNDO) != 0) {
      store<i16>(adjAddr(un, num), <i16>(<i32>load<i16>(adjAddr(un, num)) + sopOp(h, n, j)));
    }
  }
  return result;
}

/** Try a sleeper's operation again; remember which sop blocks it (q->blocking). */
function performWaiter(a: SemArray, p: Proc): i32 {
  const r = perform(a, wSops(p), p.a2, p.callDone, p.pid);
  if (r >= WOULD_BLOCK) p.callAux2 = r - WOULD_BLOCK;
  return r;
}

/** unlink_queue. */
function unlinkQueue(a: SemArray, p: Proc): void {
  unlinkWaiter(p);
  if (p.a2 > 1) a.complexCount--;
}

/** wake_up_sem_queue_prepare: the sleeper's call completes with `error` (hand-off). */
function completeWaiter(p: Proc, error: i32): void {
  bufFree(wSops(p), p.a2 * SOP_BYTES);
  ipcWakeDone(p, error);
}

/** wake_const_ops: run the wait-for-zero list of semaphore num (-1: the array's). */
function wakeConstOps(a: SemArray, num: i32): bool {
  const list = num < 0 ? globalConst(a) : semConst(sem(a, num));
  let completed = false;
  let pid = waitQueue(list).head;
  while (pid != 0) {
    const p = proc(pid);
    const next = p.waitNext;
    const error = performWaiter(a, p);
    if (error < WOULD_BLOCK) {
      unlinkQueue(a, p);
      completeWaiter(p, error);
      if (error == 0) completed = true;
    }
    pid = next;
  }
  return completed;
}

/** do_smart_wakeup_zero: the zero-waiters of each changed semaphore that is now 0 (all of them
 * when n is 0: not known which changed), then, if any was 0, the array's. */
function wakeupZero(a: SemArray, h: usize, n: i32): bool {
  let completed = false;
  let gotZero = false;
  const count = n > 0 ? n : a.nsems;
  for (let i = 0; i < count; i++) {
    const num = n > 0 ? sopNum(h, n, i) : i;
    if (sem(a, num).semval == 0) {
      gotZero = true;
      if (wakeConstOps(a, num)) completed = true;
    }
  }
  if (gotZero && wakeConstOps(a, -1)) completed = true;
  return completed;
}

/** check_restart: after a completion, rescan unless it provably cannot help. */
function checkRestart(a: SemArray, p: Proc): bool {
  return !waitEmpty(globalAlter(a)) || p.a2 > 1;
}

/** update_queue: scan semaphore num's alter list (-1: the array's) in FIFO order; complete
 * what now succeeds, skip what cannot, restart after a completion when check_restart says so. */
function updateQueue(a: SemArray, num: i32): void {
  const list = num < 0 ? globalAlter(a) : semAlter(sem(a, num));
  let restart = true;
  while (restart) {
    restart = false;
    let pid = waitQueue(list).head;
    while (pid != 0) {
      // A semaphore at 0 cannot satisfy the decrements on its own list.
      if (num >= 0 && sem(a, num).semval == 0) break;
      const p = proc(pid);
      const next = p.waitNext;
      const error = performWaiter(a, p);
      if (error >= WOULD_BLOCK) {
        pid = next;
        continue;
      }
      unlinkQueue(a, p);
      if (error == 0) {
        wakeupZero(a, wSops(p), p.a2);
        restart = checkRestart(a, p);
      }
      completeWaiter(p, error);
      if (restart) break;
      pid = next;
    }
  }
}

/** do_smart_update: after the sops (n of them; 0 for SETVAL, SETALL and exit: all changed). */
function smartUpdate(a: SemArray, h: usize, n: i32): void {
  wakeupZero(a, h, n);
  if (!waitEmpty(globalAlter(a))) {
    updateQueue(a, -1);
  } else if (n == 0) {
    for (let i = 0; i < a.nsems; i++) updateQueue(a, i);
  } else {
    // Only increments can let a single-sop decrement proceed.
    for (let i = 0; i < n; i++) if (sopOp(h, n, i) > 0) updateQueue(a, sopNum(h, n, i));
  }
}

/** Move every waiter of queue `from` to the tail of queue `to`, in order. */
function moveAll(from: usize, to: usize): void {
  while (!waitEmpty(from)) {
    const p = proc(waitQueue(from).head);
    unlinkWaiter(p);
    sleepOn(p, to, true);
  }
}

/** merge_queues: splicing each semaphore's list onto the head of the array's, in sem_num order,
 * leaves them in descending sem_num order (the array's list is empty here). */
function mergeQueues(a: SemArray): void {
  for (let i = a.nsems - 1; i >= 0; i--) moveAll(semAlter(sem(a, i)), globalAlter(a));
}

/** sem_unlock -> unmerge_queues: with no complex operation left, single-sop alter sleepers go
 * back to their semaphore's list, in the array list's order. */
function semUnlock(a: SemArray): void {
  if (a.complexCount != 0) return;
  while (!waitEmpty(globalAlter(a))) {
    const p = proc(waitQueue(globalAlter(a)).head);
    unlinkWaiter(p);
    sleepOn(p, semAlter(sem(a, sopNum(wSops(p), 1, 0))), true);
  }
}

// ---- undo ----

/** Remove undo u from process pid's list. */
function unlinkProcUndo(pid: i32, u: i32): void {
  let link = undoHead(pid);
  while (load<i32>(link) != u) link = obj(load<i32>(link)) + offsetof<SemUndo>("procNext");
  store<i32>(link, undo(u).procNext);
}

function unlinkArrayUndo(a: SemArray, u: i32): void {
  let link = changetype<usize>(a) + offsetof<SemArray>("undoHead");
  while (load<i32>(link) != u) link = obj(load<i32>(link)) + offsetof<SemUndo>("idNext");
  store<i32>(link, undo(u).idNext);
}

function freeUndo(u: i32): void {
  bufFree(undo(u).adj, undo(u).nsems * 2);
  objFree(u);
}

/** find_alloc_undo: the caller's undo record for semid, moved to the front of its list, or a
 * new one (semadj all 0) on the front of its list and of the array's. */
function findAllocUndo(p: Proc, semid: i32): i32 {
  for (let u = load<i32>(undoHead(p.pid)); u >= 0; u = undo(u).procNext) {
    if (undo(u).semid != semid) continue;
    unlinkProcUndo(p.pid, u);
    undo(u).procNext = load<i32>(undoHead(p.pid));
    store<i32>(undoHead(p.pid), u);
    return u;
  }
  const idx = ipcObtainCheck(IPC_SEM, semid);
  if (idx < 0) return idx;
  const a = array(idx);
  const u = objAlloc();
  if (u < 0) return u;
  const h = bufAlloc(a.nsems * 2);
  if (h == 0) {
    objFree(u);
    return -ENOMEM;
  }
  const un = undo(u);
  un.semid = semid;
  un.pid = p.pid;
  un.nsems = a.nsems;
  un.adj = h;
  un.procNext = load<i32>(undoHead(p.pid));
  store<i32>(undoHead(p.pid), u);
  un.idNext = a.undoHead;
  a.undoHead = u;
  return u;
}

/** SETVAL (num >= 0) and SETALL (num -1) reset every process's adjustment of those semaphores. */
function resetUndos(a: SemArray, num: i32): void {
  for (let u = a.undoHead; u >= 0; u = undo(u).idNext) {
    for (let i = 0; i < a.nsems; i++) if (num < 0 || i == num) store<i16>(adjAddr(u, i), 0);
  }
}

/** exit_sem: apply each undo record of an exiting process, clamped to [0, SEMVMX], with sempid
 * the exiting pid, then let the waiters run. Called from procExit. */
export function semExit(p: Proc): void {
  while (load<i32>(undoHead(p.pid)) >= 0) {
    const u = load<i32>(undoHead(p.pid));
    store<i32>(undoHead(p.pid), undo(u).procNext);
    const idx = ipcObtainCheck(IPC_SEM, undo(u).semid);
    assert(idx >= 0, "undo record of a removed semaphore set");
    const a = array(idx);
    unlinkArrayUndo(a, u);
    for (let i = 0; i < a.nsems; i++) {
      const adj = <i32>load<i16>(adjAddr(u, i));
      if (adj == 0) continue;
      const s = sem(a, i);
      s.semval = min(max(s.semval + adj, 0), SEMVMX);
      s.sempid = p.pid;
    }
    smartUpdate(a, 0, 0);
    semUnlock(a);
    freeUndo(u);
  }
}

// ---- semop, semtimedop ----

/** ksys_semtimedop and do_semtimedop: the timeout is copied first, then nsops is checked
 * (E2BIG before EINVAL) and the sops are copied. timeoutVa 0 is NULL (semop). */
export function semTimedop(p: Proc, semid: i32, sopsVa: u32, nsops: u32, timeoutVa: u32): i32 {
  if (timeoutVa != 0 && copyFromUser(p, tmp, timeoutVa, 16) != 16) return -EFAULT;
  if (nsops > <u32>paramGet(P_SEMOPM)) return -E2BIG;
  if (nsops < 1) return -EINVAL;
  const n = <i32>nsops;
  const h = bufAlloc(n * SOP_BYTES);
  if (h == 0) return -ENOMEM;
  let r = -EFAULT;
  if (bufFromUser(p, h, n * SOP_BYTES, sopsVa)) r = doSemop(p, semid, h, n, timeoutVa != 0);
  if (r != BLOCKED) bufFree(h, n * SOP_BYTES);
  return r;
}

/** __do_semtimedop, with the sops in buffer h and the timeout (if `timed`) in tmp. */
function doSemop(p: Proc, semid: i32, h: usize, n: i32, timed: bool): i32 {
  if (semid < 0) return -EINVAL;
  const sec = load<i64>(tmp);
  const nsec = load<i64>(tmp, 8);
  if (timed && (sec < 0 || nsec < 0 || nsec >= NSEC_PER_SEC)) return -EINVAL;
  let maxNum = 0;
  let undos = false;
  let alter = false;
  for (let i = 0; i < n; i++) {
    maxNum = max(maxNum, sopNum(h, n, i));
    if ((sopFlg(h, n, i) & SEM_UNDO) != 0) undos = true;
    if (sopOp(h, n, i) != 0) alter = true;
  }
  let un = -1;
  if (undos) {
    un = findAllocUndo(p, semid);
    if (un < 0) return un;
  }
  const idx = ipcObtainCheck(IPC_SEM, semid);
  if (idx < 0) return idx;
  const a = array(idx);
  if (maxNum >= a.nsems) return -EFBIG;
  if (ipcPerms(ipcRec(IPC_SEM, idx), alter ? S_IWUGO : S_IRUGO) < 0) return -EACCES;
  const r = perform(a, h, n, un, p.pid);
  if (r == 0 && alter) smartUpdate(a, h, n);
  if (r < WOULD_BLOCK) {
    semUnlock(a);
    return r;
  }
  // A zero timeout expires at once: the sleeper would leave the queue with EAGAIN.
  if (timed && sec == 0 && nsec == 0) return -EAGAIN;
  // Signals (a later issue): a caught signal, or a stop and continue, ends this sleep with
  // EINTR, with or without SA_RESTART (__do_semtimedop leaves queue.status at -EINTR).
  return queueAndSleep(p, a, h, n, un, r - WOULD_BLOCK, alter);
}

/** Queue the caller where __do_semtimedop does and sleep. */
function queueAndSleep(p: Proc, a: SemArray, h: usize, n: i32, un: i32, blocking: i32, alter: bool): i32 {
  let q: usize;
  if (n == 1) {
    const s = sem(a, sopNum(h, n, 0));
    if (!alter) q = semConst(s);
    else q = a.complexCount != 0 ? globalAlter(a) : semAlter(s);
  } else {
    if (a.complexCount == 0) mergeQueues(a);
    q = alter ? globalAlter(a) : globalConst(a);
    a.complexCount++;
  }
  p.callAux = <i32>h;
  p.callAux2 = blocking;
  p.callDone = un;
  return sleepOn(p, q, true);
}

/** A process dies while blocked in semop (procExit has taken it off its list). */
export function semAbort(p: Proc): void {
  if (p.callNr != SYS_semop && p.callNr != SYS_semtimedop) return;
  if (p.callAux == -1) return;
  bufFree(wSops(p), p.a2 * SOP_BYTES);
  p.callAux = -1;
  const idx = ipcObtainCheck(IPC_SEM, p.a0);
  if (idx < 0) return;
  const a = array(idx);
  if (p.a2 > 1) a.complexCount--;
  semUnlock(a);
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
  smartUpdate(a, 0, 0);
  semUnlock(a);
  return 0;
}

/** SETALL: nsems values (unsigned short) from va; any above SEMVMX is ERANGE and changes
 * nothing; then as SETVAL for every semaphore. */
function semSetall(p: Proc, a: SemArray, va: u32): i32 {
  const len = a.nsems * 2;
  const h = bufAlloc(len);
  if (h == 0) return -ENOMEM;
  let err = bufFromUser(p, h, len, va) ? 0 : -EFAULT;
  for (let i = 0; i < a.nsems && err == 0; i++) {
    if (<i32>load<u16>(bufAddr(h, len, i * 2)) > SEMVMX) err = -ERANGE;
  }
  if (err == 0) {
    for (let i = 0; i < a.nsems; i++) {
      sem(a, i).semval = <i32>load<u16>(bufAddr(h, len, i * 2));
      sem(a, i).sempid = p.pid;
    }
    resetUndos(a, -1);
    smartUpdate(a, 0, 0);
    semUnlock(a);
  }
  bufFree(h, len);
  return err;
}

function semGetall(p: Proc, a: SemArray, va: u32): i32 {
  for (let i = 0; i < a.nsems; i++) {
    store<u16>(tmp, <u16>sem(a, i).semval);
    if (copyToUser(p, va + <u32>(i * 2), tmp, 2) != 2) return -EFAULT;
  }
  return 0;
}

/** check_qop: does sleeper p wait on semnum (its blocking sop) for zero / for a decrement? */
function checkQop(p: Proc, semnum: i32, zero: bool): i32 {
  const b = p.callAux2;
  if (sopNum(wSops(p), p.a2, b) != semnum) return 0;
  const op = sopOp(wSops(p), p.a2, b);
  return (zero && op == 0) || (!zero && op < 0) ? 1 : 0;
}

/** count_semcnt (GETNCNT, GETZCNT): a sleeper counts only on the semaphore of the sop that
 * blocks it (SUS behaviour since 3.16). */
function countSemcnt(a: SemArray, semnum: i32, zero: bool): i32 {
  const s = sem(a, semnum);
  let n = 0;
  for (let pid = waitQueue(zero ? semConst(s) : semAlter(s)).head; pid != 0; pid = proc(pid).waitNext) n++;
  for (let pid = waitQueue(globalAlter(a)).head; pid != 0; pid = proc(pid).waitNext) {
    n += checkQop(proc(pid), semnum, zero);
  }
  if (!zero) return n;
  for (let pid = waitQueue(globalConst(a)).head; pid != 0; pid = proc(pid).waitNext) {
    n += checkQop(proc(pid), semnum, zero);
  }
  return n;
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

/** semctl_stat: IPC_STAT (0), SEM_STAT and SEM_STAT_ANY (the id of an index) into va.
 *   semid64_ds: | ipc64_perm 48 | otime i64 | pad | ctime i64 | pad | nsems u64 @80 | pad 16 | */
function semStat(p: Proc, semid: i32, cmd: i32, va: u32): i32 {
  const idx = cmd == IPC_STAT ? ipcObtainCheck(IPC_SEM, semid) : ipcObtainIdx(IPC_SEM, semid);
  if (idx < 0) return idx;
  const rec = ipcRec(IPC_SEM, idx);
  if (cmd != SEM_STAT_ANY && ipcPerms(rec, S_IRUGO) < 0) return -EACCES;
  memory.fill(tmp, 0, SEMID_DS_BYTES);
  ipcStatPerm(rec, tmp);
  store<u64>(tmp, <u64>array(idx).nsems, 80);
  if (copyToUser(p, va, tmp, SEMID_DS_BYTES) != <u32>SEMID_DS_BYTES) return -EFAULT;
  return cmd == IPC_STAT ? 0 : ipcPerm(rec).id;
}

/** semctl_info: struct seminfo at va; returns the highest used index (0 when none). */
function semInfo(p: Proc, cmd: i32, va: u32): i32 {
  const info = cmd == SEM_INFO;
  store<i32>(tmp, SEMMAP, 0);
  store<i32>(tmp, paramGet(P_SEMMNI), 4);
  store<i32>(tmp, paramGet(P_SEMMNS), 8);
  store<i32>(tmp, SEMMNU, 12);
  store<i32>(tmp, paramGet(P_SEMMSL), 16);
  store<i32>(tmp, paramGet(P_SEMOPM), 20);
  store<i32>(tmp, SEMUME, 24);
  store<i32>(tmp, info ? ipcInUse(IPC_SEM) : SEMUSZ, 28);
  store<i32>(tmp, SEMVMX, 32);
  store<i32>(tmp, info ? <i32>S.usedSems : SEMAEM, 36);
  const maxIdx = ipcMaxIdx(IPC_SEM);
  if (copyToUser(p, va, tmp, SEMINFO_BYTES) != <u32>SEMINFO_BYTES) return -EFAULT;
  return maxIdx < 0 ? 0 : maxIdx;
}

/** Every sleeper on queue q fails with EIDRM. */
function drainIdrm(a: SemArray, q: usize): void {
  while (!waitEmpty(q)) {
    const p = proc(waitQueue(q).head);
    unlinkQueue(a, p);
    completeWaiter(p, -EIDRM);
  }
}

/** freeary: undo records go, every sleeper gets EIDRM, the id goes. */
function freeary(idx: i32): void {
  const a = array(idx);
  while (a.undoHead >= 0) {
    const u = a.undoHead;
    a.undoHead = undo(u).idNext;
    unlinkProcUndo(undo(u).pid, u);
    freeUndo(u);
  }
  drainIdrm(a, globalConst(a));
  drainIdrm(a, globalAlter(a));
  for (let i = 0; i < a.nsems; i++) {
    drainIdrm(a, semConst(sem(a, i)));
    drainIdrm(a, semAlter(sem(a, i)));
  }
  ipcRmid(IPC_SEM, idx);
  S.usedSems -= a.nsems;
  bufFree(a.sems, a.nsems * SEM_BYTES);
}

/** semctl_down: IPC_SET (uid, gid, mode from struct semid64_ds at va) and IPC_RMID. */
function semDown(p: Proc, semid: i32, cmd: i32, va: u32): i32 {
  if (cmd == IPC_SET && copyFromUser(p, tmp, va, SEMID_DS_BYTES) != <u32>SEMID_DS_BYTES) return -EFAULT;
  const idx = ipcCtlObtainCheck(IPC_SEM, semid);
  if (idx < 0) return idx;
  if (cmd == IPC_RMID) {
    freeary(idx);
    return 0;
  }
  return ipcUpdatePerm(ipcRec(IPC_SEM, idx), load<u32>(tmp, 4), load<u32>(tmp, 8), load<i32>(tmp, 20));
}

/** ksys_semctl. arg is SETVAL's value, otherwise the address of the argument. */
export function semCtl(p: Proc, semid: i32, semnum: i32, cmd: i32, arg: i32): i32 {
  if (semid < 0) return -EINVAL;
  const va = <u32>arg;
  if (cmd == IPC_INFO || cmd == SEM_INFO) return semInfo(p, cmd, va);
  if (cmd == IPC_STAT || cmd == SEM_STAT || cmd == SEM_STAT_ANY) return semStat(p, semid, cmd, va);
  if (cmd == GETALL || cmd == GETVAL || cmd == GETPID || cmd == GETNCNT || cmd == GETZCNT || cmd == SETALL) {
    return semMain(p, semid, semnum, cmd, va);
  }
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
    assert(p.callNr == SYS_semop || p.callNr == SYS_semtimedop, "a semaphore sleeper is not in semop");
    assert(p.callAux != -1 && p.callAux2 >= 0 && p.callAux2 < p.a2, "a semaphore sleeper lost its sops");
    if (single) assert(p.a2 == 1 && sopNum(wSops(p), 1, 0) == num, "single-sop list holds another op");
    let alters = false;
    for (let i = 0; i < p.a2; i++) if (sopOp(wSops(p), p.a2, i) != 0) alters = true;
    assert(alters != zero, "an alter op on a zero list or a zero op on an alter list");
    if (p.a2 > 1) complex++;
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
    let complex = checkList(globalAlter(a), false, -1, false) + checkList(globalConst(a), false, -1, true);
    for (let i = 0; i < a.nsems; i++) {
      const s = sem(a, i);
      assert(s.semval >= 0 && s.semval <= SEMVMX, "semval out of [0, SEMVMX]");
      complex += checkList(semAlter(s), true, i, false) + checkList(semConst(s), true, i, true);
      if (a.complexCount > 0) assert(waitEmpty(semAlter(s)), "per-semaphore alter list while merged");
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
    for (let u = load<i32>(undoHead(pid)); u >= 0; u = undo(u).procNext) {
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
    for (let u = a.undoHead; u >= 0; u = undo(u).idNext) bufPages(undo(u).adj, undo(u).nsems * 2, count);
  }
  for (let pid = 1; pid < nextPid(); pid++) {
    const p = proc(pid);
    const inSemop = p.callNr == SYS_semop || p.callNr == SYS_semtimedop;
    if (p.state == PROC_BLOCKED && inSemop && p.callAux != -1) bufPages(wSops(p), p.a2 * SOP_BYTES, count);
  }
}
