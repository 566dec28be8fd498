// SysV semaphore operations, exactly as ipc/sem.c: semop/semtimedop (atomic multi-op in
// array order, IPC_NOWAIT per sop, SEM_UNDO), the pending lists and the wake-up order
// (update_queue), undo records and their application at exit. The objects and semctl are in
// sem.ts.
//
// Linux: ipc/sem.c (perform_atomic_semop_slow, do_smart_update, do_smart_wakeup_zero,
// wake_const_ops, update_queue, check_restart, merge_queues, unmerge_queues, count_semcnt,
// check_qop, find_alloc_undo, __do_semtimedop, do_semtimedop, freeary, exit_sem).
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
// A sleeper keeps its call in its process entry (SemopWait, sem.ts): the set, its copy of the
// sops (a page buffer) and their count, the index of its blocking sop, its undo record (-1:
// none). Undo records (SemUndo, sem.ts) are on their array's list and on their
// process's list (undoHeads, most recently used first).
//
// A semtimedop timeout is a deadline (now + timeout) on the one timer queue (timer.ts): when
// it passes, the sleeper is woken and its retry fails with EAGAIN (semTimedout); a zero
// timeout gives EAGAIN at once, as Linux's immediately expiring timer does. A signal ends a
// sleep with EINTR (syscall.ts interruptCode). sem_otime is set when the caller's operation or
// a sleeper's completes (set_semotime), from the virtual CLOCK_REALTIME (time.ts).

import {
  EACCES, EFBIG, EIDRM, EINVAL, ENOMEM, ERANGE, EAGAIN, IPC_NOWAIT,
  SEM_UNDO, SYS_semop, SYS_semtimedop,
} from "./abi";
import {
  IPC_SEM, S_IRUGO, S_IWUGO, bufAlloc, bufFree, ipcObtainCheck, ipcPerms, ipcRec,
  ipcWakeDone, obj, objAlloc, objFree,
} from "./ipc";
import { NPROC, SEMAEM, SEMVMX } from "./param";
import { CALL_NONE, Proc, proc } from "./proc";
import {
  SEMADJ_BYTES, SOP_BYTES, SemArray, SemUndo, adjAddr, array, globalAlter, globalConst, sem,
  semAlter, semConst, semopWait, sopFlg, sopNum, sopOp, undo,
} from "./sem";
import { ktimeAddSafe, timeNow, timeRealSeconds, timespecToNs } from "./time";
import { sleeperHandle, timerArm } from "./timer";
import { SemBuf, Timespec } from "./uapi";
import { sleepOn, unlinkWaiter, waitEmpty, waitQueue } from "./wait";

/** perform() returns WOULD_BLOCK when a sop must wait (outside 0 and -errno), and leaves the
 * index of that sop in blockingSop. */
const WOULD_BLOCK: i32 = 1;
const blockingSop: usize = memory.data(4, 4);
const NSEC_PER_SEC: i64 = 1000000000;
/** Each process's undo list (sysvsem.undo_list), most recently used first; -1 when empty. */
const undoHeads: usize = memory.data(NPROC * 4, 16);

/** The per-pid SEM_UNDO list heads, 4 bytes each (kernel/views.ts layout). */
export function undoHeadsBase(): usize { return undoHeads; }

@inline function undoHead(pid: i32): usize {
  return undoHeads + <usize>pid * 4;
}

/** The first undo record of process pid (-1: none). */
export function semUndoList(pid: i32): i32 {
  return load<i32>(undoHead(pid));
}

export function semopInit(): void {
  memory.fill(undoHeads, 0xff, <usize>NPROC * 4);
}

// ---- performing operations ----

/** perform_atomic_semop_slow: apply the sops in order, each seeing the earlier ones; undo them
 * all unless every one succeeds. 0, -ERANGE, -EAGAIN (the blocking sop has IPC_NOWAIT), or
 * WOULD_BLOCK with the index of the sop that must wait in blockingSop. Success sets
 * sempid = pid. */
@inline function perform(a: SemArray, h: usize, n: i32, un: i32, pid: i32): i32 {
  let i = 0;
  let result = 0;
  for (; i < n; i++) {
    const s = sem(a, sopNum(h, n, i));
    const op = sopOp(h, n, i);
    const flg = sopFlg(h, n, i);
    let v = s.semval;
    if (op == 0 && v != 0) {
      result = (flg & IPC_NOWAIT) != 0 ? -EAGAIN : WOULD_BLOCK;
      break;
    }
    v += op;
    if (v < 0) {
      result = (flg & IPC_NOWAIT) != 0 ? -EAGAIN : WOULD_BLOCK;
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
  if (result == WOULD_BLOCK) store<i32>(blockingSop, i);
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
  const w = semopWait(p);
  const r = perform(a, w.sops, w.nsops, w.undo, p.pid);
  if (r == WOULD_BLOCK) w.blocking = load<i32>(blockingSop);
  return r;
}

/** unlink_queue. */
function unlinkQueue(a: SemArray, p: Proc): void {
  unlinkWaiter(p);
  if (semopWait(p).nsops > 1) a.complexCount--;
}

/** wake_up_sem_queue_prepare: the sleeper's call completes with `error` (hand-off). */
function completeWaiter(p: Proc, error: i32): void {
  const w = semopWait(p);
  bufFree(w.sops, w.nsops * SOP_BYTES);
  w.nsops = CALL_NONE;
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
    if (error != WOULD_BLOCK) {
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
@inline function wakeupZero(a: SemArray, h: usize, n: i32): bool {
  let completed = false;
  let gotZero = false;
  const count = n > 0 ? n : a.nsems;
  for (let i = 0; i < count; i++) {
    const num = n > 0 ? sopNum(h, n, i) : i;
    if (sem(a, num).semval == 0) {
      gotZero = true;
      if (!waitEmpty(semConst(sem(a, num))) && wakeConstOps(a, num)) completed = true;
    }
  }
  if (gotZero && !waitEmpty(globalConst(a)) && wakeConstOps(a, -1)) completed = true;
  return completed;
}

/** check_restart: after a completion, rescan unless it provably cannot help. */
function checkRestart(a: SemArray, p: Proc): bool {
  return !waitEmpty(globalAlter(a)) || semopWait(p).nsops > 1;
}

/** update_queue: scan semaphore num's alter list (-1: the array's) in FIFO order; complete
 * what now succeeds, skip what cannot, restart after a completion when check_restart says so.
 * Whether an operation completed (semop_completed). */
function updateQueue(a: SemArray, num: i32): bool {
  const list = num < 0 ? globalAlter(a) : semAlter(sem(a, num));
  let completed = false;
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
      if (error == WOULD_BLOCK) {
        pid = next;
        continue;
      }
      unlinkQueue(a, p);
      if (error == 0) {
        completed = true;
        wakeupZero(a, semopWait(p).sops, semopWait(p).nsops);
        restart = checkRestart(a, p);
      }
      completeWaiter(p, error);
      if (restart) break;
      pid = next;
    }
  }
  return completed;
}

/** do_smart_update: after the sops (n of them; 0 for SETVAL, SETALL and exit: all changed).
 * `otime` (the caller's own operation succeeded) or any completed sleeper sets sem_otime
 * (set_semotime: the first sop's semaphore's; the set reports the latest, get_semotime). */
@inline export function smartUpdate(a: SemArray, h: usize, n: i32, otime: bool): void {
  if (wakeupZero(a, h, n)) otime = true;
  if (!waitEmpty(globalAlter(a))) {
    if (updateQueue(a, -1)) otime = true;
  } else if (n == 0) {
    for (let i = 0; i < a.nsems; i++) if (updateQueue(a, i)) otime = true;
  } else {
    // Only increments can let a single-sop decrement proceed.
    for (let i = 0; i < n; i++) {
      if (sopOp(h, n, i) <= 0) continue;
      const num = sopNum(h, n, i);
      if (!waitEmpty(semAlter(sem(a, num))) && updateQueue(a, num)) otime = true;
    }
  }
  if (otime) a.otime = timeRealSeconds();
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
@inline export function semUnlock(a: SemArray): void {
  if (a.complexCount == 0 && !waitEmpty(globalAlter(a))) unmergeQueues(a);
}

function unmergeQueues(a: SemArray): void {
  while (!waitEmpty(globalAlter(a))) {
    const p = proc(waitQueue(globalAlter(a)).head);
    unlinkWaiter(p);
    sleepOn(p, semAlter(sem(a, sopNum(semopWait(p).sops, 1, 0))), true);
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
  bufFree(undo(u).adj, undo(u).nsems * SEMADJ_BYTES);
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
  const h = bufAlloc(a.nsems * SEMADJ_BYTES);
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
export function resetUndos(a: SemArray, num: i32): void {
  for (let u = a.undoHead; u >= 0; u = undo(u).idNext) {
    for (let i = 0; i < a.nsems; i++) if (num < 0 || i == num) store<i16>(adjAddr(u, i), 0);
  }
}

/** exit_sem: apply each undo record of an exiting process, clamped to [0, SEMVMX], with sempid
 * the exiting pid, then let the waiters run and set sem_otime. Called from procExit. */
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
    // ipc/sem.c exit_sem: do_smart_update(sma, NULL, 0, 1, &wake_q): otime 1, so sem_otime is
    // set even when every adjustment was 0 (a SEM_UNDO op of 0; fuzz:diff --heavy sem, seed 212).
    smartUpdate(a, 0, 0, true);
    semUnlock(a);
    freeUndo(u);
  }
}

// ---- semop, semtimedop ----

/** __do_semtimedop, with the kernel's copy of the sops (buffer h, n of them: sys_semtimedop
 * copied and counted them) and of the timeout (a struct timespec64 | tv_sec i64 | tv_nsec i64 |,
 * 0: none). h stays the caller's unless the call sleeps (BLOCKED): the sleeper keeps it. */
export function semTimedop(p: Proc, semid: i32, h: usize, n: i32, timeout: usize): i32 {
  if (semid < 0) return -EINVAL;
  const timed = timeout != 0;
  const sec = timed ? changetype<Timespec>(timeout).tv_sec : 0;
  const nsec = timed ? changetype<Timespec>(timeout).tv_nsec : 0;
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
  if (r == 0 && alter) smartUpdate(a, h, n, true);
  else if (r == 0) a.otime = timeRealSeconds(); // set_semotime
  if (r != WOULD_BLOCK) {
    semUnlock(a);
    return r;
  }
  // The deadline is now + timeout (__do_semtimedop: ktime_add_safe(ktime_get(), timeout)); a
  // zero timeout expires at once: the sleeper would leave the queue with EAGAIN.
  const deadline = timed ? ktimeAddSafe(timeNow(), timespecToNs(sec, nsec)) : 0;
  if (timed && deadline <= timeNow()) return -EAGAIN;
  // A caught signal, or a stop and continue, ends this sleep with EINTR, with or without
  // SA_RESTART (__do_semtimedop leaves queue.status at -EINTR): sigdeliver.ts sigWake ->
  // syscall.ts callInterrupt, whose sysvAbort undoes the sops, complex_count and unmerge.
  // The deadline wakes it (timer.ts), and its retry returns EAGAIN (semTimedout).
  const ret = queueAndSleep(p, semid, a, h, n, un, alter);
  if (timed) timerArm(sleeperHandle(p), p.pid, deadline);
  return ret;
}

/** semopOne leaves the call to semTimedop (outside 0, -errno and WOULD_BLOCK). */
export const NOT_FAST: i32 = 2;

/** semTimedop's common case in a small function of its own: one sop without SEM_UNDO and no
 * timeout, which succeeds and has nobody to wake. Returns 0, the call done with exactly
 * semTimedop's effects (perform, set_semotime, sem_unlock), or NOT_FAST before it changes
 * anything: an error, a sleep, an undo record or a wake-up is left to semTimedop, which decides
 * the call from the start. (Half a semop pair's cost was the general path's loops over n.) */
export function semopOne(p: Proc, semid: i32, h: usize): i32 {
  if (semid < 0 || (sopFlg(h, 1, 0) & SEM_UNDO) != 0) return NOT_FAST;
  const idx = ipcObtainCheck(IPC_SEM, semid);
  if (idx < 0) return NOT_FAST;
  const a = array(idx);
  const num = sopNum(h, 1, 0);
  const op = sopOp(h, 1, 0);
  if (num >= a.nsems) return NOT_FAST;
  if (ipcPerms(ipcRec(IPC_SEM, idx), op != 0 ? S_IWUGO : S_IRUGO) < 0) return NOT_FAST;
  const s = sem(a, num);
  const v = s.semval + op;
  // perform: a wait for zero needs 0, a decrement must not go below 0, nothing above SEMVMX.
  if (op == 0 ? v != 0 : v < 0 || v > SEMVMX) return NOT_FAST;
  // smartUpdate with this one sop would find nobody to run: no complex sleeper, no decrement
  // waiting on this semaphore after an increment, no wait for zero when it reaches 0.
  if (op != 0 && (!waitEmpty(globalAlter(a)) || (op > 0 && !waitEmpty(semAlter(s))) ||
    (v == 0 && (!waitEmpty(semConst(s)) || !waitEmpty(globalConst(a)))))) {
    return NOT_FAST;
  }
  s.semval = v;
  s.sempid = p.pid;
  a.otime = timeRealSeconds(); // set_semotime
  semUnlock(a);
  return 0;
}

/** The deadline of p's semtimedop passed (its retry): the sleep ends with EAGAIN
 * (__do_semtimedop: timed_out, then unlink_queue), and what it holds goes as for a signal. */
export function semTimedout(p: Proc): i32 {
  semAbort(p);
  return -EAGAIN;
}

/** sops copied in by semtimedop when there are at most SEMOPM_FAST of them (ipc/sem.c
 * do_semtimedop's fast_sops on the stack): no buffer is taken unless the caller sleeps. */
export const SEMOPM_FAST: i32 = 64;
export const sopsFast: usize = memory.data(SEMOPM_FAST * offsetof<SemBuf>(), 16);

/** Queue the caller where __do_semtimedop does and sleep. A sleeper keeps its sops: those in
 * sopsFast move to a buffer of their own (-ENOMEM when there is none). */
function queueAndSleep(
  p: Proc, semid: i32, a: SemArray, h: usize, n: i32, un: i32, alter: bool,
): i32 {
  if (h == sopsFast) {
    const own = bufAlloc(n * SOP_BYTES, false);
    if (own == 0) {
      semUnlock(a);
      return -ENOMEM;
    }
    memory.copy(own, h, <usize>(n * SOP_BYTES));
    h = own;
  }
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
  const w = semopWait(p);
  w.nsops = n;
  w.semid = semid;
  w.sops = h;
  w.blocking = load<i32>(blockingSop);
  w.undo = un;
  return sleepOn(p, q, true);
}

/** A process dies or is interrupted while blocked in semop (procExit or callInterrupt has taken
 * it off its list). */
export function semAbort(p: Proc): void {
  if (p.callNr != SYS_semop && p.callNr != SYS_semtimedop) return;
  const w = semopWait(p);
  if (w.nsops == CALL_NONE) return;
  const n = w.nsops;
  bufFree(w.sops, n * SOP_BYTES);
  w.nsops = CALL_NONE;
  const idx = ipcObtainCheck(IPC_SEM, w.semid);
  if (idx < 0) return;
  const a = array(idx);
  if (n > 1) a.complexCount--;
  semUnlock(a);
}

// ---- counts and removal (semctl) ----

/** check_qop: does sleeper p wait on semnum (its blocking sop) for zero / for a decrement? */
function checkQop(p: Proc, semnum: i32, zero: bool): i32 {
  const w = semopWait(p);
  if (sopNum(w.sops, w.nsops, w.blocking) != semnum) return 0;
  const op = sopOp(w.sops, w.nsops, w.blocking);
  return (zero && op == 0) || (!zero && op < 0) ? 1 : 0;
}

/** count_semcnt (GETNCNT, GETZCNT): a sleeper counts only on the semaphore of the sop that
 * blocks it (SUS behaviour since 3.16). */
export function countSemcnt(a: SemArray, semnum: i32, zero: bool): i32 {
  const s = sem(a, semnum);
  let n = 0;
  const own = zero ? semConst(s) : semAlter(s);
  for (let pid = waitQueue(own).head; pid != 0; pid = proc(pid).waitNext) n++;
  for (let pid = waitQueue(globalAlter(a)).head; pid != 0; pid = proc(pid).waitNext) {
    n += checkQop(proc(pid), semnum, zero);
  }
  if (!zero) return n;
  for (let pid = waitQueue(globalConst(a)).head; pid != 0; pid = proc(pid).waitNext) {
    n += checkQop(proc(pid), semnum, zero);
  }
  return n;
}

/** Every sleeper on queue q fails with EIDRM. */
function drainIdrm(a: SemArray, q: usize): void {
  while (!waitEmpty(q)) {
    const p = proc(waitQueue(q).head);
    unlinkQueue(a, p);
    completeWaiter(p, -EIDRM);
  }
}

/** freeary, first half: undo records go (semid -1 in Linux), every sleeper gets EIDRM. */
export function semDropAll(a: SemArray): void {
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
}
