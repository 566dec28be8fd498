// Mappings: mmap and munmap of anonymous memory (MAP_PRIVATE, or MAP_SHARED backed by a memory
// object, shmem.ts), and the region operations shmat/shmdt and mprotect share: placement,
// split, unmap.
//
// Linux: mm/mmap.c (do_mmap, ksys_mmap_pgoff, get_unmapped_area, vm_unmapped_area top-down),
// mm/vma.c (__split_vma, do_vmi_munmap), mm/shmem.c (shmem_zero_setup: a shared anonymous
// mapping is a shmem object of its length).
//
// Placement: a hint (non-MAP_FIXED addr) is used when the range is free, else the highest
// gap of [MMAP_BASE, MMAP_TOP) that fits, as Linux's top-down allocator takes the highest gap
// below mmap_base; the gaps are found in O(log n) through vma.ts's treap. A new private
// anonymous range merges into an adjacent region of the same protection (vma_merge_new_range:
// never a shared mapping or SysV attachment, nor a fork child's region with an anon_vma), so
// map_count counts regions as Linux's does; mmap past vm.max_map_count gives ENOMEM.
// MAP_FIXED replaces whatever it overlaps (an implicit munmap). munmap splits regions it cuts
// (a split opens the new piece, so a SysV segment's nattch counts pieces, as __split_vma calls
// vm_ops->open) and closes the regions it removes.
//
// Differences from Linux: addresses are the model's own (traces name them with `ref`); the
// mapping range is [MMAP_BASE, MMAP_TOP), so a fixed range or a hint outside it gives ENOMEM
// or is ignored; the I/O area the engine uses for call buffers cannot be unmapped or
// replaced; max_map_count counts no program mappings (docs/differences.md max-map-count);
// mprotect's merges are mprotect.ts's; there is no mremap or madvise (the other callers of
// vma_merge); file mappings are filemap.ts's. A region's flags keep what merging compares
// (vma.ts VMA_MERGE_FLAGS: VM_MAYWRITE, VM_ACCOUNT, VM_GROWSDOWN); MAP_GROWSDOWN maps a
// region that never grows.
//
// Invariants: see vm.ts (regions never overlap, objects' map counts).

import {
  EBADF, EEXIST, EINVAL, ENOMEM, MAP_ANONYMOUS, MAP_DROPPABLE, MAP_FIXED, MAP_FIXED_NOREPLACE,
  MAP_GROWSDOWN, MAP_HUGETLB, MAP_PRIVATE, MAP_SHARED, MAP_TYPE, PROT_EXEC, PROT_READ, PROT_WRITE,
} from "./abi";
import { MAX_MAP_COUNT, MMAP_BASE, MMAP_TOP, PAGE_SHIFT, PAGE_SIZE } from "./param";
import { hookObjClose, hookObjOpen } from "./hooks";
import { Proc } from "./proc";
import { shmemCreate, shmemFree } from "./shmem";
import { pteZap } from "./vm";
import {
  VMA_ACCOUNT, VMA_FORK_CHILD, VMA_GROWSDOWN, VMA_IO, VMA_MAYWRITE, VMA_MERGE_FLAGS, VMA_SHARED,
  VMA_WIPEONFORK, fileNew, vma, vmaAdd, vmaAfter, vmaFloor, vmaGapAbove, vmaGapChanged, vmaLast,
  vmaNext, vmaPrev, vmaRemove,
} from "./vma";

/** mmap_min_addr: the lowest address a fixed mapping may take (the model's user range). */
const USER_MIN: u32 = 0x10000;

/** find_vma: the region of p with the lowest end above addr, or -1. */
export function regionAfter(p: Proc, addr: u32): i32 {
  return vmaAfter(p, addr);
}

/** The lowest region of p overlapping [start, end), or -1; with skipIo, the I/O area does not
 * count. */
function overlapping(p: Proc, start: u32, end: u32, skipIo: bool): i32 {
  let vi = vmaAfter(p, start);
  while (vi >= 0 && vma(vi).start < end) {
    if (!skipIo || (vma(vi).flags & VMA_IO) == 0) return vi;
    vi = vmaNext(vi);
  }
  return -1;
}

/** Every byte of [start, end) lies in some region (msync's walk: a hole is ENOMEM). */
export function rangeMapped(p: Proc, start: u32, end: u32): bool {
  let at = start;
  let vi = vmaAfter(p, start);
  while (at < end) {
    if (vi < 0 || vma(vi).start > at) return false;
    at = vma(vi).end;
    vi = vmaNext(vi);
  }
  return true;
}

/** unmapped_area_topdown: the highest start in [MMAP_BASE, MMAP_TOP) with len free bytes
 * above it, or 0. The gap above the highest region first, then the treap's gaps (vma.ts), then
 * the gap of the lowest region above MMAP_BASE, clipped to MMAP_BASE. */
function placeTopDown(p: Proc, len: u32): u32 {
  const last = vmaLast(p);
  const lastEnd = last < 0 ? MMAP_BASE : max(vma(last).end, MMAP_BASE);
  if (lastEnd <= MMAP_TOP && MMAP_TOP - lastEnd >= len) return MMAP_TOP - len;
  // The lowest region starting above MMAP_BASE: every gap above it lies inside the range.
  const f = vmaFloor(p, MMAP_BASE);
  const low = f >= 0 ? vmaNext(f) : p.vmaHead - 1;
  if (low < 0) return 0;
  const vi = vmaGapAbove(p, vma(low).start, len);
  if (vi >= 0) return vma(vi).start - len;
  const below = vmaPrev(low);
  const floor = below < 0 ? MMAP_BASE : max(vma(below).end, MMAP_BASE);
  return vma(low).start - floor >= len ? vma(low).start - len : 0;
}

/** Map [addr, addr + len) (len page-aligned by the caller or rounded here) with prot, backed by
 * object `obj` from page `pgoff` (or private when obj < 0). Returns the address or -errno. */
export function mapRegion(
  p: Proc, addr: u32, len: u32, prot: i32, flags: i32, obj: i32, pgoff: i32, fixed: bool,
  attach: i32,
): i32 {
  const size = <u64>len + <u64>(PAGE_SIZE - 1) & ~<u64>(PAGE_SIZE - 1);
  if (size == 0 || size > <u64>(MMAP_TOP - MMAP_BASE)) return -ENOMEM;
  // Linux: mm/mmap.c:do_mmap() "Too many mappings?": map_count may reach max + 1.
  if (p.mapCount > MAX_MAP_COUNT) return -ENOMEM;
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
  prot &= PROT_READ | PROT_WRITE | PROT_EXEC; // calc_vm_prot_bits: no other bit is kept
  flags |= accountable(prot, flags) ? VMA_ACCOUNT : 0;
  if (obj < 0 && (flags & (VMA_SHARED | VMA_WIPEONFORK)) == 0 &&
    mergeNew(p, addr, addr + bytes, prot, flags)) return <i32>addr;
  const vi = vmaAdd(p, addr, addr + bytes, prot, flags, obj);
  if (vi < 0) return vi;
  vma(vi).pgoff = pgoff;
  vma(vi).attach = attach;
  if (obj >= 0) {
    vma(vi).file = fileNew();
    hookObjOpen(obj, p);
  }
  return <i32>addr;
}

/** accountable_mapping (mm/mmap.c): a private writable region is charged (VM_ACCOUNT), a
 * MAP_DROPPABLE one never (VM_NORESERVE). */
export function accountable(prot: i32, flags: i32): bool {
  return (prot & PROT_WRITE) != 0 && (flags & (VMA_SHARED | VMA_WIPEONFORK)) == 0;
}

/** can_vma_merge_after/before for a new private anonymous range: region vi is private
 * anonymous with the same protection, and its anon_vma (if any) is not a fork child's
 * (mm/vma.c:is_mergeable_vma, is_mergeable_anon_vma; a SysV attachment or a MAP_SHARED
 * mapping has its own file and never merges). The anonymous pgoff is the address, always
 * contiguous here. */
function mergeable(vi: i32, prot: i32, flags: i32): bool {
  if (vi < 0) return false;
  const v = vma(vi);
  if (v.obj >= 0 || (v.flags & (VMA_SHARED | VMA_IO | VMA_WIPEONFORK)) != 0) return false;
  if (v.prot != prot || (v.flags & VMA_MERGE_FLAGS) != (flags & VMA_MERGE_FLAGS)) return false;
  return v.anon == 0 || (v.flags & VMA_FORK_CHILD) == 0;
}

/** vma_merge_new_range: extend the region ending at start and/or the one starting at end over
 * the new range [start, end) instead of adding one. True when merged. */
function mergeNew(p: Proc, start: u32, end: u32, prot: i32, flags: i32): bool {
  const f = vmaFloor(p, start - 1);
  const prev = f >= 0 && vma(f).end == start ? f : -1;
  const after = f >= 0 ? vmaNext(f) : p.vmaHead - 1;
  const next = after >= 0 && vma(after).start == end ? after : -1;
  const left = mergeable(prev, prot, flags);
  let right = mergeable(next, prot, flags);
  // can_vma_merge_right: merging both needs prev's and next's anon_vmas compatible.
  if (left && right) {
    const a = vma(prev).anon;
    const b = vma(next).anon;
    right = a == 0 || b == 0 || a == b;
  }
  if (left && right) {
    // vma_expand: prev takes next's range (and its anon_vma if prev had none); next goes.
    if (vma(prev).anon == 0) vma(prev).anon = vma(next).anon;
    const nextEnd = vma(next).end;
    vmaRemove(p, next);
    vma(prev).end = nextEnd;
    if (vmaNext(prev) >= 0) vmaGapChanged(p, vmaNext(prev));
    return true;
  }
  if (left) {
    vma(prev).end = end;
    if (after >= 0) vmaGapChanged(p, after);
    return true;
  }
  if (right) {
    vma(next).start = start;
    vmaGapChanged(p, next);
    return true;
  }
  return false;
}

function ioOverlaps(p: Proc, start: u32, end: u32): bool {
  let vi = vmaAfter(p, start);
  for (; vi >= 0 && vma(vi).start < end; vi = vmaNext(vi)) {
    if ((vma(vi).flags & VMA_IO) != 0) return true;
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
 * object, offset, attachment, file and anon_vma (opened: a segment's nattch counts it). The
 * new index or -ENOMEM. */
export function split(p: Proc, vi: i32, at: u32): i32 {
  const v = vma(vi);
  const end = v.end;
  v.end = at; // first, so that the new region does not overlap it
  const ni = vmaAdd(p, at, end, v.prot, v.flags, v.obj);
  if (ni < 0) {
    v.end = end;
    return ni;
  }
  const w = vma(ni);
  w.pgoff = v.pgoff + <i32>((at - v.start) >>> PAGE_SHIFT);
  w.attach = v.attach;
  w.anon = v.anon;
  w.file = v.file;
  if (w.obj >= 0) hookObjOpen(w.obj, p);
  return ni;
}

/** do_vmi_munmap of [start, end) (page-aligned): split the regions it cuts, drop the pages and
 * close the regions inside. The I/O area is left alone. 0 or -ENOMEM (no region for a split,
 * or a first region cut in the middle when map_count is at its limit). */
export function unmapRange(p: Proc, start: u32, end: u32): i32 {
  let vi = overlapping(p, start, end, true);
  if (vi < 0) return 0;
  if (vma(vi).start < start) {
    // Linux: mm/vma.c:vms_gather_munmap_vmas() lets map_count go past the limit only when
    // the unmap ends inside the first region.
    if (vma(vi).end > end && p.mapCount >= MAX_MAP_COUNT) return -ENOMEM;
    vi = split(p, vi, start);
    if (vi < 0) return vi;
  }
  while (vi >= 0 && vma(vi).start < end) {
    const next = vmaNext(vi);
    if ((vma(vi).flags & VMA_IO) != 0) {
      vi = next;
      continue;
    }
    if (vma(vi).end > end && split(p, vi, end) < 0) return -ENOMEM;
    const obj = vma(vi).obj;
    pteZap(p, vma(vi).start, vma(vi).end);
    vmaRemove(p, vi);
    if (obj >= 0) hookObjClose(obj, p);
    vi = next;
  }
  return 0;
}

// ---- mmap, munmap ----

/** include/uapi/asm-generic/mman-common.h: MAP_HUGE_SHIFT, MAP_HUGE_MASK (the huge page size's
 * log2 in bits 26..31, read only with MAP_HUGETLB). */
const MAP_HUGE_SHIFT: i32 = 26;
const MAP_HUGE_MASK: i32 = 0x3f;

/** mmap(addr, length, prot, flags, -1, 0) (ksys_mmap_pgoff, do_mmap), the checks in Linux's
 * order (docs/audit/mmap.md). Flag bits not tested here are ignored, as Linux ignores them for
 * an anonymous mapping. */
export function mmapAnon(p: Proc, addr: u32, len: u32, prot: i32, flags: i32): i32 {
  // ksys_mmap_pgoff: a file mapping needs fget(fd) (sys_mem.ts sends those to filemap.ts);
  // MAP_HUGETLB needs hugetlb_file_setup, refused by hstate_sizelog or by the reservation (no
  // huge pages); a zero length is EINVAL either way (recorded: mmap-type-flags).
  if (len == 0) return -EINVAL;
  if ((flags & MAP_HUGETLB) != 0) return hugetlbSetup(flags);
  const fixed = mmapChecks(p, addr, len, flags);
  if (fixed < 0) return fixed;
  const vmaFlags = anonType(flags);
  if (vmaFlags < 0) return vmaFlags;
  if ((vmaFlags & VMA_SHARED) == 0) {
    return mapRegion(p, addr, len, prot, vmaFlags, -1, 0, fixed != 0, 0);
  }
  // shmem_zero_setup: a shared anonymous mapping is an object of its own.
  const pages = <u32>((<u64>len + <u64>(PAGE_SIZE - 1)) >> PAGE_SHIFT);
  if (pages == 0 || <u64>pages << PAGE_SHIFT > <u64>(MMAP_TOP - MMAP_BASE)) return -ENOMEM;
  const obj = shmemCreate(pages);
  if (obj < 0) return obj;
  const r = mapRegion(p, addr, len, prot, vmaFlags, obj, 0, fixed != 0, 0);
  if (r < 0) shmemFree(obj);
  return r;
}

/** do_mmap's checks every mapping shares, after the length's: the region count, a fixed
 * address's alignment, MAP_FIXED_NOREPLACE's overlap (EEXIST). 1 for a fixed mapping, 0 for
 * one placed by the kernel, or -errno. */
export function mmapChecks(p: Proc, addr: u32, len: u32, flags: i32): i32 {
  // do_mmap: "force arch specific MAP_FIXED handling in get_unmapped_area".
  const noreplace = (flags & MAP_FIXED_NOREPLACE) != 0;
  const fixed = noreplace || (flags & MAP_FIXED) != 0;
  if (p.mapCount > MAX_MAP_COUNT) return -ENOMEM;
  // __get_unmapped_area: a fixed address off a page; then (mapRegion) the range, which is
  // the model's own (docs/differences.md mapping-range), checked after the type here.
  if (fixed && (addr & (PAGE_SIZE - 1)) != 0) return -EINVAL;
  const size = <u64>len + <u64>(PAGE_SIZE - 1) & ~<u64>(PAGE_SIZE - 1);
  // do_mmap: find_vma_intersection after get_unmapped_area: any overlap is EEXIST.
  if (noreplace && <u64>addr + size <= <u64>u32.MAX_VALUE &&
    overlapping(p, addr, <u32>(<u64>addr + size), false) >= 0) return -EEXIST;
  return fixed ? 1 : 0;
}

/** do_mmap's switch on an anonymous mapping's type: the region's VMA_* flags or -EINVAL.
 * MAP_SHARED_VALIDATE is validated only for a file (its anonymous case is the default). */
function anonType(flags: i32): i32 {
  const type = flags & MAP_TYPE;
  const grows = (flags & MAP_GROWSDOWN) != 0;
  if (type == MAP_SHARED) return grows ? -EINVAL : VMA_SHARED | VMA_MAYWRITE;
  // MAP_DROPPABLE: VM_DROPPABLE | VM_WIPEONFORK | VM_NORESERVE, then the private case.
  if (type == MAP_DROPPABLE) return grows ? -EINVAL : VMA_WIPEONFORK | VMA_MAYWRITE;
  if (type != MAP_PRIVATE) return -EINVAL;
  return VMA_MAYWRITE | (grows ? VMA_GROWSDOWN : 0); // calc_vm_flag_bits: VM_GROWSDOWN
}

/** ksys_mmap_pgoff's MAP_HUGETLB: hstate_sizelog of the size bits (0: the default 2 MiB; x86
 * has 2 MiB and 1 GiB pages) or EINVAL; then the reservation, which the model refuses as a
 * host with vm.nr_hugepages 0 does (docs/differences.md mmap-hugetlb). */
function hugetlbSetup(flags: i32): i32 {
  const log = (flags >>> MAP_HUGE_SHIFT) & MAP_HUGE_MASK;
  if (log != 0 && log != 21 && log != 30) return -EINVAL;
  return -ENOMEM;
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
