// Open file descriptions and per-process descriptor tables: close, dup, dup2, fcntl.
//
// Linux: fs/file.c (alloc_fd, do_dup2, close_fd), fs/fcntl.c (do_fcntl, setfl, f_dupfd),
// fs/file_table.c (fput). Syscalls: close, dup, dup2, fcntl.
//
// A descriptor names an open file description (`File`); fork and dup share descriptions, so a
// description lives while any descriptor names it (refs). Kinds: the null device (fds 0, 1, 2 of
// the first process, /dev/null in the host bridge), pipe ends, FIFO ends, queues, regular
// files and directories, signalfds, AF_UNIX sockets, epolls, O_PATH descriptors of any
// inode. fcntl's other commands are fcntl.ts's.
//
// Table layout per process (pid-indexed, fixed size):
//   | NOFILE_INLINE x i32 (fds 0..31) | FD_PAGES x usize (pages of 1024 x i32 for fds 32..) |
// An entry is 0 (free) or (file index + 1) | FD_CLOEXEC_BIT.
//
// Differences from Linux: fs.file-max is NFILE (param.ts) rather than ~10^19; running out gives
// ENFILE as Linux does.
//
// Invariants (fileCheck): a description's refs equal the descriptors naming it plus the
// pending FIFO opens holding it; free descriptions are on the free list.

import {
  EBADF, EINVAL, EMFILE, ENFILE, ENOMEM, F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_GETFL, F_GETPIPE_SZ,
  F_SETFD, F_SETFL, F_SETPIPE_SZ, FD_CLOEXEC, O_APPEND, O_DIRECT, O_LARGEFILE, O_NONBLOCK, O_RDWR,
  O_ASYNC, O_NOATIME, PROC_UNUSED, PROC_ZOMBIE,
} from "./abi";
import { pageAlloc, pagePut } from "./mem";
import { NFILE, NOFILE, NOFILE_INLINE, NPROC, PAGE_SIZE } from "./param";
import {
  fasyncCommand, fasyncFcntl, fasyncInit, fasyncRelease, fasyncSetfl,
} from "./fasync";
import { fcntlOther, fcntlPathAllowed } from "./fcntl";
import { locksRemoveFile, locksRemovePosix } from "./fcntl_lock";
import { hookEpRelease, hookMqFlush, hookMqRelease } from "./hooks";
import { inodePut } from "./inode";
import { pipeFcntl, pipeFileRelease } from "./pipe";
import { Proc } from "./proc";
import { sockRelease } from "./unix";

export const FILE_NULL: i32 = 1;
export const FILE_PIPE: i32 = 2;
export const FILE_FIFO: i32 = 3;
/** An O_PATH descriptor (FMODE_PATH): no I/O, fcntl's check_fcntl_cmd commands only. */
export const FILE_PATH: i32 = 4;
/** A POSIX message queue (mqueue.ts): `inode` is its row. */
export const FILE_MQUEUE: i32 = 5;
/** A regular file and a directory of the tmpfs (regfile.ts): `inode` is its row, `pos` the
 * offset (a directory's listing position). */
export const FILE_REG: i32 = 6;
export const FILE_DIR: i32 = 7;
/** A signalfd (signalfd.ts): `pos` and `inode` hold its mask's halves. */
export const FILE_SIGNALFD: i32 = 8;
/** An AF_UNIX socket (unix.ts): `pipe` is its row. */
export const FILE_SOCKET: i32 = 9;
/** An epoll instance (epoll.ts): `pipe` is its row. */
export const FILE_EPOLL: i32 = 10;
export const FMODE_READ: i32 = 1;
export const FMODE_WRITE: i32 = 2;
/** fs/fcntl.c SETFL_MASK: the status flags F_SETFL may change (O_ASYNC only through
 * ->fasync: fasync.ts). */
const SETFL_MASK: i32 = O_APPEND | O_NONBLOCK | O_DIRECT | O_NOATIME;
const FD_CLOEXEC_BIT: i32 = 1 << 30;
const FDS_PER_PAGE: i32 = PAGE_SIZE / sizeof<i32>();
const FD_PAGES: i32 = (NOFILE - NOFILE_INLINE + FDS_PER_PAGE - 1) / FDS_PER_PAGE;
const FDT_BYTES: i32 = NOFILE_INLINE * 4 + FD_PAGES * <i32>sizeof<usize>();

@unmanaged export class File {
  refs: i32;
  kind: i32;
  /** f_flags: access mode and status flags, as F_GETFL reports them. */
  flags: i32;
  fmode: i32;
  pipe: i32;
  inode: i32;
  nextFree: i32;
  /** f_pos: of a regular file or directory (regfile.ts), of a queue (mqueue.ts). */
  pos: i32;
  /** f_pipe: a FIFO reader opened O_NONBLOCK without a writer keeps the pipe's w_counter
   * then, and poll reports no POLLHUP until a writer has opened since (pipe.ts pipePoll). */
  fPipe: i32;
}

@unmanaged class FileState {
  freeHead: i32;
  used: i32;
}

const S = changetype<FileState>(memory.data(offsetof<FileState>(), 16));
const files: usize = memory.data(NFILE * offsetof<File>(), 16);
const fdtables: usize = memory.data(NPROC * FDT_BYTES, 16);

@inline export function file(i: i32): File {
  return changetype<File>(files + <usize>i * offsetof<File>());
}

export function fileInit(): void {
  memory.fill(files, 0, <usize>NFILE * offsetof<File>());
  memory.fill(fdtables, 0, <usize>NPROC * FDT_BYTES);
  for (let i = 0; i < NFILE; i++) file(i).nextFree = i + 2 <= NFILE ? i + 2 : 0;
  S.freeHead = 1;
  S.used = 0;
  fasyncInit();
}

/** A new description with one reference, or -ENFILE. */
export function fileAlloc(kind: i32, flags: i32, fmode: i32): i32 {
  if (S.freeHead == 0) return -ENFILE;
  const i = S.freeHead - 1;
  const f = file(i);
  S.freeHead = f.nextFree;
  f.refs = 1;
  f.kind = kind;
  f.flags = flags;
  f.fmode = fmode;
  f.pipe = -1;
  f.inode = -1;
  f.nextFree = 0;
  f.pos = 0;
  f.fPipe = 0;
  S.used++;
  return i;
}

/** Drop one reference; the last one releases the description (fput, __fput). */
export function filePut(i: i32): void {
  const f = file(i);
  assert(f.refs > 0, "filePut on a free description");
  f.refs--;
  if (f.refs > 0) return;
  hookEpRelease(i); // __fput: eventpoll_release, and an epoll's own ->release
  locksRemoveFile(i); // __fput: before ->fasync and ->release
  fasyncRelease(i);
  if (f.kind == FILE_PIPE || f.kind == FILE_FIFO) pipeFileRelease(f.pipe, f.fmode, f.inode);
  if (f.kind == FILE_MQUEUE) hookMqRelease(f.inode);
  if (f.kind == FILE_SOCKET) sockRelease(f.pipe);
  if (f.kind == FILE_REG || f.kind == FILE_DIR || (f.kind == FILE_PATH && f.inode >= 0)) {
    inodePut(f.inode);
  }
  f.kind = 0;
  f.nextFree = S.freeHead;
  S.freeHead = i + 1;
  S.used--;
}

/** Free a description that was never opened (a failed FIFO open): no release runs. */
export function fileDiscard(i: i32): void {
  const f = file(i);
  assert(f.refs == 1, "fileDiscard on a shared description");
  f.refs = 0;
  f.kind = 0;
  f.nextFree = S.freeHead;
  S.freeHead = i + 1;
  S.used--;
}

// ---- descriptor tables ----

/** The descriptor tables, one per pid, FDT_BYTES each (kernel/views.ts layout). */
export function fdTablesBase(): usize { return fdtables; }
export const FDT_ENTRY_BYTES: i32 = FDT_BYTES;

@inline function fdtable(p: Proc): usize {
  return fdtables + <usize>p.pid * FDT_BYTES;
}

/** Address of fd's entry, or 0 when its page does not exist (and `create` is false). */
function fdSlot(p: Proc, fd: i32, create: bool): usize {
  const t = fdtable(p);
  if (fd < NOFILE_INLINE) return t + <usize>fd * 4;
  const k = (fd - NOFILE_INLINE) / FDS_PER_PAGE;
  const dir = t + <usize>NOFILE_INLINE * 4 + <usize>k * sizeof<usize>();
  let page = load<usize>(dir);
  if (page == 0) {
    if (!create) return 0;
    page = pageAlloc();
    if (page == 0) return 0;
    store<usize>(dir, page);
  }
  return page + <usize>((fd - NOFILE_INLINE) % FDS_PER_PAGE) * 4;
}

@inline function fdEntry(p: Proc, fd: i32): i32 {
  if (fd < 0 || fd >= NOFILE) return 0;
  if (fd < NOFILE_INLINE) return load<i32>(fdtable(p) + <usize>fd * 4); // fdSlot's first case
  const slot = fdSlot(p, fd, false);
  return slot == 0 ? 0 : load<i32>(slot);
}

/** The description fd names, or -EBADF (fdget). Inline: two calls of every read and write. */
@inline export function fdGet(p: Proc, fd: i32): i32 {
  const e = fdEntry(p, fd);
  return e == 0 ? -EBADF : (e & ~FD_CLOEXEC_BIT) - 1;
}

/** Point fd at description f (taking over one reference). False when out of memory. */
function fdSet(p: Proc, fd: i32, f: i32, cloexec: bool): bool {
  const slot = fdSlot(p, fd, true);
  if (slot == 0) return false;
  store<i32>(slot, (f + 1) | (cloexec ? FD_CLOEXEC_BIT : 0));
  return true;
}

/** Lowest free descriptor >= min (alloc_fd), or -EMFILE at RLIMIT_NOFILE. */
export function fdAllocLowest(p: Proc, min: i32): i32 {
  for (let fd = min; fd < NOFILE; fd++) {
    if (fdEntry(p, fd) == 0) return fd;
  }
  return -EMFILE;
}

/** Install description f (one reference, taken over) at fd, which must be free. */
export function fdInstallAt(p: Proc, fd: i32, f: i32, cloexec: bool): bool {
  assert(fdEntry(p, fd) == 0, "fdInstallAt on a used descriptor");
  return fdSet(p, fd, f, cloexec);
}

export function fdClose(p: Proc, fd: i32): i32 {
  const f = fdGet(p, fd);
  if (f < 0) return f;
  store<i32>(fdSlot(p, fd, false), 0);
  filpFlush(p, f);
  filePut(f);
  return 0;
}

/** filp_flush (every close of a descriptor, dup2's of the one it replaces): ->flush, then the
 * closer's POSIX locks on the file go (locks_remove_posix). */
function filpFlush(p: Proc, f: i32): void {
  if (file(f).kind == FILE_MQUEUE) hookMqFlush(file(f).inode, p);
  if (file(f).kind != FILE_PATH) locksRemovePosix(p, f);
}

/** The page of fds NOFILE_INLINE + k * FDS_PER_PAGE.., or 0 when none was ever needed. */
@inline function fdPage(p: Proc, k: i32): usize {
  return load<usize>(fdtable(p) + <usize>NOFILE_INLINE * 4 + <usize>k * sizeof<usize>());
}

/** Close every descriptor (exit): only the inline entries and the pages that exist are read. */
export function fdCloseAll(p: Proc): void {
  const t = fdtable(p);
  for (let fd = 0; fd < NOFILE_INLINE; fd++) {
    if (load<i32>(t + <usize>fd * 4) != 0) fdClose(p, fd);
  }
  for (let k = 0; k < FD_PAGES; k++) {
    const page = fdPage(p, k);
    if (page == 0) continue;
    for (let i = 0; i < FDS_PER_PAGE; i++) {
      const fd = NOFILE_INLINE + k * FDS_PER_PAGE + i;
      if (fd < NOFILE && load<i32>(page + <usize>i * 4) != 0) fdClose(p, fd);
    }
    pagePut(page);
    store<usize>(t + <usize>NOFILE_INLINE * 4 + <usize>k * sizeof<usize>(), 0);
  }
}

/** fork: the child's table names the same descriptions (dup_fd). */
export function fdTableCopy(p: Proc, c: Proc): i32 {
  const t = fdtable(p);
  for (let fd = 0; fd < NOFILE_INLINE; fd++) {
    const r = fdCopyEntry(c, fd, load<i32>(t + <usize>fd * 4));
    if (r < 0) return r;
  }
  for (let k = 0; k < FD_PAGES; k++) {
    const page = fdPage(p, k);
    if (page == 0) continue;
    for (let i = 0; i < FDS_PER_PAGE; i++) {
      const fd = NOFILE_INLINE + k * FDS_PER_PAGE + i;
      if (fd >= NOFILE) break;
      const r = fdCopyEntry(c, fd, load<i32>(page + <usize>i * 4));
      if (r < 0) return r;
    }
  }
  return 0;
}

/** Give the child fd's entry e of its parent (0: free), with one more reference. */
@inline function fdCopyEntry(c: Proc, fd: i32, e: i32): i32 {
  if (e == 0) return 0;
  const f = (e & ~FD_CLOEXEC_BIT) - 1;
  if (!fdSet(c, fd, f, (e & FD_CLOEXEC_BIT) != 0)) return -ENOMEM;
  file(f).refs++;
  return 0;
}

/** The first process starts with fds 0, 1, 2 on one /dev/null description (O_RDWR). */
export function fdTableInit(p: Proc): i32 {
  const f = fileAlloc(FILE_NULL, O_RDWR | O_LARGEFILE, FMODE_READ | FMODE_WRITE);
  if (f < 0) return f;
  file(f).refs = 3;
  for (let fd = 0; fd < 3; fd++) fdSet(p, fd, f, false);
  return 0;
}

// ---- the calls ----

export function fileDup(p: Proc, oldfd: i32): i32 {
  const f = fdGet(p, oldfd);
  if (f < 0) return f;
  const fd = fdAllocLowest(p, 0);
  if (fd < 0) return fd;
  if (!fdSet(p, fd, f, false)) return -EMFILE;
  file(f).refs++;
  return fd;
}

/** dup2 (fs/file.c): same fd returns it if valid; newfd past the limit is EBADF. */
export function fileDup2(p: Proc, oldfd: i32, newfd: i32): i32 {
  if (oldfd == newfd) return fdGet(p, oldfd) < 0 ? -EBADF : newfd;
  if (<u32>newfd >= <u32>NOFILE) return -EBADF;
  const f = fdGet(p, oldfd);
  if (f < 0) return f;
  file(f).refs++;
  const old = fdGet(p, newfd);
  if (!fdSet(p, newfd, f, false)) {
    file(f).refs--;
    return -EBADF;
  }
  if (old >= 0) {
    filpFlush(p, old); // do_dup2: filp_close(tofree)
    filePut(old);
  }
  return newfd;
}

export function fileFcntl(p: Proc, fd: i32, cmd: i32, arg: i32): i32 {
  const fi = fdGet(p, fd);
  if (fi < 0) return fi;
  const f = file(fi);
  // Linux: fs/fcntl.c SYSCALL_DEFINE3(fcntl): an O_PATH file allows only check_fcntl_cmd's.
  if (f.kind == FILE_PATH && !fcntlPathAllowed(cmd)) return -EBADF;
  if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC) return dupFrom(p, fi, arg, cmd == F_DUPFD_CLOEXEC);
  if (cmd == F_GETFD) return (fdEntry(p, fd) & FD_CLOEXEC_BIT) != 0 ? FD_CLOEXEC : 0;
  if (cmd == F_SETFD) {
    fdSet(p, fd, fi, (arg & FD_CLOEXEC) != 0);
    return 0;
  }
  if (cmd == F_GETFL) return f.flags;
  if (cmd == F_SETFL) return setfl(fi, fd, arg);
  if (fasyncCommand(cmd)) return fasyncFcntl(p, fi, cmd, arg);
  if (cmd == F_GETPIPE_SZ || cmd == F_SETPIPE_SZ) {
    if (f.kind != FILE_PIPE && f.kind != FILE_FIFO) return -EBADF;
    return pipeFcntl(f.pipe, cmd, arg);
  }
  return fcntlOther(p, fi, cmd, arg);
}

/** setfl (fs/fcntl.c): only SETFL_MASK changes. O_DIRECT is packet mode on pipes and FIFOs
 * (S_ISFIFO); any other file needs FMODE_CAN_ODIRECT, which /dev/null lacks: EINVAL. */
function setfl(fi: i32, fd: i32, arg: i32): i32 {
  const f = file(fi);
  const fifo = f.kind == FILE_PIPE || f.kind == FILE_FIFO;
  // tmpfs regular files take O_DIRECT (shmem's FMODE_CAN_ODIRECT, Linux 6.6 on).
  if ((arg & O_DIRECT) != 0 && !fifo && f.kind != FILE_REG) return -EINVAL;
  // Linux: ->fasync (pipe_fasync) when O_ASYNC changes; /dev/null has none: the bit stays.
  if (((arg ^ f.flags) & O_ASYNC) != 0 && fifo) fasyncSetfl(fi, fd, (arg & O_ASYNC) != 0);
  // A socket has ->fasync (sock_fasync): the bit follows arg; its SIGIO is not modelled
  // (docs/differences.md `unix-sigio`).
  if (f.kind == FILE_SOCKET) f.flags = (f.flags & ~O_ASYNC) | (arg & O_ASYNC);
  f.flags = (arg & SETFL_MASK) | (f.flags & ~SETFL_MASK);
  return 0;
}

/** F_DUPFD: the lowest free fd >= arg; arg at or past RLIMIT_NOFILE is EINVAL (f_dupfd). */
function dupFrom(p: Proc, fi: i32, arg: i32, cloexec: bool): i32 {
  if (<u32>arg >= <u32>NOFILE) return -EINVAL;
  const fd = fdAllocLowest(p, arg);
  if (fd < 0) return fd;
  if (!fdSet(p, fd, fi, cloexec)) return -EMFILE;
  file(fi).refs++;
  return fd;
}

// ---- invariants ----

/** Count, into `counts` (one i32 per description), the descriptors of p naming each one. */
export function fdCount(p: Proc, counts: usize): void {
  for (let fd = 0; fd < NOFILE; fd++) {
    const f = fdGet(p, fd);
    if (f < 0) continue;
    assert(f < NFILE && file(f).refs > 0, "descriptor names a free description");
    store<i32>(counts + <usize>f * 4, load<i32>(counts + <usize>f * 4) + 1);
  }
}

/** Report each page of p's descriptor table to `count` (kernel_check's page census). */
export function fdPages(p: Proc, count: (page: usize) => void): void {
  const t = fdtable(p);
  for (let k = 0; k < FD_PAGES; k++) {
    const page = load<usize>(t + <usize>NOFILE_INLINE * 4 + <usize>k * sizeof<usize>());
    if (page != 0) count(page);
  }
}

export function fdCheckProc(p: Proc): void {
  for (let fd = 0; fd < NOFILE_INLINE; fd++) {
    const f = fdGet(p, fd);
    if (f >= 0) assert(file(f).refs > 0, "descriptor names a free description");
  }
}

/** Every description's refs equal the references counted (descriptors + pending opens). */
export function fileCheck(counts: usize): void {
  let used = 0;
  for (let i = 0; i < NFILE; i++) {
    const f = file(i);
    if (f.refs == 0) {
      assert(f.kind == 0, "free description with a kind");
      continue;
    }
    used++;
    assert(f.refs == load<i32>(counts + <usize>i * 4), "description refs != descriptors naming it");
  }
  assert(used == S.used, "description use count drifted");
}
