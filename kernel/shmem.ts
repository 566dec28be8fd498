// Memory objects: the pages behind shared mappings, a SysV segment's or a
// MAP_SHARED|MAP_ANONYMOUS mapping's (both are shmem files on Linux). An object has a size in
// pages, a sparse page index and the count of regions (VMAs) that map it; its frames are
// allocated on first touch by any mapper and live until the object is freed, as shmem pages
// stay in the page cache while the file lives.
//
// Linux: mm/shmem.c (shmem_kernel_file_setup, shmem_zero_setup, shmem_fault,
// shmem_get_folio: a page allocated at first fault and kept in the mapping).
//
// Page index (allocated on the first touch, two levels like the page tables):
//   dir:  a page of 1024 u32, each the address of a leaf page or 0 (a leaf covers 4 MiB)
//   leaf: a page of 1024 u32 frame addresses, 0 for a page never touched
// So a 1 GiB object with 1,000 touched pages costs its 1,000 frames plus at most 257 index pages.
//
// Differences from Linux: no swap; an object is at most 2^20 pages (4 GiB).
//
// Invariants (shmemCheck, with vmCheck counting the regions): `maps` equals the regions naming
// the object; an object in use has size >= 1 page; `touched` equals the frames in its index.

import { ENOMEM } from "./abi";
import { pageAlloc, pagePut } from "./mem";
import { NSHMEM, PAGE_SIZE } from "./param";

/** Entries of an index page (u32 frame or leaf addresses). */
const IDX_ENTRIES: u32 = <u32>PAGE_SIZE / sizeof<u32>();
const IDX_SHIFT: u32 = 10;
const ENTRY_SHIFT: usize = 2;

@unmanaged export class Shmem {
  inUse: i32;
  /** Size in pages. */
  pages: u32;
  /** Index directory page, 0 until a page is touched. */
  dir: usize;
  /** Regions (VMAs) mapping the object. */
  maps: i32;
  /** The SysV segment's idx (ipc.ts), or -1 for an anonymous shared mapping. */
  shmIdx: i32;
  /** Frames in the index. */
  touched: i32;
  /** Next free object (index + 1), 0 at the end. */
  nextFree: i32;
}

@unmanaged class ShmemState {
  freeHead: i32;
  used: i32;
  frames: i32;
}

const S = changetype<ShmemState>(memory.data(offsetof<ShmemState>(), 16));
const table: usize = memory.data(NSHMEM * offsetof<Shmem>(), 16);

@inline export function shmem(i: i32): Shmem {
  return changetype<Shmem>(table + <usize>i * offsetof<Shmem>());
}

export function shmemInit(): void {
  memory.fill(table, 0, <usize>NSHMEM * offsetof<Shmem>());
  for (let i = 0; i < NSHMEM; i++) shmem(i).nextFree = i + 2 <= NSHMEM ? i + 2 : 0;
  S.freeHead = 1;
  S.used = 0;
  S.frames = 0;
}

/** A new object of `pages` pages (no frames yet, no SysV segment: shm.ts sets shmIdx once it
 * has an id), or -ENOMEM when the table is full. */
export function shmemCreate(pages: u32): i32 {
  if (S.freeHead == 0) return -ENOMEM;
  const i = S.freeHead - 1;
  const o = shmem(i);
  S.freeHead = o.nextFree;
  o.inUse = 1;
  o.pages = pages;
  o.dir = 0;
  o.maps = 0;
  o.shmIdx = -1;
  o.touched = 0;
  o.nextFree = 0;
  S.used++;
  return i;
}

/** Drop the object and every frame it holds (frames still mapped keep their PTE references). */
export function shmemFree(i: i32): void {
  const o = shmem(i);
  assert(o.inUse == 1 && o.maps == 0, "shmemFree: object still mapped");
  if (o.dir != 0) {
    for (let d: u32 = 0; d < IDX_ENTRIES; d++) {
      const leaf = <usize>load<u32>(o.dir + (<usize>d << ENTRY_SHIFT));
      if (leaf == 0) continue;
      for (let j: u32 = 0; j < IDX_ENTRIES; j++) {
        const frame = <usize>load<u32>(leaf + (<usize>j << ENTRY_SHIFT));
        if (frame != 0) pagePut(frame);
      }
      pagePut(leaf);
    }
    pagePut(o.dir);
  }
  S.frames -= o.touched;
  o.inUse = 0;
  o.dir = 0;
  o.nextFree = S.freeHead;
  S.freeHead = i + 1;
  S.used--;
}

/** shmem_fault: the frame of page `pgoff`, allocated (zeroed) on first touch; 0 when memory is
 * exhausted. The object keeps one reference; the caller takes its own for a PTE. */
export function shmemPage(i: i32, pgoff: u32): usize {
  const o = shmem(i);
  assert(pgoff < o.pages, "shmemPage: offset past the object");
  if (o.dir == 0) {
    o.dir = pageAlloc();
    if (o.dir == 0) return 0;
  }
  const dslot = o.dir + (<usize>(pgoff >>> IDX_SHIFT) << ENTRY_SHIFT);
  let leaf = <usize>load<u32>(dslot);
  if (leaf == 0) {
    leaf = pageAlloc();
    if (leaf == 0) return 0;
    store<u32>(dslot, <u32>leaf);
  }
  const slot = leaf + (<usize>(pgoff & (IDX_ENTRIES - 1)) << ENTRY_SHIFT);
  let frame = <usize>load<u32>(slot);
  if (frame == 0) {
    frame = pageAlloc();
    if (frame == 0) return 0;
    store<u32>(slot, <u32>frame);
    o.touched++;
    S.frames++;
  }
  return frame;
}

/** A region starts mapping the object (mmap, shmat, fork, a split). */
export function shmemMapped(i: i32): void {
  assert(shmem(i).inUse == 1, "mapping a free object");
  shmem(i).maps++;
}

/** A region stops mapping it; an anonymous object goes with its last region. */
export function shmemUnmapped(i: i32): void {
  const o = shmem(i);
  assert(o.maps > 0, "shmemUnmapped: not mapped");
  o.maps--;
  if (o.maps == 0 && o.shmIdx < 0) shmemFree(i);
}

/** Frames held by every object (touched pages of live objects). */
export function shmemFrames(): i32 {
  return S.frames;
}

/** Report every object's index pages and frames to `count` (check.ts). */
export function shmemPages(count: (page: usize) => void): void {
  for (let i = 0; i < NSHMEM; i++) {
    const o = shmem(i);
    if (o.inUse == 0 || o.dir == 0) continue;
    count(o.dir);
    for (let d: u32 = 0; d < IDX_ENTRIES; d++) {
      const leaf = <usize>load<u32>(o.dir + (<usize>d << ENTRY_SHIFT));
      if (leaf == 0) continue;
      count(leaf);
      for (let j: u32 = 0; j < IDX_ENTRIES; j++) {
        const frame = <usize>load<u32>(leaf + (<usize>j << ENTRY_SHIFT));
        if (frame != 0) count(frame);
      }
    }
  }
}

/** Invariants; `maps` holds, per object, the regions vmCheck counted naming it. */
export function shmemCheck(maps: usize): void {
  let used = 0;
  let frames = 0;
  for (let i = 0; i < NSHMEM; i++) {
    const o = shmem(i);
    if (o.inUse == 0) continue;
    used++;
    frames += o.touched;
    assert(o.pages >= 1, "memory object of no pages");
    assert(o.maps == load<i32>(maps + <usize>i * 4), "object's map count != regions naming it");
    assert(o.shmIdx >= 0 || o.maps > 0, "anonymous shared object outlived its mappings");
  }
  assert(used == S.used, "memory object count drifted");
  assert(frames == S.frames, "memory object frame count drifted");
}
