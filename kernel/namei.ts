// Path walk: from a path to the directory that holds its last component, and what that names.
//
// Linux: fs/namei.c (path_lookupat, link_path_walk, walk_component, step_into, pick_link,
// handle_dots, follow_dotdot, lookup_last), fs/open.c (do_faccessat), fs/d_path.c (getcwd).
//
// A walk starts at the root (an absolute path), the caller's working directory (AT_FDCWD) or a
// directory descriptor, and takes each component in turn: "." stays, ".." goes to the parent
// (the root's parent is itself: nothing leads out of the tree, as on Linux at a process's
// root), a name is looked up in the directory (dir.ts). A symlink met in the middle of a path,
// or last when the caller follows it (or the path ends in a slash), is replaced by its target,
// which walks on from the root (an absolute target) or from the symlink's directory; more than
// MAXSYMLINKS links in one walk give ELOOP. The walk rewrites its own copy of the path to do
// this, so a target plus the rest of the path longer than 2 * PATH_MAX gives ENAMETOOLONG
// (Linux keeps a stack of links and has no such bound: docs/differences.md `files`). Each link
// followed has its atime touched (pick_link's touch_atime, relatime: inode.ts), even when what
// it names does not exist.
//
// The trace's processes run with an effective uid of 0 (host-bridge: traced.c), so no
// permission check applies to a walk (CAP_DAC_OVERRIDE), except in access(2): its checks use
// the real uid, which is not 0 and does not own the tmpfs's files, and the real gid, which is
// their group; so access walks with search permission checked against each directory's group
// bits and tests the group bits of what it names (acl_permission_check with caps cleared).

import { EACCES, EBADF, ELOOP, ENAMETOOLONG, ENOENT, ENOTDIR } from "./abi";
import { dentry, dentryName, dirEntryOf as entryOf, dirLookup } from "./dir";
import { FILE_DIR, FILE_PATH, fdGet, file } from "./file";
import { ROOT, inode, inodeTouchAtime, isDir, isLink } from "./inode";
import { pcacheFind } from "./pagecache";
import { MAXSYMLINKS, NAME_MAX, PATH_MAX } from "./param";
import { Proc } from "./proc";

/** include/uapi/linux/fcntl.h AT_FDCWD. */
export const AT_FDCWD: i32 = -100;
/** What the last component is (fs/namei.c LAST_NORM ...). */
export const LAST_NORM: i32 = 0;
export const LAST_ROOT: i32 = 1;
export const LAST_DOT: i32 = 2;
export const LAST_DOTDOT: i32 = 3;
/** The group class's search bit (S_IXGRP): access(2)'s walk. */
const S_IXGRP: i32 = 0o10;

/** What a walk does with a symlink last: follows it, or not (but a trailing slash follows it:
 * lstat("link/")), or never (the *parent* walk of calls that make or remove a name). */
export const FOLLOW: i32 = 0;
export const NOFOLLOW: i32 = 1;
export const PARENT: i32 = 2;

/** What a walk found. `found` and `entry` are -1 when the last component names nothing. */
@unmanaged class NameData {
  dir: i32;
  found: i32;
  entry: i32;
  last: usize;
  lastLen: i32;
  lastType: i32;
  /** The path ends in a slash: what it names must be a directory. */
  trailing: i32;
}

export const ND = changetype<NameData>(memory.data(offsetof<NameData>(), 16));
const BUF_BYTES: i32 = 2 * PATH_MAX;
const buf: usize = memory.data(BUF_BYTES, 16);

/** The directory a walk of a relative path starts from: the working directory for AT_FDCWD,
 * else a directory descriptor's inode; -EBADF or -ENOTDIR. */
export function walkStart(p: Proc, dirfd: i32): i32 {
  if (dirfd == AT_FDCWD) return p.cwd;
  const fi = fdGet(p, dirfd);
  if (fi < 0) return -EBADF;
  const f = file(fi);
  if (f.kind == FILE_DIR || (f.kind == FILE_PATH && f.inode >= 0 && isDir(f.inode))) {
    return f.inode;
  }
  return -ENOTDIR;
}

/** Walk `path` (len bytes, from getname) from directory `start`; `last` says whether a symlink
 * last is followed (FOLLOW, NOFOLLOW, PARENT). `checkSearch`: access(2)'s permission checks.
 * 0 with ND filled, or -errno. */
export function walk(start: i32, path: usize, len: i32, last: i32, checkSearch: bool): i32 {
  memory.copy(buf, path, len);
  let n = len;
  let pos = 0;
  let cur = start;
  let links = 0;
  if (load<u8>(buf) == 0x2f) cur = ROOT;
  while (true) {
    while (pos < n && load<u8>(buf + pos) == 0x2f) pos++;
    if (pos == n) return rootOnly(cur);
    const s = pos;
    while (pos < n && load<u8>(buf + pos) != 0x2f) pos++;
    const clen = pos - s;
    let after = pos;
    while (after < n && load<u8>(buf + after) == 0x2f) after++;
    if (!isDir(cur)) return -ENOTDIR;
    if (checkSearch && (inode(cur).mode & S_IXGRP) == 0) return -EACCES;
    if (clen > NAME_MAX) return -ENAMETOOLONG;
    const type = dotType(buf + s, clen);
    let next = cur;
    let entry = -1;
    if (type == LAST_DOTDOT) next = inode(cur).parent;
    else if (type == LAST_NORM) {
      entry = dirLookup(cur, buf + s, clen);
      next = entry >= 0 ? dentry(entry).child : -1;
    }
    const isLast = after == n;
    const followLast = last == FOLLOW || (last == NOFOLLOW && after > pos);
    if (next >= 0 && isLink(next) && (!isLast || followLast)) {
      if (++links > MAXSYMLINKS) return -ELOOP;
      inodeTouchAtime(next); // pick_link: touch_atime of every link followed
      const r = expandLink(next, pos, n);
      if (r < 0) return r;
      n = r;
      pos = 0;
      if (load<u8>(buf) == 0x2f) cur = ROOT;
      continue;
    }
    if (isLast) return setLast(cur, next, entry, s, clen, type, after > pos);
    if (next < 0) return -ENOENT;
    if (!isDir(next)) return -ENOTDIR;
    cur = next;
    pos = after;
  }
  return 0;
}

/** A path of slashes only: the root itself (or, from a later component, the directory). */
function rootOnly(cur: i32): i32 {
  ND.dir = cur;
  ND.found = cur;
  ND.entry = -1;
  ND.last = buf;
  ND.lastLen = 0;
  ND.lastType = LAST_ROOT;
  ND.trailing = 1;
  return 0;
}

function setLast(dir: i32, found: i32, entry: i32, s: i32, len: i32, type: i32, slash: bool): i32 {
  ND.dir = dir;
  ND.found = found;
  ND.entry = entry;
  ND.last = buf + s;
  ND.lastLen = len;
  ND.lastType = type;
  ND.trailing = slash ? 1 : 0;
  return 0;
}

function dotType(s: usize, len: i32): i32 {
  if (len == 1 && load<u8>(s) == 0x2e) return LAST_DOT;
  if (len == 2 && load<u16>(s) == 0x2e2e) return LAST_DOTDOT;
  return LAST_NORM;
}

/** Replace the walked part of the path (up to `end`) by the symlink's target: the new length,
 * or -ENAMETOOLONG. */
function expandLink(link: i32, end: i32, n: i32): i32 {
  const tlen = <i32>inode(link).size;
  const rest = n - end;
  if (tlen + rest > BUF_BYTES) return -ENAMETOOLONG;
  memory.copy(buf + tlen, buf + end, rest);
  memory.copy(buf, pcacheFind(link, 0), tlen);
  return tlen + rest;
}

/** The working directory's path (d_path from the process's root): its length, written at
 * `out` (PATH_MAX bytes), or -ENOENT for a removed directory, -ENAMETOOLONG. */
export function cwdPath(p: Proc, out: usize): i32 {
  if (p.cwd != ROOT && inode(p.cwd).nlink == 0) return -ENOENT;
  const len = inodePath(p.cwd, out);
  if (len < 0) return len;
  if (len > 0) return len;
  store<u8>(out, 0x2f);
  return 1;
}

/** The path of inode i from the root, "/a/b" (empty for the root; an inode with several names:
 * its first entry's), written at `out` (PATH_MAX bytes): its length, -ENOENT for an inode with
 * no name, or -ENAMETOOLONG. */
export function inodePath(i: i32, out: usize): i32 {
  let at = PATH_MAX;
  while (i != ROOT) {
    const d = entryOf(i);
    if (d < 0) return -ENOENT;
    const len = dentry(d).nameLen;
    if (at - len - 1 < 0) return -ENAMETOOLONG;
    at -= len;
    memory.copy(out + at, dentryName(d), len);
    store<u8>(out + --at, 0x2f);
    i = dentry(d).dir;
  }
  const len = PATH_MAX - at;
  memory.copy(out, out + at, len);
  return len;
}
