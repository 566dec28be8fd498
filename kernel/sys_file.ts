// Syscall entry points for descriptors, pipes and FIFOs: argument checks and copies between user
// memory and the kernel (paths in, pipe fds out); the mechanisms take kernel values.
// Linux: fs/read_write.c (ksys_read, vfs_read), fs/open.c, fs/namei.c (getname), fs/pipe.c,
// fs/fcntl.c, fs/file.c.

import {
  EBADF, EFAULT, EINVAL, EISDIR, ENAMETOOLONG, ENOENT, ENOPKG, ENOSYS, O_APPEND, O_ASYNC, O_CLOEXEC,
  O_CREAT, O_DIRECT, O_DIRECTORY, O_DSYNC, O_EXCL, O_LARGEFILE, O_NOATIME, O_NOCTTY, O_NOFOLLOW,
  O_NONBLOCK, O_PATH, O_RDONLY, __O_SYNC, O_TMPFILE, __O_TMPFILE, O_TRUNC, S_IFIFO, S_IFMT,
} from "./abi";

/** include/uapi/asm-generic/fcntl.h: the access mode field. */
const O_ACCMODE: i32 = 3;
import {
  FILE_DIR, FILE_EPOLL, FILE_MQUEUE, FILE_NULL, FILE_REG, FILE_SIGNALFD, FILE_SOCKET, FMODE_READ,
  FMODE_WRITE, fdGet, file,
} from "./file";
import { AT_FDCWD } from "./namei";
import { mqReadFile } from "./mqueue_read";
import { MAX_RW_COUNT, PATH_MAX } from "./param";
import { NewPipe, pipeCreate, pipeDiscard, pipeInstall, pipeRead, pipeWrite } from "./pipe";
import { Proc } from "./proc";
import { regRead, regWrite } from "./regfile";
import { signalfdRead } from "./signalfd";
import { sysMknodFifo, sysOpenat, sysUnlinkat } from "./sys_fs";
import { sockFileRead, sockFileWrite } from "./sys_net";
import { accessOk, copyFromUser, putUser32 } from "./vm";

// Calls whose arguments are already kernel values enter the mechanism directly.
export { fdClose as sysClose, fileDup as sysDup, fileDup2 as sysDup2 } from "./file";
export { fileFcntl as sysFcntl } from "./file";
export { lockFlock as sysFlock } from "./fcntl_lock";

/** pipe2's new descriptions and fds, between their creation and the copy-out. */
const newPipe = changetype<NewPipe>(memory.data(offsetof<NewPipe>(), 16));

/** getname(): copy a NUL-terminated path into `buf` (PATH_MAX + 1 bytes); its length, or
 * -EFAULT / -ENAMETOOLONG / -ENOENT (empty). */
export function getnameTo(p: Proc, va: u32, buf: usize): i32 {
  let len = 0;
  while (len <= PATH_MAX) {
    if (copyFromUser(p, buf + len, va + <u32>len, 1) != 1) return -EFAULT;
    if (load<u8>(buf + len) == 0) break;
    len++;
  }
  if (len >= PATH_MAX) return -ENAMETOOLONG;
  if (len == 0) return -ENOENT;
  return len;
}

/** read(fd, buf, count): vfs_read checks the mode, then access_ok, then the file's read (which
 * copies out as it takes bytes from the pipe). */
export function sysRead(p: Proc, fd: i32, va: u32, count: u32): i32 {
  const fi = fdGet(p, fd);
  if (fi < 0) return fi;
  if ((file(fi).fmode & FMODE_READ) == 0) return -EBADF;
  if (file(fi).kind == FILE_EPOLL) return -EINVAL; // no ->read: FMODE_CAN_READ
  if (file(fi).kind == FILE_NULL) return accessOk(va, count) ? 0 : -EFAULT;
  if (file(fi).kind == FILE_MQUEUE) {
    if (!accessOk(va, count)) return -EFAULT; // vfs_read's access_ok, before ->read
    return mqReadFile(p, fi, va, count > MAX_RW_COUNT ? MAX_RW_COUNT : count);
  }
  const kind = file(fi).kind;
  const checked = kind == FILE_REG || kind == FILE_DIR || kind == FILE_SIGNALFD ||
    kind == FILE_SOCKET;
  if (checked && !accessOk(va, count)) return -EFAULT;
  if (kind == FILE_SOCKET) return sockFileRead(p, fi, va, min(count, MAX_RW_COUNT));
  if (kind == FILE_SIGNALFD) return signalfdRead(p, fi, va, count);
  if (kind == FILE_REG) return regRead(p, fi, va, count, -1);
  if (kind == FILE_DIR) return -EISDIR; // generic_read_dir
  return pipeRead(p, fi, va, count);
}

/** write(fd, buf, count). /dev/null takes everything (write_null). */
export function sysWrite(p: Proc, fd: i32, va: u32, count: u32): i32 {
  const fi = fdGet(p, fd);
  if (fi < 0) return fi;
  if ((file(fi).fmode & FMODE_WRITE) == 0) return -EBADF;
  // A queue and a signalfd have no ->write: vfs_write's FMODE_CAN_WRITE check (EINVAL, before
  // the buffer's).
  const k = file(fi).kind;
  if (k == FILE_MQUEUE || k == FILE_SIGNALFD || k == FILE_EPOLL) return -EINVAL;
  if (file(fi).kind == FILE_NULL) {
    if (!accessOk(va, count)) return -EFAULT;
    return <i32>(count > MAX_RW_COUNT ? MAX_RW_COUNT : count);
  }
  if (file(fi).kind == FILE_REG) {
    return accessOk(va, count) ? regWrite(p, fi, va, count, -1) : -EFAULT;
  }
  if (file(fi).kind == FILE_SOCKET) {
    return accessOk(va, count) ? sockFileWrite(p, fi, va, count) : -EFAULT;
  }
  return pipeWrite(p, fi, va, count);
}

/** pipe2(fds, flags) (fs/pipe.c do_pipe2): the pipe and its fds are made, the fds copied out,
 * and only then installed; a failed copy-out drops both descriptions. */
export function sysPipe2(p: Proc, fdsVa: u32, flags: i32): i32 {
  // O_NOTIFICATION_PIPE is O_EXCL's bit. Linux: fs/pipe.c:create_pipe_files() calls
  // watch_queue_init(), which is -ENOPKG in a kernel without CONFIG_WATCH_QUEUE (the test
  // host's, and the model's: watch queues are not modelled), before any fd is taken.
  if ((flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT | O_EXCL)) != 0) return -EINVAL;
  if ((flags & O_EXCL) != 0) return -ENOPKG;
  const r = pipeCreate(p, flags, newPipe);
  if (r < 0) return r;
  if (putUser32(p, fdsVa, newPipe.readFd) < 0 || putUser32(p, fdsVa + 4, newPipe.writeFd) < 0) {
    pipeDiscard(newPipe);
    return -EFAULT;
  }
  return pipeInstall(p, newPipe, flags);
}

/** mkfifo(path, mode) = mknod(path, S_IFIFO | mode): the mode names no other file type. */
export function sysMkfifo(p: Proc, pathVa: u32, mode: i32): i32 {
  if (((mode | S_IFIFO) & S_IFMT) != S_IFIFO) return -EINVAL;
  return sysMknodFifo(p, pathVa, mode);
}

/** open(path, flags, mode) (do_sys_openat2): openat(AT_FDCWD, ...). */
export function sysOpen(p: Proc, pathVa: u32, flags: i32, mode: i32): i32 {
  return sysOpenat(p, AT_FDCWD, pathVa, flags, mode);
}

/** include/linux/fcntl.h VALID_OPEN_FLAGS: open(2) drops every other bit (build_open_how);
 * openat2, which refuses them, is not modelled. */
const VALID_OPEN_FLAGS: i32 = O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND |
  O_NONBLOCK | __O_SYNC | O_DSYNC | O_ASYNC | O_DIRECT | O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW |
  O_NOATIME | O_CLOEXEC | O_PATH | __O_TMPFILE;
/** include/linux/fcntl.h O_PATH_FLAGS: what O_PATH keeps. */
const O_PATH_FLAGS: i32 = O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC;

/** fs/open.c build_open_how (open(2)'s flags: VALID_OPEN_FLAGS, O_LARGEFILE forced on 64-bit,
 * O_PATH beats everything) then build_open_flags (its refusals, __O_SYNC brings O_DSYNC):
 * the normalised flags (bit 31 is never valid, so >= 0) or -EINVAL. The mode is not a trace
 * argument (the host bridge passes 0600), so its checks never apply. */
export function buildOpenFlags(flags: i32): i32 {
  let f = (flags & VALID_OPEN_FLAGS) | O_LARGEFILE;
  if ((f & O_PATH) != 0) f &= O_PATH_FLAGS;
  if ((f & (O_DIRECTORY | O_CREAT)) == (O_DIRECTORY | O_CREAT)) return -EINVAL;
  if ((f & __O_SYNC) != 0) f |= O_DSYNC;
  if ((f & __O_TMPFILE) != 0) {
    // O_TMPFILE_MASK must be exactly O_TMPFILE, and the access mode must write.
    if ((f & (__O_TMPFILE | O_DIRECTORY | O_CREAT)) != O_TMPFILE) return -EINVAL;
    if ((f & O_ACCMODE) == O_RDONLY) return -EINVAL;
  }
  return f;
}

/** unlink(path) = unlinkat(AT_FDCWD, path, 0) (do_unlinkat). */
export function sysUnlink(p: Proc, pathVa: u32): i32 {
  return sysUnlinkat(p, AT_FDCWD, pathVa, 0);
}
