// Copying a path in and finding where its walk starts, for every call that takes one: the
// plain calls (AT_FDCWD), the *at family (a directory descriptor), and AT_EMPTY_PATH (the
// descriptor itself).
// Linux: fs/namei.c (getname_flags, path_init), fs/open.c, fs/stat.c (getname_maybe_null).

import { EBADF, ENOENT } from "./abi";
import { FILE_MQUEUE, FILE_NULL, FILE_PIPE, FILE_SOCKET, fdGet, file } from "./file";
import { NOT_TMPFS } from "./fs";
import { ROOT } from "./inode";
import { mqMode } from "./mqueue";
import { AT_FDCWD, walkStart } from "./namei";
import { PATH_MAX } from "./param";
import { Proc } from "./proc";
import { getnameTo } from "./sys_file";

export const pathBuf: usize = memory.data(PATH_MAX + 1, 16);
/** The second path of rename, link and symlink. */
export const pathBuf2: usize = memory.data(PATH_MAX + 1, 16);

/** Where the walk of the path pathAt copied in starts. */
export let startOut: i32 = 0;

/** getname into `buf` (pathBuf unless given), then the walk's start, left in startOut: a
 * relative path's directory (AT_FDCWD or dirfd), the root for an absolute path (whose dirfd
 * is never looked at). The path's length, or -errno. */
export function pathAt(p: Proc, dirfd: i32, va: u32, buf: usize = pathBuf): i32 {
  const len = getnameTo(p, va, buf);
  if (len < 0) return len;
  const start = pathStart(p, dirfd, buf);
  return start < 0 ? start : len;
}

/** Where the walk of the path already in `buf` starts, also left in startOut: the root for an
 * absolute path, else dirfd's directory (walkStart), or -errno. */
export function pathStart(p: Proc, dirfd: i32, buf: usize): i32 {
  const start = load<u8>(buf) == 0x2f ? ROOT : walkStart(p, dirfd);
  if (start >= 0) startOut = start;
  return start;
}

/** pathAt for a call that takes AT_EMPTY_PATH: an empty path (getname_flags with LOOKUP_EMPTY)
 * gives 0, with startOut the inode dirfd names itself (any descriptor, O_PATH ones too:
 * path_init's fdget_raw; the working directory for AT_FDCWD), or NOT_TMPFS. */
export function pathAtOrEmpty(p: Proc, dirfd: i32, va: u32, empty: bool): i32 {
  const len = pathAt(p, dirfd, va);
  if (len != -ENOENT || !empty || load<u8>(pathBuf) != 0) return len;
  const i = emptyPathInode(p, dirfd);
  if (i < 0 && i != NOT_TMPFS) return i;
  startOut = i;
  return 0;
}

/** The permission bits of what the last NOT_TMPFS names (as fstat shows them: a pipe's 0600,
 * the null device's 0666, a queue's own), owned by root. */
export let notTmpfsMode: i32 = 0;

/** The inode dirfd itself names: -EBADF, NOT_TMPFS, or a tmpfs inode. */
function emptyPathInode(p: Proc, dirfd: i32): i32 {
  if (dirfd == AT_FDCWD) return p.cwd;
  const fi = fdGet(p, dirfd);
  if (fi < 0) return -EBADF;
  const f = file(fi);
  if (f.kind == FILE_PIPE) notTmpfsMode = 0o600;
  else if (f.kind == FILE_NULL) notTmpfsMode = 0o666;
  else if (f.kind == FILE_MQUEUE) notTmpfsMode = mqMode(f.inode);
  else if (f.kind == FILE_SOCKET) notTmpfsMode = 0o777;
  else return f.inode;
  return NOT_TMPFS;
}
