// Syscall entry points for paths and regular files: argument checks and the path copy-in; the
// mechanisms (open.ts, fs.ts, regfile.ts, namei.ts) take kernel values.
// Linux: fs/open.c, fs/namei.c, fs/stat.c, fs/read_write.c, fs/sync.c, fs/fs_struct.c.

import {
  AT_EACCESS, AT_EMPTY_PATH, AT_SYMLINK_NOFOLLOW, EACCES, EBADF, EFAULT, EINVAL, EISDIR, ENOENT,
  ENOTDIR, ERANGE, ESPIPE, S_IFCHR, S_IFIFO, S_IFREG, S_IFSOCK,
} from "./abi";
import { fifoOpenRetry } from "./fifo";
import {
  FILE_DIR, FILE_EPOLL, FILE_FIFO, FILE_MQUEUE, FILE_NULL, FILE_PATH, FILE_PIPE, FILE_REG,
  FILE_SIGNALFD, FILE_SOCKET, FMODE_READ, FMODE_WRITE, fdGet, file,
} from "./file";
import {
  NOT_TMPFS, fsChmod, fsMkdir, fsMknod, fsRmdir, fsSetCwd, fsUnlink,
} from "./fs";
import { inode, inodeSize, isDir, isReg } from "./inode";
import { mqMode, mqNlink, mqSetSize, mqSize } from "./mqueue";
import { mqReadFile } from "./mqueue_read";
import { AT_FDCWD, FOLLOW, ND, NOFOLLOW, cwdPath, walk } from "./namei";
import { notTmpfsMode, pathAt, pathAtOrEmpty, pathBuf, pathStart, startOut } from "./pathat";
import { fsOpen } from "./open";
import { Proc } from "./proc";
import {
  dirGetdents, fileLseek, regFtruncate, regRead, regTruncate, regWrite,
} from "./regfile";
import { buildOpenFlags, getnameTo } from "./sys_file";
import { MAX_RW_COUNT } from "./param";
import { NSEC_PER_SEC, timeRealAt } from "./time";
import { accessOk, copyToUser } from "./vm";

/** include/uapi/linux/fcntl.h AT_REMOVEDIR: unlinkat's one flag. */
const AT_REMOVEDIR: i32 = 0x200;

export function sysOpenat(p: Proc, dirfd: i32, pathVa: u32, flags: i32, mode: i32): i32 {
  const f = buildOpenFlags(flags);
  if (f < 0) return f;
  if (p.woke != 0) return fifoOpenRetry(p, f);
  const len = pathAt(p, dirfd, pathVa);
  if (len < 0) return len;
  return fsOpen(p, startOut, pathBuf, len, f, mode);
}

/** mknod(path, mode) of a FIFO (sys_file.ts sysMkfifo checked the type). */
export function sysMknodFifo(p: Proc, pathVa: u32, mode: i32): i32 {
  const len = pathAt(p, AT_FDCWD, pathVa);
  if (len < 0) return len;
  return fsMknod(p, startOut, pathBuf, len, S_IFIFO | mode);
}

export function sysMkdir(p: Proc, pathVa: u32, mode: i32): i32 {
  return sysMkdirat(p, AT_FDCWD, pathVa, mode);
}

export function sysMkdirat(p: Proc, dirfd: i32, pathVa: u32, mode: i32): i32 {
  const len = pathAt(p, dirfd, pathVa);
  if (len < 0) return len;
  return fsMkdir(p, startOut, pathBuf, len, mode);
}

export function sysRmdir(p: Proc, pathVa: u32): i32 {
  const len = pathAt(p, AT_FDCWD, pathVa);
  if (len < 0) return len;
  return fsRmdir(startOut, pathBuf, len);
}

/** unlinkat(dirfd, path, flags): AT_REMOVEDIR is rmdir; any other flag is EINVAL, before the
 * path is read. */
export function sysUnlinkat(p: Proc, dirfd: i32, pathVa: u32, flags: i32): i32 {
  if ((flags & ~AT_REMOVEDIR) != 0) return -EINVAL;
  const len = pathAt(p, dirfd, pathVa);
  if (len < 0) return len;
  if ((flags & AT_REMOVEDIR) != 0) return fsRmdir(startOut, pathBuf, len);
  return fsUnlink(startOut, pathBuf, len);
}

export function sysChdir(p: Proc, pathVa: u32): i32 {
  const len = pathAt(p, AT_FDCWD, pathVa);
  if (len < 0) return len;
  const r = walk(startOut, pathBuf, len, FOLLOW, false);
  if (r < 0) return r;
  if (ND.found < 0) return -ENOENT;
  return fsSetCwd(p, ND.found);
}

/** fchdir(fd): a directory's description, O_PATH ones too (fdget_raw). */
export function sysFchdir(p: Proc, fd: i32): i32 {
  const fi = fdGet(p, fd);
  if (fi < 0) return fi;
  const f = file(fi);
  if (f.kind != FILE_DIR && f.kind != FILE_PATH) return -ENOTDIR;
  if (f.inode < 0) return -ENOTDIR;
  return fsSetCwd(p, f.inode);
}

/** umask(mask): the old mask; the new one keeps the permission bits (S_IRWXUGO). */
export function sysUmask(p: Proc, mask: i32): i32 {
  const old = p.umask;
  p.umask = mask & 0o777;
  return old;
}

export function sysChmod(p: Proc, pathVa: u32, mode: i32): i32 {
  return sysFchmodat(p, AT_FDCWD, pathVa, mode);
}

/** fchmodat(dirfd, path, mode): the path followed (the syscall has no flags; fchmodat2's are
 * not modelled). */
export function sysFchmodat(p: Proc, dirfd: i32, pathVa: u32, mode: i32): i32 {
  const len = pathAt(p, dirfd, pathVa);
  if (len < 0) return len;
  const r = walk(startOut, pathBuf, len, FOLLOW, false);
  if (r < 0) return r;
  if (ND.found < 0) return -ENOENT;
  if (ND.trailing != 0 && !isDir(ND.found)) return -ENOTDIR;
  fsChmod(ND.found, mode);
  return 0;
}

export function sysAccess(p: Proc, pathVa: u32, mode: i32): i32 {
  return sysFaccessat2(p, AT_FDCWD, pathVa, mode, 0);
}

export function sysFaccessat(p: Proc, dirfd: i32, pathVa: u32, mode: i32): i32 {
  return sysFaccessat2(p, dirfd, pathVa, mode, 0);
}

/** faccessat2(dirfd, path, mode, flags) (do_faccessat): mode bits past R_OK|W_OK|X_OK and
 * flags past AT_EACCESS|AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH are EINVAL. Without AT_EACCESS the
 * walk and the test use the real ids (namei.ts): the group class's bits; with it, the
 * effective ids: root's, which may read and write anything and execute what has an x bit or
 * is a directory (generic_permission's CAP_DAC_OVERRIDE). */
export function sysFaccessat2(p: Proc, dirfd: i32, pathVa: u32, mode: i32, f: i32): i32 {
  if ((mode & ~7) != 0) return -EINVAL;
  if ((f & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0) return -EINVAL;
  const len = pathAtOrEmpty(p, dirfd, pathVa, (f & AT_EMPTY_PATH) != 0);
  if (len < 0) return len;
  const effective = (f & AT_EACCESS) != 0;
  let i = startOut;
  if (len > 0) {
    const last = (f & AT_SYMLINK_NOFOLLOW) != 0 ? NOFOLLOW : FOLLOW;
    const r = walk(startOut, pathBuf, len, last, !effective);
    if (r < 0) return r;
    if (ND.found < 0) return -ENOENT;
    if (ND.trailing != 0 && !isDir(ND.found)) return -ENOTDIR;
    i = ND.found;
  }
  const m = i == NOT_TMPFS ? notTmpfsMode : inode(i).mode;
  if (effective) return (mode & 1) == 0 || (m & 0o111) != 0 || (i >= 0 && isDir(i)) ? 0 : -EACCES;
  const group = (m >> 3) & 7;
  return (group & mode) == mode ? 0 : -EACCES;
}

/** truncate(path, length): a regular file (EISDIR for a directory, EINVAL otherwise); a
 * negative length is EINVAL before the path is read (fs/open.c do_sys_truncate). */
export function sysTruncate(p: Proc, pathVa: u32, length: i32): i32 {
  if (length < 0) return -EINVAL;
  const len = pathAt(p, AT_FDCWD, pathVa);
  if (len < 0) return len;
  const r = walk(startOut, pathBuf, len, FOLLOW, false);
  if (r < 0) return r;
  if (ND.found < 0) return -ENOENT;
  if (ND.trailing != 0 && !isDir(ND.found)) return -ENOTDIR;
  if (isDir(ND.found)) return -EISDIR;
  if (!isReg(ND.found)) return -EINVAL;
  return regTruncate(ND.found, length, false);
}

/** ftruncate(fd, length): a negative length is EINVAL before the descriptor is looked at
 * (fs/open.c do_sys_ftruncate). A queue's inode is S_IFREG too: simple_setattr sets its i_size,
 * which only fstat and lseek see (its read is the QSIZE line). A length past MAX_NON_LFS
 * (EINVAL: mq_open gives no O_LARGEFILE) does not fit the model's argument. */
export function sysFtruncate(p: Proc, fd: i32, length: i32): i32 {
  if (length < 0) return -EINVAL;
  const fi = fdGet(p, fd);
  if (fi < 0) return fi;
  const f = file(fi);
  if (f.kind == FILE_PATH) return -EBADF;
  if (f.kind != FILE_MQUEUE) return regFtruncate(fi, length);
  if ((f.fmode & FMODE_WRITE) == 0) return -EINVAL;
  mqSetSize(f.inode, length);
  return 0;
}

export function sysLseek(p: Proc, fd: i32, offset: i32, whence: i32): i32 {
  const fi = fdGet(p, fd);
  if (fi < 0) return fi;
  if (file(fi).kind == FILE_PATH) return -EBADF;
  return fileLseek(fi, offset, whence);
}

/** fsync and fdatasync: a tmpfs file has nothing to write back (noop_fsync); pipes, FIFOs and
 * the null device have no ->fsync (EINVAL). */
export function sysFsync(p: Proc, fd: i32): i32 {
  const fi = fdGet(p, fd);
  if (fi < 0) return fi;
  const k = file(fi).kind;
  if (k == FILE_PATH) return -EBADF;
  return k == FILE_REG || k == FILE_DIR ? 0 : -EINVAL;
}

/** pread64 and pwrite64 (ksys_pread64): a negative offset is EINVAL; a file without
 * positioned I/O (pipes, FIFOs: FMODE_PREAD unset) is ESPIPE before the mode is looked at; then
 * vfs_read's order: the mode (EBADF), a file without ->read (EINVAL), access_ok (EFAULT), the
 * file's read (a directory's: EISDIR), a queue's QSIZE line from the offset (mqueue_read_file:
 * simple_read_from_buffer with pread's own position). */
export function sysPread64(p: Proc, fd: i32, va: u32, count: u32, offset: i32): i32 {
  if (offset < 0) return -EINVAL;
  const fi = fdGet(p, fd);
  if (fi < 0) return fi;
  const f = file(fi);
  // No FMODE_PREAD: a pipe's stream_open, a signalfd's anonymous inode.
  if (f.kind == FILE_PIPE || f.kind == FILE_FIFO || f.kind == FILE_SIGNALFD ||
    f.kind == FILE_SOCKET || f.kind == FILE_EPOLL) return -ESPIPE;
  if ((f.fmode & FMODE_READ) == 0) return -EBADF;
  if (!accessOk(va, count)) return -EFAULT;
  if (f.kind == FILE_MQUEUE) {
    return mqReadFile(p, fi, va, count > MAX_RW_COUNT ? MAX_RW_COUNT : count, offset);
  }
  if (f.kind == FILE_DIR) return -EISDIR;
  if (f.kind == FILE_NULL) return 0;
  return regRead(p, fi, va, count, offset);
}

/** pwrite64: as pread64, with vfs_write's checks (a queue has no ->write: EINVAL); the null
 * device takes everything (write_null), at most MAX_RW_COUNT. */
export function sysPwrite64(p: Proc, fd: i32, va: u32, count: u32, offset: i32): i32 {
  if (offset < 0) return -EINVAL;
  const fi = fdGet(p, fd);
  if (fi < 0) return fi;
  const f = file(fi);
  if (f.kind == FILE_PIPE || f.kind == FILE_FIFO || f.kind == FILE_SIGNALFD ||
    f.kind == FILE_SOCKET || f.kind == FILE_EPOLL) return -ESPIPE;
  if ((f.fmode & FMODE_WRITE) == 0) return -EBADF;
  if (f.kind == FILE_MQUEUE) return -EINVAL;
  if (!accessOk(va, count)) return -EFAULT;
  if (f.kind == FILE_NULL) return <i32>(count > MAX_RW_COUNT ? MAX_RW_COUNT : count);
  return regWrite(p, fi, va, count, offset);
}

/** getcwd(buf, size): the path and its NUL; ERANGE when they do not fit, ENOENT for a removed
 * working directory. Returns the length with the NUL, as the syscall does. */
export function sysGetcwd(p: Proc, va: u32, size: u32): i32 {
  const len = cwdPath(p, pathBuf);
  if (len < 0) return len;
  if (<u32>len + 1 > size) return -ERANGE;
  store<u8>(pathBuf + len, 0);
  return copyToUser(p, va, pathBuf, len + 1) == <u32>(len + 1) ? len + 1 : -EFAULT;
}

// ---- stat ----

/** The st_dev the model gives the tmpfs's inodes and its other files (the decoder reports
 * st_ino only for the former: a pipe's number is pipefs's, different on every host). */
const TMPFS_DEV: u64 = 0x2f;
const OTHER_DEV: u64 = 0xd;
const STAT_BYTES: i32 = 144;
const statBuf: usize = memory.data(STAT_BYTES, 16);

/** Fill struct stat (x86_64: dev 0, ino 8, nlink 16, mode 24, uid 28, gid 32, rdev 40, size
 * 48, blksize 56, blocks 64, st_atim 72, st_mtim 88, st_ctim 104) and copy it out
 * (cp_new_stat). Times only for the tmpfs's inodes (`i`; -1: none, left 0). */
function putStat(p: Proc, va: u32, dev: u64, ino: i32, mode: i32, nlink: i32, size: i64,
  pages: i32, i: i32 = -1): i32 {
  memory.fill(statBuf, 0, STAT_BYTES);
  store<u64>(statBuf, dev);
  store<u64>(statBuf + 8, <u64>ino);
  store<u64>(statBuf + 16, <u64>nlink);
  store<u32>(statBuf + 24, <u32>mode);
  store<i64>(statBuf + 48, size);
  store<i64>(statBuf + 56, 4096);
  store<i64>(statBuf + 64, <i64>pages * 8);
  if (i >= 0) {
    putTimespec(statBuf + 72, inode(i).atime);
    putTimespec(statBuf + 88, inode(i).mtime);
    putTimespec(statBuf + 104, inode(i).ctime);
  }
  return copyToUser(p, va, statBuf, STAT_BYTES) == <u32>STAT_BYTES ? 0 : -EFAULT;
}

/** A struct timespec (sec, nsec: two i64) of CLOCK_REALTIME at instant t (inode.ts). */
function putTimespec(at: usize, t: i64): void {
  const ns = timeRealAt(t);
  store<i64>(at, ns / NSEC_PER_SEC);
  store<i64>(at + 8, ns % NSEC_PER_SEC);
}

function statInode(p: Proc, i: i32, va: u32): i32 {
  const ino = inode(i);
  return putStat(p, va, TMPFS_DEV, ino.ino, ino.mode, ino.nlink, inodeSize(i), ino.nrPages, i);
}

export function sysStat(p: Proc, pathVa: u32, va: u32): i32 {
  return statPath(p, AT_FDCWD, pathVa, va, FOLLOW);
}

export function sysLstat(p: Proc, pathVa: u32, va: u32): i32 {
  return statPath(p, AT_FDCWD, pathVa, va, NOFOLLOW);
}

/** vfs_statx's flags: AT_SYMLINK_NOFOLLOW, AT_NO_AUTOMOUNT, AT_EMPTY_PATH, AT_STATX_SYNC_TYPE. */
const STATX_FLAGS: i32 = 0x100 | 0x800 | 0x1000 | 0x6000;

/** newfstatat(dirfd, path, buf, flags) (vfs_fstatat): an empty path with AT_EMPTY_PATH and a
 * descriptor is fstat, before the flags are looked at (getname_maybe_null); otherwise unknown
 * flags are EINVAL, then the path (an empty one with AT_FDCWD names the working directory). */
export function sysNewfstatat(p: Proc, dirfd: i32, pathVa: u32, va: u32, flags: i32): i32 {
  const len = getnameTo(p, pathVa, pathBuf);
  const empty = len == -ENOENT && (flags & AT_EMPTY_PATH) != 0;
  if (empty && dirfd >= 0) return sysFstat(p, dirfd, va);
  if ((flags & ~STATX_FLAGS) != 0) return -EINVAL;
  if (empty) return dirfd == AT_FDCWD ? statInode(p, p.cwd, va) : -EBADF;
  if (len < 0) return len;
  const start = pathStart(p, dirfd, pathBuf); // the path is in already: only its start
  if (start < 0) return start;
  return statWalked(p, len, va, (flags & AT_SYMLINK_NOFOLLOW) != 0 ? NOFOLLOW : FOLLOW);
}

function statPath(p: Proc, dirfd: i32, pathVa: u32, va: u32, last: i32): i32 {
  const len = pathAt(p, dirfd, pathVa);
  return len < 0 ? len : statWalked(p, len, va, last);
}

/** stat of the path in pathBuf (len bytes) from startOut. */
function statWalked(p: Proc, len: i32, va: u32, last: i32): i32 {
  const r = walk(startOut, pathBuf, len, last, false);
  if (r < 0) return r;
  if (ND.found < 0) return -ENOENT;
  if (ND.trailing != 0 && !isDir(ND.found)) return -ENOTDIR;
  return statInode(p, ND.found, va);
}

/** fstat(fd): the tmpfs's inodes as stat; a pipe (pipefs: S_IFIFO 0600), the null device
 * (S_IFCHR 0666), a queue (mqueue: S_IFREG, its i_size) as their file systems say. */
export function sysFstat(p: Proc, fd: i32, va: u32): i32 {
  const fi = fdGet(p, fd);
  if (fi < 0) return fi;
  const f = file(fi);
  if (f.kind == FILE_PIPE) return putStat(p, va, OTHER_DEV, 0, S_IFIFO | 0o600, 1, 0, 0);
  if (f.kind == FILE_NULL) return putStat(p, va, OTHER_DEV, 0, S_IFCHR | 0o666, 1, 0, 0);
  // net/socket.c sock_alloc: sockfs's inode, S_IFSOCK | 0777.
  if (f.kind == FILE_SOCKET) return putStat(p, va, OTHER_DEV, 0, S_IFSOCK | 0o777, 1, 0, 0);
  // fs/anon_inodes.c: the one anonymous inode, S_IRUSR | S_IWUSR and no type (a signalfd).
  if (f.kind == FILE_SIGNALFD || f.kind == FILE_EPOLL) {
    return putStat(p, va, OTHER_DEV, 0, 0o600, 1, 0, 0); // and an epoll ([eventpoll])
  }
  if (f.kind == FILE_MQUEUE) {
    const q = f.inode;
    return putStat(p, va, OTHER_DEV, 0, S_IFREG | mqMode(q), mqNlink(q), mqSize(q), 0);
  }
  return statInode(p, f.inode, va);
}

/** getdents64(fd, buf, count). */
export function sysGetdents64(p: Proc, fd: i32, va: u32, count: u32): i32 {
  const fi = fdGet(p, fd);
  if (fi < 0) return fi;
  if (file(fi).kind == FILE_PATH) return -EBADF;
  return dirGetdents(p, fi, va, count);
}
