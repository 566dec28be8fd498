// Memory regions (VMAs) of each address space, kept in address order with the free gap below
// each region, so that a lookup, an insert, a removal and the top-down search for a gap are
// O(log n) in the regions of the process.
//
// Linux: mm/mmap.c (find_vma, unmapped_area_topdown), mm/vma.c (vma_prev, vma_next),
// lib/maple_tree.c (mas_empty_area_rev: the maple tree keeps the largest gap of each subtree).
// Here a treap (a binary search tree by start address whose priorities, a hash of the entry
// index, keep it balanced in expectation) threaded by a sorted doubly linked list:
//
//   Proc.vmaRoot ──> treap node (left, right: lower / higher starts; gapMax: the largest
//                    gap of its subtree)
//   Proc.vmaHead ──> lowest region <─prev/next─> ... <─prev/next─> highest region
//   gap of a region = start - end of the region below it (start - 0 for the lowest)
//
// Indexes are entry + 1 (0 is "none"). Free entries are a lowest-first list through `next`,
// so the fast reset (views.ts) restores only the prefix a run touched.
//
// Invariants (vmaCheck): the list is sorted and non-overlapping with consistent prev/next
// links; the treap holds exactly the list's regions, in order, each node's priority at least
// its children's, each gapMax exact; Proc.mapCount equals the regions (Linux's map_count).

import { ENOMEM } from "./abi";
import { NVMA } from "./param";
import { Proc } from "./proc";

/** A MAP_SHARED region backed by an object (shmem.ts). */
export const VMA_SHARED: i32 = 1;
/** The engine's I/O area (never merged, unmapped or replaced). */
export const VMA_IO: i32 = 2;
/** A private region whose anon_vma came from its parent at fork: Linux's anon_vma_chain is not
 * singular (mm/vma.c:vma_is_fork_child), so a new mapping does not merge into it. */
export const VMA_FORK_CHILD: i32 = 4;
/** A MAP_DROPPABLE region (VM_WIPEONFORK): a fork child gets it empty (mm/mmap.c dup_mmap). */
export const VMA_WIPEONFORK: i32 = 8;
/** VM_MAYWRITE: mprotect may add PROT_WRITE. Every region has it but a shared mapping of a
 * file opened without write (mm/mmap.c:do_mmap) and an SHM_RDONLY attachment (ipc/shm.c
 * do_shmat opens the segment's file read-only). VM_MAYREAD and VM_MAYEXEC are always set
 * (no mount here is noexec), so they have no bit. */
export const VMA_MAYWRITE: i32 = 16;
/** VM_ACCOUNT: a private writable region charged to the commit (mm/mmap.c
 * accountable_mapping; mm/mprotect.c:mprotect_fixup adds and drops it). Only merging sees it. */
export const VMA_ACCOUNT: i32 = 32;
/** VM_GROWSDOWN: a MAP_GROWSDOWN mapping (mprotect's PROT_GROWSDOWN needs it; the model does
 * not grow it). */
export const VMA_GROWSDOWN: i32 = 64;
/** The bits of Linux's vm_flags that two regions must share to merge (is_mergeable_vma);
 * VMA_FORK_CHILD is anon_vma state, not a flag. */
export const VMA_MERGE_FLAGS: i32 =
  VMA_SHARED | VMA_IO | VMA_WIPEONFORK | VMA_MAYWRITE | VMA_ACCOUNT | VMA_GROWSDOWN;

@unmanaged export class Vma {
  start: u32;
  end: u32;
  prot: i32;
  /** VMA_* bits. */
  flags: i32;
  /** Backing object of a shared region (shmem.ts), or -1. */
  obj: i32;
  /** Offset of `start` in the object, in pages. */
  pgoff: i32;
  /** The shmat that made the region (its pieces after a split keep it): Linux's vm_file of
   * an attachment, which shmdt matches. 0 for other regions. */
  attach: i32;
  /** The anon_vma of a private region: 0 until its first write fault (anon_vma_prepare),
   * shared by the pieces of a split and by regions merged into one. */
  anon: i32;
  /** Linux's vm_file: the mapping (mmap of an object, shmat) that made the region, shared by
   * its pieces after a split; 0 for private anonymous memory. Only merging compares it. */
  file: i32;
  /** The next higher region (index + 1), 0 at the end; the free list's link when free. */
  next: i32;
  /** The next lower region, 0 at the head. */
  prev: i32;
  left: i32;
  right: i32;
  /** The largest gap below any region of this node's subtree. */
  gapMax: u32;
  inUse: i32;
}

@unmanaged class VmaState {
  freeHead: i32;
  /** The last anon_vma id handed out. */
  anonLast: i32;
  /** The last vm_file id handed out. */
  fileLast: i32;
}

const S = changetype<VmaState>(memory.data(offsetof<VmaState>(), 16));
const vmas: usize = memory.data(NVMA * offsetof<Vma>(), 16);

@inline export function vma(i: i32): Vma {
  return changetype<Vma>(vmas + <usize>i * offsetof<Vma>());
}

/** Node n (index + 1). */
@inline function node(n: i32): Vma {
  return vma(n - 1);
}

export function vmaInit(): void {
  memory.fill(vmas, 0, <usize>NVMA * offsetof<Vma>());
  for (let i = 0; i < NVMA; i++) vma(i).next = i + 2 <= NVMA ? i + 2 : 0;
  S.freeHead = 1;
  S.anonLast = 0;
  S.fileLast = 0;
}

/** A new anon_vma id (anon_vma_alloc). */
export function anonNew(): i32 {
  S.anonLast++;
  return S.anonLast;
}

/** A new vm_file id (a mapping of an object opens a struct file of its own). */
export function fileNew(): i32 {
  S.fileLast++;
  return S.fileLast;
}

/** The treap priority of node n: a fixed hash of its index (murmur3's finalizer). */
function prio(n: i32): u32 {
  let h = <u32>n;
  h ^= h >>> 16;
  h *= 0x85ebca6b;
  h ^= h >>> 13;
  h *= 0xc2b2ae35;
  return h ^ (h >>> 16);
}

/** The free gap below node n. */
@inline function gapOf(n: i32): u32 {
  const v = node(n);
  return v.prev == 0 ? v.start : v.start - node(v.prev).end;
}

/** Recompute n's gapMax from its own gap and its children's. */
function pull(n: i32): void {
  const v = node(n);
  let g = gapOf(n);
  if (v.left != 0 && node(v.left).gapMax > g) g = node(v.left).gapMax;
  if (v.right != 0 && node(v.right).gapMax > g) g = node(v.right).gapMax;
  v.gapMax = g;
}

function rotateRight(t: i32): i32 {
  const l = node(t).left;
  node(t).left = node(l).right;
  pull(t);
  node(l).right = t;
  return l;
}

function rotateLeft(t: i32): i32 {
  const r = node(t).right;
  node(t).right = node(r).left;
  pull(t);
  node(r).left = t;
  return r;
}

function treapInsert(t: i32, x: i32): i32 {
  if (t == 0) {
    pull(x);
    return x;
  }
  const v = node(t);
  if (node(x).start < v.start) {
    v.left = treapInsert(v.left, x);
    if (prio(v.left) > prio(t)) t = rotateRight(t);
  } else {
    v.right = treapInsert(v.right, x);
    if (prio(v.right) > prio(t)) t = rotateLeft(t);
  }
  pull(t);
  return t;
}

/** Join two treaps, every start of a below every start of b. */
function treapJoin(a: i32, b: i32): i32 {
  if (a == 0) return b;
  if (b == 0) return a;
  if (prio(a) > prio(b)) {
    node(a).right = treapJoin(node(a).right, b);
    pull(a);
    return a;
  }
  node(b).left = treapJoin(a, node(b).left);
  pull(b);
  return b;
}

function treapRemove(t: i32, x: i32): i32 {
  if (t == x) return treapJoin(node(x).left, node(x).right);
  const v = node(t);
  if (node(x).start < v.start) v.left = treapRemove(v.left, x);
  else v.right = treapRemove(v.right, x);
  pull(t);
  return t;
}

/** Recompute gapMax on the path from t down to x (x's gap or a descendant's changed). */
function treapRefresh(t: i32, x: i32): void {
  if (t == 0) return;
  if (t != x) treapRefresh(node(x).start < node(t).start ? node(t).left : node(t).right, x);
  pull(t);
}

/** The gap below region i (or below its successor, after i's end moved) changed. */
export function vmaGapChanged(p: Proc, i: i32): void {
  treapRefresh(p.vmaRoot, i + 1);
}

/** The region of p with the highest start <= va (index), or -1. */
export function vmaFloor(p: Proc, va: u32): i32 {
  let best = 0;
  let t = p.vmaRoot;
  while (t != 0) {
    const v = node(t);
    if (v.start <= va) {
      best = t;
      t = v.right;
    } else t = v.left;
  }
  return best - 1;
}

/** find_vma: the region of p with the lowest end above addr (index), or -1. */
export function vmaAfter(p: Proc, addr: u32): i32 {
  const f = vmaFloor(p, addr);
  if (f >= 0 && vma(f).end > addr) return f;
  const n = f >= 0 ? vma(f).next : p.vmaHead;
  return n - 1;
}

/** The region of p containing va, or -1. */
export function vmaFind(p: Proc, va: u32): i32 {
  const f = vmaFloor(p, va);
  return f >= 0 && va < vma(f).end ? f : -1;
}

/** The next higher region after i, or -1; the next lower, or -1. */
@inline export function vmaNext(i: i32): i32 {
  return vma(i).next - 1;
}
@inline export function vmaPrev(i: i32): i32 {
  return vma(i).prev - 1;
}

/** The highest region of p, or -1. */
export function vmaLast(p: Proc): i32 {
  let t = p.vmaRoot;
  if (t == 0) return -1;
  while (node(t).right != 0) t = node(t).right;
  return t - 1;
}

/** The highest region of p starting above `floor` with a gap below it of at least len, or
 * -1 (unmapped_area_topdown's walk down the gaps of the tree). */
export function vmaGapAbove(p: Proc, floor: u32, len: u32): i32 {
  return gapAbove(p.vmaRoot, floor, len) - 1;
}

function gapAbove(t: i32, floor: u32, len: u32): i32 {
  if (t == 0 || node(t).gapMax < len) return 0;
  const v = node(t);
  const r = gapAbove(v.right, floor, len);
  if (r != 0) return r;
  if (v.start <= floor) return 0;
  if (gapOf(t) >= len) return t;
  return gapAbove(v.left, floor, len);
}

/** A new region [start, end) of p (not overlapping any), linked in address order, or -ENOMEM
 * when the system-wide pool is empty. The caller sets pgoff, attach, anon, file. */
export function vmaAdd(p: Proc, start: u32, end: u32, prot: i32, flags: i32, obj: i32): i32 {
  if (S.freeHead == 0) return -ENOMEM;
  const x = S.freeHead;
  const v = node(x);
  S.freeHead = v.next;
  v.start = start;
  v.end = end;
  v.prot = prot;
  v.flags = flags;
  v.obj = obj;
  v.pgoff = 0;
  v.attach = 0;
  v.anon = 0;
  v.file = 0;
  v.left = 0;
  v.right = 0;
  v.inUse = 1;
  const below = vmaFloor(p, start) + 1;
  const above = below != 0 ? node(below).next : p.vmaHead;
  v.prev = below;
  v.next = above;
  if (below != 0) node(below).next = x;
  else p.vmaHead = x;
  if (above != 0) node(above).prev = x;
  p.vmaRoot = treapInsert(p.vmaRoot, x);
  if (above != 0) treapRefresh(p.vmaRoot, above);
  p.mapCount++;
  return x - 1;
}

/** Unlink region i from p and free it (no hooks: the caller closes its object). */
export function vmaRemove(p: Proc, i: i32): void {
  const x = i + 1;
  const v = node(x);
  if (v.prev != 0) node(v.prev).next = v.next;
  else p.vmaHead = v.next;
  if (v.next != 0) node(v.next).prev = v.prev;
  p.vmaRoot = treapRemove(p.vmaRoot, x);
  if (v.next != 0) treapRefresh(p.vmaRoot, v.next);
  p.mapCount--;
  vmaFree(i);
}

function vmaFree(i: i32): void {
  const v = vma(i);
  v.inUse = 0;
  v.prev = 0;
  v.left = 0;
  v.right = 0;
  v.next = S.freeHead;
  S.freeHead = i + 1;
}

// ---- invariants ----

/** p's list and treap agree, are ordered and balanced by priority, and every gapMax is exact;
 * mapCount counts the regions. */
export function vmaCheck(p: Proc): void {
  let count = 0;
  let prev = 0;
  for (let n = p.vmaHead; n != 0; n = node(n).next) {
    const v = node(n);
    assert(v.inUse == 1, "free region on a process list");
    assert(v.prev == prev, "region list: prev link broken");
    assert(prev == 0 || node(prev).end <= v.start, "regions overlap or are out of order");
    prev = n;
    count++;
    assert(count <= NVMA, "region list has a cycle");
  }
  assert(count == p.mapCount, "map_count != the process's regions");
  // An in-order walk of the treap visits the list's regions in the same order.
  assert(checkSubtree(p.vmaRoot, 0, p.vmaHead) == 0, "treap and region list differ");
}

/** Walk subtree t in order, expecting the list from `expect` onwards; returns the list entry
 * after the subtree's last node (0 at the end). */
function checkSubtree(t: i32, parent: i32, expect: i32): i32 {
  if (t == 0) return expect;
  const v = node(t);
  assert(v.inUse == 1, "free region in a treap");
  assert(parent == 0 || prio(parent) >= prio(t), "treap priority order broken");
  const here = checkSubtree(v.left, t, expect);
  assert(here == t, "treap order differs from the region list");
  let g = gapOf(t);
  if (v.left != 0 && node(v.left).gapMax > g) g = node(v.left).gapMax;
  if (v.right != 0 && node(v.right).gapMax > g) g = node(v.right).gapMax;
  assert(v.gapMax == g, "treap gapMax is stale");
  return checkSubtree(v.right, t, v.next);
}
