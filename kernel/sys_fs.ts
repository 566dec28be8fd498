// Syscall entry points for paths and regular files: argument checks and the path copy-in; the
// mechanisms (open.ts, fs.ts, regfile.ts, namei.ts) take kernel values.
// Linux: fs/open.c, fs/namei.c, fs/stat.c, fs/read_write.c, fs/sync.c, fs/fs_struct.c.

import { EACCES, EBADF, EFAULT, EINVAL, EISDIR, ENOENT, ENOTDIR, ESPIPE, X_OK } from "./abi";
import { fifoOpenRetry } from "./fifo";
import {
  FILE_DIR, FILE_FIFO, FILE_NULL, FILE_PATH, FILE_PIPE, FILE_REG, FMODE_READ, FMODE_WRITE, fdGet,
  file,
} from "./file";
import { fsChmod, fsMkdir, fsRmdir, fsSetCwd, fsUnlink } from "./fs";
import { inode, isDir, isReg } from "./inode";
import { AT_FDCWD, FOLLOW, ND, walk, walkStart } from "./namei";
import { fsOpen } from "./open";
import { Proc } from "./proc";
import { fileLseek, regFtruncate, regRead, regTruncate, regWrite } from "./regfile";
import { buildOpenFlags, getnameTo } from "./sys_file";
import { MAX_RW_COUNT, PATH_MAX } from "./param";
import { accessOk } from "./vm";

/** include/uapi/linux/fcntl.h AT_REMOVEDIR: unlinkat's one flag. */
const AT_REMOVEDIR: i32 = 0x200;
const pathBuf: usize = memory.data(PATH_MAX + 1, 16);

/** Where the walk of the path pathAt copied in starts. */
let startOut: i32 = 0;

/** getname, then the walk's start: a relative path's directory (AT_FDCWD or dirfd), the root
 * for an absolute path (whose dirfd is never looked at). The path's length, or -errno. */
function pathAt(p: Proc, dirfd: i32, va: u32): i32 {
  const len = getnameTo(p, va, pathBuf);
  if (len < 0) return len;
  if (load<u8>(pathBuf) == 0x2f) {
    startOut = 0;
    return len;
  }
  const start = walkStart(p, dirfd);
  if (start < 0) return start;
  startOut = start;
  return len;
}

export function sysOpenat(p: Proc, dirfd: i32, pathVa: u32, flags: i32, mode: i32): i32 {
  const f = buildOpenFlags(flags);
  if (f < 0) return f;
  if (p.woke != 0) return fifoOpenRetry(p, f);
  const len = pathAt(p, dirfd, pathVa);
  if (len < 0) return len;
  return fsOpen(p, startOut, pathBuf, len, f, mode);
}

export function sysMkdir(p: Proc, pathVa: u32, mode: i32): i32 {
  const len = pathAt(p, AT_FDCWD, pathVa);
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

/** chmod(path, mode): the path followed. */
export function sysChmod(p: Proc, pathVa: u32, mode: i32): i32 {
  const len = pathAt(p, AT_FDCWD, pathVa);
  if (len < 0) return len;
  const r = walk(startOut, pathBuf, len, FOLLOW, false);
  if (r < 0) return r;
  if (ND.found < 0) return -ENOENT;
  if (ND.trailing != 0 && !isDir(ND.found)) return -ENOTDIR;
  fsChmod(ND.found, mode);
  return 0;
}

/** access(path, mode) (do_faccessat): mode bits past R_OK|W_OK|X_OK are EINVAL; the walk and
 * the test use the real ids (namei.ts): the group class's bits. */
export function sysAccess(p: Proc, pathVa: u32, mode: i32): i32 {
  if ((mode & ~7) != 0) return -EINVAL;
  const len = pathAt(p, AT_FDCWD, pathVa);
  if (len < 0) return len;
  const r = walk(startOut, pathBuf, len, FOLLOW, true);
  if (r < 0) return r;
  if (ND.found < 0) return -ENOENT;
  if (ND.trailing != 0 && !isDir(ND.found)) return -ENOTDIR;
  // The tmpfs is mounted noexec, as the host bridge mounts it (agent.c): X_OK on a regular
  // file is EACCES whatever its mode (do_faccessat's path_noexec check).
  if ((mode & X_OK) != 0 && isReg(ND.found)) return -EACCES;
  const group = (inode(ND.found).mode >> 3) & 7;
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
  return regTruncate(ND.found, length);
}

/** ftruncate(fd, length): a negative length is EINVAL before the descriptor is looked at
 * (fs/open.c do_sys_ftruncate). */
export function sysFtruncate(p: Proc, fd: i32, length: i32): i32 {
  if (length < 0) return -EINVAL;
  const fi = fdGet(p, fd);
  if (fi < 0) return fi;
  if (file(fi).kind == FILE_PATH) return -EBADF;
  return regFtruncate(fi, length);
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
 * positioned I/O (pipes, FIFOs: FMODE_PREAD unset) is ESPIPE, before vfs_read's access mode
 * check (EBADF). */
export function sysPread64(p: Proc, fd: i32, va: u32, count: u32, offset: i32): i32 {
  if (offset < 0) return -EINVAL;
  const fi = fdGet(p, fd);
  if (fi < 0) return fi;
  const f = file(fi);
  if (f.kind == FILE_PIPE || f.kind == FILE_FIFO) return -ESPIPE;
  if ((f.fmode & FMODE_READ) == 0) return -EBADF;
  if (f.kind == FILE_DIR) return -EISDIR;
  if (f.kind == FILE_NULL) return accessOk(va, count) ? 0 : -EFAULT;
  if (f.kind != FILE_REG) return -EINVAL;
  return regRead(p, fi, va, count, offset);
}

export function sysPwrite64(p: Proc, fd: i32, va: u32, count: u32, offset: i32): i32 {
  if (offset < 0) return -EINVAL;
  const fi = fdGet(p, fd);
  if (fi < 0) return fi;
  const f = file(fi);
  if (f.kind == FILE_PIPE || f.kind == FILE_FIFO) return -ESPIPE;
  if ((f.fmode & FMODE_WRITE) == 0) return -EBADF;
  if (f.kind == FILE_NULL) {
    // As write(2) on the null device (sys_file.ts sysWrite): vfs_write's access_ok, then the
    // count capped at MAX_RW_COUNT by rw_verify_area.
    if (!accessOk(va, count)) return -EFAULT;
    return <i32>(count > MAX_RW_COUNT ? MAX_RW_COUNT : count);
  }
  if (f.kind != FILE_REG) return -EINVAL;
  return regWrite(p, fi, va, count, offset);
}
