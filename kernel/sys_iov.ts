// readv and writev (fs/read_write.c do_readv, vfs_readv, do_writev, vfs_writev; lib/iov_iter.c
// __import_iovec): the descriptor's mode first, then the vector (at most UIO_MAXIOV segments,
// none of a negative size, each within user space), then the plain read or write path over its
// segments (uio.ts): one call, as Linux's read_iter and write_iter take one iov_iter. A call
// that sleeps runs again from here when woken (syscall.ts callRetry), the vector read again.

import { EBADF, EFAULT, EINVAL } from "./abi";
import { FILE_EPOLL, FILE_MQUEUE, FMODE_READ, FMODE_WRITE, fdGet, file } from "./file";
import { MAX_RW_COUNT } from "./param";
import { Proc } from "./proc";
import { sysRead, sysWrite } from "./sys_file";
import { UIO_MAXIOV, iovClear, iovSet } from "./uio";
import { accessOk, copyFromUser } from "./vm";

const IOVEC_BYTES: i32 = 16;
const iovecs: usize = memory.data(UIO_MAXIOV * IOVEC_BYTES, 16);

/** import_iovec: the segments set (uio.ts) and their total, at most MAX_RW_COUNT (a longer
 * vector is cut there), or -errno. */
function importIovec(p: Proc, va: u32, n: i32): i32 {
  if (n < 0 || n > UIO_MAXIOV) return -EINVAL; // an unsigned long: negative is huge
  if (n == 0) return 0;
  const bytes = <u32>(n * IOVEC_BYTES);
  if (copyFromUser(p, iovecs, va, bytes) != bytes) return -EFAULT;
  for (let i = 0; i < n; i++) {
    if (load<i64>(iovecs + <usize>(i * IOVEC_BYTES + 8)) < 0) return -EINVAL;
  }
  let total: i64 = 0;
  for (let i = 0; i < n; i++) {
    const base = load<u64>(iovecs + <usize>(i * IOVEC_BYTES));
    let len = load<i64>(iovecs + <usize>(i * IOVEC_BYTES + 8));
    // access_ok: the model's user space is 32-bit.
    if (base > <u64>u32.MAX_VALUE || <u64>len > <u64>u32.MAX_VALUE - base) return -EFAULT;
    if (!accessOk(<u32>base, <u32>len)) return -EFAULT;
    if (len > <i64>MAX_RW_COUNT - total) len = <i64>MAX_RW_COUNT - total;
    total += len;
  }
  for (let i = 0; i < n; i++) {
    iovSet(i, <u32>load<u64>(iovecs + <usize>(i * IOVEC_BYTES)),
      <u32>load<i64>(iovecs + <usize>(i * IOVEC_BYTES + 8)));
  }
  return <i32>total;
}

export function sysReadv(p: Proc, fd: i32, va: u32, n: i32): i32 {
  return vectored(p, fd, va, n, false);
}

export function sysWritev(p: Proc, fd: i32, va: u32, n: i32): i32 {
  return vectored(p, fd, va, n, true);
}

/** vfs_readv / vfs_writev: the mode (a queue has no ->write: FMODE_CAN_WRITE, EINVAL), the
 * vector, then one read or write over it; nothing to move is 0 before any file's check. */
function vectored(p: Proc, fd: i32, va: u32, n: i32, write: bool): i32 {
  const fi = fdGet(p, fd);
  if (fi < 0) return fi;
  if ((file(fi).fmode & (write ? FMODE_WRITE : FMODE_READ)) == 0) return -EBADF;
  if (write && file(fi).kind == FILE_MQUEUE) return -EINVAL;
  if (file(fi).kind == FILE_EPOLL) return -EINVAL; // no ->read_iter, ->write_iter
  const total = importIovec(p, va, n);
  const r = total <= 0 ? total
    : write ? sysWrite(p, fd, 0, <u32>total) : sysRead(p, fd, 0, <u32>total);
  iovClear();
  return r;
}
