// Inodes of the one tmpfs the model's paths live in: directories, regular files, FIFOs and
// symbolic links, and what keeps each alive.
//
// Linux: mm/shmem.c (shmem_get_inode, shmem_reserve_inode, shmem_evict_inode), fs/inode.c
// (iput), fs/libfs.c (simple_link, simple_unlink, simple_rmdir).
//
// An inode lives while it has a name (nlink > 0) or a reference: an open description of a
// regular file, directory or symlink, a process's working directory, or a FIFO's pipe (the
// pipe holds the inode while any end is open: fifo.ts). The last of them gone, it is evicted:
// its page cache goes back to the pool (pagecache.ts). Inode numbers come from a per-mount
// counter that starts at 1 for the root and never goes back (shmem_reserve_inode's
// sbinfo->next_ino++ for a user mount), so a trace sees the numbers Linux gives a fresh tmpfs.
// A directory's size is BOGO_DIRENT_SIZE (20) for each entry and for "." and "..", as
// shmem_mknod and simple_link add it.
//
// Times (atime, mtime, ctime) are set as mm/shmem.c and the VFS set them on a tmpfs mounted
// relatime (the bridge's, and Linux's default): a new inode takes the clock's now for all
// three (__shmem_get_inode: simple_inode_init_ts); a change of the data sets mtime and ctime
// (file_update_time, a truncate), of the inode alone ctime (chmod, link, unlink, rename); a
// read sets atime only when relatime says so (fs/inode.c touch_atime, relatime_need_update:
// atime is not newer than mtime or ctime, or is a day old). They are kept as instants of the
// virtual clock (time.ts timeNow: ns since the trace started) and reported as CLOCK_REALTIME
// (time.ts timeRealAt): nothing sets the clock, so the two differ by a constant, and the root,
// made at init before the trace's realtime start is known, needs no fixing up.
//
// Table: NINODE rows taken lowest-free-first; index 0 is the root. The fast reset restores
// rows below the high-water mark (views.ts).
//
// Invariants (inodeCheck): counts match the table; a row in use has a type; a directory's
// entry count and link count match its entries (dir.ts dirCheck counts them).

import { ENOSPC, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG, S_IFSOCK } from "./abi";
import { NINODE, P_TMPFS_INODES } from "./param";
import { paramGet } from "./sysctl";
import { pcacheTruncate } from "./pagecache";
import { NSEC_PER_SEC, timeNow } from "./time";
import { kernelChoose } from "./hooks";

/** mm/shmem.c BOGO_DIRENT_SIZE: what each name adds to a directory's st_size. */
const BOGO_DIRENT_SIZE: i32 = 20;
/** The root directory's row. */
export const ROOT: i32 = 0;
/** fs/inode.c relatime_need_update: an atime this old (seconds) is updated by any read. */
const RELATIME_MAX_AGE_SEC: i64 = 24 * 60 * 60;

@unmanaged export class Inode {
  inUse: i32;
  /** S_IFMT type and permission bits, as st_mode. */
  mode: i32;
  nlink: i32;
  /** Open descriptions (regular files, directories, symlinks), working directories. */
  refs: i32;
  /** A FIFO's pipe while any end is open (-1: none). */
  pipe: i32;
  ino: i32;
  /** A directory's parent (the root's is itself). */
  parent: i32;
  /** A directory's entries, and the offset the next one gets (dir.ts). */
  entries: i32;
  nextOff: i32;
  /** A regular file's or symlink's first page-cache entry (pagecache.ts; -1: none), and the
   * pages it holds (st_blocks is 8 a page). */
  pages: i32;
  nrPages: i32;
  size: i64;
  /** Last access, data change, inode change: instants of the virtual clock (ns). */
  atime: i64;
  mtime: i64;
  ctime: i64;
  /** How atime stands to ctime when both are of one instant (ATIME_*): Linux's coarse clock may
   * or may not have ticked between two stamps of one virtual instant. */
  atimeOrder: i32;
}

@unmanaged class InodeState {
  used: i32;
  /** One past the highest row ever taken since init (the fast reset's bound). */
  high: i32;
  nextIno: i32;
  /** Extra names of non-directories: a hard link takes an inode of nr_inodes as well
   * (shmem_link's shmem_reserve_inode; shmem_unlink gives it back while nlink > 1). */
  links: i32;
}

const S = changetype<InodeState>(memory.data(offsetof<InodeState>(), 16));
const inodes: usize = memory.data(NINODE * offsetof<Inode>(), 16);

@inline export function inode(i: i32): Inode {
  return changetype<Inode>(inodes + <usize>i * offsetof<Inode>());
}

@inline export function inodeOk(i: i32): bool {
  return i >= 0 && i < NINODE && inode(i).inUse != 0;
}

@inline export function isDir(i: i32): bool { return (inode(i).mode & S_IFMT) == S_IFDIR; }
@inline export function isReg(i: i32): bool { return (inode(i).mode & S_IFMT) == S_IFREG; }
@inline export function isFifo(i: i32): bool { return (inode(i).mode & S_IFMT) == S_IFIFO; }
@inline export function isLink(i: i32): bool { return (inode(i).mode & S_IFMT) == S_IFLNK; }
@inline export function isSock(i: i32): bool { return (inode(i).mode & S_IFMT) == S_IFSOCK; }

/** An empty table and the root directory (mode 1777, tmpfs's default root mode). */
export function inodeInit(): void {
  memory.fill(inodes, 0, <usize>(S.high > 0 ? S.high : NINODE) * offsetof<Inode>());
  S.used = 0;
  S.high = 0;
  S.nextIno = 1;
  S.links = 0;
  const root = inodeAlloc(S_IFDIR | 0o1777);
  assert(root == ROOT, "the root must be row 0");
  inode(root).parent = ROOT;
  inode(root).nlink = 2;
}

/** A new inode with no name and no reference yet, or -ENOSPC (nr_inodes: shmem_reserve_inode).
 * A directory starts with nlink 2 (itself and its "."), everything else with 1 once named. */
export function inodeAlloc(mode: i32): i32 {
  if (S.used + S.links >= paramGet(P_TMPFS_INODES)) return -ENOSPC;
  let i = 0;
  while (inode(i).inUse != 0) i++;
  const ino = inode(i);
  memory.fill(changetype<usize>(ino), 0, offsetof<Inode>());
  ino.inUse = 1;
  ino.mode = mode;
  ino.pipe = -1;
  ino.pages = -1;
  ino.ino = S.nextIno++;
  ino.nextOff = DIR_OFFSET_FIRST;
  const now = timeNow(); // simple_inode_init_ts
  ino.atime = now;
  ino.mtime = now;
  ino.ctime = now;
  if ((mode & S_IFMT) == S_IFDIR) ino.nlink = 1; // its "."; its name adds the second

  S.used++;
  if (i >= S.high) S.high = i + 1;
  return i;
}

/** The first offset a directory entry gets (dir.ts; 0 and 1 are "." and ".."). */
const DIR_OFFSET_FIRST: i32 = 3;

/** Another name for non-directory i (link): 0, or -ENOSPC past nr_inodes. */
export function inodeReserveLink(): i32 {
  if (S.used + S.links >= paramGet(P_TMPFS_INODES)) return -ENOSPC;
  S.links++;
  return 0;
}

/** A name of an inode with more than one goes (unlink, rename over it). */
export function inodeUnreserveLink(): void {
  assert(S.links > 0, "unreserving a link never reserved");
  S.links--;
}

/** Take a reference (an open description, a working directory). */
export function inodeGet(i: i32): void {
  inode(i).refs++;
}

/** Drop a reference; the inode goes when nothing holds it. */
export function inodePut(i: i32): void {
  assert(inode(i).refs > 0, "inodePut without a reference");
  inode(i).refs--;
  inodeMaybeFree(i);
}

/** iput_final: an inode without a name, a reference or a pipe is evicted. */
export function inodeMaybeFree(i: i32): void {
  const ino = inode(i);
  if (ino.nlink > 0 || ino.refs > 0 || ino.pipe >= 0 || i == ROOT) return;
  pcacheTruncate(i, 0);
  ino.inUse = 0;
  S.used--;
}

// ---- times ----
//
// Every call of one virtual instant happens at one time in the model; on Linux they are
// microseconds apart, and a file's times come from a coarse clock that ticks every jiffy. So
// an atime stamped after a ctime of the same instant is, on Linux, equal to it or later: the
// model keeps which it is as unknown (ATIME_UNSURE) until a later read's relatime decision
// needs it, and there branches (kernelChoose): equal (atime is updated) or later (it is not,
// and stays known later). ctime >= mtime always, so relatime's "mtime or ctime not older than
// atime" is ctime's alone.

/** atime is of another instant than ctime, or stamped no later than it within one. */
const ATIME_NOT_AFTER: i32 = 0;
/** atime was stamped after ctime within one instant: equal on Linux, or a tick later. */
const ATIME_UNSURE: i32 = 1;
/** As ATIME_UNSURE, and a branch decided it: a tick later. */
const ATIME_AFTER: i32 = 2;

/** inode_set_ctime_current: the inode changed (chmod, a link added or removed, a rename). */
export function inodeSetCtime(i: i32): void {
  inode(i).ctime = timeNow();
  inode(i).atimeOrder = ATIME_NOT_AFTER;
}

/** inode_set_mtime_to_ts(inode, inode_set_ctime_current(inode)): the data changed (a write's
 * file_update_time, a truncate), or a directory's entries did (shmem_mknod, shmem_unlink...). */
export function inodeSetMCtime(i: i32): void {
  const ino = inode(i);
  ino.ctime = timeNow();
  ino.mtime = ino.ctime;
  ino.atimeOrder = ATIME_NOT_AFTER;
}

/** touch_atime on a relatime mount (file_accessed after a read, a directory listing, readlink,
 * a symlink followed by a walk): atime becomes now only when relatime_need_update says so. */
export function inodeTouchAtime(i: i32): void {
  const ino = inode(i);
  const now = timeNow();
  if (!relatimeNeedUpdate(ino, now)) return;
  ino.atime = now;
  ino.atimeOrder = ino.ctime == now ? ATIME_UNSURE : ATIME_NOT_AFTER;
}

/** fs/inode.c relatime_need_update: mtime or ctime not older than atime, or atime a day old
 * (whole seconds apart: tv_sec; the realtime start is whole seconds, so instants do). */
function relatimeNeedUpdate(ino: Inode, now: i64): bool {
  if (now / NSEC_PER_SEC - ino.atime / NSEC_PER_SEC >= RELATIME_MAX_AGE_SEC) return true;
  if (ino.ctime != ino.atime) return ino.ctime > ino.atime;
  if (ino.atimeOrder == ATIME_NOT_AFTER) return true;
  if (ino.atimeOrder == ATIME_AFTER) return false;
  // Unsure. Within the same instant an update changes nothing a trace can see: stay unsure.
  if (now == ino.atime) return true;
  if (kernelChoose(2) == 0) return true; // no tick between them: equal, updated
  ino.atimeOrder = ATIME_AFTER;
  return false;
}

/** st_size: a directory's bogus dirent bytes, a file's or symlink's length, else 0. */
export function inodeSize(i: i32): i64 {
  const ino = inode(i);
  if (isDir(i)) return <i64>BOGO_DIRENT_SIZE * <i64>(ino.entries + 2);
  return ino.size;
}

/** One past the highest row ever taken (views.ts k_layout_touched). */
export function inodesTouched(): i32 {
  return S.high;
}

export function inodeTableBase(): usize {
  return inodes;
}

export function inodeCheck(): void {
  let used = 0;
  let links = 0;
  for (let i = 0; i < S.high; i++) {
    const ino = inode(i);
    if (ino.inUse == 0) continue;
    used++;
    const t = ino.mode & S_IFMT;
    assert(t == S_IFDIR || t == S_IFREG || t == S_IFIFO || t == S_IFLNK || t == S_IFSOCK,
      "inode without a type");
    assert(ino.nlink > 0 || ino.refs > 0 || ino.pipe >= 0, "an unreachable inode lives");
    assert(ino.ino > 0 && ino.ino < S.nextIno, "inode number out of range");
    assert(ino.size >= 0, "negative size");
    if (t != S_IFDIR && ino.nlink > 1) links += ino.nlink - 1;
    const now = timeNow();
    assert(ino.atime <= now && ino.mtime <= now && ino.ctime <= now, "a time in the future");
    assert(ino.mtime <= ino.ctime, "mtime after ctime"); // every mtime change sets ctime
  }
  assert(used == S.used, "inode use count drifted");
  assert(links == S.links, "hard-link reservations drifted");
  for (let i = S.high; i < NINODE; i++) assert(inode(i).inUse == 0, "inode above the mark");
}
