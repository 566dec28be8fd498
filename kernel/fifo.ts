// FIFOs once found by open (open.ts): fifo_open with its partner waits. Reads and writes on an
// open FIFO are pipe reads and writes (pipe.ts); mkfifo and unlink are fs.ts's.
//
// Linux: fs/pipe.c (fifo_open, wait_for_partner, wake_up_partner), fs/open.c
// (do_dentry_open).
//
// fifo_open counts the opener as a reader or writer *before* it waits, so a blocked reader
// already lets an O_WRONLY|O_NONBLOCK open succeed. A blocked opener waits (non-exclusively, on
// the pipe's rd_wait, as Linux does) until the other side's counter moves: any open of the
// other side releases it, even one closed again before it runs. O_RDWR never blocks. The
// pipe (and any unread data) lives while any end is open, and holds the inode (inode.ts);
// unlinking only removes the name. O_DIRECT is refused (EINVAL) only after fifo_open has
// succeeded, so such an open still waits for and wakes its partners before it fails
// (fs/open.c do_dentry_open).
//
// Invariants (kernel_check): an inode with a pipe names a live pipe that names it back.

import {
  EINVAL, ENFILE, ENOMEM, ENXIO, O_CLOEXEC, O_CREAT, O_DIRECT, O_EXCL, O_LARGEFILE, O_NOCTTY,
  O_NONBLOCK, O_RDONLY, O_TRUNC, O_WRONLY, SYS_open, SYS_openat,
} from "./abi";
import {
  FILE_FIFO, FMODE_READ, FMODE_WRITE, fdAllocLowest, fdInstallAt, file, fileAlloc, fileDiscard,
  filePut,
} from "./file";
import { inode, inodeMaybeFree, inodesTouched } from "./inode";
import { pipe, pipeAlloc, pipeDropFile, rdWait, wrWait } from "./pipe";
import { CALL_NONE, CALL_STATE_BYTES, Proc, callState } from "./proc";
import { sleepOn, wakeAll, wakeOne } from "./wait";

const O_ACCMODE_MASK: i32 = 3;

/** An open asleep for a partner (Proc call state): the description it counted itself on
 * (CALL_NONE: none), and the partner side's open counter when it went to sleep. */
@unmanaged class FifoOpenWait {
  desc: i32;
  counter: i32;
}

@inline function fifoOpenWait(p: Proc): FifoOpenWait {
  assert(offsetof<FifoOpenWait>() <= CALL_STATE_BYTES);
  return changetype<FifoOpenWait>(callState(p));
}

/** The description a process asleep in a FIFO open counted itself on, or CALL_NONE. */
export function fifoOpening(p: Proc): i32 {
  if (p.callNr != SYS_open && p.callNr != SYS_openat) return CALL_NONE;
  return fifoOpenWait(p).desc;
}

/** Every inode with a pipe names a live pipe that names it back. */
export function fifoInodesCheck(): void {
  for (let i = 0; i < inodesTouched(); i++) {
    const ino = inode(i);
    if (ino.inUse == 0 || ino.pipe < 0) continue;
    const pi = pipe(ino.pipe);
    assert(pi.inUse != 0 && pi.inode == i, "inode and pipe disagree");
  }
}

/** The last file on an inode's pipe closed: the pipe is gone, and an unlinked inode with it. */
export function fifoPipeGone(i: i32): void {
  inode(i).pipe = -1;
  inodeMaybeFree(i);
}

// ---- open ----

/** fifo_open of inode i, found by open (open.ts) with the flags checked. */
export function fifoOpen(p: Proc, i: i32, flags: i32): i32 {
  const acc = flags & O_ACCMODE_MASK;
  if (acc == 3) return -EINVAL; // OPEN_FMODE gives neither read nor write: fifo_open's default
  const fi = openFile(i, flags);
  if (fi < 0) return fi;
  return partnerOpen(p, fi, acc, flags);
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
    // fifo_open: a non-blocking reader without a writer suppresses POLLHUP until one comes.
    if (pi.writers == 0 && (flags & O_NONBLOCK) != 0) file(fi).fPipe = pi.wCounter;
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
