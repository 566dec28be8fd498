// Syscall entry points for descriptors, pipes and FIFOs: decode arguments, pick the mechanism.
// Linux: fs/read_write.c (ksys_read, vfs_read), fs/open.c, fs/pipe.c, fs/fcntl.c, fs/file.c.

import { EBADF, EFAULT } from "./abi";
import { fifoMake, fifoOpen, fifoOpenRetry, fifoUnlink } from "./fifo";
import {
  FILE_NULL, FMODE_READ, FMODE_WRITE, fdClose, fdGet, file, fileDup, fileDup2, fileFcntl,
} from "./file";
import { MAX_RW_COUNT } from "./param";
import { pipeCreate, pipeRead, pipeWrite } from "./pipe";
import { Proc } from "./proc";
import { accessOk } from "./vm";

/** read(fd, buf, count): vfs_read checks the mode, then access_ok, then the file's read. */
export function sysRead(p: Proc, fd: i32, va: u32, count: u32): i32 {
  const fi = fdGet(p, fd);
  if (fi < 0) return fi;
  if ((file(fi).fmode & FMODE_READ) == 0) return -EBADF;
  if (file(fi).kind == FILE_NULL) return accessOk(va, count) ? 0 : -EFAULT;
  return pipeRead(p, fi, va, count);
}

/** write(fd, buf, count). /dev/null takes everything (write_null). */
export function sysWrite(p: Proc, fd: i32, va: u32, count: u32): i32 {
  const fi = fdGet(p, fd);
  if (fi < 0) return fi;
  if ((file(fi).fmode & FMODE_WRITE) == 0) return -EBADF;
  if (file(fi).kind == FILE_NULL) {
    if (!accessOk(va, count)) return -EFAULT;
    return <i32>(count > MAX_RW_COUNT ? MAX_RW_COUNT : count);
  }
  return pipeWrite(p, fi, va, count);
}

export function sysClose(p: Proc, fd: i32): i32 {
  return fdClose(p, fd);
}

export function sysDup(p: Proc, fd: i32): i32 {
  return fileDup(p, fd);
}

export function sysDup2(p: Proc, oldfd: i32, newfd: i32): i32 {
  return fileDup2(p, oldfd, newfd);
}

export function sysFcntl(p: Proc, fd: i32, cmd: i32, arg: i32): i32 {
  return fileFcntl(p, fd, cmd, arg);
}

export function sysPipe2(p: Proc, fdsVa: u32, flags: i32): i32 {
  return pipeCreate(p, fdsVa, flags);
}

export function sysMkfifo(p: Proc, pathVa: u32, mode: i32): i32 {
  return fifoMake(p, pathVa, mode);
}

/** open(path, flags): a woken opener resumes its partner wait. */
export function sysOpen(p: Proc, pathVa: u32, flags: i32): i32 {
  if (p.woke != 0) return fifoOpenRetry(p, flags);
  return fifoOpen(p, pathVa, flags);
}

export function sysUnlink(p: Proc, pathVa: u32): i32 {
  return fifoUnlink(p, pathVa);
}
