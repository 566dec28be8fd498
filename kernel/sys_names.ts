// Syscall entry points for the calls on two names (rename, renameat, renameat2, link, linkat,
// symlink, symlinkat) and for readlink and readlinkat: argument checks and the path copy-in;
// fs.ts does the work.
// Linux: fs/namei.c (do_renameat2, do_linkat, do_symlinkat), fs/stat.c (do_readlinkat).

import {
  AT_EMPTY_PATH, AT_SYMLINK_FOLLOW, EFAULT, EINVAL, ENOENT, RENAME_EXCHANGE, RENAME_NOREPLACE,
  RENAME_WHITEOUT,
} from "./abi";
import { NOT_TMPFS, fsLinkInode, fsLinkOld, fsRename, fsRenameOld, fsSymlink } from "./fs";
import { inode, inodeTouchAtime, isLink } from "./inode";
import { AT_FDCWD, ND, NOFOLLOW, walk } from "./namei";
import { pcacheFind } from "./pagecache";
import { pathAt, pathAtOrEmpty, pathBuf, pathBuf2, startOut } from "./pathat";
import { Proc } from "./proc";
import { getnameTo } from "./sys_file";
import { copyToUser } from "./vm";

/** rename's order: the old path's name, dirfd and walk, then the new path's (do_renameat2's
 * two filename_parentat calls); then fs.ts. */
function renamePaths(
  p: Proc, olddirfd: i32, oldVa: u32, newdirfd: i32, newVa: u32, flags: i32,
): i32 {
  const oldLen = pathAt(p, olddirfd, oldVa);
  if (oldLen < 0) return oldLen;
  const r = fsRenameOld(startOut, pathBuf, oldLen);
  if (r < 0) return r;
  const newLen = pathAt(p, newdirfd, newVa, pathBuf2);
  if (newLen < 0) return newLen;
  return fsRename(startOut, pathBuf2, newLen, flags);
}

export function sysRename(p: Proc, oldVa: u32, newVa: u32): i32 {
  return renamePaths(p, AT_FDCWD, oldVa, AT_FDCWD, newVa, 0);
}

export function sysRenameat(p: Proc, olddirfd: i32, oldVa: u32, newdirfd: i32, newVa: u32): i32 {
  return renamePaths(p, olddirfd, oldVa, newdirfd, newVa, 0);
}

/** renameat2: unknown flags, and NOREPLACE or WHITEOUT with EXCHANGE, are EINVAL before the
 * names are looked at. WHITEOUT (which leaves a whiteout device in the old name) is EINVAL
 * here: the model has no device nodes (docs/differences.md `files`). */
export function sysRenameat2(
  p: Proc, olddirfd: i32, oldVa: u32, newdirfd: i32, newVa: u32, f: i32,
): i32 {
  const known = RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT;
  if ((f & ~known) != 0) return -EINVAL;
  if ((f & (RENAME_NOREPLACE | RENAME_WHITEOUT)) != 0 && (f & RENAME_EXCHANGE) != 0) {
    return -EINVAL;
  }
  if ((f & RENAME_WHITEOUT) != 0) return -EINVAL;
  return renamePaths(p, olddirfd, oldVa, newdirfd, newVa, f);
}

export function sysLink(p: Proc, oldVa: u32, newVa: u32): i32 {
  return sysLinkat(p, AT_FDCWD, oldVa, AT_FDCWD, newVa, 0);
}

/** linkat: AT_SYMLINK_FOLLOW follows a symlink `old`; AT_EMPTY_PATH with an empty `old` links
 * the inode olddirfd names (the traced processes have CAP_DAC_READ_SEARCH); other flags are
 * EINVAL first. */
export function sysLinkat(
  p: Proc, olddirfd: i32, oldVa: u32, newdirfd: i32, newVa: u32, f: i32,
): i32 {
  if ((f & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) != 0) return -EINVAL;
  const oldLen = pathAtOrEmpty(p, olddirfd, oldVa, (f & AT_EMPTY_PATH) != 0);
  if (oldLen < 0) return oldLen;
  const src = oldLen == 0 ? startOut : fsLinkOld(startOut, pathBuf, oldLen, f);
  if (src < 0 && src != NOT_TMPFS) return src;
  const newLen = pathAt(p, newdirfd, newVa, pathBuf2);
  if (newLen < 0) return newLen;
  return fsLinkInode(src, startOut, pathBuf2, newLen);
}

export function sysSymlink(p: Proc, targetVa: u32, pathVa: u32): i32 {
  return sysSymlinkat(p, targetVa, AT_FDCWD, pathVa);
}

/** symlinkat(target, newdirfd, path): the target is any non-empty string (getname: ENOENT if
 * empty). */
export function sysSymlinkat(p: Proc, targetVa: u32, newdirfd: i32, pathVa: u32): i32 {
  const tlen = getnameTo(p, targetVa, pathBuf);
  if (tlen < 0) return tlen;
  const len = pathAt(p, newdirfd, pathVa, pathBuf2);
  if (len < 0) return len;
  return fsSymlink(p, pathBuf, tlen, startOut, pathBuf2, len);
}

export function sysReadlink(p: Proc, pathVa: u32, va: u32, bufsiz: i32): i32 {
  return sysReadlinkat(p, AT_FDCWD, pathVa, va, bufsiz);
}

/** readlinkat(dirfd, path, buf, bufsiz): bufsiz <= 0 is EINVAL before the walk; the target,
 * cut to bufsiz, without a NUL. An empty path names dirfd itself (an O_PATH|O_NOFOLLOW
 * descriptor of a symlink reads it; anything else is ENOENT), as do_readlinkat's LOOKUP_EMPTY. */
export function sysReadlinkat(p: Proc, dirfd: i32, pathVa: u32, va: u32, bufsiz: i32): i32 {
  if (bufsiz <= 0) return -EINVAL;
  const len = pathAtOrEmpty(p, dirfd, pathVa, true);
  if (len < 0) return len;
  let i = startOut;
  if (len > 0) {
    const r = walk(startOut, pathBuf, len, NOFOLLOW, false);
    if (r < 0) return r;
    if (ND.found < 0) return -ENOENT;
    i = ND.found;
  }
  if (i == NOT_TMPFS || !isLink(i)) return len == 0 ? -ENOENT : -EINVAL;
  inodeTouchAtime(i); // do_readlinkat: touch_atime before the copy
  const size = <i32>inode(i).size;
  const n = size < bufsiz ? size : bufsiz;
  const done = copyToUser(p, va, pcacheFind(i, 0), <u32>n);
  return done == <u32>n ? n : -EFAULT;
}
