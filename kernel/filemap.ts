// Mappings of regular files: mmap of a tmpfs file, MAP_SHARED and MAP_PRIVATE, the faults that
// fill them from the page cache, and truncation's unmapping.
//
// Linux: mm/mmap.c (do_mmap's file checks), mm/shmem.c (shmem_mmap, shmem_fault), mm/memory.c
// (do_read_fault, do_cow_fault, do_shared_fault), mm/truncate.c (truncate_pagecache:
// unmap_mapping_range with even_cows).
//
// A file region names the object FILE_OBJ + inode (vma.ts `obj`), so the memory layer's region
// code (split, fork, unmap, exit) treats it as any mapped object: each region holds a reference
// on the inode (objOpen/objClose here, through hooks.ts), so an unlinked file lives while it is
// mapped. A fault finds the page in the page cache (taking a page for a hole, as shmem_fault
// does): a shared region maps that very frame, so a store is what read() returns at once and
// what every other mapper loads; a private region maps it copy-on-write (its first store copies
// it) or, on a write fault, gets a copy straight away. A page at or past the end of the file
// is SIGBUS; so is a page the tmpfs has no block for (ENOSPC). Shrinking a file unmaps every
// page past the new end from every region of the file, private copies included (even_cows), so
// they fault again: SIGBUS.
//
// Times (inode.ts): mmap touches the file's atime (shmem_mmap_prepare's file_accessed, here once
// the region is made); a write fault in a shared region sets mtime and ctime
// (fault_dirty_shared_page's file_update_time: shmem has no page_mkwrite). A shared region's
// page is mapped writable by any fault, so only a store to a page that process has not touched
// since it mapped the file, or since a fork (vm.ts: a child does not inherit those pages) or a
// truncation unmapped it, changes the times; loads and later stores do not.
//
// Invariants: a file region's object names a live inode (the region's reference keeps it).

import {
  EACCES, EBADF, EINVAL, ENODEV, EOPNOTSUPP, EOVERFLOW, MAP_GROWSDOWN, MAP_HUGETLB, MAP_PRIVATE,
  MAP_SHARED, MAP_SHARED_VALIDATE, MAP_SYNC, PROC_UNUSED, PROC_ZOMBIE, PROT_WRITE,
} from "./abi";
import { FILE_REG, FMODE_READ, FMODE_WRITE, fdGet, file } from "./file";
import { inode, inodeGet, inodePut, inodeSetMCtime, inodeTouchAtime } from "./inode";
import { mapRegion, mmapChecks } from "./mmap";
import { pageAllocFailures } from "./mem";
import { pcacheGet } from "./pagecache";
import { FILE_OBJ, PAGE_SHIFT, PAGE_SIZE, PID_FIRST } from "./param";
import { Proc, nextPid, proc } from "./proc";
import { FAULT_BUS, VMA_MAYWRITE, VMA_SHARED, pteZap, vma } from "./vm";

/** include/linux/mman.h LEGACY_MAP_MASK: the flags MAP_SHARED_VALIDATE takes for a file
 * without its own (shmem has none: MAP_SYNC is EOPNOTSUPP). */
const LEGACY_MAP_MASK: i32 = 0x3 | 0x10 | 0x20 | 0x40 | 0x100 | 0x800 | 0x1000 | 0x2000 |
  0x4000 | 0x8000 | 0x10000 | 0x20000 | 0x40000 | 0x4000000 | <i32>0xfc000000;
const MAP_TYPE: i32 = 0x0f;

/** mmap(addr, len, prot, flags, fd, offset) of a file (ksys_mmap_pgoff, do_mmap); the offset
 * is page-aligned (the syscall's check, sys_mem.ts). */
export function mmapFile(
  p: Proc, addr: u32, len: u32, prot: i32, flags: i32, fd: i32, offset: i32,
): i32 {
  const fi = fdGet(p, fd);
  if (fi < 0) return -EBADF;
  if ((flags & MAP_HUGETLB) != 0) return -EINVAL; // not a hugetlbfs file
  if (len == 0) return -EINVAL;
  // do_mmap: pgoff + pages must not wrap (a negative off_t is a huge unsigned pgoff).
  if (offset < 0) return -EOVERFLOW;
  const fixed = mmapChecks(p, addr, len, flags);
  if (fixed < 0) return fixed;
  const f = file(fi);
  const type = flags & MAP_TYPE;
  // A private mapping may always be made writable (copy-on-write): VM_MAYWRITE.
  let vmaFlags = VMA_MAYWRITE;
  if (type == MAP_SHARED || type == MAP_SHARED_VALIDATE) {
    if (type == MAP_SHARED_VALIDATE && (flags & ~LEGACY_MAP_MASK) != 0) return -EOPNOTSUPP;
    if ((prot & PROT_WRITE) != 0 && (f.fmode & FMODE_WRITE) == 0) return -EACCES;
    // do_mmap: a file not open for writing clears VM_MAYWRITE and VM_SHARED (mprotect's
    // PROT_WRITE is then EACCES).
    vmaFlags = (f.fmode & FMODE_WRITE) != 0 ? VMA_SHARED | VMA_MAYWRITE : 0;
  } else if (type != MAP_PRIVATE) return -EINVAL;
  if ((f.fmode & FMODE_READ) == 0) return -EACCES;
  if (f.kind != FILE_REG) return -ENODEV; // no ->mmap: pipes, FIFOs, queues, directories
  if ((flags & MAP_GROWSDOWN) != 0) return -EINVAL; // do_mmap: VM_GROWSDOWN of a file
  const obj = FILE_OBJ + f.inode;
  const pgoff = offset >> PAGE_SHIFT;
  const r = mapRegion(p, addr, len, prot, vmaFlags, obj, pgoff, fixed != 0, 0);
  if (r >= 0) inodeTouchAtime(f.inode); // addresses are below 2^31 (vma.ts)
  return r;
}

/** A file region appears (fork, split, a new mapping) or goes: the inode's reference. */
export function fileObjOpen(o: i32): void {
  inodeGet(o - FILE_OBJ);
}

export function fileObjClose(o: i32): void {
  inodePut(o - FILE_OBJ);
}

/** shmem_fault: page `index` of file object o, from the page cache (a hole takes a page);
 * FAULT_BUS past the end or without a block, 0 when the pool is out (the OOM path). A write
 * fault in a shared region (`dirtyShared`) that finds its page sets mtime and ctime. */
export function fileFault(o: i32, index: u32, dirtyShared: bool): usize {
  const i = o - FILE_OBJ;
  const pages = (inode(i).size + PAGE_SIZE - 1) >> PAGE_SHIFT;
  if (<i64>index >= pages) return FAULT_BUS;
  const failures = pageAllocFailures();
  const page = pcacheGet(i, <i32>index);
  if (page == 0) return pageAllocFailures() != failures ? 0 : FAULT_BUS;
  if (dirtyShared) inodeSetMCtime(i); // fault_dirty_shared_page: file_update_time
  return page;
}

/** truncate_pagecache: unmap pages `from` on from every region of inode i, in every process. */
export function fileUnmapFrom(i: i32, from: i32): void {
  const o = FILE_OBJ + i;
  for (let pid = PID_FIRST; pid < nextPid(); pid++) {
    const p = proc(pid);
    if (p.state == PROC_UNUSED || p.state == PROC_ZOMBIE) continue;
    for (let n = p.vmaHead; n != 0; n = vma(n - 1).next) {
      const v = vma(n - 1);
      if (v.obj != o) continue;
      const first = <i64>v.pgoff;
      const last = first + <i64>((v.end - v.start) >> <u32>PAGE_SHIFT);
      if (last <= <i64>from) continue;
      const skip = <i64>from > first ? <u32>(<i64>from - first) : 0;
      pteZap(p, v.start + (skip << <u32>PAGE_SHIFT), v.end);
    }
  }
}
