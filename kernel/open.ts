// open and openat: from a path to a new description of a directory, regular file, FIFO or
// (O_PATH) symlink.
//
// Linux: fs/open.c (do_sys_openat2, do_dentry_open), fs/namei.c (path_openat, open_last_lookups,
// lookup_open, do_open, may_open, handle_truncate), mm/shmem.c (shmem_mknod for O_CREAT).
//
// The order is Linux's: a descriptor number first (EMFILE beats every path error), then the
// walk, then O_CREAT's checks or the lookup's, then may_open's (a directory refuses writing:
// EISDIR; O_DIRECTORY wants one: ENOTDIR; a symlink with O_NOFOLLOW: ELOOP), then truncation
// and the file's own open (fifo_open's partner wait for a FIFO).
//
// O_TMPFILE (an unnamed file in a directory) is not modelled: it gives EOPNOTSUPP where Linux
// would make the file (docs/differences.md `files`).

import {
  EEXIST, EISDIR, ELOOP, ENOENT, ENOMEM, ENOTDIR, EOPNOTSUPP, O_CLOEXEC, O_CREAT, O_DIRECTORY,
  ENXIO, O_EXCL, O_LARGEFILE, O_NOCTTY, O_NOFOLLOW, O_PATH, O_TRUNC, S_IFREG, __O_TMPFILE,
} from "./abi";
import { fifoOpen } from "./fifo";
import {
  FILE_DIR, FILE_PATH, FILE_REG, FMODE_READ, FMODE_WRITE, fdAllocLowest, fdInstallAt, fileAlloc,
  filePut, file,
} from "./file";
import { createLast } from "./fs";
import { inodeGet, isDir, isFifo, isLink, isSock } from "./inode";
import { FOLLOW, LAST_NORM, ND, NOFOLLOW, walk } from "./namei";
import { Proc } from "./proc";
import { regTruncate } from "./regfile";

const O_ACCMODE_MASK: i32 = 3;

/** open(path, flags, mode) with the flags normalised (sys_file.ts buildOpenFlags). */
export function fsOpen(p: Proc, start: i32, path: usize, len: i32, flags: i32, mode: i32): i32 {
  const fd = fdAllocLowest(p, 0);
  if (fd < 0) return fd;
  const creat = (flags & O_CREAT) != 0;
  // O_CREAT|O_EXCL never follows a last symlink; O_NOFOLLOW does not either (ELOOP below).
  const noFollow = (flags & O_NOFOLLOW) != 0 || (creat && (flags & O_EXCL) != 0);
  const r = walk(start, path, len, noFollow ? NOFOLLOW : FOLLOW, false);
  if (r < 0) return r;
  let i = ND.found;
  if ((flags & __O_TMPFILE) != 0) {
    if (i < 0) return -ENOENT;
    return isDir(i) ? -EOPNOTSUPP : -ENOTDIR;
  }
  if (creat) {
    // open_last_lookups: ".", ".." and "/" go on to do_open (O_EXCL: EEXIST, else EISDIR); a
    // name with a trailing slash is EISDIR.
    if (ND.lastType != LAST_NORM) return (flags & O_EXCL) != 0 ? -EEXIST : -EISDIR;
    if (ND.trailing != 0) return -EISDIR;
    if (i >= 0 && (flags & O_EXCL) != 0) return -EEXIST;
    if (i < 0) {
      i = createLast(p, S_IFREG | (mode & 0o7777)); // build_open_how: mode & S_IALLUGO
      if (i < 0) return i;
      flags &= ~O_TRUNC;
    } else if (isDir(i)) return -EISDIR;
  } else {
    if (i < 0) return -ENOENT;
    if (ND.trailing != 0 && !isDir(i)) return -ENOTDIR;
  }
  return openInode(p, i, flags);
}

/** do_open and do_dentry_open for inode i. */
function openInode(p: Proc, i: i32, flags: i32): i32 {
  if ((flags & O_PATH) != 0) {
    if ((flags & O_DIRECTORY) != 0 && !isDir(i)) return -ENOTDIR;
    return install(p, FILE_PATH, i, flags & ~O_CLOEXEC, 0, flags);
  }
  if (isLink(i)) return -ELOOP; // a last symlink not followed: O_NOFOLLOW
  if ((flags & O_DIRECTORY) != 0 && !isDir(i)) return -ENOTDIR;
  const acc = flags & O_ACCMODE_MASK;
  // may_open: a directory takes no write (O_TRUNC asks for one too).
  if (isDir(i) && (acc != 0 || (flags & O_TRUNC) != 0)) return -EISDIR;
  if (isFifo(i)) return fifoOpen(p, i, flags);
  if (isSock(i)) return -ENXIO; // a bound socket's file: no_open
  const fflags = (flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC)) | O_LARGEFILE;
  const fmode = acc == 0 ? FMODE_READ : acc == 1 ? FMODE_WRITE : acc == 2 ? FMODE_READ |
    FMODE_WRITE : 0;
  if (isDir(i)) return install(p, FILE_DIR, i, fflags, fmode, flags);
  if ((flags & O_TRUNC) != 0) regTruncate(i, 0, true); // handle_truncate: times set, even at 0
  return install(p, FILE_REG, i, fflags, fmode, flags);
}

function install(p: Proc, kind: i32, i: i32, fflags: i32, fmode: i32, flags: i32): i32 {
  const fi = fileAlloc(kind, fflags, fmode);
  if (fi < 0) return fi;
  file(fi).inode = i;
  inodeGet(i);
  const fd = fdAllocLowest(p, 0);
  if (fd < 0 || !fdInstallAt(p, fd, fi, (flags & O_CLOEXEC) != 0)) {
    filePut(fi);
    return fd < 0 ? fd : -ENOMEM;
  }
  return fd;
}
