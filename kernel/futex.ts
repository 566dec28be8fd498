// Futexes: wait on a 32-bit word while it holds a value, wake its waiters, move them to another
// word, and the atomic operation FUTEX_WAKE_OP makes on a second word.
//
// Linux: kernel/futex/syscalls.c (do_futex), kernel/futex/core.c (get_futex_key, futex_match,
// futex_unqueue), kernel/futex/waitwake.c (futex_wake, futex_wake_op, futex_atomic_op_inuser,
// futex_wait_setup, __futex_wait, futex_wait), kernel/futex/requeue.c (futex_requeue,
// requeue_futex), arch/x86/include/asm/futex.h (arch_futex_atomic_op_inuser).
//
// A key names a word the way get_futex_key does: a private futex (FUTEX_PRIVATE_FLAG), or a
// word in a private mapping, is its address space and address, (pid, va): the model has one
// thread a process. A shared futex in a shared mapping (MAP_SHARED, a SysV segment) is the
// memory object and the word's offset in it, so every mapper of the page names the same futex
// wherever it mapped it. A private key is made without looking at the mapping (a wake on an
// unmapped address finds nobody: 0); a shared key needs the page (EFAULT), and a shared key in
// a private mapping without PROT_WRITE is refused (its page is Linux's zero page: EFAULT).
//
// Waiters: every futex sleeper is on one list in queueing order (Linux's hash-bucket plist,
// where every normal-priority waiter has the same priority, so the order among one key's
// waiters is FIFO, which is what a wake or requeue walks). A waiter's key, bitset and links
// are in its call state (FutexWait); it sleeps on futexQ, one wait queue for all, so that a
// signal wakes it as any sleep. It stays on the list until it runs again (futex_unqueue in
// __futex_wait): a wake that reaches it first marks it woken, and its retry returns 0
// whatever else happened (a wake beats a timeout and a signal), as in Linux.
//
// The untimed wait is interrupted with -ERESTARTSYS (a handler with SA_RESTART and a stop
// restart it from scratch: the word is read again); a timed one with -ERESTART_RESTARTBLOCK,
// its absolute deadline kept for a restart after a stop (futex_wait_restart) and EINTR after
// any handler (syscall.ts interruptCode, futexInterrupt).
//
// Not modelled: the PI commands (LOCK_PI, UNLOCK_PI, TRYLOCK_PI, WAIT_REQUEUE_PI,
// CMP_REQUEUE_PI, LOCK_PI2) give ENOSYS; futex_waitv and the futex2 calls are absent; robust
// lists (docs/differences.md `futex-pi`, `futex-robust`).
//
// Invariants (futexCheck): the list's links agree both ways; every waiter on it is blocked or
// woken in a futex call, queued (FQ_QUEUED), and on futexQ while blocked.

import {
  EAGAIN, EFAULT, EINVAL, ENOSYS, ERESTART_RESTARTBLOCK, ERESTARTSYS, ETIMEDOUT, PROC_BLOCKED,
  PROC_WOKEN, PROT_WRITE, SYS_futex,
} from "./abi";
import { CALL_NONE, CALL_STATE_BYTES, Proc, callState, proc } from "./proc";
import { PAGE_SIZE } from "./param";
import { timeNow } from "./time";
import { sleeperHandle, timerArm, timerCancel } from "./timer";
import { translate } from "./vm";
import { vma, vmaFind } from "./vma";
import { sleepOn, waitInit, wakeProc } from "./wait";

// include/uapi/linux/futex.h
export const FUTEX_WAIT: i32 = 0;
const FUTEX_WAKE: i32 = 1;
const FUTEX_REQUEUE: i32 = 3;
const FUTEX_CMP_REQUEUE: i32 = 4;
const FUTEX_WAKE_OP: i32 = 5;
const FUTEX_LOCK_PI: i32 = 6;
const FUTEX_WAIT_BITSET: i32 = 9;
const FUTEX_WAKE_BITSET: i32 = 10;
const FUTEX_WAIT_REQUEUE_PI: i32 = 11;
const FUTEX_LOCK_PI2: i32 = 13;
const FUTEX_PRIVATE_FLAG: i32 = 128;
export const FUTEX_CLOCK_REALTIME: i32 = 256;
export const FUTEX_CMD_MASK: i32 = ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
const FUTEX_BITSET_MATCH_ANY: u32 = 0xffffffff;

// FUTEX_WAKE_OP's encoded operation (include/uapi/linux/futex.h FUTEX_OP)
const FUTEX_OP_SET: u32 = 0;
const FUTEX_OP_ADD: u32 = 1;
const FUTEX_OP_OR: u32 = 2;
const FUTEX_OP_ANDN: u32 = 3;
const FUTEX_OP_XOR: u32 = 4;
const FUTEX_OP_OPARG_SHIFT: u32 = 8;

/** A waiter's queue state: on the list, or taken off it by a wake (its retry returns 0). */
const FQ_QUEUED: i32 = 1;
const FQ_WOKEN: i32 = 2;

/** What a futex waiter keeps (proc.ts callState): its key, bitset, links (pids, 0 none), and
 * queue state (CALL_NONE: not queued). */
@unmanaged class FutexWait {
  keyA: i32;
  keyB: u32;
  bitset: u32;
  next: i32;
  prev: i32;
  status: i32;
}

@inline export function futexWait(p: Proc): FutexWait {
  assert(offsetof<FutexWait>() <= CALL_STATE_BYTES);
  return changetype<FutexWait>(callState(p));
}

@unmanaged class FutexList {
  head: i32;
  tail: i32;
}

const L = changetype<FutexList>(memory.data(8, 8));
/** Every futex waiter sleeps here (no wake-up goes through it: wakes are by name). */
const futexQ: usize = memory.data(8, 8);

export function futexInit(): void {
  L.head = 0;
  L.tail = 0;
  waitInit(futexQ);
}

// ---- keys ----

/** The key get_futex_key made (a shared one: keyA < 0, the object). */
let keyA: i32 = 0;
let keyB: u32 = 0;

/** get_futex_key: 0 with keyA/keyB set, or -EINVAL (not 4-aligned), -EFAULT (a shared key
 * whose page cannot be reached). */
function futexKey(p: Proc, uaddr: u32, shared: bool, write: bool): i32 {
  if ((uaddr & 3) != 0) return -EINVAL;
  if (shared) {
    const vi = vmaFind(p, uaddr);
    if (vi < 0) return -EFAULT;
    const v = vma(vi);
    // get_user_pages_fast(FOLL_WRITE), a write fault (which breaks copy-on-write); failing
    // that, for FUTEX_READ, a read-only one.
    const writable = (v.prot & PROT_WRITE) != 0;
    if ((write && !writable) || translate(p, uaddr, writable) == 0) return -EFAULT;
    if (v.obj >= 0) {
      keyA = -(v.obj + 1);
      keyB = <u32>v.pgoff * <u32>PAGE_SIZE + (uaddr - v.start);
      return 0;
    }
    // A private page that cannot be written was never written: Linux's zero page, which has
    // no mapping, and get_futex_key refuses it (EFAULT; confirmed on Linux).
    if (!writable) return -EFAULT;
  }
  keyA = p.pid;
  keyB = uaddr;
  return 0;
}

/** The word at uaddr (futex_get_value_locked, then get_user): -1 in valueOk when it faults. */
let valueOk: bool = false;
function futexValue(p: Proc, uaddr: u32): u32 {
  const at = translate(p, uaddr, false);
  valueOk = at != 0;
  return valueOk ? load<u32>(at) : 0;
}

@inline function matches(q: Proc, a: i32, b: u32): bool {
  return futexWait(q).keyA == a && futexWait(q).keyB == b;
}

// ---- the list ----

function enqueue(p: Proc): void {
  const w = futexWait(p);
  w.next = 0;
  w.prev = L.tail;
  if (L.tail != 0) futexWait(proc(L.tail)).next = p.pid;
  else L.head = p.pid;
  L.tail = p.pid;
  w.status = FQ_QUEUED;
}

function unlink(p: Proc): void {
  const w = futexWait(p);
  if (w.prev != 0) futexWait(proc(w.prev)).next = w.next;
  else L.head = w.next;
  if (w.next != 0) futexWait(proc(w.next)).prev = w.prev;
  else L.tail = w.prev;
  w.next = 0;
  w.prev = 0;
}

/** futex_wake_mark: off the list, woken; a waiter a signal already woke just learns it. */
function wakeMark(q: Proc): void {
  unlink(q);
  futexWait(q).status = FQ_WOKEN;
  if (q.state == PROC_BLOCKED) {
    timerCancel(sleeperHandle(q));
    wakeProc(q);
  }
}

/** requeue_futex: to the tail, under key2. */
function requeue(q: Proc, a: i32, b: u32): void {
  unlink(q);
  futexWait(q).keyA = a;
  futexWait(q).keyB = b;
  enqueue(q);
}

// ---- the commands ----

/** futex_cmd_has_timeout: the commands whose fourth argument is a timespec. */
export function futexCmdHasTimeout(cmd: i32): bool {
  return cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET || cmd == FUTEX_LOCK_PI ||
    cmd == FUTEX_LOCK_PI2 || cmd == FUTEX_WAIT_REQUEUE_PI;
}

/** do_futex. deadline: the wait's absolute monotonic deadline, -1 none; val2: the fourth
 * argument of the other commands. */
export function futexDo(
  p: Proc, uaddr: u32, op: i32, val: u32, deadline: i64, uaddr2: u32, val2: u32, val3: u32,
): i32 {
  const cmd = op & FUTEX_CMD_MASK;
  const shared = (op & FUTEX_PRIVATE_FLAG) == 0;
  if ((op & FUTEX_CLOCK_REALTIME) != 0 && cmd != FUTEX_WAIT_BITSET &&
    cmd != FUTEX_WAIT_REQUEUE_PI && cmd != FUTEX_LOCK_PI2) return -ENOSYS;
  switch (cmd) {
    case FUTEX_WAIT: return futexWaitStart(p, uaddr, shared, val, deadline, FUTEX_BITSET_MATCH_ANY);
    case FUTEX_WAIT_BITSET: return futexWaitStart(p, uaddr, shared, val, deadline, val3);
    case FUTEX_WAKE: return futexWake(p, uaddr, shared, <i32>val, FUTEX_BITSET_MATCH_ANY);
    case FUTEX_WAKE_BITSET: return futexWake(p, uaddr, shared, <i32>val, val3);
    case FUTEX_REQUEUE:
      return futexRequeue(p, uaddr, shared, uaddr2, <i32>val, <i32>val2, false, 0);
    case FUTEX_CMP_REQUEUE:
      return futexRequeue(p, uaddr, shared, uaddr2, <i32>val, <i32>val2, true, val3);
    case FUTEX_WAKE_OP: return futexWakeOp(p, uaddr, shared, uaddr2, <i32>val, <i32>val2, val3);
  }
  return -ENOSYS; // the PI commands too (not modelled) and unknown ones
}

/** __futex_wait up to the sleep: check the bitset, make the key, compare the word, queue. */
function futexWaitStart(
  p: Proc, uaddr: u32, shared: bool, val: u32, deadline: i64, bitset: u32,
): i32 {
  if (bitset == 0) return -EINVAL;
  const r = futexKey(p, uaddr, shared, false);
  if (r != 0) return r;
  const now = futexValue(p, uaddr);
  if (!valueOk) return -EFAULT;
  if (now != val) return -EAGAIN; // EWOULDBLOCK
  // futex_wait_queue: an expired timer means no sleep; the queue is left at once (unqueued,
  // not woken: ETIMEDOUT).
  if (deadline >= 0 && deadline <= timeNow()) return -ETIMEDOUT;
  const w = futexWait(p);
  w.keyA = keyA;
  w.keyB = keyB;
  w.bitset = bitset;
  enqueue(p);
  if (deadline >= 0) {
    p.sleepDeadline = deadline;
    timerArm(sleeperHandle(p), p.pid, deadline);
  }
  return sleepOn(p, futexQ, false);
}

/** The waiter runs again (__futex_wait after schedule): woken by a wake, 0; its deadline
 * passed, ETIMEDOUT; else it sleeps on (a signal pending interrupts it: syscall.ts). */
export function futexWaitResume(p: Proc): i32 {
  const w = futexWait(p);
  if (w.status == FQ_WOKEN) return 0;
  if (p.timedOut != 0) {
    unlink(p);
    w.status = CALL_NONE;
    return -ETIMEDOUT;
  }
  // A signal's wake-up took the deadline off (sigdeliver.ts sigWake); a retry that sleeps on
  // (no signal left pending) puts it back.
  if (futexTimed(p)) timerArm(sleeperHandle(p), p.pid, p.sleepDeadline);
  return sleepOn(p, futexQ, false);
}

/** Whether p's futex call waits with a deadline (its timeout register, for a wait command). */
function futexTimed(p: Proc): bool {
  return p.callNr == SYS_futex && p.a3 != 0 && futexCmdHasTimeout(p.a1 & FUTEX_CMD_MASK);
}

/** What an interrupted wait returns (syscall.ts interruptCode; futex_wait): -ERESTARTSYS, or
 * for a timed wait -ERESTART_RESTARTBLOCK with its absolute deadline kept for the restart
 * (futex_wait_restart), which a handler turns into EINTR. */
export function futexInterrupt(p: Proc): i32 {
  if (!futexTimed(p)) return -ERESTARTSYS;
  p.restartDeadline = p.sleepDeadline;
  p.restartArmed = 1;
  return -ERESTART_RESTARTBLOCK;
}

/** A waiter that will not return 0 leaves the list (interrupted, killed). */
export function futexAbort(p: Proc): void {
  if (p.callNr != SYS_futex) return;
  const w = futexWait(p);
  if (w.status == FQ_QUEUED) unlink(p);
  w.status = CALL_NONE;
}

/** futex_wake: wake up to nr waiters of the key whose bitset shares a bit with `bitset`. */
function futexWake(p: Proc, uaddr: u32, shared: bool, nr: i32, bitset: u32): i32 {
  if (bitset == 0) return -EINVAL;
  const r = futexKey(p, uaddr, shared, false);
  if (r != 0) return r;
  return wakeKey(keyA, keyB, bitset, nr);
}

/** The wake loop of futex_wake and futex_wake_op: up to nr of the key's waiters, in queue
 * order, whose bitset shares a bit with `bitset` (nr 0 or negative still wakes one: Linux's
 * loop checks after waking). The number woken. */
function wakeKey(a: i32, b: u32, bitset: u32, nr: i32): i32 {
  let woken = 0;
  let pid = L.head;
  while (pid != 0) {
    const q = proc(pid);
    pid = futexWait(q).next;
    if (!matches(q, a, b) || (futexWait(q).bitset & bitset) == 0) continue;
    wakeMark(q);
    if (++woken >= nr) break;
  }
  return woken;
}

/** futex_requeue (not PI): wake nr_wake of key1's waiters, move up to nr_requeue more to key2;
 * with cmp, only if the word is still val3 (EAGAIN). The number woken and moved. */
function futexRequeue(
  p: Proc, uaddr: u32, shared: bool, uaddr2: u32, nrWake: i32, nrRequeue: i32, cmp: bool,
  val3: u32,
): i32 {
  if (nrWake < 0 || nrRequeue < 0) return -EINVAL;
  let r = futexKey(p, uaddr, shared, false);
  if (r != 0) return r;
  const a1 = keyA;
  const b1 = keyB;
  r = futexKey(p, uaddr2, shared, false);
  if (r != 0) return r;
  const a2 = keyA;
  const b2 = keyB;
  if (cmp) {
    const now = futexValue(p, uaddr);
    if (!valueOk) return -EFAULT;
    if (now != val3) return -EAGAIN;
  }
  let count = 0;
  let pid = L.head;
  while (pid != 0) {
    if (count - nrWake >= nrRequeue) break;
    const q = proc(pid);
    pid = futexWait(q).next;
    if (!matches(q, a1, b1)) continue;
    if (++count <= nrWake) wakeMark(q);
    else requeue(q, a2, b2);
  }
  return count;
}

/** futex_atomic_op_inuser on uaddr2, then wake up to nr of key1's waiters, and up to nr2 of
 * key2's if the comparison of the old value held. */
function futexWakeOp(
  p: Proc, uaddr: u32, shared: bool, uaddr2: u32, nr: i32, nr2: i32, encoded: u32,
): i32 {
  let r = futexKey(p, uaddr, shared, false);
  if (r != 0) return r;
  const a1 = keyA;
  const b1 = keyB;
  r = futexKey(p, uaddr2, shared, true);
  if (r != 0) return r;
  const a2 = keyA;
  const b2 = keyB;
  const opRet = atomicOp(p, uaddr2, encoded);
  if (opRet < 0) return opRet;
  const woken = wakeKey(a1, b1, FUTEX_BITSET_MATCH_ANY, nr);
  return opRet > 0 ? woken + wakeKey(a2, b2, FUTEX_BITSET_MATCH_ANY, nr2) : woken;
}

/** futex_atomic_op_inuser: the operation on the word at uaddr (-ENOSYS for an unknown one,
 * the word untouched; -EFAULT), then the comparison of its old value: 1 true, 0 false, or
 * -ENOSYS for an unknown comparison (the word already changed). */
function atomicOp(p: Proc, uaddr: u32, encoded: u32): i32 {
  const op = (encoded & 0x70000000) >>> 28;
  const cmp = (encoded & 0x0f000000) >>> 24;
  let oparg = signExtend12((encoded & 0x00fff000) >>> 12);
  const cmparg = signExtend12(encoded & 0x00000fff);
  if ((encoded & (FUTEX_OP_OPARG_SHIFT << 28)) != 0) oparg = 1 << (oparg & 31);
  if (op > FUTEX_OP_XOR) return -ENOSYS;
  const at = translate(p, uaddr, true);
  if (at == 0) return -EFAULT;
  const old = load<i32>(at);
  let next = old;
  if (op == FUTEX_OP_SET) next = oparg;
  else if (op == FUTEX_OP_ADD) next = old + oparg;
  else if (op == FUTEX_OP_OR) next = old | oparg;
  else if (op == FUTEX_OP_ANDN) next = old & ~oparg;
  else next = old ^ oparg;
  store<i32>(at, next);
  switch (cmp) {
    case 0: return old == cmparg ? 1 : 0; // FUTEX_OP_CMP_EQ
    case 1: return old != cmparg ? 1 : 0; // NE
    case 2: return old < cmparg ? 1 : 0; // LT
    case 3: return old >= cmparg ? 1 : 0; // GE
    case 4: return old <= cmparg ? 1 : 0; // LE
    case 5: return old > cmparg ? 1 : 0; // GT
  }
  return -ENOSYS;
}

@inline function signExtend12(v: u32): i32 {
  return (<i32>(v << 20)) >> 20;
}

// ---- invariants ----

export function futexCheck(): void {
  let prev = 0;
  let pid = L.head;
  while (pid != 0) {
    const q = proc(pid);
    const w = futexWait(q);
    assert(w.prev == prev, "futex list: a broken back link");
    assert(q.callNr == SYS_futex, "futex list: a waiter not in futex");
    assert(w.status == FQ_QUEUED, "futex list: a waiter not queued");
    assert(q.state == PROC_BLOCKED || q.state == PROC_WOKEN, "futex list: a waiter not asleep");
    assert(q.state != PROC_BLOCKED || q.waitQ == futexQ, "futex list: asleep elsewhere");
    prev = pid;
    pid = w.next;
  }
  assert(L.tail == prev, "futex list: a wrong tail");
}
