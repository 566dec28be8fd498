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
  EBUSY, EEXIST, EINVAL, EISDIR, ENOENT, ENOTDIR, ENOTEMPTY, EPERM, S_IFDIR, S_IFLNK, S_IFMT,
} from "./abi";
import { dirAdd, dirLookup, dirRemove, dirRename } from "./dir";
import {
  ROOT, inode, inodeAlloc, inodeGet, inodeMaybeFree, inodePut, inodeSetCtime, inodeSetMCtime,
  isDir,
} from "./inode";
import { LAST_DOT, LAST_DOTDOT, LAST_NORM, LAST_ROOT, ND, NOFOLLOW, PARENT, walk } from "./namei";
import { pcacheError, pcacheGet, pcacheInline } from "./pagecache";
import { Proc } from "./proc";

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

/** rename(old, new) (do_renameat2 with no flags, shmem_rename2). */
export function fsRename(
  oldStart: i32, oldPath: usize, oldLen: i32, newStart: i32, newPath: usize, newLen: i32,
): i32 {
  let r = walk(oldStart, oldPath, oldLen, PARENT, false);
  if (r < 0) return r;
  const oldType = ND.lastType;
  const oldEntry = ND.entry;
  const src = ND.found;
  const oldTrailing = ND.trailing;
  const oldDir = ND.dir;
  r = walk(newStart, newPath, newLen, PARENT, false);
  if (r < 0) return r;
  if (oldType != LAST_NORM || ND.lastType != LAST_NORM) return -EBUSY;
  if (src < 0) return -ENOENT;
  const dst = ND.found;
  const srcDir = isDir(src);
  if (!srcDir && (oldTrailing != 0 || ND.trailing != 0)) return -ENOTDIR;
  if (inode(ND.dir).nlink == 0) return -ENOENT;
  // lock_rename: the source may not be an ancestor of the target (EINVAL), nor the target of
  // the source (ENOTEMPTY, found by the emptiness check below).
  if (srcDir && isAncestor(src, ND.dir)) return -EINVAL;
  if (dst >= 0) {
    if (dst == src) return 0; // links to one inode: nothing happens
    if (srcDir && !isDir(dst)) return -ENOTDIR;
    if (!srcDir && isDir(dst)) return -EISDIR;
    if (isDir(dst) && inode(dst).entries > 0) return -ENOTEMPTY;
    removeName(ND.dir, ND.entry, dst);
  }
  dirRename(oldEntry, ND.dir, ND.last, ND.lastLen);
  // simple_rename_timestamp: both directories' mtime and ctime, the renamed inode's ctime.
  inodeSetMCtime(oldDir);
  inodeSetMCtime(ND.dir);
  inodeSetCtime(src);
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

/** link(old, new): old is not followed (do_linkat without AT_SYMLINK_FOLLOW). */
export function fsLink(
  oldStart: i32, oldPath: usize, oldLen: i32, newStart: i32, newPath: usize, newLen: i32,
): i32 {
  let r = walk(oldStart, oldPath, oldLen, NOFOLLOW, false);
  if (r < 0) return r;
  const src = ND.found;
  if (src < 0) return -ENOENT;
  if (ND.trailing != 0 && !isDir(src)) return -ENOTDIR;
  r = walkCreate(newStart, newPath, newLen, false);
  if (r < 0) return r;
  if (isDir(src)) return -EPERM;
  if (inode(ND.dir).nlink == 0) return -ENOENT;
  const d = dirAdd(ND.dir, ND.last, ND.lastLen, src);
  if (d < 0) return d;
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
  const i = createLast(p, S_IFLNK);
  if (i < 0) return i;
  const page = pcacheGet(i, 0);
  if (page == 0) {
    dirRemove(dirLookup(ND.dir, ND.last, ND.lastLen));
    inodeMaybeFree(i);
    inode(ND.dir).mtime = dirMtime;
    inode(ND.dir).ctime = dirCtime;
    return -pcacheError();
  }
  memory.copy(page, target, tlen);
  inode(i).size = tlen;
  if (tlen < SHORT_SYMLINK_LEN) pcacheInline(i);
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
