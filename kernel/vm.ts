// Address spaces: two-level page tables mapping a process's virtual pages to physical frames,
// over the memory regions (VMAs) kept by vma.ts. Every byte a call takes from or gives to a
// process goes through these tables (copyFromUser/copyToUser), as Linux's copy_{from,to}_user
// go through the MMU.
//
// Linux: mm/memory.c (handle_mm_fault, do_anonymous_page, do_wp_page), mm/mmap.c (vm_area),
// kernel/fork.c (dup_mmap, copy_page_range), include/asm-generic/access_ok.h.
//
// Layout (32-bit addresses):
//   pgdir: a page of 1024 u32, each the address of a page-table page (covers 4 MiB) or 0
//   table: a page of 1024 u32 PTEs:  | frame address (20 bits) | flags (12 bits) |
//   PTE flags: P present, W writable, COW shared with a fork relative until written (or a
//   private page read before its first write, write-protected as Linux's zero page is),
//   NONE a present page of a PROT_NONE region (mprotect.ts), which no access reaches.
// Frames are allocated on first touch and freed when the last mapping goes (refcounts in
// mem.ts), so memory grows with touched pages only.
//
// Shared regions (VMA_SHARED with an `obj`, shmem.ts) take their frames from the object's page
// index: a fault on any mapper finds or allocates the object's frame, so every mapper sees the
// same bytes. Regions naming an object are opened and closed through shm.ts (objOpen,
// objClose), which keeps a SysV segment's shm_nattch equal to its regions, as Linux's
// shm_open/shm_close run for every VMA (attach, fork, split) of the segment.
//
// Differences from Linux: an untouched private page read gets its own zero frame (Linux maps
// the shared zero page); addresses are 32-bit; page-table pages stay until exit (Linux may
// free them on munmap). Placement (mmap.ts) is top-down like Linux's, in the model's own range.
//
// Invariants (vmCheck): a process's regions do not overlap and are page-aligned, and their
// list and treap agree (vmaCheck, vma.ts); every present
// PTE lies inside a region; frames' refcounts equal the PTEs (and other kernel references)
// naming them (checked in check.ts); an object's map count equals the regions naming it; every
// present PTE and every table lie in the process's page range [pageFirst, pageEnd).

import { EFAULT, ENOMEM, PROT_EXEC, PROT_READ, PROT_WRITE } from "./abi";
import { pageAlloc, pageAllocRaw, pageGet, pagePut, pageRefs } from "./mem";
import { FILE_OBJ, NSHMEM, PAGE_SHIFT, PAGE_SIZE, USER_IO_BASE, USER_IO_SIZE } from "./param";
import { hookFileFault, hookObjClose, hookObjOpen } from "./hooks";
import { Proc } from "./proc";
import { shmemCheck, shmemPage } from "./shmem";
import {
  VMA_FORK_CHILD, VMA_IO, VMA_MAYWRITE, VMA_SHARED, VMA_WIPEONFORK, Vma, anonNew, vma, vmaAdd,
  vmaCheck, vmaFind, vmaInit, vmaRemove,
} from "./vma";

const PTE_P: u32 = 1;
const PTE_W: u32 = 2;
const PTE_COW: u32 = 4;
/** A page of a PROT_NONE region: the frame stays (P), but no access goes through
 * (x86's _PAGE_PROTNONE: mprotect keeps the page, only its access changes). */
const PTE_NONE: u32 = 8;
const PTE_FLAGS: u32 = <u32>PAGE_SIZE - 1;
/** Two-level x86 (non-PAE) tables: 1024 u32 entries a page; a directory entry covers 4 MiB. */
const PTRS_PER_TABLE: i32 = PAGE_SIZE / <i32>sizeof<u32>();
const PGDIR_SHIFT: u32 = <u32>PAGE_SHIFT + 10;
const PTE_BYTES_SHIFT: usize = 2;

export { VMA_IO, VMA_MAYWRITE, VMA_SHARED, Vma, vma } from "./vma";

export function vmInit(): void {
  vmaInit();
}

// ---- page tables ----

/** Address of va's PTE, or 0 when its table page is missing (and `create` is false or memory
 * is exhausted). */
function pteSlot(p: Proc, va: u32, create: bool): usize {
  const dir = p.pgdir + (<usize>(va >>> PGDIR_SHIFT) << PTE_BYTES_SHIFT);
  let table = <usize>load<u32>(dir);
  if (table == 0) {
    if (!create) return 0;
    table = pageAlloc();
    if (table == 0) return 0;
    store<u32>(dir, <u32>table);
    pageSpan(p, va);
  }
  return table + (<usize>((va >>> <u32>PAGE_SHIFT) & <u32>(PTRS_PER_TABLE - 1)) << PTE_BYTES_SHIFT);
}

/** va's PTE in p's tables, 0 when none (kernel/views.ts k_view_pte: the view's page tables). */
export function pteOf(p: Proc, va: u32): u32 {
  if (p.pgdir == 0) return 0;
  const slot = pteSlot(p, va, false);
  return slot == 0 ? 0 : load<u32>(slot);
}

/** A table or a present PTE maps va: widen p's page range [pageFirst, pageEnd) to it. */
function pageSpan(p: Proc, va: u32): void {
  const n = <i32>(va >>> <u32>PAGE_SHIFT);
  if (p.pageFirst == p.pageEnd) {
    p.pageFirst = n;
    p.pageEnd = n + 1;
    return;
  }
  if (n < p.pageFirst) p.pageFirst = n;
  if (n >= p.pageEnd) p.pageEnd = n + 1;
}

/** The directory entries p's page range touches: [dirFirst, dirEnd). */
@inline function dirFirst(p: Proc): i32 {
  return p.pageFirst >> 10;
}
@inline function dirEnd(p: Proc): i32 {
  return p.pageFirst == p.pageEnd ? p.pageFirst >> 10 : ((p.pageEnd - 1) >> 10) + 1;
}

/** The PTE indexes of table i inside p's page range: [pteFirstIn, pteEndIn). */
@inline function pteFirstIn(p: Proc, i: i32): i32 {
  return max(p.pageFirst - (i << 10), 0);
}
@inline function pteEndIn(p: Proc, i: i32): i32 {
  return min(p.pageEnd - (i << 10), PTRS_PER_TABLE);
}

/** The linear-memory address of user address va when its page is present (and writable for a
 * write), else 0: the walk of pteSlot without create, inline in every copy. */
@inline function mapped(p: Proc, va: u32, write: bool): usize {
  const table = <usize>load<u32>(p.pgdir + (<usize>(va >>> PGDIR_SHIFT) << PTE_BYTES_SHIFT));
  if (table == 0) return 0;
  const pte = load<u32>(table +
    (<usize>((va >>> <u32>PAGE_SHIFT) & <u32>(PTRS_PER_TABLE - 1)) << PTE_BYTES_SHIFT));
  if ((pte & (PTE_P | PTE_NONE)) != PTE_P || (write && (pte & PTE_W) == 0)) return 0;
  return <usize>(pte & ~PTE_FLAGS) + <usize>(va & PTE_FLAGS);
}

/** The linear-memory address of user address va, faulting the page in; 0 on a bad access. */
export function translate(p: Proc, va: u32, write: bool): usize {
  const at = mapped(p, va, write);
  if (at != 0) return at;
  const frame = fault(p, va, write);
  return frame == 0 ? 0 : frame + <usize>(va & PTE_FLAGS);
}

/** access_error (arch/x86/mm/fault.c): a write needs VM_WRITE; a read needs any of
 * read, write or exec (x86 pages are readable whenever they are present). */
function accessOkFor(prot: i32, write: bool): bool {
  if (write) return (prot & PROT_WRITE) != 0;
  return (prot & (PROT_READ | PROT_WRITE | PROT_EXEC)) != 0;
}

/** handle_mm_fault: map a frame for va, or break copy-on-write. The frame, or 0 (SIGSEGV). */
function fault(p: Proc, va: u32, write: bool): usize {
  const vi = vmaFind(p, va);
  if (vi < 0) return 0;
  const v = vma(vi);
  if (!accessOkFor(v.prot, write)) return 0;
  // anon_vma_prepare: a private region gets its anon_vma at its first write (a read maps
  // Linux's zero page and leaves it without one); merging looks at it (mmap.ts).
  if (write && v.obj < 0 && v.anon == 0) v.anon = anonNew();
  const slot = pteSlot(p, va, true);
  if (slot == 0) return 0;
  const pte = load<u32>(slot);
  if ((pte & PTE_P) != 0) return breakCow(slot, pte);
  let frame: usize;
  if (v.obj >= FILE_OBJ) {
    frame = fileFrame(v, va, write);
    if (frame == 0) return 0;
    if ((v.flags & VMA_SHARED) == 0) {
      // do_read_fault maps the file's page copy-on-write; do_cow_fault copies it at once.
      const bits = (v.prot & PROT_WRITE) != 0 ? (write ? PTE_W : PTE_COW) : 0;
      store<u32>(slot, <u32>frame | PTE_P | bits);
      pageSpan(p, va);
      return frame;
    }
  } else if (v.obj >= 0) {
    // shmem_fault: the object's page, shared by every mapper.
    frame = shmemPage(v.obj, <u32>v.pgoff + ((va - v.start) >>> <u32>PAGE_SHIFT));
    if (frame == 0) return 0;
    pageGet(frame);
  } else {
    frame = pageAlloc();
    if (frame == 0) return 0;
  }
  // A private page read first is write-protected like Linux's zero page, so that its first
  // write faults (and prepares the anon_vma); it is this process's own frame, taken over then.
  let bits = PTE_P;
  if ((v.prot & PROT_WRITE) != 0) bits |= v.obj >= 0 || write ? PTE_W : PTE_COW;
  store<u32>(slot, <u32>frame | bits);
  pageSpan(p, va);
  return frame;
}

/** The frame a fault in file region v maps at va (filemap.ts through hooks.ts): the page
 * cache's, with a reference for the PTE, or for a private write fault a copy of it; 0 when
 * there is none (faultBus says whether that is SIGBUS). */
function fileFrame(v: Vma, va: u32, write: bool): usize {
  const shared = (v.flags & VMA_SHARED) != 0;
  const index = <u32>v.pgoff + ((va - v.start) >>> <u32>PAGE_SHIFT);
  const page = hookFileFault(v.obj, index, write && shared);
  if (page == FAULT_BUS) {
    faultBus = true;
    return 0;
  }
  if (page == 0) return 0;
  if (write && !shared) {
    const copy = pageAllocRaw();
    if (copy != 0) memory.copy(copy, page, PAGE_SIZE);
    return copy;
  }
  pageGet(page);
  return page;
}

/** What hookFileFault returns for SIGBUS (never a page: pages are aligned). */
export const FAULT_BUS: usize = 1;
/** The last failed fault was SIGBUS, not SIGSEGV (fault.ts reads and clears it). */
let faultBus = false;

export function faultWasBus(): bool {
  const b = faultBus;
  faultBus = false;
  return b;
}

/** zap_page_range: drop the PTEs of [start, end) (page-aligned) and their frame references. */
export function pteZap(p: Proc, start: u32, end: u32): void {
  for (let va = presentFrom(p, start, end); va < end; va = presentFrom(p, va + PAGE_SIZE, end)) {
    const slot = pteSlot(p, va, false);
    pagePut(<usize>(load<u32>(slot) & ~PTE_FLAGS));
    store<u32>(slot, 0);
  }
}

/** The first page-aligned address in [va, end) whose PTE is present, or end (a missing table
 * skips to the next one). */
function presentFrom(p: Proc, va: u32, end: u32): u32 {
  for (; va < end; va += PAGE_SIZE) {
    const slot = pteSlot(p, va, false);
    if (slot == 0) {
      va = (va | ((<u32>1 << PGDIR_SHIFT) - 1)) - PAGE_SIZE + 1; // no table: skip to the next one
      continue;
    }
    if ((load<u32>(slot) & PTE_P) != 0) return va;
  }
  return end;
}

/** change_protection of [start, end) (page-aligned, inside one region whose protection is now
 * prot): each present page keeps its frame and takes the access prot gives. A page of a
 * region made writable becomes writable when the region is shared (the object's own frame)
 * and copy-on-write when private, unless it already is writable: its next store copies it
 * or, as the last sharer, takes it over (do_wp_page), as a private file page is copied. */
export function pteProtect(p: Proc, start: u32, end: u32, prot: i32, shared: bool): void {
  const access = prot & (PROT_READ | PROT_WRITE | PROT_EXEC);
  for (let va = presentFrom(p, start, end); va < end; va = presentFrom(p, va + PAGE_SIZE, end)) {
    const slot = pteSlot(p, va, false);
    store<u32>(slot, pteBits(load<u32>(slot), access, shared));
  }
}

/** A present PTE's bits under protection `access` (pteProtect). */
function pteBits(pte: u32, access: i32, shared: bool): u32 {
  const kept = pte & ~(PTE_W | PTE_COW | PTE_NONE);
  if (access == 0) return kept | PTE_NONE;
  if ((access & PROT_WRITE) == 0) return kept;
  if (shared) return kept | PTE_W;
  return kept | ((pte & (PTE_W | PTE_COW)) != 0 ? pte & (PTE_W | PTE_COW) : PTE_COW);
}

/** do_wp_page: the last sharer takes the frame over; others get a private copy. */
function breakCow(slot: usize, pte: u32): usize {
  assert((pte & PTE_COW) != 0, "write fault on a present page that is not copy-on-write");
  assert((pte & PTE_NONE) == 0, "fault on a PROT_NONE page of an accessible region");
  const frame = <usize>(pte & ~PTE_FLAGS);
  if (pageRefs(frame) == 1) {
    store<u32>(slot, <u32>frame | PTE_P | PTE_W);
    return frame;
  }
  const copy = pageAllocRaw();
  if (copy == 0) return 0;
  memory.copy(copy, frame, PAGE_SIZE);
  pagePut(frame);
  store<u32>(slot, <u32>copy | PTE_P | PTE_W);
  return copy;
}

// ---- user copies ----

/** access_ok for a buffer of `len` bytes (a size_t argument): Linux's user space ends at 2^47,
 * far past any 32-bit address, so only a length that is negative as a ssize_t (2^63 and up on
 * Linux: here a negative i32, as -1 stands for SIZE_MAX) runs past it. Unmapped pages inside
 * the range still fault when copied. */
export function accessOk(va: u32, len: u32): bool {
  return va <= u32.MAX_VALUE && <i32>len >= 0;
}

/** Copies up to this many bytes stay in wasm (copyBytes). */
const SMALL_COPY_MAX: u32 = 64;

/** memory.copy of n bytes between a user frame and kernel memory, which never overlap. V8 11
 * runs memory.copy as a call out to C (about 5 ns whatever the size; wasm-notes.md), more than
 * a 16-byte message or a 6-byte sembuf costs to move, so small copies are loads and stores. */
@inline function copyBytes(dst: usize, src: usize, n: u32): void {
  if (n > SMALL_COPY_MAX) {
    memory.copy(dst, src, n);
    return;
  }
  for (; n >= 8; n -= 8) {
    store<u64>(dst, load<u64>(src));
    dst += 8;
    src += 8;
  }
  if (n >= 4) {
    store<u32>(dst, load<u32>(src));
    dst += 4;
    src += 4;
    n -= 4;
  }
  // A 6-byte sembuf: its sem_flg halfword is then one store, which the i16 load of it can
  // take straight from the store buffer (two byte stores under one load stall it).
  if (n >= 2) {
    store<u16>(dst, load<u16>(src));
    dst += 2;
    src += 2;
    n -= 2;
  }
  if (n != 0) store<u8>(dst, load<u8>(src));
}

/** Copy len bytes from user va into kernel memory at dst. Returns the bytes copied (less than
 * len when a page faults, as copy_from_user reports what it could not copy). */
export function copyFromUser(p: Proc, dst: usize, va: u32, len: u32): u32 {
  let done: u32 = 0;
  while (done < len) {
    let src = mapped(p, va + done, false);
    if (src == 0) src = translate(p, va + done, false);
    if (src == 0) return done;
    const n = min(len - done, PAGE_SIZE - ((va + done) & PTE_FLAGS));
    copyBytes(dst + done, src, n);
    done += n;
  }
  return done;
}

/** copyFromUser for a few bytes (a sembuf, an mtype), inline at the call: one walk and the
 * loads and stores when they lie in one present page, else the call. */
@inline export function copyFromUserSmall(p: Proc, dst: usize, va: u32, len: u32): u32 {
  if (len <= SMALL_COPY_MAX && (va & PTE_FLAGS) + len <= <u32>PAGE_SIZE) {
    const src = mapped(p, va, false);
    if (src != 0) {
      copyBytes(dst, src, len);
      return len;
    }
  }
  return copyFromUser(p, dst, va, len);
}

/** Copy len bytes from kernel memory at src to user va. Returns the bytes copied. */
export function copyToUser(p: Proc, va: u32, src: usize, len: u32): u32 {
  let done: u32 = 0;
  while (done < len) {
    let dst = mapped(p, va + done, true);
    if (dst == 0) dst = translate(p, va + done, true);
    if (dst == 0) return done;
    const n = min(len - done, PAGE_SIZE - ((va + done) & PTE_FLAGS));
    copyBytes(dst, src + done, n);
    done += n;
  }
  return done;
}

const word: usize = memory.data(8, 8);

/** put_user of an int: 0 or -EFAULT. */
export function putUser32(p: Proc, va: u32, value: i32): i32 {
  store<i32>(word, value);
  return copyToUser(p, va, word, 4) == 4 ? 0 : -EFAULT;
}

// ---- whole address spaces ----

/** A fresh address space with the I/O area the trace engine uses for call buffers. */
export function vmCreate(p: Proc): i32 {
  const dir = pageAlloc();
  if (dir == 0) return -ENOMEM;
  p.pgdir = dir;
  p.vmaHead = 0;
  p.vmaRoot = 0;
  p.mapCount = 0;
  const r = vmaAdd(
    p, USER_IO_BASE, USER_IO_BASE + USER_IO_SIZE, PROT_READ | PROT_WRITE, VMA_IO | VMA_MAYWRITE,
    -1,
  );
  return r < 0 ? r : 0;
}

/** fork (dup_mmap): the child gets the parent's regions; private pages become copy-on-write
 * in both, shared pages stay shared. */
export function vmFork(p: Proc, c: Proc): i32 {
  const dir = pageAlloc();
  if (dir == 0) return -ENOMEM;
  c.pgdir = dir;
  c.vmaHead = 0;
  c.vmaRoot = 0;
  c.mapCount = 0;
  for (let n = p.vmaHead; n != 0; n = vma(n - 1).next) {
    const v = vma(n - 1);
    // anon_vma_fork: a region with an anon_vma gets a new one chained to the parent's (not
    // singular: a fork child); one without stays without.
    // dup_mmap: a VM_WIPEONFORK region is copied without its anon_vma or its pages.
    const wipe = (v.flags & VMA_WIPEONFORK) != 0;
    const forked = v.anon != 0 && !wipe;
    const flags = forked ? v.flags | VMA_FORK_CHILD : v.flags & ~VMA_FORK_CHILD;
    const r = vmaAdd(c, v.start, v.end, v.prot, flags, v.obj);
    if (r < 0) return r;
    vma(r).pgoff = v.pgoff;
    vma(r).attach = v.attach;
    vma(r).file = v.file;
    vma(r).anon = forked ? anonNew() : 0;
    // Linux: dup_mmap() opens each copied VMA; for shm, lpid becomes the forking parent.
    if (v.obj >= 0) hookObjOpen(v.obj, p);
  }
  c.pageFirst = p.pageFirst;
  c.pageEnd = p.pageEnd;
  for (let i = dirFirst(p); i < dirEnd(p); i++) {
    const table = <usize>load<u32>(p.pgdir + (<usize>i << PTE_BYTES_SHIFT));
    if (table == 0) continue;
    const copy = pageAlloc();
    if (copy == 0) return -ENOMEM;
    store<u32>(c.pgdir + (<usize>i << PTE_BYTES_SHIFT), <u32>copy);
    copyTable(p, table, copy, i);
  }
  return 0;
}

/** Copy table i of p (at `table`) into `copy`, making private pages copy-on-write. */
function copyTable(p: Proc, table: usize, copy: usize, i: i32): void {
  const base = <u32>i << PGDIR_SHIFT;
  const end = pteEndIn(p, i);
  for (let j = pteFirstIn(p, i); j < end; j++) {
    const slot = table + (<usize>j << PTE_BYTES_SHIFT);
    let pte = load<u32>(slot);
    if ((pte & PTE_P) == 0) continue;
    const vi = vmaFind(p, base + (<u32>j << <u32>PAGE_SHIFT));
    assert(vi >= 0, "present page outside every region");
    if ((vma(vi).flags & VMA_WIPEONFORK) != 0) continue;
    // vma_needs_copy: a shared file region's pages are not copied; the child faults them in
    // from the page cache (a store's fault dirties the file: filemap.ts).
    if ((vma(vi).flags & VMA_SHARED) != 0 && vma(vi).obj >= FILE_OBJ) continue;
    if ((vma(vi).flags & VMA_SHARED) == 0 && (pte & (PTE_W | PTE_COW)) != 0) {
      pte = (pte & ~PTE_W) | PTE_COW;
      store<u32>(slot, pte);
    }
    pageGet(<usize>(pte & ~PTE_FLAGS));
    store<u32>(copy + (<usize>j << PTE_BYTES_SHIFT), pte);
  }
}

/** exit (exit_mmap): drop every frame, table and region; close every region's object (for a
 * SysV segment, lpid becomes the exiting process). */
export function vmRelease(p: Proc): void {
  if (p.pgdir == 0) return;
  for (let i = dirFirst(p); i < dirEnd(p); i++) {
    const table = <usize>load<u32>(p.pgdir + (<usize>i << PTE_BYTES_SHIFT));
    if (table == 0) continue;
    const end = pteEndIn(p, i);
    for (let j = pteFirstIn(p, i); j < end; j++) {
      const pte = load<u32>(table + (<usize>j << PTE_BYTES_SHIFT));
      if ((pte & PTE_P) != 0) pagePut(<usize>(pte & ~PTE_FLAGS));
    }
    pagePut(table);
  }
  pagePut(p.pgdir);
  p.pgdir = 0;
  p.pageFirst = 0;
  p.pageEnd = 0;
  while (p.vmaHead != 0) {
    const i = p.vmaHead - 1;
    const obj = vma(i).obj;
    vmaRemove(p, i);
    if (obj >= 0) hookObjClose(obj, p);
  }
}

/** Report to `count` every page p's tables hold a reference to (the page directory, the tables,
 * the frames). */
export function vmCountRefs(p: Proc, count: (page: usize) => void): void {
  if (p.pgdir == 0) return;
  count(p.pgdir);
  for (let i = 0; i < PTRS_PER_TABLE; i++) {
    const table = <usize>load<u32>(p.pgdir + (<usize>i << PTE_BYTES_SHIFT));
    if (table == 0) continue;
    assert(i >= dirFirst(p) && i < dirEnd(p), "page table outside [pageFirst, pageEnd)");
    count(table);
    for (let j = 0; j < PTRS_PER_TABLE; j++) {
      const pte = load<u32>(table + (<usize>j << PTE_BYTES_SHIFT));
      if ((pte & PTE_P) == 0) continue;
      const va = (<u32>i << PGDIR_SHIFT) | (<u32>j << <u32>PAGE_SHIFT);
      const vi = vmaFind(p, va);
      assert(vi >= 0, "present page outside every region");
      pteCheck(pte, vma(vi).prot);
      const n = <i32>(va >>> <u32>PAGE_SHIFT);
      assert(n >= p.pageFirst && n < p.pageEnd, "present page outside [pageFirst, pageEnd)");
      count(<usize>(pte & ~PTE_FLAGS));
    }
  }
}

/** A present PTE agrees with its region's protection: writable or copy-on-write only where
 * the region has PROT_WRITE, NONE exactly where it has no access (mprotect.ts keeps them so). */
function pteCheck(pte: u32, prot: i32): void {
  const access = prot & (PROT_READ | PROT_WRITE | PROT_EXEC);
  assert((pte & (PTE_W | PTE_COW)) == 0 || (access & PROT_WRITE) != 0,
    "a writable page in a region without PROT_WRITE");
  assert(((pte & PTE_NONE) != 0) == (access == 0), "PTE_NONE differs from the region's PROT_NONE");
}

/** Distinct frames of private regions, over every process: a frame copy-on-write shared by
 * n page tables counts 1/n in each (its refcount is exactly those PTEs). */
export function vmPrivateFrames(p: Proc): f64 {
  let n: f64 = 0;
  for (let r = p.vmaHead; r != 0; r = vma(r - 1).next) {
    const v = vma(r - 1);
    if (v.obj >= 0 || (v.flags & VMA_IO) != 0) continue;
    for (let va = v.start; va < v.end; va += PAGE_SIZE) {
      const slot = pteSlot(p, va, false);
      if (slot == 0) continue;
      const pte = load<u32>(slot);
      if ((pte & PTE_P) != 0) n += 1.0 / <f64>pageRefs(<usize>(pte & ~PTE_FLAGS));
    }
  }
  return n;
}

// ---- invariants ----

const objMaps: usize = memory.data(NSHMEM * 4, 16);
/** vmCheck's per-object counts (kernel/views.ts layout: filled before each use). */
export function vmCheckArrayBase(): usize { return objMaps; }

/** Regions of live processes: aligned, inside 32-bit space, not overlapping; objects' map
 * counts (shmemCheck) equal the regions naming them. */
export function vmCheck(p: Proc, first: bool): void {
  if (first) memory.fill(objMaps, 0, <usize>NSHMEM * 4);
  if (p.pgdir == 0) {
    assert(p.vmaHead == 0 && p.vmaRoot == 0 && p.mapCount == 0, "regions without page tables");
    return;
  }
  vmaCheck(p);
  for (let n = p.vmaHead; n != 0; n = vma(n - 1).next) {
    const v = vma(n - 1);
    assert(v.start < v.end && ((v.start | v.end) & PTE_FLAGS) == 0, "region not page-aligned");
    if (v.obj >= 0 && v.obj < FILE_OBJ) {
      const a = objMaps + <usize>v.obj * 4;
      store<i32>(a, load<i32>(a) + 1);
    }
  }
}

/** After vmCheck ran for every process. */
export function vmCheckObjects(): void {
  shmemCheck(objMaps);
}
