// Regular files and directories once open: read, write, pread64, pwrite64, lseek, ftruncate,
// truncate, fsync, getdents64.
//
// Linux: mm/shmem.c (shmem_file_read_iter, shmem_write_begin/end, shmem_file_llseek,
// shmem_setattr), mm/filemap.c (generic_perform_write, mapping_seek_hole_data),
// fs/read_write.c (generic_write_checks, generic_file_llseek_size, vfs_setpos),
// fs/readdir.c (getdents64, filldir64), fs/libfs.c (offset_readdir, offset_dir_llseek).
//
// Data lives in the page cache (pagecache.ts); a hole reads as zeros. A write with O_APPEND
// starts at the size (pwrite64 too: Linux's documented bug); the offset moves by what was
// written; a write that runs out of space returns what it wrote before (ENOSPC only when it
// wrote nothing). Descriptions that share an offset (dup, fork) share File.pos.
//
// Times (inode.ts; measured on the host, kernel/test/cases/files-times-*.jsonl): every read of a
// regular file, of nothing or at the end or into a bad buffer too, touches atime
// (shmem_file_read_iter ends in file_accessed), and so does every listing of a live directory
// (iterate_dir's file_accessed, also when not even one record fits); a write of at least one
// byte sets mtime and ctime before it copies (shmem_file_write_iter's file_update_time), so a
// write that faults on its buffer sets them too; every successful truncate, ftruncate and
// O_TRUNC open sets them, to the same size too.
//
// Differences from Linux (docs/differences.md `file-offsets`): file offsets and sizes stop at
// 2^31 - 1 (the model's registers and results are 32-bit): a write or truncate past it gives
// EFBIG, which Linux gives only past 2^63 - 1; a directory offset is the model's own (listing
// position), not Linux's d_off, so a directory lseek to other than 0 may list differently.

import {
  EBADF, EFAULT, EFBIG, EINVAL, ENOENT, ENOTDIR, ENXIO, ESPIPE, O_APPEND,
} from "./abi";
import { dentry, dentryName, dirNextBelow } from "./dir";
import {
  FILE_DIR, FILE_EPOLL, FILE_FIFO, FILE_MQUEUE, FILE_NULL, FILE_PIPE, FILE_REG, FILE_SIGNALFD,
  FILE_SOCKET, FMODE_WRITE, file,
} from "./file";
import { fileUnmapFrom } from "./filemap";
import { hookMqSize } from "./hooks";
import {
  inode, inodeSetMCtime, inodeSize, inodeTouchAtime, isDir, isFifo, isLink, isReg, isSock,
} from "./inode";
import { pcacheError, pcacheFind, pcacheGet, pcacheNextData, pcacheTruncate } from "./pagecache";
import { MAX_RW_COUNT, PAGE_SHIFT, PAGE_SIZE } from "./param";
import { Proc } from "./proc";
import { copyFromUserAt, copyToUserAt } from "./uio";
import { copyToUser } from "./vm";

const SEEK_SET: i32 = 0;
const SEEK_CUR: i32 = 1;
const SEEK_END: i32 = 2;
const SEEK_DATA: i32 = 3;
const SEEK_HOLE: i32 = 4;
/** The model's largest offset (see the differences above). */
const OFF_MAX: i64 = 0x7fffffff;
/** A directory listing's position after "..": before every entry (dir.ts offsets are less). */
const DIR_POS_ENTRIES: i32 = 0x7fffffff;

const zeros: usize = memory.data(PAGE_SIZE, 16);

// ---- read and write ----

/** Read from a regular file at `pos` (-1: the description's offset, which moves); whatever it
 * reads, file_accessed. */
export function regRead(p: Proc, fi: i32, va: u32, count: u32, pos: i64): i32 {
  const r = regReadPages(p, fi, va, count, pos);
  inodeTouchAtime(file(fi).inode);
  return r;
}

function regReadPages(p: Proc, fi: i32, va: u32, count: u32, pos: i64): i32 {
  const f = file(fi);
  const at: i64 = pos < 0 ? <i64>f.pos : pos;
  const size = inode(f.inode).size;
  if (at >= size || count == 0) return 0;
  let n = <i64>(count > MAX_RW_COUNT ? MAX_RW_COUNT : count);
  if (n > size - at) n = size - at;
  let done: i64 = 0;
  while (done < n) {
    const off = at + done;
    const inPage = <i64>PAGE_SIZE - (off & (PAGE_SIZE - 1));
    const chunk = <u32>(n - done < inPage ? n - done : inPage);
    const page = pcacheFind(f.inode, <i32>(off >> PAGE_SHIFT));
    const src = page == 0 ? zeros : page + <usize>(off & (PAGE_SIZE - 1));
    const c = copyToUserAt(p, va + <u32>done, src, chunk);
    done += c;
    if (c < chunk) break;
  }
  if (done == 0) return -EFAULT;
  if (pos < 0) f.pos = <i32>(at + done);
  return <i32>done;
}

/** Write to a regular file at `pos` (-1: the description's offset); O_APPEND writes at the
 * end whatever `pos` says. */
export function regWrite(p: Proc, fi: i32, va: u32, count: u32, pos: i64): i32 {
  const f = file(fi);
  const ino = inode(f.inode);
  let at: i64 = (f.flags & O_APPEND) != 0 ? ino.size : pos < 0 ? <i64>f.pos : pos;
  if (count == 0) return 0;
  let n = <i64>(count > MAX_RW_COUNT ? MAX_RW_COUNT : count);
  if (at >= OFF_MAX) return -EFBIG;
  if (n > OFF_MAX - at) n = OFF_MAX - at;
  inodeSetMCtime(f.inode); // file_update_time, before the copy
  let done: i64 = 0;
  let err = 0;
  while (done < n) {
    const off = at + done;
    const inPage = <i64>PAGE_SIZE - (off & (PAGE_SIZE - 1));
    const chunk = <u32>(n - done < inPage ? n - done : inPage);
    const page = pcacheGet(f.inode, <i32>(off >> PAGE_SHIFT));
    if (page == 0) {
      err = pcacheError();
      break;
    }
    const c = copyFromUserAt(p, page + <usize>(off & (PAGE_SIZE - 1)), va + <u32>done, chunk);
    done += c;
    if (c < chunk) {
      err = EFAULT;
      break;
    }
  }
  if (done > 0 && at + done > ino.size) ino.size = at + done; // nothing written: no growth
  if (done == 0) return -err;
  if (pos < 0) f.pos = <i32>(at + done); // write moves the offset; pwrite64 never does
  return <i32>done;
}

// ---- size ----

/** Set a regular file's size (shmem_setattr): a shrink gives back whole pages past the end and
 * zeroes the rest of the last one (truncate_inode_pages_range's partial page). Times: with
 * `timeAttrs` (ftruncate, O_TRUNC: do_truncate's ATTR_MTIME | ATTR_CTIME) always; without
 * (truncate(2)) when the size changes, or when it does not grow and the file has pages
 * (shmem_truncate_range, which runs while info->alloced, sets them). */
export function regTruncate(i: i32, len: i64, timeAttrs: bool): i32 {
  if (len < 0) return -EINVAL;
  if (len > OFF_MAX) return -EFBIG;
  const ino = inode(i);
  const times = timeAttrs || len != ino.size || ino.nrPages > 0;
  if (len < ino.size) {
    const keep = <i32>((len + PAGE_SIZE - 1) >> PAGE_SHIFT);
    fileUnmapFrom(i, keep); // truncate_pagecache: mappings first, then the cache
    pcacheTruncate(i, keep);
    const tail = <i32>(len & (PAGE_SIZE - 1));
    if (tail != 0) {
      const page = pcacheFind(i, keep - 1);
      if (page != 0) memory.fill(page + <usize>tail, 0, <usize>(PAGE_SIZE - tail));
    }
  }
  ino.size = len;
  if (times) inodeSetMCtime(i);
  return 0;
}

/** ftruncate(fd, len): a regular file open for writing (do_ftruncate: EINVAL otherwise; a
 * queue's is sys_fs.ts's). */
export function regFtruncate(fi: i32, len: i64): i32 {
  if (len < 0) return -EINVAL;
  const f = file(fi);
  if (f.kind != FILE_REG || (f.fmode & FMODE_WRITE) == 0) return -EINVAL;
  return regTruncate(f.inode, len, true);
}

// ---- lseek ----

/** lseek(fd, offset, whence) on any description: pipes and FIFOs have none (ESPIPE), the null
 * device stays at 0, a queue and a regular file seek within their size, a directory by its
 * listing position. */
export function fileLseek(fi: i32, offset: i64, whence: i32): i32 {
  const f = file(fi);
  if (f.kind == FILE_PIPE || f.kind == FILE_FIFO || f.kind == FILE_SOCKET) return -ESPIPE;
  // null_lseek, noop_llseek (a signalfd's, an epoll's)
  if (f.kind == FILE_NULL || f.kind == FILE_SIGNALFD || f.kind == FILE_EPOLL) return 0;
  if (f.kind == FILE_DIR) return dirSeek(fi, offset, whence);
  const size = f.kind == FILE_MQUEUE ? hookMqSize(f.inode) : inode(f.inode).size;
  let to: i64;
  if (whence == SEEK_SET) to = offset;
  else if (whence == SEEK_CUR) to = offset + <i64>f.pos;
  else if (whence == SEEK_END) to = offset + size;
  else if (whence == SEEK_DATA || whence == SEEK_HOLE) {
    if (offset < 0 || offset >= size) return -ENXIO;
    to = f.kind == FILE_REG ? seekHoleData(f.inode, offset, size, whence == SEEK_DATA)
      : whence == SEEK_DATA ? offset : size;
    if (to < 0) return -ENXIO;
  } else return -EINVAL;
  if (to < 0) return -EINVAL;
  if (to > OFF_MAX) return -EINVAL;
  f.pos = <i32>to;
  return <i32>to;
}

/** mapping_seek_hole_data on tmpfs: a page in the cache is data, anything else a hole; a hole
 * at the end stops at the size. */
function seekHoleData(i: i32, offset: i64, size: i64, data: bool): i64 {
  let idx = <i32>(offset >> PAGE_SHIFT);
  if (data) {
    const next = pcacheNextData(i, idx);
    if (next < 0) return -1;
    const at = <i64>next << PAGE_SHIFT;
    const from = at > offset ? at : offset;
    return from < size ? from : -1;
  }
  while (pcacheFind(i, idx) != 0) idx++;
  const hole = <i64>idx << PAGE_SHIFT;
  const from = hole > offset ? hole : offset;
  return from < size ? from : size;
}

/** offset_dir_llseek: SEEK_SET or SEEK_CUR to a position >= 0. */
function dirSeek(fi: i32, offset: i64, whence: i32): i32 {
  const f = file(fi);
  if (whence == SEEK_CUR) offset += <i64>f.pos;
  else if (whence != SEEK_SET) return -EINVAL;
  if (offset < 0 || offset > OFF_MAX) return -EINVAL;
  f.pos = <i32>offset;
  return f.pos;
}

// ---- getdents64 ----

/** include/linux/fs_types.h DT_*: a directory entry's type. */
function dtype(i: i32): u8 {
  if (isDir(i)) return 4;
  if (isReg(i)) return 8;
  if (isFifo(i)) return 1;
  if (isLink(i)) return 10;
  if (isSock(i)) return 12;
  return 0;
}

/** getdents64(fd, buf, count): ".", "..", then the entries newest first (dir.ts), as many
 * whole records as fit; EINVAL when not even the first fits (filldir64). A live directory's
 * listing, whatever it gives, touches its atime (iterate_dir's file_accessed). */
export function dirGetdents(p: Proc, fi: i32, va: u32, count: u32): i32 {
  const f = file(fi);
  if (f.kind != FILE_DIR) return f.kind == 0 ? -EBADF : -ENOTDIR;
  if (inode(f.inode).nlink == 0) return -ENOENT; // IS_DEADDIR
  const r = dirList(p, fi, va, count);
  inodeTouchAtime(f.inode);
  return r;
}

function dirList(p: Proc, fi: i32, va: u32, count: u32): i32 {
  const f = file(fi);
  const dir = f.inode;
  let used: u32 = 0;
  while (true) {
    const pos = f.pos;
    let child: i32;
    let name: usize;
    let len: i32;
    let next: i32;
    if (pos == 0) {
      child = dir; name = dotdot; len = 1; next = 1;
    } else if (pos == 1) {
      child = inode(dir).parent; name = dotdot; len = 2; next = DIR_POS_ENTRIES;
    } else {
      const d = dirNextBelow(dir, pos);
      if (d < 0) break;
      child = dentry(d).child; name = dentryName(d); len = dentry(d).nameLen;
      next = dentry(d).off;
    }
    const reclen = <u32>((19 + len + 1 + 7) & ~7);
    if (used + reclen > count) {
      if (used == 0) return -EINVAL;
      break;
    }
    const r = putDirent(p, va + used, inode(child).ino, next, reclen, dtype(child), name, len);
    if (r < 0) return used == 0 ? r : <i32>used;
    used += reclen;
    f.pos = next;
  }
  return <i32>used;
}

const dotdot: usize = memory.data<u8>([0x2e, 0x2e]);
const rec: usize = memory.data(24 + 256, 16);

function putDirent(
  p: Proc, va: u32, ino: i32, off: i32, reclen: u32, type: u8, name: usize, len: i32,
): i32 {
  memory.fill(rec, 0, reclen);
  store<u64>(rec, <u64>ino);
  store<i64>(rec, <i64>off, 8);
  store<u16>(rec, <u16>reclen, 16);
  store<u8>(rec, type, 18);
  memory.copy(rec + 19, name, len);
  return copyToUser(p, va, rec, reclen) == reclen ? 0 : -EFAULT;
}
