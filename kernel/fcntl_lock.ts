// The file-lock calls: flock(2) and fcntl's record-lock commands (F_GETLK, F_SETLK, F_SETLKW,
// F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW), and the releases on close, on a description's last
// reference and when a lock call will not complete. The model, its records and invariants:
// locks.ts.
//
// Linux: fs/locks.c (SYSCALL_DEFINE2(flock), flock_lock_inode, flock_lock_inode_wait,
// fcntl_getlk, fcntl_setlk, flock64_to_posix_lock, posix_test_lock, posix_lock_inode,
// do_lock_file_wait, locks_remove_posix, locks_remove_file), fs/fcntl.c (do_fcntl), fs/file.c
// (filp_flush), fs/file_table.c (__fput).
//
// A lock call that must wait sleeps on lockQ with its request (a pool record) in its call
// state; a signal takes it out with -ERESTARTSYS (SA_RESTART restarts both flock and F_SETLKW:
// checked on Linux 6.18), and lockAbort removes the request (locks_delete_block).

import {
  EAGAIN, EBADF, EDEADLK, EFAULT, EINVAL, ENOLCK, ENOMEM, EOVERFLOW, F_GETLK, F_OFD_GETLK,
  F_OFD_SETLK, F_OFD_SETLKW, F_RDLCK, F_SETLKW, F_UNLCK, F_WRLCK, LOCK_EX, LOCK_MAND, LOCK_NB,
  LOCK_SH, LOCK_UN, PROC_BLOCKED, SEEK_CUR, SEEK_END, SEEK_SET, SYS_fcntl, SYS_flock,
} from "./abi";
import { FILE_PATH, FMODE_READ, FMODE_WRITE, fdGet, file } from "./file";
import {
  FL_FLOCK, FL_OFDLCK, FL_POSIX, LK_FREE, LK_REQUEST, NONE,
  OFFSET_MAX, SCRATCH, deleteBlock, fileLockInode, fileOwner, firstOf, flockConflict,
  insertBlock, isFlock, lk, listInsert, lockAlloc, lockCopy, lockDelete, lockFileSize,
  lockFilePos, lockFree, lockQ, lockReset, moveBlocks, nextOf, posixConflict,
  locksTableTouched, posixLocksDeadlock, posixTestConflict, wakeUpBlocks,
} from "./locks";
import { NLOCK } from "./param";
import { CALL_NONE, CALL_STATE_BYTES, Proc, callState, nextPid, proc } from "./proc";
import { copyFromUser, copyToUser } from "./vm";
import { sleepOn } from "./wait";

/** include/linux/filelock.h FILE_LOCK_DEFERRED: the request waits (internal). */
const DEFERRED: i32 = 1;

/** struct flock on x86_64: | l_type i16 | l_whence i16 | pad | l_start i64 | l_len i64 |
 * l_pid i32 | pad |. */
const FLOCK_TYPE: usize = 0;
const FLOCK_WHENCE: usize = 2;
const FLOCK_START: usize = 8;
const FLOCK_LEN: usize = 16;
const FLOCK_PID: usize = 24;
const FLOCK_BYTES: u32 = 32;

/** What a lock sleeper keeps (proc.ts callState): its request. */
@unmanaged class LockWait {
  req: i32;
}

@inline function lockWait(p: Proc): LockWait {
  assert(offsetof<LockWait>() <= CALL_STATE_BYTES);
  return changetype<LockWait>(callState(p));
}

const flockBuf: usize = memory.data(<i32>FLOCK_BYTES, 16);

// ---- flock ----

/** flock_lock_inode: 0, -EAGAIN, -ENOMEM, or DEFERRED (r waits under a blocker). */
function flockLockInode(r: i32, sleep: bool): i32 {
  const req = lk(r);
  let nl = NONE;
  if (req.type != F_UNLCK) {
    nl = lockAlloc();
    if (nl == NONE) return -ENOMEM;
  }
  for (let fl = firstOf(true, req.inode); fl != NONE; fl = nextOf(fl)) {
    if (lk(fl).file != req.file) continue;
    if (lk(fl).type == req.type) {
      lockFree(nl);
      return 0;
    }
    lockDelete(fl); // Linux: the old lock goes first (not an atomic conversion)
    break;
  }
  if (req.type == F_UNLCK) return 0;
  for (let fl = firstOf(true, req.inode); fl != NONE; fl = nextOf(fl)) {
    if (!flockConflict(r, fl)) continue;
    lockFree(nl);
    if (!sleep) return -EAGAIN;
    insertBlock(fl, r);
    return DEFERRED;
  }
  lockCopy(nl, r);
  moveBlocks(nl, r);
  listInsert(nl, NONE);
  return 0;
}

/** flock(fd, cmd) (SYSCALL_DEFINE2(flock)): LOCK_MAND is ignored (0); the command is checked
 * before the descriptor; a lock needs a descriptor open for reading or writing. */
export function lockFlock(p: Proc, fd: i32, cmd: i32): i32 {
  if ((cmd & LOCK_MAND) != 0) return 0;
  const op = cmd & ~LOCK_NB;
  const type = op == LOCK_SH ? F_RDLCK : op == LOCK_EX ? F_WRLCK : op == LOCK_UN ? F_UNLCK : -1;
  if (type < 0) return -EINVAL;
  const fi = fdGet(p, fd);
  if (fi < 0 || file(fi).kind == FILE_PATH) return -EBADF;
  if (type != F_UNLCK && (file(fi).fmode & (FMODE_READ | FMODE_WRITE)) == 0) return -EBADF;
  const sleep = (cmd & LOCK_NB) == 0;
  const w = lockWait(p);
  if (w.req == CALL_NONE) {
    const r = requestNew(p, sleep);
    if (r == NONE) return -ENOMEM;
    const l = lk(r);
    l.flags = FL_FLOCK;
    l.type = type;
    l.owner = fileOwner(fi);
    l.file = fi;
    l.inode = fileLockInode(fi);
    l.start = 0;
    l.end = OFFSET_MAX;
    w.req = r;
  }
  return lockLoop(p, sleep);
}

// ---- POSIX and OFD record locks ----

/** A request record: the scratch one for a call that never sleeps, else one of the pool. */
function requestNew(p: Proc, sleep: bool): i32 {
  const r = sleep ? lockAlloc() : SCRATCH;
  if (r == NONE) return NONE;
  lockReset(r);
  lk(r).state = LK_REQUEST;
  lk(r).pid = p.pid;
  return r;
}

/** flock_lock_inode_wait, do_lock_file_wait: try the request in p's call state; sleep while
 * it waits under a blocker (a wake by a signal alone finds it still there: asleep again),
 * retry when woken by its blocker; at the end, wake its waiters and free it. */
function lockLoop(p: Proc, sleep: bool): i32 {
  const w = lockWait(p);
  const r = w.req;
  if (lk(r).blocker != NONE) return sleepOn(p, lockQ, false);
  const e = isFlock(r) ? flockLockInode(r, sleep) : posixLockInode(r, sleep);
  if (e == DEFERRED) {
    lk(r).waiter = p.pid;
    return sleepOn(p, lockQ, false);
  }
  lockDrop(r);
  w.req = CALL_NONE;
  return e;
}

function lockDrop(r: i32): void {
  deleteBlock(r);
  lk(r).waiter = 0;
  if (r == SCRATCH) lk(r).state = LK_FREE;
  else lockFree(r);
}

/** A lock call that will not complete (a signal took it out, or its process dies): its
 * request leaves the tree, its waiters are woken (locks_delete_block). */
export function lockAbort(p: Proc): void {
  const r = lockWaitRequest(p);
  if (r == NONE) return;
  lockDrop(r);
  lockWait(p).req = CALL_NONE;
}

/** posix_lock_inode: apply request r (a lock, or F_UNLCK) to its owner's locks on its inode:
 * merge same-type neighbours, split or trim other-type ones, replace covered ones; 0, -EAGAIN,
 * -EDEADLK, -ENOLCK, or DEFERRED (r waits under a blocker). */
function posixLockInode(r: i32, sleep: bool): i32 {
  const req = lk(r);
  if (req.type != F_UNLCK) {
    for (let fl = firstOf(false, req.inode); fl != NONE; fl = nextOf(fl)) {
      if (!posixConflict(r, fl)) continue;
      if (!sleep) return -EAGAIN;
      wakeUpBlocks(r); // no lock blocked on this request during the deadlock walk
      if (posixLocksDeadlock(r, fl)) return -EDEADLK;
      insertBlock(fl, r);
      return DEFERRED;
    }
  }
  // Linux allocates the two records it may need first (none for a whole-file unlock).
  let nl = NONE;
  let nl2 = NONE;
  if (req.type != F_UNLCK || req.start != 0 || req.end != OFFSET_MAX) {
    nl = lockAlloc();
    nl2 = lockAlloc();
  }
  const e = posixApply(r, nl, nl2);
  lockFree(posixNew);
  lockFree(posixNew2);
  return e;
}

/** The records posixApply has not used (freed by posixLockInode). */
let posixNew: i32 = NONE;
let posixNew2: i32 = NONE;

/** posix_lock_inode past the conflict check (request r, spare records nl and nl2). */
function posixApply(r: i32, nl: i32, nl2: i32): i32 {
  posixNew = nl;
  posixNew2 = nl2;
  const owner = lk(r).owner;
  let fl = firstOf(false, lk(r).inode);
  while (fl != NONE && lk(fl).owner != owner) fl = nextOf(fl);
  let req = r;
  let added = false;
  let left = NONE;
  let right = NONE;
  while (fl != NONE && lk(fl).owner == owner) {
    const next = nextOf(fl);
    const l = lk(fl);
    const q = lk(req);
    if (q.type == l.type) {
      // "start - 1" rather than "end + 1": end + 1 of OFFSET_MAX overflows.
      if (l.end < q.start - 1) { fl = next; continue; }
      if (l.start - 1 > q.end) break;
      if (l.start > q.start) l.start = q.start;
      else q.start = l.start;
      if (l.end < q.end) l.end = q.end;
      else q.end = l.end;
      if (added) { lockDelete(fl); fl = next; continue; }
      req = fl;
      added = true;
    } else {
      if (l.end < q.start) { fl = next; continue; }
      if (l.start > q.end) break;
      if (q.type == F_UNLCK) added = true;
      if (l.start < q.start) left = fl;
      if (l.end > q.end) { right = fl; break; }
      if (l.start >= q.start) {
        if (added) { lockDelete(fl); fl = next; continue; }
        // The new lock replaces the old one in its place; the old one's waiters wake.
        if (posixNew == NONE) return -ENOLCK;
        const n = posixNew;
        posixNew = NONE;
        lockCopy(n, req);
        moveBlocks(n, req);
        req = n;
        listInsert(n, fl);
        lockDelete(fl);
        added = true;
      }
    }
    fl = next;
  }
  if (right != NONE && left == right && posixNew2 == NONE) return -ENOLCK;
  return posixInsert(req, fl, left, right, added);
}

/** posix_lock_inode's end: the new lock (unless merged or replaced into place), and the
 * trimmed neighbours (the left one a copy when the new lock splits one), whose waiters wake. */
function posixInsert(req: i32, fl: i32, left: i32, right: i32, added: bool): i32 {
  if (!added) {
    if (lk(req).type == F_UNLCK) return 0;
    if (posixNew == NONE) return -ENOLCK;
    const n = posixNew;
    posixNew = NONE;
    lockCopy(n, req);
    moveBlocks(n, req);
    listInsert(n, fl);
    fl = n;
  }
  if (right != NONE) {
    if (left == right) {
      // The new lock splits the old one: its left part is a copy.
      left = posixNew2;
      posixNew2 = NONE;
      lockCopy(left, right);
      listInsert(left, fl);
    }
    lk(right).start = lk(req).end + 1;
    wakeUpBlocks(right);
  }
  if (left != NONE) {
    lk(left).end = lk(req).start - 1;
    wakeUpBlocks(left);
  }
  return 0;
}

/** flock64_to_posix_lock: the struct flock at flockBuf as a range and type of request r, or
 * -EINVAL (whence, a negative start, a range before 0, the type), -EOVERFLOW. */
function flockToPosix(r: i32, fi: i32): i32 {
  const whence = <i32>load<i16>(flockBuf + FLOCK_WHENCE);
  let base: i64 = 0;
  if (whence == SEEK_CUR) base = lockFilePos(fi);
  else if (whence == SEEK_END) base = lockFileSize(fi);
  else if (whence != SEEK_SET) return -EINVAL;
  const lStart = load<i64>(flockBuf + FLOCK_START);
  if (lStart > OFFSET_MAX - base) return -EOVERFLOW;
  let start = base + lStart;
  if (start < 0) return -EINVAL;
  const len = load<i64>(flockBuf + FLOCK_LEN);
  let end: i64 = OFFSET_MAX;
  if (len > 0) {
    if (len - 1 > OFFSET_MAX - start) return -EOVERFLOW;
    end = start + (len - 1);
  } else if (len < 0) {
    if (start + len < 0) return -EINVAL;
    end = start - 1;
    start += len;
  }
  const type = <i32>load<i16>(flockBuf + FLOCK_TYPE);
  if (type != F_RDLCK && type != F_WRLCK && type != F_UNLCK) return -EINVAL;
  const l = lk(r);
  l.start = start;
  l.end = end;
  l.type = type;
  l.flags = FL_POSIX;
  l.file = fi;
  l.inode = fileLockInode(fi);
  return 0;
}

/** fcntl's record-lock commands on description fi (do_fcntl: the struct is copied in first,
 * EFAULT). A woken F_SETLKW goes on with the request its call state names. */
export function fcntlLock(p: Proc, fi: i32, cmd: i32, arg: i32): i32 {
  const sleep = cmd == F_SETLKW || cmd == F_OFD_SETLKW;
  if (lockWait(p).req != CALL_NONE) return lockLoop(p, sleep);
  if (copyFromUser(p, flockBuf, <u32>arg, FLOCK_BYTES) != FLOCK_BYTES) return -EFAULT;
  if (cmd == F_GETLK || cmd == F_OFD_GETLK) return fcntlGetlk(p, fi, cmd, <u32>arg);
  return fcntlSetlk(p, fi, cmd, sleep);
}

/** fcntl_setlk: the range, the descriptor's mode for the type (check_fmode_for_setlk:
 * EBADF), an OFD command's l_pid (EINVAL), then the lock, waiting if F_SETLKW. */
function fcntlSetlk(p: Proc, fi: i32, cmd: i32, sleep: bool): i32 {
  const r = requestNew(p, sleep); // fcntl_setlk's locks_alloc_lock comes first
  if (r == NONE) return -ENOLCK;
  const e = setlkCheck(r, fi, cmd);
  if (e < 0) {
    lockDrop(r);
    return e;
  }
  const ofd = cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
  lk(r).flags = ofd ? FL_POSIX | FL_OFDLCK : FL_POSIX;
  lk(r).owner = ofd ? fileOwner(fi) : p.pid;
  lockWait(p).req = r;
  return lockLoop(p, sleep);
}

function setlkCheck(r: i32, fi: i32, cmd: i32): i32 {
  const e = flockToPosix(r, fi);
  if (e < 0) return e;
  const type = lk(r).type;
  const fmode = file(fi).fmode;
  if (type == F_RDLCK && (fmode & FMODE_READ) == 0) return -EBADF;
  if (type == F_WRLCK && (fmode & FMODE_WRITE) == 0) return -EBADF;
  const ofd = cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
  return ofd && load<i32>(flockBuf + FLOCK_PID) != 0 ? -EINVAL : 0;
}

/** fcntl_getlk: the first lock that would conflict (posix_test_lock, in list order), written
 * back as SEEK_SET, its start, its length (0: to the end), its pid (-1 for an OFD lock); none:
 * only l_type changes, to F_UNLCK. F_GETLK takes only F_RDLCK and F_WRLCK. */
function fcntlGetlk(p: Proc, fi: i32, cmd: i32, va: u32): i32 {
  const r = SCRATCH;
  lockReset(r);
  const t = <i32>load<i16>(flockBuf + FLOCK_TYPE);
  if (cmd != F_OFD_GETLK && t != F_RDLCK && t != F_WRLCK) return -EINVAL;
  const e = flockToPosix(r, fi);
  if (e < 0) return e;
  lk(r).owner = p.pid;
  if (cmd == F_OFD_GETLK) {
    if (load<i32>(flockBuf + FLOCK_PID) != 0) return -EINVAL;
    lk(r).flags |= FL_OFDLCK;
    lk(r).owner = fileOwner(fi);
  }
  let c = firstOf(false, lk(r).inode);
  while (c != NONE && !posixTestConflict(r, c)) c = nextOf(c);
  if (c == NONE) {
    store<i16>(flockBuf + FLOCK_TYPE, <i16>F_UNLCK);
  } else {
    const l = lk(c);
    store<i16>(flockBuf + FLOCK_TYPE, <i16>l.type);
    store<i16>(flockBuf + FLOCK_WHENCE, <i16>SEEK_SET);
    store<i64>(flockBuf + FLOCK_START, l.start);
    store<i64>(flockBuf + FLOCK_LEN, l.end == OFFSET_MAX ? 0 : l.end - l.start + 1);
    store<i32>(flockBuf + FLOCK_PID, (l.flags & FL_OFDLCK) != 0 ? -1 : l.pid);
  }
  return copyToUser(p, va, flockBuf, FLOCK_BYTES) == FLOCK_BYTES ? 0 : -EFAULT;
}

// ---- release ----

/** locks_remove_posix (filp_flush, on every close of a descriptor): p's POSIX locks on fi's
 * inode go, whichever description they were taken through. */
export function locksRemovePosix(p: Proc, fi: i32): void {
  removeOwned(p.pid, fi);
}

function removeOwned(owner: i32, fi: i32): void {
  const inode = fileLockInode(fi);
  let any = false;
  for (let fl = firstOf(false, inode); fl != NONE && !any; fl = nextOf(fl)) any = true;
  if (!any) return;
  const r = SCRATCH;
  lockReset(r);
  const l = lk(r);
  l.state = LK_REQUEST;
  l.flags = FL_POSIX;
  l.type = F_UNLCK;
  l.owner = owner;
  l.file = fi;
  l.inode = inode;
  l.start = 0;
  l.end = OFFSET_MAX;
  posixLockInode(r, false);
  lockDrop(r);
}

/** locks_remove_file (__fput, the description's last reference): its OFD locks, then its
 * flock lock. */
export function locksRemoveFile(fi: i32): void {
  removeOwned(fileOwner(fi), fi);
  const inode = fileLockInode(fi);
  for (let fl = firstOf(true, inode); fl != NONE; fl = nextOf(fl)) {
    if (lk(fl).file != fi) continue;
    lockDelete(fl);
    return;
  }
}

/** The request p sleeps with in a lock call, or NONE (the deadlock explanation's view). */
export function lockWaitRequest(p: Proc): i32 {
  if (p.callNr != SYS_flock && p.callNr != SYS_fcntl) return NONE;
  const r = lockWait(p).req;
  if (r < 0 || r >= NLOCK || lk(r).state != LK_REQUEST || lk(r).pid != p.pid) return NONE;
  return r;
}

/** A process asleep on lockQ sleeps with a request under a blocker that names it; a request
 * with a sleeper is that sleeper's call's (kernel_check). */
export function lockSleepersCheck(): void {
  for (let pid = 2; pid < nextPid(); pid++) {
    const p = proc(pid);
    if (p.state == PROC_BLOCKED && p.waitQ == lockQ) {
      const r = lockWaitRequest(p);
      assert(r != NONE && lk(r).waiter == pid, "lock sleeper without its request");
    }
  }
  for (let i = 0; i < locksTableTouched(); i++) {
    if (lk(i).state != LK_REQUEST || lk(i).waiter == 0) continue;
    const p = proc(lk(i).waiter);
    assert(lockWaitRequest(p) == i, "lock request of a process not in its lock call");
  }
}
