// FIFOs: a small flat namespace of named pipes, mkfifo, open with fifo_open's partner waits,
// unlink. Reads and writes on an open FIFO are pipe reads and writes (pipe.ts).
//
// Linux: fs/namei.c (do_mknodat, do_unlinkat, path lookup), fs/open.c (do_sys_openat2),
// fs/pipe.c (fifo_open, wait_for_partner, wake_up_partner). Syscalls: mkfifo (mknod), open,
// unlink.
//
// fifo_open counts the opener as a reader or writer *before* it waits, so a blocked reader
// already lets an O_WRONLY|O_NONBLOCK open succeed. A blocked opener waits (non-exclusively, on
// the pipe's rd_wait, as Linux does) until the other side's counter moves: any open of the
// other side releases it, even one closed again before it runs. O_RDWR never blocks. The
// pipe (and any unread data) lives while any end is open; unlinking only removes the name.
// O_DIRECT is refused (EINVAL) only after fifo_open has succeeded, so such an open still waits
// for and wakes its partners before it fails (fs/open.c do_dentry_open).
//
// Differences from Linux: one directory (the bridge's private working directory) holding only
// FIFOs: a path with more components gives ENOTDIR when its first component exists and ENOENT
// otherwise (a name with only trailing slashes is the name, as namei treats it: ENOTDIR, or
// EISDIR with O_CREAT); regular files are not modelled (open with O_CREAT of a missing name
// gives ENOSYS; O_TMPFILE names a directory, so it gives ENOTDIR or ENOENT as on Linux);
// O_PATH opens a description without I/O (file.ts FILE_PATH); ".", ".." and absolute paths
// are refused by the trace engine.
//
// Invariants (fifoCheck): a linked inode has a unique name; an inode with a pipe names a live
// pipe that names it back; an unlinked inode lives only while its pipe does.

import {
  EEXIST, EINVAL, EISDIR, ENAMETOOLONG, ENFILE, ENOENT, ENOMEM, ENOSPC, ENOSYS, ENOTDIR, ENXIO,
  O_CLOEXEC, O_CREAT, O_DIRECT, O_EXCL, O_LARGEFILE, O_NOCTTY, O_NONBLOCK, O_RDONLY, O_RDWR,
  O_TRUNC, O_WRONLY, S_IFIFO, S_IFMT, O_DIRECTORY, O_PATH, __O_TMPFILE,
} from "./abi";
import {
  FILE_FIFO, FILE_PATH, FMODE_READ, FMODE_WRITE, fdAllocLowest, fdInstallAt, file, fileAlloc,
  fileDiscard, filePut,
} from "./file";
import { NAME_MAX, NINODE } from "./param";
import { pipe, pipeAlloc, pipeDropFile, rdWait, wrWait } from "./pipe";
import { CALL_STATE_BYTES, Proc, callState } from "./proc";
import { sleepOn, wakeAll, wakeOne } from "./wait";

const O_ACCMODE_MASK: i32 = 3;
const NAME_BYTES: i32 = NAME_MAX + 1;
/** include/linux/stat.h: the permission bits mknod keeps (with S_ISUID, S_ISGID, S_ISVTX). */
const S_IALLUGO: i32 = 0o7777;

@unmanaged export class Inode {
  inUse: i32;
  linked: i32;
  pipe: i32;
  mode: i32;
  nameLen: i32;
}

/** An open asleep for a partner (Proc call state): the description it counted itself on
 * (CALL_NONE: none), and the partner side's open counter when it went to sleep. */
@unmanaged class FifoOpenWait {
  desc: i32;
  counter: i32;
}

@inline export function fifoOpenWait(p: Proc): FifoOpenWait {
  assert(offsetof<FifoOpenWait>() <= CALL_STATE_BYTES);
  return changetype<FifoOpenWait>(callState(p));
}

@unmanaged class FifoState {
  used: i32;
}

const S = changetype<FifoState>(memory.data(offsetof<FifoState>(), 16));
const inodes: usize = memory.data(NINODE * offsetof<Inode>(), 16);
const names: usize = memory.data(NINODE * NAME_BYTES, 16);

@inline export function inode(i: i32): Inode {
  return changetype<Inode>(inodes + <usize>i * offsetof<Inode>());
}

export function fifoInit(): void {
  memory.fill(inodes, 0, <usize>NINODE * offsetof<Inode>());
  S.used = 0;
}

export function inodeNameAddr(i: i32): usize {
  return names + <usize>i * NAME_BYTES;
}

/** One past the last inode in use (kernel/views.ts: the names that hold state). */
export function inodesLive(): i32 {
  let n = NINODE;
  while (n > 0 && inode(n - 1).inUse == 0) n--;
  return n;
}

// ---- paths ----
//
// A path arrives as the kernel's copy (sys_file.ts getname): its address and length (1 to
// PATH_MAX - 1 bytes, no NUL).

/** Length of the first path component. */
function firstComponent(path: usize, len: i32): i32 {
  let n = 0;
  while (n < len && load<u8>(path + n) != 0x2f) n++;
  return n;
}

/** The path is one name followed only by slashes ("f/", "f//"). */
function trailingSlash(path: usize, len: i32): bool {
  let n = firstComponent(path, len);
  if (n == 0 || n == len) return false;
  while (n < len && load<u8>(path + n) == 0x2f) n++;
  return n == len;
}

function lookupName(start: usize, len: i32): i32 {
  for (let i = 0; i < NINODE; i++) {
    const ino = inode(i);
    if (ino.inUse == 0 || ino.linked == 0 || ino.nameLen != len) continue;
    if (memory.compare(names + <usize>i * NAME_BYTES, start, len) == 0) return i;
  }
  return -1;
}

/** resolve() found every component but the last, which names nothing (it may be created). */
const LAST_MISSING: i32 = i32.MIN_VALUE;

/** Resolve a path: the inode, LAST_MISSING, or -errno. */
function resolve(path: usize, len: i32): i32 {
  const first = firstComponent(path, len);
  if (first == 0) return -ENOSYS; // absolute path: refused by the trace engine
  if (first > NAME_MAX) return -ENAMETOOLONG;
  const i = lookupName(path, first);
  if (first < len) return i >= 0 ? -ENOTDIR : -ENOENT;
  if (first == 1 && load<u8>(path) == 0x2e) return -ENOSYS; // "."
  if (first == 2 && load<u16>(path) == 0x2e2e) return -ENOSYS; // ".."
  return i >= 0 ? i : LAST_MISSING;
}

// ---- mkfifo and unlink ----

/** mkfifo(path, mode) = mknod(path, S_IFIFO | mode), the mode checked by sys_mkfifo. */
export function fifoMake(path: usize, len: i32, mode: i32): i32 {
  const found = resolve(path, len);
  // fs/namei.c filename_create: "f/" names f, which exists (a missing "x/" is ENOENT).
  if (found >= 0 || (found == -ENOTDIR && trailingSlash(path, len))) return -EEXIST;
  if (found != LAST_MISSING) return found;
  for (let i = 0; i < NINODE; i++) {
    const ino = inode(i);
    if (ino.inUse != 0) continue;
    ino.inUse = 1;
    ino.linked = 1;
    ino.pipe = -1;
    ino.mode = mode & S_IALLUGO;
    ino.nameLen = len;
    memory.copy(names + <usize>i * NAME_BYTES, path, len);
    S.used++;
    return 0;
  }
  return -ENOSPC;
}

export function fifoUnlink(path: usize, len: i32): i32 {
  const i = resolve(path, len);
  if (i == LAST_MISSING) return -ENOENT;
  if (i < 0) return i;
  inode(i).linked = 0;
  if (inode(i).pipe < 0) inodeFree(i);
  return 0;
}

function inodeFree(i: i32): void {
  inode(i).inUse = 0;
  S.used--;
}

/** The last file on an inode's pipe closed: the pipe is gone, and an unlinked inode with it. */
export function fifoPipeGone(i: i32): void {
  inode(i).pipe = -1;
  if (inode(i).linked == 0) inodeFree(i);
}

// ---- open ----

/** open(path, flags) (do_sys_openat2 after getname, then fifo_open). */
export function fifoOpen(p: Proc, path: usize, len: i32, flags: i32): i32 {
  const fd = fdAllocLowest(p, 0);
  if (fd < 0) return fd;
  const i = resolve(path, len);
  // fs/namei.c open_last_lookups: O_CREAT of a name with a trailing slash, before its lookup.
  if ((flags & O_CREAT) != 0 && trailingSlash(path, len)) return -EISDIR;
  if (i == LAST_MISSING) return (flags & O_CREAT) != 0 ? -ENOSYS : -ENOENT;
  if (i < 0) return i;
  if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) return -EEXIST;
  // O_TMPFILE names the directory to create in (do_tmpfile: LOOKUP_DIRECTORY); O_DIRECTORY
  // wants one too: every name here is a FIFO.
  if ((flags & (O_DIRECTORY | __O_TMPFILE)) != 0) return -ENOTDIR;
  if ((flags & O_PATH) != 0) return pathOpen(p, flags);
  const acc = flags & O_ACCMODE_MASK;
  if (acc == 3) return -EINVAL; // OPEN_FMODE gives neither read nor write: fifo_open's default
  const fi = openFile(i, flags);
  if (fi < 0) return fi;
  return partnerOpen(p, fi, acc, flags);
}

/** do_dentry_open with FMODE_PATH: a description without I/O, no fifo_open (no partner
 * wait); f_flags keep what build_open_how left (O_PATH, O_DIRECTORY, O_NOFOLLOW). */
function pathOpen(p: Proc, flags: i32): i32 {
  const fi = fileAlloc(FILE_PATH, flags & ~O_CLOEXEC, 0);
  if (fi < 0) return fi;
  const fd = fdAllocLowest(p, 0);
  if (fd < 0 || !fdInstallAt(p, fd, fi, (flags & O_CLOEXEC) != 0)) {
    fileDiscard(fi);
    return fd < 0 ? fd : -ENOMEM;
  }
  return fd;
}

/** The description for a new open of inode i, counted on its pipe (allocated if needed). */
function openFile(i: i32, flags: i32): i32 {
  const ino = inode(i);
  if (ino.pipe < 0) {
    const pi = pipeAlloc(i);
    if (pi < 0) return pi == -ENFILE ? -ENOMEM : pi;
    ino.pipe = pi;
  }
  const acc = flags & O_ACCMODE_MASK;
  const fmode =
    acc == O_RDONLY ? FMODE_READ : acc == O_WRONLY ? FMODE_WRITE : FMODE_READ | FMODE_WRITE;
  const fflags = (flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC)) | O_LARGEFILE;
  const fi = fileAlloc(FILE_FIFO, fflags, fmode);
  if (fi < 0) {
    if (pipe(ino.pipe).files == 0) pipeDropFile(ino.pipe, 0);
    return fi;
  }
  file(fi).pipe = ino.pipe;
  file(fi).inode = i;
  pipe(ino.pipe).files++;
  return fi;
}

function partnerOpen(p: Proc, fi: i32, acc: i32, flags: i32): i32 {
  const pi = pipe(file(fi).pipe);
  if (acc == O_RDONLY) {
    pi.rCounter++;
    if (pi.readers++ == 0) wakeAll(rdWait(pi));
    if (pi.writers == 0 && (flags & O_NONBLOCK) == 0) return waitPartner(p, fi, pi.wCounter);
  } else if (acc == O_WRONLY) {
    if ((flags & O_NONBLOCK) != 0 && pi.readers == 0) {
      discardOpen(fi);
      return -ENXIO;
    }
    pi.wCounter++;
    if (pi.writers++ == 0) wakeAll(rdWait(pi));
    if (pi.readers == 0) return waitPartner(p, fi, pi.rCounter);
  } else {
    pi.readers++;
    pi.writers++;
    pi.rCounter++;
    pi.wCounter++;
    if (pi.readers == 1 || pi.writers == 1) wakeAll(rdWait(pi));
  }
  return installOpen(p, fi, flags);
}

function installOpen(p: Proc, fi: i32, flags: i32): i32 {
  if ((flags & O_DIRECT) != 0) return refuseDirect(fi);
  const fd = fdAllocLowest(p, 0);
  if (fd < 0 || !fdInstallAt(p, fd, fi, (flags & O_CLOEXEC) != 0)) {
    abortOpen(fi);
    return fd < 0 ? fd : -ENOMEM;
  }
  return fd;
}

/** do_dentry_open: O_DIRECT needs FMODE_CAN_ODIRECT (a_ops->direct_IO), which a FIFO never
 * has. The check follows a successful f_op->open, so the opened file is fput: pipe_release
 * drops the reader/writer count again (waking everyone if it was the last of its side). */
function refuseDirect(fi: i32): i32 {
  filePut(fi);
  return -EINVAL;
}

/** wait_for_partner: sleep until the counter moves from `cur`. */
function waitPartner(p: Proc, fi: i32, cur: i32): i32 {
  const w = fifoOpenWait(p);
  w.desc = fi;
  w.counter = cur;
  return sleepOn(p, rdWait(pipe(file(fi).pipe)), false);
}

/** A woken opener re-checks its counter (the loop in wait_for_partner). */
export function fifoOpenRetry(p: Proc, flags: i32): i32 {
  const w = fifoOpenWait(p);
  const fi = w.desc;
  const pi = pipe(file(fi).pipe);
  const now = (file(fi).fmode & FMODE_READ) != 0 ? pi.wCounter : pi.rCounter;
  if (now == w.counter) return sleepOn(p, rdWait(pi), false);
  return installOpen(p, fi, flags);
}

/** An open that fails before counting itself (ENXIO): drop the file without release. */
function discardOpen(fi: i32): void {
  const pi = file(fi).pipe;
  fileDiscard(fi);
  pipeDropFile(pi, 1);
}

/** An open that counted itself and then fails (interrupted, killed, no fd): fifo_open's
 * err_rd / err_wr paths. */
export function abortOpen(fi: i32): void {
  const pi = pipe(file(fi).pipe);
  const fmode = file(fi).fmode;
  if ((fmode & FMODE_READ) != 0 && --pi.readers == 0) wakeOne(wrWait(pi));
  if ((fmode & FMODE_WRITE) != 0 && --pi.writers == 0) wakeAll(rdWait(pi));
  discardOpen(fi);
}

// ---- invariants ----

export function fifoCheck(): void {
  let used = 0;
  for (let i = 0; i < NINODE; i++) {
    const ino = inode(i);
    if (ino.inUse == 0) continue;
    used++;
    if (ino.pipe >= 0) {
      const pi = pipe(ino.pipe);
      assert(pi.inUse != 0 && pi.inode == i, "inode and pipe disagree");
    } else {
      assert(ino.linked != 0, "unlinked inode without a pipe still allocated");
    }
    if (ino.linked != 0) {
      const again = lookupName(names + <usize>i * NAME_BYTES, ino.nameLen);
      assert(again == i, "two linked inodes with one name");
    }
  }
  assert(used == S.used, "inode use count drifted");
}
