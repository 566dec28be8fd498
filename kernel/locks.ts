// File locks, their records, lists and waiters (the calls are fcntl_lock.ts's): flock(2)
// locks, POSIX record locks and open-file-description (OFD) record locks (fcntl F_GETLK,
// F_SETLK, F_SETLKW, F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW), on every file the model has
// (pipes, FIFOs, queue descriptors, the null device).
//
// Linux: fs/locks.c (posix_locks_conflict, flock_locks_conflict, posix_locks_deadlock,
// what_owner_is_waiting_for, __locks_insert_block, __locks_wake_up_blocks, locks_delete_block,
// locks_move_blocks; the calls' functions are named in fcntl_lock.ts).
//
// Owners, as Linux's flc_owner: a POSIX lock's is the process (its files_struct: one thread a
// process, so the pid), an OFD or flock lock's is the open file description. A POSIX lock goes
// when its process closes ANY descriptor of the file (filp_flush -> locks_remove_posix) and at
// exit (which closes every descriptor); OFD and flock locks go with the description's last
// reference (locks_remove_file). flock's conversion is not atomic: flock_lock_inode removes the
// old lock (waking its waiters) before it looks for a conflict and may sleep.
//
// Waiters ("blocker tree", Linux 5.1+): a request that must wait is put under the lock that
// blocks it, or under the first of that lock's waiters it conflicts with, recursively
// (__locks_insert_block); a lock that goes or shrinks wakes its direct waiters in the order
// they came (__locks_wake_up_blocks), each of which retries from scratch. A sleeper's request
// is a record of the pool (its call state names it) and sleeps on lockQ, woken by name.
// Deadlock detection (F_SETLKW only, not OFD callers) follows blocked_hash: the waiters whose
// blocker is a POSIX lock, newest first, by owner, up to MAX_DEADLK_ITERATIONS hops.
//
// Lock lists: Linux keeps two per inode (flc_flock, flc_posix, the latter holding POSIX and OFD
// locks in posix_lock_inode's order: an owner's locks together, by start). Here there are two
// global lists of the same records, each inode's locks in its list's order (an inode's list is
// the global one filtered by `inode`), so that a lock inode is any i32 (fileLockInode).
//
// Differences from Linux (docs/differences.md `locks-pool`): records come from a pool of NLOCK
// (param.ts); when it is empty, fcntl gives ENOLCK and flock ENOMEM, as Linux's
// locks_alloc_lock failing would. No leases (fcntl.ts), no mandatory locks, no /proc/locks.
//
// Invariants (locksCheck): no two conflicting held locks on one inode (flock: different
// descriptions, one of them a write lock; record locks: different owners, overlapping, one a
// write lock); lists and blocked lists are well formed and count the records in use; a waiter
// names its blocker, which lists it; every hashed waiter has a POSIX blocker; a blocked
// process's request is a waiter; start <= end.

import {
  FILE_DIR, FILE_EPOLL, FILE_FIFO, FILE_MQUEUE, FILE_PIPE, FILE_REG, FILE_SIGNALFD, FILE_SOCKET,
  file,
} from "./file";
import { hookMqSize } from "./hooks";
import { inodeSize } from "./inode";
import { NLOCK } from "./param";
import { proc } from "./proc";
import { F_UNLCK, F_WRLCK, PROC_BLOCKED } from "./abi";
import { waitInit, wakeProc } from "./wait";

/** include/linux/fs.h OFFSET_MAX: a lock to end of file ends here. */
export const OFFSET_MAX: i64 = i64.MAX_VALUE;
/** fs/locks.c MAX_DEADLK_ITERATIONS. */
const MAX_DEADLK_ITERATIONS: i32 = 10;

// flc_flags (our values; Linux's FL_POSIX, FL_FLOCK, FL_OFDLCK)
export const FL_POSIX: i32 = 1;
export const FL_FLOCK: i32 = 2;
export const FL_OFDLCK: i32 = 4;

/** A record's state: free, a held lock on a list, a request (a sleeper's, or the scratch). */
export const LK_FREE: i32 = 0;
export const LK_HELD: i32 = 1;
export const LK_REQUEST: i32 = 2;
export const NONE: i32 = -1;

/** struct file_lock: a held lock or a request. Links are record indices (NONE: none). */
@unmanaged class FileLock {
  state: i32;
  flags: i32;
  type: i32;
  /** flc_owner: a pid (FL_POSIX), or -(description + 1) (OFD, flock). */
  owner: i32;
  /** flc_file: the description, flc_pid: the process that made it. */
  file: i32;
  pid: i32;
  /** The lock inode (fileLockInode). */
  inode: i32;
  /** flc_list: the global flock or posix list (held), or the free list (next only). */
  next: i32;
  prev: i32;
  /** flc_blocker, flc_blocked_requests (head, tail), flc_blocked_member (next, prev). */
  blocker: i32;
  reqHead: i32;
  reqTail: i32;
  bnext: i32;
  bprev: i32;
  /** blocked_hash membership (one global list, newest first), and whether in it. */
  hnext: i32;
  hprev: i32;
  hashed: i32;
  /** The process asleep on this request (0: none). */
  waiter: i32;
  start: i64;
  end: i64;
}

@unmanaged class LockState {
  posixHead: i32;
  posixTail: i32;
  flockHead: i32;
  flockTail: i32;
  hashHead: i32;
  freeHead: i32;
  /** Records ever handed out (the pool's high-water mark; the fast reset's). */
  touched: i32;
  used: i32;
}

/** The pool, then one scratch request (never sleeps, never listed: index NLOCK). */
const locks: usize = memory.data((NLOCK + 1) * offsetof<FileLock>(), 16);
export const SCRATCH: i32 = NLOCK;
const L = changetype<LockState>(memory.data(offsetof<LockState>(), 16));
/** Every lock sleeper sleeps here; wakes are by name (lockWake). */
export const lockQ: usize = memory.data(8, 8);

@inline export function lk(i: i32): FileLock {
  return changetype<FileLock>(locks + <usize>i * offsetof<FileLock>());
}

export function locksInit(): void {
  memory.fill(locks, 0, <usize>(NLOCK + 1) * offsetof<FileLock>());
  L.posixHead = NONE;
  L.posixTail = NONE;
  L.flockHead = NONE;
  L.flockTail = NONE;
  L.hashHead = NONE;
  L.freeHead = NONE;
  L.touched = 0;
  L.used = 0;
  waitInit(lockQ);
}

/** The pool's records and how many a run reached (kernel/views.ts layout). */
export function locksTableBase(): usize { return locks; }
export function locksTableEntry(): i32 { return offsetof<FileLock>(); }
export function locksTableTouched(): i32 { return L.touched; }

// ---- the file's side: the one place that knows the kinds of file ----

/** The lock inode of description fi: the key of its locks (one per inode: every description
 * of one FIFO shares it; a pipe's two ends share it). */
export function fileLockInode(fi: i32): i32 {
  const f = file(fi);
  // The tmpfs's inodes (FIFOs, regular files, directories) by their row; the rest above them.
  if (f.kind == FILE_FIFO || f.kind == FILE_REG || f.kind == FILE_DIR) return f.inode;
  if (f.kind == FILE_PIPE) return (1 << 16) | f.pipe;
  if (f.kind == FILE_MQUEUE) return (2 << 16) | f.inode;
  // Every signalfd and epoll: the one anonymous inode.
  if (f.kind == FILE_SIGNALFD || f.kind == FILE_EPOLL) return 4 << 16;
  if (f.kind == FILE_SOCKET) return (5 << 16) | f.pipe; // a socket's own sockfs inode
  return 3 << 16; // FILE_NULL: /dev/null, one inode
}

/** i_size_read of fi's inode, for SEEK_END: a regular file's size, a directory's (tmpfs's
 * bogus dirent bytes), a queue's (mqueue.ts mqSize), 0 for a pipe, a FIFO, the null device. */
export function lockFileSize(fi: i32): i64 {
  const f = file(fi);
  if (f.kind == FILE_REG || f.kind == FILE_DIR) return inodeSize(f.inode);
  return f.kind == FILE_MQUEUE ? hookMqSize(f.inode) : 0;
}

/** f_pos, for SEEK_CUR: a regular file's, a directory's and a queue descriptor's move (pipes
 * and FIFOs are streams). */
export function lockFilePos(fi: i32): i64 {
  const k = file(fi).kind;
  return k == FILE_MQUEUE || k == FILE_REG || k == FILE_DIR ? <i64>file(fi).pos : 0;
}

@inline export function fileOwner(fi: i32): i32 { return -(fi + 1); }

// ---- records ----

export function lockAlloc(): i32 {
  let i = L.freeHead;
  if (i != NONE) {
    L.freeHead = lk(i).next;
  } else {
    if (L.touched >= NLOCK) return NONE;
    i = L.touched++;
  }
  lockReset(i);
  lk(i).state = LK_HELD;
  L.used++;
  return i;
}

export function lockReset(i: i32): void {
  const l = lk(i);
  l.next = NONE;
  l.prev = NONE;
  l.blocker = NONE;
  l.reqHead = NONE;
  l.reqTail = NONE;
  l.bnext = NONE;
  l.bprev = NONE;
  l.hnext = NONE;
  l.hprev = NONE;
  l.hashed = 0;
  l.waiter = 0;
}

export function lockFree(i: i32): void {
  if (i == NONE || i == SCRATCH) return;
  const l = lk(i);
  assert(l.state != LK_FREE, "lockFree of a free record");
  assert(l.reqHead == NONE && l.blocker == NONE && l.hashed == 0, "lockFree of a linked lock");
  l.state = LK_FREE;
  l.next = L.freeHead;
  L.freeHead = i;
  L.used--;
}

/** locks_copy_lock: everything but the links. */
export function lockCopy(dst: i32, src: i32): void {
  const d = lk(dst);
  const s = lk(src);
  d.flags = s.flags;
  d.type = s.type;
  d.owner = s.owner;
  d.file = s.file;
  d.pid = s.pid;
  d.inode = s.inode;
  d.start = s.start;
  d.end = s.end;
}

// ---- the two lists (flc_flock, flc_posix), each inode's in global order ----

@inline export function isFlock(i: i32): bool { return (lk(i).flags & FL_FLOCK) != 0; }

/** The first lock of `inode` on the list from record i on (i included), or NONE. */
function onInode(i: i32, inode: i32): i32 {
  while (i != NONE && lk(i).inode != inode) i = lk(i).next;
  return i;
}

@inline export function firstOf(flock: bool, inode: i32): i32 {
  return onInode(flock ? L.flockHead : L.posixHead, inode);
}

@inline export function nextOf(i: i32): i32 { return onInode(lk(i).next, lk(i).inode); }

/** locks_insert_lock_ctx: put held lock i before lock `before` (NONE: at the end). */
export function listInsert(i: i32, before: i32): void {
  const l = lk(i);
  const flock = isFlock(i);
  l.state = LK_HELD;
  l.next = before;
  l.prev = before == NONE ? (flock ? L.flockTail : L.posixTail) : lk(before).prev;
  if (l.prev == NONE) {
    if (flock) L.flockHead = i;
    else L.posixHead = i;
  } else {
    lk(l.prev).next = i;
  }
  if (before == NONE) {
    if (flock) L.flockTail = i;
    else L.posixTail = i;
  } else {
    lk(before).prev = i;
  }
}

function listRemove(i: i32): void {
  const l = lk(i);
  const flock = isFlock(i);
  if (l.prev == NONE) {
    if (flock) L.flockHead = l.next;
    else L.posixHead = l.next;
  } else {
    lk(l.prev).next = l.next;
  }
  if (l.next == NONE) {
    if (flock) L.flockTail = l.prev;
    else L.posixTail = l.prev;
  } else {
    lk(l.next).prev = l.prev;
  }
  l.next = NONE;
  l.prev = NONE;
}

/** locks_delete_lock_ctx: off its list, its waiters woken, freed. */
export function lockDelete(i: i32): void {
  listRemove(i);
  wakeUpBlocks(i);
  lockFree(i);
}

// ---- conflicts ----

@inline function locksOverlap(a: i32, b: i32): bool {
  return lk(a).end >= lk(b).start && lk(b).end >= lk(a).start;
}

/** locks_conflict: either is a write lock. */
@inline function typesConflict(a: i32, b: i32): bool {
  return lk(a).type == F_WRLCK || lk(b).type == F_WRLCK;
}

/** posix_locks_conflict: another owner's lock over part of the range, one a write lock. */
export function posixConflict(caller: i32, sys: i32): bool {
  if (lk(caller).owner == lk(sys).owner) return false;
  return locksOverlap(caller, sys) && typesConflict(caller, sys);
}

/** posix_test_locks_conflict: an F_UNLCK test (F_OFD_GETLK) finds the caller's own lock. */
export function posixTestConflict(caller: i32, sys: i32): bool {
  if (lk(caller).type == F_UNLCK) {
    return lk(caller).owner == lk(sys).owner && locksOverlap(caller, sys);
  }
  return posixConflict(caller, sys);
}

/** flock_locks_conflict: another description's lock, one a write lock. */
export function flockConflict(caller: i32, sys: i32): bool {
  return lk(caller).file != lk(sys).file && typesConflict(caller, sys);
}

@inline function conflicts(caller: i32, sys: i32): bool {
  return isFlock(caller) ? flockConflict(caller, sys) : posixConflict(caller, sys);
}

// ---- waiters ----

/** Wake the process asleep on request w, if it still sleeps (a signal may have woken it). */
function lockWake(w: i32): void {
  const pid = lk(w).waiter;
  if (pid == 0) return;
  const p = proc(pid);
  if (p.state == PROC_BLOCKED && p.waitQ == lockQ) wakeProc(p);
}

/** __locks_unlink_block: out of blocked_hash and out of its blocker's list. */
function unlinkBlock(w: i32): void {
  const l = lk(w);
  if (l.hashed != 0) {
    if (l.hprev == NONE) L.hashHead = l.hnext;
    else lk(l.hprev).hnext = l.hnext;
    if (l.hnext != NONE) lk(l.hnext).hprev = l.hprev;
    l.hnext = NONE;
    l.hprev = NONE;
    l.hashed = 0;
  }
  if (l.blocker == NONE) return;
  const b = lk(l.blocker);
  if (l.bprev == NONE) b.reqHead = l.bnext;
  else lk(l.bprev).bnext = l.bnext;
  if (l.bnext == NONE) b.reqTail = l.bprev;
  else lk(l.bnext).bprev = l.bprev;
  l.bnext = NONE;
  l.bprev = NONE;
}

/** __locks_wake_up_blocks: wake every direct waiter of b, first come first. */
export function wakeUpBlocks(b: i32): void {
  while (lk(b).reqHead != NONE) {
    const w = lk(b).reqHead;
    unlinkBlock(w);
    lockWake(w);
    lk(w).blocker = NONE;
  }
}

/** __locks_insert_block: under `blocker`, or under the first of its waiters that conflicts
 * with the new waiter, recursively; hashed when that blocker is a POSIX (not OFD) lock or
 * request; the new waiter's own waiters are woken (they may not conflict with its blocker). */
export function insertBlock(blocker: i32, w: i32): void {
  let f = lk(blocker).reqHead;
  while (f != NONE) {
    if (conflicts(f, w)) {
      blocker = f;
      f = lk(blocker).reqHead;
      continue;
    }
    f = lk(f).bnext;
  }
  const l = lk(w);
  l.blocker = blocker;
  l.bnext = NONE;
  l.bprev = lk(blocker).reqTail;
  if (l.bprev == NONE) lk(blocker).reqHead = w;
  else lk(l.bprev).bnext = w;
  lk(blocker).reqTail = w;
  if ((lk(blocker).flags & (FL_POSIX | FL_OFDLCK)) == FL_POSIX) {
    l.hashed = 1;
    l.hprev = NONE;
    l.hnext = L.hashHead;
    if (L.hashHead != NONE) lk(L.hashHead).hprev = w;
    L.hashHead = w;
  }
  wakeUpBlocks(w);
}

/** locks_delete_block: wake w's waiters and take w out of the tree. */
export function deleteBlock(w: i32): void {
  if (lk(w).blocker == NONE && lk(w).reqHead == NONE) return;
  wakeUpBlocks(w);
  unlinkBlock(w);
  lk(w).blocker = NONE;
}

/** locks_move_blocks: new lock n takes over request r's waiters. */
export function moveBlocks(n: i32, r: i32): void {
  if (lk(r).reqHead == NONE) return;
  lk(n).reqHead = lk(r).reqHead;
  lk(n).reqTail = lk(r).reqTail;
  lk(r).reqHead = NONE;
  lk(r).reqTail = NONE;
  for (let f = lk(n).reqHead; f != NONE; f = lk(f).bnext) lk(f).blocker = n;
}

/** what_owner_is_waiting_for: the newest hashed waiter of b's owner, up to its tree's root. */
function whatOwnerIsWaitingFor(b: i32): i32 {
  for (let f = L.hashHead; f != NONE; f = lk(f).hnext) {
    if (lk(f).owner != lk(b).owner) continue;
    while (lk(f).blocker != NONE) f = lk(f).blocker;
    return f;
  }
  return NONE;
}

/** posix_locks_deadlock: would `caller` waiting on `b` close a cycle of POSIX owners? */
export function posixLocksDeadlock(caller: i32, b: i32): bool {
  if ((lk(caller).flags & FL_OFDLCK) != 0) return false;
  let i = 0;
  while ((b = whatOwnerIsWaitingFor(b)) != NONE) {
    if (i++ > MAX_DEADLK_ITERATIONS) return false;
    if (lk(caller).owner == lk(b).owner) return true;
  }
  return false;
}


// ---- invariants ----

/** The list's links agree both ways; every lock on it is held, of the list's kind, a range;
 * its waiters name it. Returns how many locks it holds. */
function listCheck(flock: bool): i32 {
  let n = 0;
  let prev = NONE;
  for (let i = flock ? L.flockHead : L.posixHead; i != NONE; i = lk(i).next) {
    const l = lk(i);
    assert(n++ < NLOCK, "lock list: a cycle");
    assert(l.state == LK_HELD, "lock list: a lock not held");
    assert(isFlock(i) == flock, "lock list: a lock of the other kind");
    assert(l.prev == prev, "lock list: back link broken");
    assert(l.start >= 0 && l.start <= l.end, "lock list: an empty or negative range");
    assert(l.blocker == NONE && l.hashed == 0, "lock list: a held lock waits");
    assert(file(l.file).refs > 0, "lock list: a lock of a closed description");
    waitersCheck(i);
    prev = i;
  }
  assert((flock ? L.flockTail : L.posixTail) == prev, "lock list: tail is not the last lock");
  return n;
}

/** b's blocked list: links agree, each waiter a request naming b as its blocker. */
function waitersCheck(b: i32): void {
  let prev = NONE;
  let n = 0;
  for (let w = lk(b).reqHead; w != NONE; w = lk(w).bnext) {
    assert(n++ < NLOCK, "blocked list: a cycle");
    assert(lk(w).state == LK_REQUEST, "blocked list: a waiter that is no request");
    assert(lk(w).blocker == b, "blocked list: a waiter names another blocker");
    assert(lk(w).bprev == prev, "blocked list: back link broken");
    prev = w;
  }
  assert(lk(b).reqTail == prev, "blocked list: tail is not the last waiter");
}

/** No two held locks on one inode conflict (flock: other descriptions, one a write lock;
 * record locks: other owners, overlapping, one a write lock). */
function conflictCheck(flock: bool): void {
  for (let a = flock ? L.flockHead : L.posixHead; a != NONE; a = lk(a).next) {
    for (let b = lk(a).next; b != NONE; b = lk(b).next) {
      if (lk(a).inode != lk(b).inode) continue;
      const clash = flock ? flockConflict(a, b) : posixConflict(a, b);
      assert(!clash, "two conflicting holders of one inode's lock");
    }
  }
}

/** Every invariant of the lock records (kernel_check); the sleepers' side is
 * fcntl_lock.ts's lockSleepersCheck. */
export function locksCheck(): void {
  const held = listCheck(false) + listCheck(true);
  conflictCheck(false);
  conflictCheck(true);
  let requests = 0;
  for (let i = 0; i < L.touched; i++) {
    const l = lk(i);
    if (l.state != LK_REQUEST) continue;
    requests++;
    waitersCheck(i);
    let depth = 0;
    for (let b = l.blocker; b != NONE; b = lk(b).blocker) {
      assert(depth++ < NLOCK, "blocker tree: a cycle");
      assert(lk(b).state != LK_FREE, "blocker tree: a free blocker");
    }
    if (l.hashed != 0) {
      assert(l.blocker != NONE, "blocked_hash: a waiter without a blocker");
      const bf = lk(l.blocker).flags;
      assert((bf & (FL_POSIX | FL_OFDLCK)) == FL_POSIX, "blocked_hash: blocker not POSIX");
    }
  }
  let hashed = 0;
  for (let h = L.hashHead; h != NONE; h = lk(h).hnext) {
    assert(hashed++ < NLOCK && lk(h).hashed != 0, "blocked_hash: list broken");
  }
  let free = 0;
  for (let i = L.freeHead; i != NONE; i = lk(i).next) {
    assert(free++ < NLOCK && lk(i).state == LK_FREE, "lock free list: a record in use");
  }
  assert(held + requests == L.used, "lock records in use drifted");
  assert(L.used + free == L.touched, "lock records lost");
}
