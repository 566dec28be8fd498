// Directory entries: names in directories, and the order getdents64 lists them in.
//
// Linux: fs/libfs.c (simple_offset_add, simple_offset_remove, offset_readdir), mm/shmem.c
// (shmem_mknod, shmem_link, shmem_unlink, shmem_rmdir, shmem_rename2).
//
// An entry names a child inode in a directory. Hard links are entries naming one inode; a
// directory has exactly one entry (its parent keeps it in Inode.parent for ".."). Each entry
// gets an offset from its directory's counter when it is made (simple_offset_add's cyclic
// allocation, which never hands an offset out twice in a fresh tmpfs); a rename makes a new
// entry with a new offset. getdents64 lists "." and ".." and then the entries newest first
// (offset_dir_lookup walks the offsets down on this kernel: 6.18, measured), so a listing is
// deterministic and the model gives Linux's.
//
// Table: NDENTRY rows taken lowest-free-first (a high-water mark for the fast reset), names in
// a parallel array of NAME_MAX + 1 bytes.
//
// Invariants (dirCheck): an entry names a live directory and a live child; no directory has
// two entries with one name; each directory's entry count and subdirectory links match; an
// inode's nlink equals the entries naming it (plus 1 for a directory's ".", plus its
// subdirectories' "..").

import { ENOSPC } from "./abi";
import { Inode, ROOT, inode, inodeUnreserveLink, inodesTouched, isDir } from "./inode";
import { NAME_MAX, NDENTRY } from "./param";

const NAME_BYTES: i32 = NAME_MAX + 1;

@unmanaged class Dentry {
  inUse: i32;
  dir: i32;
  child: i32;
  nameLen: i32;
  off: i32;
}

@unmanaged class DirState {
  high: i32;
}

const S = changetype<DirState>(memory.data(offsetof<DirState>(), 16));
const dentries: usize = memory.data(NDENTRY * offsetof<Dentry>(), 16);
const names: usize = memory.data(NDENTRY * NAME_BYTES, 16);

@inline export function dentry(d: i32): Dentry {
  return changetype<Dentry>(dentries + <usize>d * offsetof<Dentry>());
}

@inline export function dentryName(d: i32): usize {
  return names + <usize>d * NAME_BYTES;
}

export function dirInit(): void {
  memory.fill(dentries, 0, <usize>(S.high > 0 ? S.high : NDENTRY) * offsetof<Dentry>());
  S.high = 0;
}

/** The entry naming `name` in directory `dir`, or -1. */
export function dirLookup(dir: i32, name: usize, len: i32): i32 {
  for (let d = 0; d < S.high; d++) {
    const e = dentry(d);
    if (e.inUse == 0 || e.dir != dir || e.nameLen != len) continue;
    if (memory.compare(dentryName(d), name, len) == 0) return d;
  }
  return -1;
}

/** Name `child` in `dir` (the caller has checked the name is free): the entry, or -ENOSPC.
 * Links: the child's nlink, and for a directory child the parent's (its ".."). */
export function dirAdd(dir: i32, name: usize, len: i32, child: i32): i32 {
  let d = 0;
  while (d < NDENTRY && dentry(d).inUse != 0) d++;
  if (d == NDENTRY) return -ENOSPC;
  const e = dentry(d);
  e.inUse = 1;
  e.dir = dir;
  e.child = child;
  e.nameLen = len;
  const parent = inode(dir);
  e.off = parent.nextOff++;
  memory.copy(dentryName(d), name, len);
  if (d >= S.high) S.high = d + 1;
  parent.entries++;
  const c = inode(child);
  c.nlink++;
  if (isDir(child)) {
    c.parent = dir;
    parent.nlink++;
  }
  return d;
}

/** Remove an entry: the child loses a link (a directory all of its own and its parent's ".."
 * link: simple_rmdir); the caller decides whether the child goes (inodeMaybeFree). */
export function dirRemove(d: i32): void {
  const e = dentry(d);
  const parent = inode(e.dir);
  const c = inode(e.child);
  parent.entries--;
  if (isDir(e.child)) {
    parent.nlink--;
    c.nlink = 0;
  } else {
    if (c.nlink > 1) inodeUnreserveLink(); // shmem_unlink
    c.nlink--;
  }
  e.inUse = 0;
}

/** Swap what entries a and b name, each keeping its directory and name. The listing follows
 * the dentries (__d_move with exchange: the target's dentry goes to the head of its new
 * parent's children, then the source's), so a's entry becomes the newest of its directory,
 * then b's (newer still, in one directory); a directory that changes parent takes its ".."
 * link along (simple_rename_exchange). */
export function dirExchange(a: i32, b: i32): void {
  const ea = dentry(a);
  const eb = dentry(b);
  const ca = ea.child;
  const cb = eb.child;
  ea.child = cb;
  eb.child = ca;
  ea.off = inode(ea.dir).nextOff++;
  eb.off = inode(eb.dir).nextOff++;
  if (ea.dir == eb.dir) return;
  if (isDir(ca)) {
    inode(ca).parent = eb.dir;
    inode(ea.dir).nlink--;
    inode(eb.dir).nlink++;
  }
  if (isDir(cb)) {
    inode(cb).parent = ea.dir;
    inode(eb.dir).nlink--;
    inode(ea.dir).nlink++;
  }
}

/** Move entry d to `dir` under a new name, with a new offset (shmem_rename2 through
 * simple_offset_rename: the entry is listed as the newest of its new directory). */
export function dirRename(d: i32, dir: i32, name: usize, len: i32): void {
  const e = dentry(d);
  const from = inode(e.dir);
  const to = inode(dir);
  from.entries--;
  to.entries++;
  if (isDir(e.child)) {
    from.nlink--;
    to.nlink++;
    inode(e.child).parent = dir;
  }
  e.dir = dir;
  e.nameLen = len;
  e.off = to.nextOff++;
  memory.copy(dentryName(d), name, len);
}

/** The entry of `dir` listed after offset `pos` (newest first: the largest offset below it),
 * or -1 at the end. */
export function dirNextBelow(dir: i32, pos: i32): i32 {
  let best = -1;
  for (let d = 0; d < S.high; d++) {
    const e = dentry(d);
    if (e.inUse == 0 || e.dir != dir || e.off >= pos) continue;
    if (best < 0 || e.off > dentry(best).off) best = d;
  }
  return best;
}

/** The entry naming directory `i` (a directory has one), or -1 for the root or a removed one. */
export function dirEntryOf(i: i32): i32 {
  for (let d = 0; d < S.high; d++) {
    if (dentry(d).inUse != 0 && dentry(d).child == i) return d;
  }
  return -1;
}

export function dentriesTouched(): i32 {
  return S.high;
}

export function dentryTableBase(names_: bool): usize {
  return names_ ? names : dentries;
}

export function dentryTableEntry(names_: bool): i32 {
  return names_ ? NAME_BYTES : offsetof<Dentry>();
}

/** Every entry names a live directory and child, names are unique per directory, and each
 * inode's counts match its entries: a directory's entries and links (2 plus its
 * subdirectories, 0 once removed), anything else's links. Walks the table once per inode
 * (small tables: a check, not a hot path). */
export function dirCheck(): void {
  for (let d = 0; d < S.high; d++) {
    const e = dentry(d);
    if (e.inUse == 0) continue;
    assert(inode(e.dir).inUse != 0 && isDir(e.dir), "entry in a dead directory");
    assert(inode(e.child).inUse != 0, "entry names a dead inode");
    assert(dirLookup(e.dir, dentryName(d), e.nameLen) == d, "two entries with one name");
    if (isDir(e.child)) assert(inode(e.child).parent == e.dir, "directory's parent differs");
  }
  for (let i = 0; i < inodesTouched(); i++) {
    if (inode(i).inUse == 0) continue;
    let entries = 0;
    let subdirs = 0;
    let names = 0;
    for (let d = 0; d < S.high; d++) {
      const e = dentry(d);
      if (e.inUse == 0) continue;
      if (e.dir == i) {
        entries++;
        if (isDir(e.child)) subdirs++;
      }
      if (e.child == i) names++;
    }
    const ino: Inode = inode(i);
    if (isDir(i)) {
      assert(ino.entries == entries, "directory entry count drifted");
      const linked = names > 0 || i == ROOT;
      assert(names <= 1, "a directory with two names");
      assert(ino.nlink == (linked ? 2 + subdirs : 0), "directory link count drifted");
    } else {
      assert(ino.nlink == names, "link count != names");
    }
  }
}
