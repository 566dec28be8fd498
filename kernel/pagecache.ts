// The page cache of regular files and symlinks: which pool page holds each page of a file.
//
// Linux: mm/shmem.c (shmem_get_folio_gfp, shmem_undo_range, shmem_inode_acct_blocks),
// mm/filemap.c. On tmpfs the page cache is the file: a page never written is a hole (reads give
// zeros and take no page), a write takes a page (one block of the mount's size limit) and
// truncation gives pages back.
//
// An entry maps (inode, page index) to a pool page (mem.ts, holding one reference); each
// inode's entries form a list sorted by index (Inode.pages), so SEEK_DATA and truncation walk
// one file's pages in order. Pages are charged to the mount's block limit (tmpfs size=:
// TMPFS_BLOCKS, or the trace's `tmpfs.size`): past it a write gets ENOSPC, as
// shmem_inode_acct_blocks gives.
//
// Table: NPCACHE entries taken lowest-free-first (a high-water mark for the fast reset).
//
// Invariants (pcacheCheck): each list is sorted without repeats and names its inode; the
// charged blocks equal the entries in use; every entry's page has a reference.

import { ENOMEM, ENOSPC } from "./abi";
import { inode } from "./inode";
import { pageAlloc, pagePut, pageRefs } from "./mem";
import { NPCACHE, P_TMPFS_BLOCKS } from "./param";
import { paramGet } from "./sysctl";

@unmanaged class PcEntry {
  inUse: i32;
  inode: i32;
  index: i32;
  next: i32;
  page: usize;
  /** Counted in the block limit and st_blocks (a short symlink's target is not: pcacheInline). */
  charged: i32;
}

@unmanaged class PcState {
  high: i32;
  blocks: i32;
  error: i32;
}

const S = changetype<PcState>(memory.data(offsetof<PcState>(), 16));
const entries: usize = memory.data(NPCACHE * offsetof<PcEntry>(), 16);

@inline function pc(e: i32): PcEntry {
  return changetype<PcEntry>(entries + <usize>e * offsetof<PcEntry>());
}

export function pcacheInit(): void {
  memory.fill(entries, 0, <usize>(S.high > 0 ? S.high : NPCACHE) * offsetof<PcEntry>());
  S.high = 0;
  S.blocks = 0;
}

/** The page holding page `index` of inode i, or 0 for a hole. */
export function pcacheFind(i: i32, index: i32): usize {
  for (let e = inode(i).pages; e >= 0; e = pc(e).next) {
    if (pc(e).index == index) return pc(e).page;
    if (pc(e).index > index) break;
  }
  return 0;
}

/** The page holding page `index` of inode i, taken (zeroed) if it is a hole: its address, or
 * 0 with pcacheError() ENOSPC past the block limit or the table, ENOMEM when the pool is out.
 * An uncharged page (a short symlink's target, which tmpfs keeps in the inode: shmem_symlink
 * under SHORT_SYMLINK_LEN) needs no block and counts in neither the limit nor st_blocks. */
export function pcacheGet(i: i32, index: i32, charge: bool = true): usize {
  let prev = -1;
  let e = inode(i).pages;
  while (e >= 0 && pc(e).index < index) {
    prev = e;
    e = pc(e).next;
  }
  if (e >= 0 && pc(e).index == index) return pc(e).page;
  S.error = ENOSPC;
  if (charge && S.blocks >= paramGet(P_TMPFS_BLOCKS)) return 0;
  let n = 0;
  while (n < NPCACHE && pc(n).inUse != 0) n++;
  if (n == NPCACHE) return 0;
  const page = pageAlloc();
  S.error = ENOMEM;
  if (page == 0) return 0;
  const ne = pc(n);
  ne.inUse = 1;
  ne.inode = i;
  ne.index = index;
  ne.page = page;
  ne.next = e;
  ne.charged = charge ? 1 : 0;
  if (prev >= 0) pc(prev).next = n;
  else inode(i).pages = n;
  if (n >= S.high) S.high = n + 1;
  if (charge) {
    S.blocks++;
    inode(i).nrPages++;
  }
  return page;
}

/** Why the last pcacheGet gave 0. */
export function pcacheError(): i32 {
  return S.error;
}

/** Give back every page of inode i from page `from` on (shmem_undo_range). */
export function pcacheTruncate(i: i32, from: i32): void {
  let prev = -1;
  let e = inode(i).pages;
  while (e >= 0 && pc(e).index < from) {
    prev = e;
    e = pc(e).next;
  }
  if (prev >= 0) pc(prev).next = -1;
  else inode(i).pages = -1;
  while (e >= 0) {
    const next = pc(e).next;
    pagePut(pc(e).page);
    pc(e).inUse = 0;
    if (pc(e).charged != 0) {
      S.blocks--;
      inode(i).nrPages--;
    }
    e = next;
  }
}

/** The first page index >= `from` that holds a page, or -1 (SEEK_DATA). */
export function pcacheNextData(i: i32, from: i32): i32 {
  for (let e = inode(i).pages; e >= 0; e = pc(e).next) {
    if (pc(e).index >= from) return pc(e).index;
  }
  return -1;
}

export function pcacheTouched(): i32 {
  return S.high;
}

export function pcacheTableBase(): usize {
  return entries;
}

export function pcacheEntryBytes(): i32 {
  return offsetof<PcEntry>();
}

/** Report each page the cache holds (kernel_check's page census). */
export function pcachePages(count: (page: usize) => void): void {
  for (let e = 0; e < S.high; e++) if (pc(e).inUse != 0) count(pc(e).page);
}

/** The lists are sorted and name their inodes; the counts add up. */
export function pcacheCheck(liveInode: (i: i32) => bool): void {
  let used = 0;
  for (let e = 0; e < S.high; e++) {
    const x = pc(e);
    if (x.inUse == 0) continue;
    if (x.charged != 0) used++;
    assert(liveInode(x.inode), "page cache entry of a dead inode");
    assert(x.next < 0 || pc(x.next).index > x.index, "page cache list out of order");
    assert(x.next < 0 || pc(x.next).inode == x.inode, "page cache list crosses inodes");
    assert(pageRefs(x.page) >= 1, "page cache page without a reference");
  }
  assert(used == S.blocks, "page cache block count drifted");
}
