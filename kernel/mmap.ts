// Mappings: mmap and munmap of anonymous memory (MAP_PRIVATE, or MAP_SHARED backed by a memory
// object, shmem.ts), and the region operations shmat/shmdt share: placement, split, unmap.
//
// Linux: mm/mmap.c (do_mmap, ksys_mmap_pgoff, get_unmapped_area, vm_unmapped_area top-down),
// mm/vma.c (__split_vma, do_vmi_munmap), mm/shmem.c (shmem_zero_setup: a shared anonymous
// mapping is a shmem object of its length).
//
// Placement: a hint (non-MAP_FIXED addr) is used when the range is free, else the highest
// gap of [MMAP_BASE, MMAP_TOP) that fits, as Linux's top-down allocator takes the highest gap
// below mmap_base. MAP_FIXED replaces whatever it overlaps (an implicit munmap). munmap splits
// regions it cuts (a split opens the new piece, so a SysV segment's nattch counts pieces, as
// __split_vma calls vm_ops->open) and closes the regions it removes.
//
// Differences from Linux: addresses are the model's own (traces name them with `ref`); the
// mapping range is [MMAP_BASE, MMAP_TOP), so a fixed range or a hint outside it gives ENOMEM
// or is ignored; the I/O area the engine uses for call buffers cannot be unmapped or
// replaced; adjacent private regions are not merged (nothing a trace can observe); no mmap of
// files (a mapping without MAP_ANONYMOUS gives EBADF, as with fd -1).
//
// Invariants: see vm.ts (regions never overlap, objects' map counts).

import {
  EBADF, EINVAL, ENOMEM, MAP_ANONYMOUS, MAP_FIXED, MAP_PRIVATE, MAP_SHARED, MAP_TYPE,
} from "./abi";
import { MMAP_BASE, MMAP_TOP, PAGE_SHIFT, PAGE_SIZE } from "./param";
import { hookObjClose, hookObjOpen } from "./hooks";
import { Proc } from "./proc";
import { shmemCreate, shmemFree } from "./shmem";
import { VMA_IO, VMA_SHARED, pteZap, vma, vmaAdd, vmaRemove } from "./vm";

/** mmap_min_addr: the lowest address a fixed mapping may take (the model's user range). */
const USER_MIN: u32 = 0x10000;

/** find_vma: the region of p with the lowest end above addr, or -1. */
export function regionAfter(p: Proc, addr: u32): i32 {
  let best = -1;
  for (let n = p.vmaHead; n != 0; n = vma(n - 1).next) {
    const v = vma(n - 1);
    if (v.end > addr && (best < 0 || v.start < vma(best).start)) best = n - 1;
  }
  return best;
}

/** A region of p overlapping [start, end), or -1; with skipIo, the I/O area does not count. */
function overlapping(p: Proc, start: u32, end: u32, skipIo: bool): i32 {
  for (let n = p.vmaHead; n != 0; n = vma(n - 1).next) {
    const v = vma(n - 1);
    if (v.start < end && v.end > start && (!skipIo || (v.flags & VMA_IO) == 0)) return n - 1;
  }
  return -1;
}

/** vm_unmapped_area, top-down: the highest free start for len bytes, or 0. */
function placeTopDown(p: Proc, len: u32): u32 {
  let top = MMAP_TOP;
  while (top - MMAP_BASE >= len) {
    const lo = top - len;
    let lowest: u32 = u32.MAX_VALUE;
    for (let n = p.vmaHead; n != 0; n = vma(n - 1).next) {
      const v = vma(n - 1);
      if (v.start < top && v.end > lo && v.start < lowest) lowest = v.start;
    }
    if (lowest == u32.MAX_VALUE) return lo;
    top = lowest;
  }
  return 0;
}

/** Map [addr, addr + len) (len page-aligned by the caller or rounded here) with prot, backed by
 * object `obj` from page `pgoff` (or private when obj < 0). Returns the address or -errno. */
export function mapRegion(
  p: Proc, addr: u32, len: u32, prot: i32, flags: i32, obj: i32, pgoff: i32, fixed: bool,
  attach: i32,
): i32 {
  const size = <u64>len + <u64>(PAGE_SIZE - 1) & ~<u64>(PAGE_SIZE - 1);
  if (size == 0 || size > <u64>(MMAP_TOP - MMAP_BASE)) return -ENOMEM;
  const bytes = <u32>size;
  if (fixed) {
    if (addr < USER_MIN || <u64>addr + size > <u64>MMAP_TOP) return -ENOMEM;
    if (ioOverlaps(p, addr, addr + bytes)) return -ENOMEM;
    const r = unmapRange(p, addr, addr + bytes);
    if (r < 0) return r;
  } else if (hintFree(p, addr, bytes)) {
    addr = (addr + (PAGE_SIZE - 1)) & ~(PAGE_SIZE - 1); // PAGE_ALIGN(hint), as hintFree tested
  } else {
    addr = placeTopDown(p, bytes);
    if (addr == 0) return -ENOMEM;
  }
  const vi = vmaAdd(p, addr, addr + bytes, prot, flags, obj);
  if (vi < 0) return vi;
  vma(vi).pgoff = pgoff;
  vma(vi).attach = attach;
  if (obj >= 0) hookObjOpen(obj, p);
  return <i32>addr;
}

function ioOverlaps(p: Proc, start: u32, end: u32): bool {
  for (let n = p.vmaHead; n != 0; n = vma(n - 1).next) {
    const v = vma(n - 1);
    if ((v.flags & VMA_IO) != 0 && v.start < end && v.end > start) return true;
  }
  return false;
}

/** get_unmapped_area's hint: used when page-aligned up, inside the range and free. */
function hintFree(p: Proc, addr: u32, len: u32): bool {
  if (addr == 0) return false;
  const a = <u64>addr + <u64>(PAGE_SIZE - 1) & ~<u64>(PAGE_SIZE - 1);
  if (a < <u64>MMAP_BASE || a + <u64>len > <u64>MMAP_TOP) return false;
  return overlapping(p, <u32>a, <u32>a + len, false) < 0;
}

/** __split_vma: region vi becomes [start, at) and a new region [at, end) with the same
 * object, offset and attachment (opened: a segment's nattch counts it). The new index or
 * -ENOMEM. */
function split(p: Proc, vi: i32, at: u32): i32 {
  const v = vma(vi);
  const ni = vmaAdd(p, at, v.end, v.prot, v.flags, v.obj);
  if (ni < 0) return ni;
  const w = vma(ni);
  w.pgoff = v.pgoff + <i32>((at - v.start) >>> PAGE_SHIFT);
  w.attach = v.attach;
  v.end = at;
  if (w.obj >= 0) hookObjOpen(w.obj, p);
  return ni;
}

/** do_vmi_munmap of [start, end) (page-aligned): split the regions it cuts, drop the pages and
 * close the regions inside. The I/O area is left alone. 0 or -ENOMEM (no region for a split). */
export function unmapRange(p: Proc, start: u32, end: u32): i32 {
  while (true) {
    let vi = overlapping(p, start, end, true);
    if (vi < 0) return 0;
    if (vma(vi).start < start) {
      vi = split(p, vi, start);
      if (vi < 0) return vi;
    }
    if (vma(vi).end > end && split(p, vi, end) < 0) return -ENOMEM;
    const v = vma(vi);
    const obj = v.obj;
    pteZap(p, v.start, v.end);
    vmaRemove(p, vi);
    if (obj >= 0) hookObjClose(obj, p);
  }
  return 0;
}

// ---- mmap, munmap ----

/** mmap(addr, length, prot, flags, -1, 0) (ksys_mmap_pgoff, do_mmap). */
export function mmapAnon(p: Proc, addr: u32, len: u32, prot: i32, flags: i32): i32 {
  if ((flags & MAP_ANONYMOUS) == 0) return -EBADF;
  if (len == 0) return -EINVAL;
  const fixed = (flags & MAP_FIXED) != 0;
  if (fixed && (addr & (PAGE_SIZE - 1)) != 0) return -EINVAL;
  const type = flags & MAP_TYPE;
  if (type != MAP_SHARED && type != MAP_PRIVATE) return -EINVAL;
  if (type == MAP_PRIVATE) return mapRegion(p, addr, len, prot, 0, -1, 0, fixed, 0);
  // shmem_zero_setup: a shared anonymous mapping is an object of its own.
  const pages = <u32>((<u64>len + <u64>(PAGE_SIZE - 1)) >> PAGE_SHIFT);
  if (pages == 0 || <u64>pages << PAGE_SHIFT > <u64>(MMAP_TOP - MMAP_BASE)) return -ENOMEM;
  const obj = shmemCreate(pages);
  if (obj < 0) return obj;
  const r = mapRegion(p, addr, len, prot, VMA_SHARED, obj, 0, fixed, 0);
  if (r < 0) shmemFree(obj);
  return r;
}

/** munmap(addr, length): EINVAL for an unaligned address or a zero length; unmapping
 * nothing succeeds. */
export function munmap(p: Proc, addr: u32, len: u32): i32 {
  if ((addr & (PAGE_SIZE - 1)) != 0) return -EINVAL;
  const size = <u64>len + <u64>(PAGE_SIZE - 1) & ~<u64>(PAGE_SIZE - 1);
  if (size == 0) return -EINVAL;
  const end = <u64>addr + size;
  const top = u32.MAX_VALUE & ~<u32>(PAGE_SIZE - 1);
  return unmapRange(p, addr, end > <u64>u32.MAX_VALUE ? top : <u32>end);
}
