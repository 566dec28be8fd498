// The calls that make, remove, rename and look at names: mkdir, rmdir, unlink, rename, link,
// symlink, readlink, chdir, getcwd, stat, access, chmod, umask, and the creation half of open.
//
// Linux: fs/namei.c (do_mkdirat, do_rmdir, do_unlinkat, do_renameat2, do_linkat,
// do_symlinkat, filename_create, lock_rename's ancestry checks), fs/stat.c (vfs_statx,
// cp_new_stat, do_readlinkat), fs/open.c (do_faccessat, chmod_common, do_fchdir),
// fs/d_path.c (getcwd), mm/shmem.c (shmem_mknod, shmem_rename2, shmem_symlink).
//
// Errors come in the order Linux finds them: the walk's (namei.ts), then the last component's
// kind ("." and ".." and "/"), then whether it exists, then what it is. A name is only ever
// made in a live directory: one removed while it was a working directory gives ENOENT
// (IS_DEADDIR). The mode of a new inode loses the caller's umask.
//
// Times (inode.ts): a name made or removed sets its directory's mtime and ctime (shmem_mknod,
// shmem_link, shmem_unlink, shmem_symlink; shmem_rename2's simple_rename_timestamp, both
// directories); the inode a name is added to or taken from, or that is renamed or replaced,
// gets a new ctime (shmem_link, shmem_unlink, shmem_rmdir, simple_rename_timestamp); chmod
// sets ctime (chmod_common's ATTR_CTIME), even to the same mode. A rename of a name onto a link
// to the same inode does nothing (vfs_rename), times included.

import {
  AT_SYMLINK_FOLLOW, EBUSY, EEXIST, EINVAL, EISDIR, ENOENT, ENOTDIR, ENOTEMPTY, EPERM, EXDEV,
  RENAME_EXCHANGE, RENAME_NOREPLACE, S_IFDIR, S_IFLNK, S_IFMT,
} from "./abi";
import { dirAdd, dirExchange, dirLookup, dirRemove, dirRename } from "./dir";
import {
  ROOT, inode, inodeAlloc, inodeGet, inodeMaybeFree, inodePut, inodeReserveLink, inodeSetCtime,
  inodeSetMCtime, inodeUnreserveLink,
  isDir,
} from "./inode";
import {
  FOLLOW, LAST_DOT, LAST_DOTDOT, LAST_NORM, LAST_ROOT, ND, NOFOLLOW, PARENT, walk,
} from "./namei";
import { pcacheError, pcacheGet } from "./pagecache";
import { Proc } from "./proc";

/** What a descriptor with AT_EMPTY_PATH names that is not in the tmpfs (a pipe, the null
 * device, a queue: their own file systems, so a link to one is EXDEV): pathat.ts. */
export const NOT_TMPFS: i32 = -0x10000;
/** include/linux/stat.h S_IALLUGO: the bits chmod and mknod keep. */
const S_IALLUGO: i32 = 0o7777;
/** mm/shmem.c SHORT_SYMLINK_LEN: a shorter target lives in the inode, taking no block. */
const SHORT_SYMLINK_LEN: i32 = 128;
/** mkdir keeps the permission bits and the sticky bit (vfs_mkdir: S_IRWXUGO | S_ISVTX). */
const MKDIR_BITS: i32 = 0o1777;

/** Make inode `mode` (a type and permission bits, nothing else) named by ND's last component (a
 * fresh walk that found nothing): the new inode, or -errno. */
export function createLast(p: Proc, mode: i32): i32 {
  if (inode(ND.dir).nlink == 0) return -ENOENT; // IS_DEADDIR
  const perm = (mode & S_IFMT) == S_IFLNK ? 0o777 : mode & ~p.umask & S_IALLUGO;
  const i = inodeAlloc((mode & S_IFMT) | perm);
  if (i < 0) return i;
  const d = dirAdd(ND.dir, ND.last, ND.lastLen, i);
  if (d < 0) {
    inode(i).nlink = 0;
    inodeMaybeFree(i);
    return d;
  }
  inodeSetMCtime(ND.dir); // shmem_mknod
  return i;
}

/** shmem_unlink (shmem_rmdir ends in it): the name of inode i in `dir`, entry d, goes. */
function removeName(dir: i32, d: i32, i: i32): void {
  dirRemove(d);
  inodeSetMCtime(dir);
  inodeSetCtime(i);
  inodeMaybeFree(i);
}

/** filename_create: the walk for a call that makes a name; 0, or -errno (EEXIST when taken). */
function walkCreate(start: i32, path: usize, len: i32, dirOk: bool): i32 {
  const r = walk(start, path, len, PARENT, false);
  if (r < 0) return r;
  if (ND.lastType != LAST_NORM) return -EEXIST;
  if (ND.found >= 0) return -EEXIST;
  // A trailing slash is only for a directory: mkdir("d/"); mknod("f/") gives ENOENT.
  if (ND.trailing != 0 && !dirOk) return -ENOENT;
  return 0;
}

export function fsMkdir(p: Proc, start: i32, path: usize, len: i32, mode: i32): i32 {
  const r = walkCreate(start, path, len, true);
  if (r < 0) return r;
  const i = createLast(p, S_IFDIR | (mode & MKDIR_BITS));
  return i < 0 ? i : 0;
}

/** mknod(S_IFIFO): mkfifo. */
export function fsMknod(p: Proc, start: i32, path: usize, len: i32, mode: i32): i32 {
  const r = walkCreate(start, path, len, false);
  if (r < 0) return r;
  const i = createLast(p, mode);
  return i < 0 ? i : 0;
}

/** mknod of a socket (unix_bind_bsd's vfs_mknod after kern_path_create): the new inode, or
 * -errno (EEXIST when the name is taken). */
export function fsMknodInode(p: Proc, start: i32, path: usize, len: i32, mode: i32): i32 {
  const r = walkCreate(start, path, len, false);
  return r < 0 ? r : createLast(p, mode);
}

export function fsRmdir(start: i32, path: usize, len: i32): i32 {
  const r = walk(start, path, len, PARENT, false);
  if (r < 0) return r;
  if (ND.lastType == LAST_DOT) return -EINVAL;
  if (ND.lastType == LAST_DOTDOT) return -ENOTEMPTY;
  if (ND.lastType == LAST_ROOT) return -EBUSY;
  if (ND.found < 0) return -ENOENT;
  if (!isDir(ND.found)) return -ENOTDIR;
  if (inode(ND.found).entries > 0) return -ENOTEMPTY;
  removeName(ND.dir, ND.entry, ND.found);
  return 0;
}

export function fsUnlink(start: i32, path: usize, len: i32): i32 {
  const r = walk(start, path, len, PARENT, false);
  if (r < 0) return r;
  if (ND.lastType != LAST_NORM) return -EISDIR;
  if (ND.trailing != 0) {
    return ND.found < 0 ? -ENOENT : isDir(ND.found) ? -EISDIR : -ENOTDIR;
  }
  if (ND.found < 0) return -ENOENT;
  if (isDir(ND.found)) return -EISDIR;
  removeName(ND.dir, ND.entry, ND.found);
  return 0;
}

/** The source of a rename as fsRenameOld found it (the kernel makes one call at a time). */
@unmanaged class RenameSource {
  type: i32;
  entry: i32;
  dir: i32;
  found: i32;
  trailing: i32;
}
const SRC = changetype<RenameSource>(memory.data(offsetof<RenameSource>(), 16));

/** A rename's first half: the old path's parent walk (do_renameat2's first
 * filename_parentat, whose errors come before anything about the new path, its name and its
 * dirfd included). 0, or -errno. */
export function fsRenameOld(start: i32, path: usize, len: i32): i32 {
  const r = walk(start, path, len, PARENT, false);
  if (r < 0) return r;
  SRC.type = ND.lastType;
  SRC.entry = ND.entry;
  SRC.dir = ND.dir;
  SRC.found = ND.found;
  SRC.trailing = ND.trailing;
  return 0;
}

/** renameat2's second half (do_renameat2, vfs_rename, shmem_rename2), the source from
 * fsRenameOld; sys_names.ts has checked the flags (NOREPLACE, EXCHANGE, not both). */
export function fsRename(newStart: i32, newPath: usize, newLen: i32, flags: i32): i32 {
  const r = walk(newStart, newPath, newLen, PARENT, false);
  if (r < 0) return r;
  const oldType = SRC.type;
  const oldEntry = SRC.entry;
  const oldDir = SRC.dir;
  const src = SRC.found;
  const oldTrailing = SRC.trailing;
  const exchange = (flags & RENAME_EXCHANGE) != 0;
  if (oldType != LAST_NORM) return -EBUSY;
  if (ND.lastType != LAST_NORM) return (flags & RENAME_NOREPLACE) != 0 ? -EEXIST : -EBUSY;
  if (src < 0) return -ENOENT;
  const dst = ND.found;
  if ((flags & RENAME_NOREPLACE) != 0 && dst >= 0) return -EEXIST; // LOOKUP_EXCL
  if (exchange) {
    if (dst < 0) return -ENOENT;
    if (!isDir(dst) && ND.trailing != 0) return -ENOTDIR;
  }
  const srcDir = isDir(src);
  if (!srcDir && (oldTrailing != 0 || (!exchange && ND.trailing != 0))) return -ENOTDIR;
  // lock_rename's trap: the source may not be an ancestor of the target's directory (EINVAL),
  // nor the target of the source's (ENOTEMPTY; EINVAL for an exchange).
  if (srcDir && isAncestor(src, ND.dir)) return -EINVAL;
  if (dst >= 0 && isDir(dst) && isAncestor(dst, oldDir)) return exchange ? -EINVAL : -ENOTEMPTY;
  if (dst == src) return 0; // links to one inode: nothing happens
  if (dst < 0) {
    if (inode(ND.dir).nlink == 0) return -ENOENT; // may_create: IS_DEADDIR
  } else if (!exchange) {
    if (srcDir && !isDir(dst)) return -ENOTDIR; // may_delete
    if (!srcDir && isDir(dst)) return -EISDIR;
    if (isDir(dst) && inode(dst).entries > 0) return -ENOTEMPTY;
  }
  if (exchange) {
    dirExchange(oldEntry, ND.entry);
  } else {
    if (dst >= 0) removeName(ND.dir, ND.entry, dst);
    dirRename(oldEntry, ND.dir, ND.last, ND.lastLen);
  }
  // simple_rename_timestamp (an exchange's too, through simple_rename_exchange): both
  // directories' mtime and ctime, the renamed inode's ctime, and the other's in an exchange.
  inodeSetMCtime(oldDir);
  inodeSetMCtime(ND.dir);
  inodeSetCtime(src);
  if (exchange) inodeSetCtime(dst);
  return 0;
}

/** `a` is `d` or one of its ancestors. */
function isAncestor(a: i32, d: i32): bool {
  while (true) {
    if (d == a) return true;
    if (d == ROOT) return false;
    d = inode(d).parent;
  }
  return false;
}

/** linkat's first half: the old path's lookup (do_linkat's filename_lookup, whose errors come
 * before anything about the new path), followed only with AT_SYMLINK_FOLLOW. The inode, or
 * -errno. */
export function fsLinkOld(start: i32, path: usize, len: i32, flags: i32): i32 {
  const follow = (flags & AT_SYMLINK_FOLLOW) != 0 ? FOLLOW : NOFOLLOW;
  const r = walk(start, path, len, follow, false);
  if (r < 0) return r;
  if (ND.found < 0) return -ENOENT;
  if (ND.trailing != 0 && !isDir(ND.found)) return -ENOTDIR;
  return ND.found;
}

/** A new name for inode src (or NOT_TMPFS: another file system's), in vfs_link's order: the
 * new name's walk, EXDEV, a removed directory (may_create), a directory (EPERM), an unlinked
 * inode (ENOENT: no O_TMPFILE here), then nr_inodes (shmem_link). */
export function fsLinkInode(src: i32, newStart: i32, newPath: usize, newLen: i32): i32 {
  let r = walkCreate(newStart, newPath, newLen, false);
  if (r < 0) return r;
  if (src == NOT_TMPFS) return -EXDEV;
  if (inode(ND.dir).nlink == 0) return -ENOENT;
  if (isDir(src)) return -EPERM;
  if (inode(src).nlink == 0) return -ENOENT;
  r = inodeReserveLink(); // shmem_link: a name takes an inode of nr_inodes
  if (r < 0) return r;
  const d = dirAdd(ND.dir, ND.last, ND.lastLen, src);
  if (d < 0) {
    inodeUnreserveLink();
    return d;
  }
  inodeSetMCtime(ND.dir); // shmem_link: the directory, and the inode's ctime
  inodeSetCtime(src);
  return 0;
}

/** symlink(target, path): the target (tlen bytes at `target`) goes in the link's first page. */
export function fsSymlink(
  p: Proc, target: usize, tlen: i32, start: i32, path: usize, len: i32,
): i32 {
  const r = walkCreate(start, path, len, false);
  if (r < 0) return r;
  // shmem_symlink sets the directory's times only once the target is stored.
  const dirMtime = inode(ND.dir).mtime;
  const dirCtime = inode(ND.dir).ctime;
  const dirOrder = inode(ND.dir).atimeOrder;
  const i = createLast(p, S_IFLNK);
  if (i < 0) return i;
  const page = pcacheGet(i, 0, tlen >= SHORT_SYMLINK_LEN);
  if (page == 0) {
    dirRemove(dirLookup(ND.dir, ND.last, ND.lastLen));
    inodeMaybeFree(i);
    inode(ND.dir).mtime = dirMtime;
    inode(ND.dir).ctime = dirCtime;
    inode(ND.dir).atimeOrder = dirOrder;
    return -pcacheError();
  }
  memory.copy(page, target, tlen);
  inode(i).size = tlen;
  return 0;
}

/** chdir to inode i (a directory); the old working directory's reference goes. */
export function fsSetCwd(p: Proc, i: i32): i32 {
  if (!isDir(i)) return -ENOTDIR;
  inodeGet(i);
  inodePut(p.cwd);
  p.cwd = i;
  return 0;
}

/** chmod: the permission bits change, the type stays, ctime is now (chmod_common). */
export function fsChmod(i: i32, mode: i32): void {
  inode(i).mode = (inode(i).mode & S_IFMT) | (mode & S_IALLUGO);
  inodeSetCtime(i);
}
