// mprotect(2): changing the protection of a range of mappings, splitting and merging regions
// as Linux does, and the page tables after them.
//
// Linux: mm/mprotect.c (do_mprotect_pkey, mprotect_fixup, change_protection), mm/vma.c
// (vma_modify_flags, vma_merge_existing_range, is_mergeable_vma, is_mergeable_anon_vma,
// split_vma), mm/mmap.c (accountable_mapping).
//
// The checks come in do_mprotect_pkey's order: PROT_GROWSDOWN with PROT_GROWSUP, an unaligned
// start (EINVAL), a zero length (0, whatever the prot), a range that wraps (ENOMEM), a prot
// bit other than PROT_READ, PROT_WRITE, PROT_EXEC and PROT_SEM (EINVAL); then the first region
// of the range: none, or one above the start, is ENOMEM; PROT_GROWSDOWN takes the start down to
// a VM_GROWSDOWN region's (EINVAL for any other), PROT_GROWSUP is EINVAL (x86 has no
// VM_GROWSUP). Then region by region, in address order: a hole before it is ENOMEM, PROT_WRITE
// on a region without VM_MAYWRITE is EACCES (vma.ts VMA_MAYWRITE), else mprotect_fixup changes
// it. An error stops the walk where it is: the regions before it keep their new protection
// (and their splits), as on Linux. A range that runs past the last region is ENOMEM after all
// of them changed.
//
// mprotect_fixup: nothing changes when the protection is the same. Otherwise the range merges
// into a neighbour with the same flags, file and contiguous offset (vma_merge_existing_range:
// only when the range starts or ends where the region does; a region with a close hook, a SysV
// attachment, is never removed by a merge), or else the region is split at the range's ends
// (split_vma: ENOMEM when map_count is at vm.max_map_count, a first split kept if the second
// fails). VM_ACCOUNT follows mprotect_fixup (added when a private region becomes writable,
// dropped when a private anonymous region without an anon_vma stops being). The page tables
// follow (vm.ts pteProtect).
//
// The engine's I/O area (vma.ts VMA_IO) is not part of the trace's world: mprotect treats it
// as a hole (ENOMEM when the range reaches it, after the regions before it changed) and never
// changes it, as munmap leaves it mapped; the host agent likewise answers ENOMEM for memory
// the trace did not map (host-bridge/agent/maps.c).
//
// Differences from Linux: PROT_SEM is accepted and ignored, as on x86; no pkeys, no
// READ_IMPLIES_EXEC personality; no LSM hook; VM_MAYEXEC is always set (no mount is noexec).
// Two regions merge only when one mapping made them both (its pieces after a split): two
// mmaps of one descriptor are one struct file on Linux and may merge there.
//
// Invariants: those of vma.ts and vm.ts (kernel_check); a present PTE never grants more than
// its region's protection (vm.ts pteCheck).

import {
  EACCES, EINVAL, ENOMEM, PROT_EXEC, PROT_GROWSDOWN, PROT_GROWSUP, PROT_READ, PROT_SEM,
  PROT_WRITE,
} from "./abi";
import { hookObjClose } from "./hooks";
import { accountable, split } from "./mmap";
import { MAX_MAP_COUNT, PAGE_SHIFT, PAGE_SIZE } from "./param";
import { Proc } from "./proc";
import { pteProtect } from "./vm";
import {
  VMA_ACCOUNT, VMA_FORK_CHILD, VMA_GROWSDOWN, VMA_IO, VMA_MAYWRITE, VMA_MERGE_FLAGS, VMA_SHARED,
  VMA_WIPEONFORK, vma, vmaAfter, vmaGapChanged, vmaNext, vmaPrev, vmaRemove,
} from "./vma";

const PROT_ACCESS: i32 = PROT_READ | PROT_WRITE | PROT_EXEC;

/** mprotect(start, len, prot) (do_mprotect_pkey with pkey -1). */
export function mprotect(p: Proc, start: u32, len: u32, prot: i32): i32 {
  const grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
  prot &= ~(PROT_GROWSDOWN | PROT_GROWSUP);
  if (grows == (PROT_GROWSDOWN | PROT_GROWSUP)) return -EINVAL;
  if ((start & (PAGE_SIZE - 1)) != 0) return -EINVAL;
  if (len == 0) return 0;
  // A size_t: a negative i32 stands for a length near 2^64 (as vm.ts accessOk reads it), which
  // PAGE_ALIGN wraps and the end check refuses.
  const len64 = <i32>len < 0 ? <u64><i64><i32>len : <u64>len;
  const size = (len64 + <u64>(PAGE_SIZE - 1)) & ~<u64>(PAGE_SIZE - 1);
  const end = <u64>start + size;
  if (end <= <u64>start) return -ENOMEM;
  // arch_validate_prot (the generic one, as x86 has): PROT_SEM is allowed.
  if ((prot & ~(PROT_ACCESS | PROT_SEM)) != 0) return -EINVAL;
  const vi = firstRegion(p, start, end);
  if (vi < 0) return -ENOMEM;
  if ((grows & PROT_GROWSDOWN) != 0) {
    start = vma(vi).start;
    if ((vma(vi).flags & VMA_GROWSDOWN) == 0) return -EINVAL;
  } else {
    if (vma(vi).start > start) return -ENOMEM;
    if ((grows & PROT_GROWSUP) != 0) return -EINVAL; // x86: VM_GROWSUP is VM_NONE
  }
  return protectRange(p, vi, start, end, prot & PROT_ACCESS);
}

/** vma_find(start, end) with the I/O area left out: the lowest region of the trace's that
 * overlaps [start, end), or -1. */
function firstRegion(p: Proc, start: u32, end: u64): i32 {
  let vi = vmaAfter(p, start);
  while (vi >= 0 && (vma(vi).flags & VMA_IO) != 0) vi = vmaNext(vi);
  return vi >= 0 && <u64>vma(vi).start < end ? vi : -1;
}

/** do_mprotect_pkey's walk from region vi (which starts at or below start) to end: each region
 * in turn, a hole (or the I/O area) ending it with ENOMEM. */
function protectRange(p: Proc, vi: i32, start: u32, end: u64, prot: i32): i32 {
  let tmp = <u64>vma(vi).start;
  let nstart = start;
  while (vi >= 0 && <u64>vma(vi).start < end) {
    const v = vma(vi);
    if (<u64>v.start != tmp || (v.flags & VMA_IO) != 0) return -ENOMEM;
    // newflags & ~(newflags >> 4): a VM_ bit without its VM_MAY bit.
    if ((prot & PROT_WRITE) != 0 && (v.flags & VMA_MAYWRITE) == 0) return -EACCES;
    const stop = <u64>v.end < end ? v.end : <u32>end;
    const r = fixup(p, vi, nstart, stop, prot);
    if (r < 0) return r;
    tmp = <u64>vma(r).end;
    nstart = vma(r).end;
    vi = vmaNext(r);
  }
  return tmp < end ? -ENOMEM : 0;
}

/** mprotect_fixup of [start, end) inside region vi: the region that now holds the range (its
 * index), or -ENOMEM. */
function fixup(p: Proc, vi: i32, start: u32, end: u32, prot: i32): i32 {
  const v = vma(vi);
  if (v.prot == prot) return vi;
  let flags = v.flags;
  if (accountable(prot, flags)) flags |= VMA_ACCOUNT;
  else if ((prot & PROT_WRITE) == 0 && v.obj < 0 && v.anon == 0) flags &= ~VMA_ACCOUNT;
  let ri = mergeExisting(p, vi, start, end, prot, flags);
  if (ri < 0) {
    ri = splitTo(p, vi, start, end);
    if (ri < 0) return ri;
  }
  const r = vma(ri);
  r.prot = prot;
  // A merge target keeps its own anon_vma chain (only a non-fork-child region lends one).
  r.flags = (flags & ~VMA_FORK_CHILD) | (r.flags & VMA_FORK_CHILD);
  pteProtect(p, start, end, prot, (r.flags & VMA_SHARED) != 0);
  return ri;
}

/** vma_modify's splits: the piece of region vi that is [start, end), or -ENOMEM (split_vma
 * refuses at vm.max_map_count; a split made before the refusal stays). */
function splitTo(p: Proc, vi: i32, start: u32, end: u32): i32 {
  if (vma(vi).start < start) {
    if (p.mapCount >= MAX_MAP_COUNT) return -ENOMEM;
    vi = split(p, vi, start);
    if (vi < 0) return vi;
  }
  if (vma(vi).end > end) {
    if (p.mapCount >= MAX_MAP_COUNT) return -ENOMEM;
    const r = split(p, vi, end);
    if (r < 0) return r;
  }
  return vi;
}

// ---- vma_merge_existing_range ----

/** Region vi's [start, end), given prot and flags, merged into its neighbours where Linux
 * merges it: the region that now holds the range, or -1 (no merge). */
function mergeExisting(p: Proc, vi: i32, start: u32, end: u32, prot: i32, flags: i32): i32 {
  const v = vma(vi);
  const leftSide = start == v.start;
  const rightSide = end == v.end;
  if (!leftSide && !rightSide) return -1;
  const prev = vmaPrev(vi);
  const next = vmaNext(vi);
  const left = leftSide && prev >= 0 && vma(prev).end == start &&
    canMerge(prev, vi, prot, flags, false);
  let right = rightSide && next >= 0 && vma(next).start == end &&
    canMerge(next, vi, prot, flags, true);
  // can_vma_merge_right: merging both needs prev's and next's anon_vmas compatible.
  if (left && right) {
    const a = vma(prev).anon;
    const b = vma(next).anon;
    right = a == 0 || b == 0 || a == b;
  }
  if (!left && !right) return -1;
  // A region with a close hook (a SysV attachment) is never removed by a merge.
  if (leftSide && rightSide && hasClose(vi)) return -1;
  if (left && right && hasClose(next)) right = false;
  if (left && right) return mergeBoth(p, prev, vi, next);
  if (left) return mergeLeft(p, prev, vi, end);
  return mergeRight(p, vi, next, start);
}

/** is_mergeable_vma and is_mergeable_anon_vma of neighbour t for the range of region vi with
 * prot and flags; `after` when t is the next region (then t's offset follows the range's). */
function canMerge(t: i32, vi: i32, prot: i32, flags: i32, after: bool): bool {
  const w = vma(t);
  const v = vma(vi);
  if ((v.flags & VMA_WIPEONFORK) != 0) return false; // docs/differences.md mmap-droppable
  if (w.prot != prot || (w.flags & VMA_MERGE_FLAGS) != (flags & VMA_MERGE_FLAGS)) return false;
  if (w.obj != v.obj || w.file != v.file || w.attach != v.attach) return false;
  if (!anonMergeable(t, vi)) return false;
  if (v.obj < 0) return true; // an anonymous pgoff is the address: always contiguous
  // The pgoffs: the range and its neighbour must be one run of the object.
  // (The range starts at vi's start when merging left, and ends at its end when merging right.)
  if (after) return w.pgoff == v.pgoff + pages(v.start, w.start);
  return w.pgoff + pages(w.start, w.end) == v.pgoff;
}

@inline function pages(from: u32, to: u32): i32 {
  return <i32>((to - from) >>> <u32>PAGE_SHIFT);
}

/** is_mergeable_anon_vma: a target without an anon_vma takes the source's unless the source
 * is a fork child; a source without one joins a target that is not a fork child; two anon_vmas
 * must be the same. */
function anonMergeable(t: i32, src: i32): bool {
  const ta = vma(t).anon;
  const sa = vma(src).anon;
  if (ta == 0 && sa != 0) return !forkChild(src);
  if (ta != 0 && sa == 0) return !forkChild(t);
  return ta == sa;
}

/** vma_is_fork_child: an anon_vma chained to a parent's (vma.ts VMA_FORK_CHILD). */
@inline function forkChild(i: i32): bool {
  return vma(i).anon != 0 && (vma(i).flags & VMA_FORK_CHILD) != 0;
}

/** can_merge_remove_vma's opposite: the region's vm_ops has close (ipc/shm.c shm_close). */
@inline function hasClose(i: i32): bool {
  return vma(i).attach != 0;
}

/** prev takes vi and next whole; both go (vma_merge_existing_range's merge_both). */
function mergeBoth(p: Proc, prev: i32, vi: i32, next: i32): i32 {
  dupAnon(prev, vma(next).anon != 0 ? next : vi);
  const end = vma(next).end;
  drop(p, next);
  drop(p, vi);
  return growTo(p, prev, end);
}

/** prev grows to end; vi shrinks from the front, or goes when the range was all of it. */
function mergeLeft(p: Proc, prev: i32, vi: i32, end: u32): i32 {
  dupAnon(prev, vi);
  const v = vma(vi);
  if (end == v.end) drop(p, vi);
  else {
    v.pgoff += pages(v.start, end);
    v.start = end;
    vmaGapChanged(p, vi);
  }
  return growTo(p, prev, end);
}

/** prev's end moves up to `end`: the gap below the region after it shrinks. */
function growTo(p: Proc, prev: i32, end: u32): i32 {
  vma(prev).end = end;
  const after = vmaNext(prev);
  if (after >= 0) vmaGapChanged(p, after);
  return prev;
}

/** next grows down to start; vi shrinks from the back, or goes when the range was all of it. */
function mergeRight(p: Proc, vi: i32, next: i32, start: u32): i32 {
  dupAnon(next, vi);
  const v = vma(vi);
  if (start == v.start) drop(p, vi);
  else v.end = start;
  const w = vma(next);
  w.pgoff -= pages(start, w.start);
  w.start = start;
  vmaGapChanged(p, next);
  return next;
}

/** dup_anon_vma: a target without an anon_vma takes the source's. */
function dupAnon(t: i32, src: i32): void {
  if (vma(t).anon == 0) vma(t).anon = vma(src).anon;
}

/** A region removed by a merge: unlinked, its object's reference dropped (vma_complete's
 * fput; its pages are the merged region's now, so none is zapped). */
function drop(p: Proc, i: i32): void {
  const obj = vma(i).obj;
  vmaRemove(p, i);
  if (obj >= 0) hookObjClose(obj, p);
}
