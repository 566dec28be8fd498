// Physical memory: the one page allocator for frames, page tables and pipe buffers.
//
// Linux: mm/page_alloc.c hands out pages; here a free list of 4 KiB pages over wasm linear
// memory, grown in 4 MiB chunks (memory.grow has a fixed cost of ~300 us a call; a snapshot
// copies up to the pool end, so chunks stay small). Each chunk's
// first pages hold the reference counts of its pages, so a page's count is found by address
// arithmetic alone: frames shared by several page tables (fork, shared memory) count them.
//
//   pool start (aligned to CHUNK_SIZE)
//   | chunk 0                                   | chunk 1 ...
//   | refcounts (1 page) | page | page | ... |  | refcounts | page | ...
//
// Invariants: a page is either on the free list with refcount 0, or in use with refcount >= 1.
// All allocator state lives in linear memory (MemState), so a memory copy snapshots it.

import { CHUNK_HEADER_PAGES, CHUNK_PAGES, CHUNK_SIZE, PAGE_SHIFT, PAGE_SIZE } from "./param";

/** A WebAssembly memory page is 64 KiB (memory.grow counts them). */
const WASM_PAGE_SHIFT: i32 = 16;

@unmanaged class MemState {
  poolStart: usize;
  poolEnd: usize;
  freeHead: usize;
  pagesFree: i32;
  pagesUsed: i32;
  /** Most pages the pool may hold (0: up to the 4 GiB wasm limit). */
  pagesMax: i32;
  /** Most pages ever in use at once. Freed pages go back on the head of the list, so the pages
   * ever handed out are the first `pagesUsedPeak` of the pool (the fast reset's bound). */
  pagesUsedPeak: i32;
  /** Allocations that found the pool exhausted (fault.ts tells an out-of-memory fault from a
   * bad access by whether this moved). */
  allocFailures: i32;
}

const M = changetype<MemState>(memory.data(offsetof<MemState>(), 16));

export function memInit(): void {
  M.poolStart = (__heap_base + CHUNK_SIZE - 1) & ~(<usize>CHUNK_SIZE - 1);
  M.poolEnd = M.poolStart;
  M.freeHead = 0;
  M.pagesFree = 0;
  M.pagesUsed = 0;
  M.pagesMax = 0;
  M.pagesUsedPeak = 0;
  M.allocFailures = 0;
}

/** Limit the pool to `pages` pages, chunk headers included (0: up to the 4 GiB wasm limit); a
 * pool already larger stops growing. For tests of memory exhaustion (k_mem_limit). */
export function memSetLimit(pages: i32): void {
  M.pagesMax = pages < 0 ? 0 : pages;
}

export function pageAllocFailures(): i32 {
  return M.allocFailures;
}

/** Where the page pool starts (its first chunk; kernel/views.ts layout). */
export function poolStart(): usize {
  return M.poolStart;
}

/** Highest address the kernel uses: a snapshot copies [0, memTop()). */
export function memTop(): usize {
  return M.poolEnd;
}

export function pagesUsed(): i32 {
  return M.pagesUsed;
}

export function pagesUsedPeak(): i32 {
  return M.pagesUsedPeak;
}

/** Add one chunk to the pool. False when wasm memory cannot grow (4 GiB) or pagesMax is hit. */
function growPool(): bool {
  const total = <i32>((M.poolEnd - M.poolStart) / <usize>PAGE_SIZE);
  if (M.pagesMax > 0 && total >= M.pagesMax) return false;
  if (M.poolEnd > <usize>u32.MAX_VALUE - <usize>CHUNK_SIZE) return false;
  const needPages = <i32>((M.poolEnd + CHUNK_SIZE) >>> WASM_PAGE_SHIFT);
  const have = memory.size();
  if (needPages > have && memory.grow(needPages - have) < 0) return false;
  const chunk = M.poolEnd;
  // Zero the refcount header: after a restore to an older snapshot, memory past the old
  // pool end may hold stale bytes from a later state.
  memory.fill(chunk, 0, <usize>(CHUNK_HEADER_PAGES * PAGE_SIZE));
  M.poolEnd += CHUNK_SIZE;
  // Push in reverse so that the lowest addresses are handed out first.
  for (let i = CHUNK_PAGES - 1; i >= CHUNK_HEADER_PAGES; i--) {
    const page = chunk + <usize>i * PAGE_SIZE;
    store<usize>(page, M.freeHead);
    M.freeHead = page;
    M.pagesFree++;
  }
  return true;
}

@inline function refAddr(page: usize): usize {
  const chunk = page & ~(<usize>CHUNK_SIZE - 1);
  return chunk + ((page - chunk) >>> PAGE_SHIFT) * sizeof<i32>();
}

/** A page with unspecified contents and refcount 1, or 0 when memory is exhausted. */
export function pageAllocRaw(): usize {
  if (M.freeHead == 0 && !growPool()) {
    M.allocFailures++;
    return 0;
  }
  const page = M.freeHead;
  M.freeHead = load<usize>(page);
  M.pagesFree--;
  M.pagesUsed++;
  if (M.pagesUsed > M.pagesUsedPeak) M.pagesUsedPeak = M.pagesUsed;
  store<i32>(refAddr(page), 1);
  return page;
}

/** A zero-filled page with refcount 1, or 0 when memory is exhausted. */
export function pageAlloc(): usize {
  const page = pageAllocRaw();
  if (page != 0) memory.fill(page, 0, PAGE_SIZE);
  return page;
}

export function pageRefs(page: usize): i32 {
  return load<i32>(refAddr(page));
}

export function pageGet(page: usize): void {
  assert(pageRefs(page) > 0, "pageGet on a free page");
  store<i32>(refAddr(page), pageRefs(page) + 1);
}

/** Drop one reference; the page returns to the free list at zero. */
export function pagePut(page: usize): void {
  const refs = pageRefs(page);
  assert(refs > 0, "pagePut on a free page");
  store<i32>(refAddr(page), refs - 1);
  if (refs > 1) return;
  store<usize>(page, M.freeHead);
  M.freeHead = page;
  M.pagesFree++;
  M.pagesUsed--;
}

function isPoolPage(addr: usize): bool {
  if (addr < M.poolStart || addr >= M.poolEnd || (addr & (PAGE_SIZE - 1)) != 0) return false;
  return ((addr - (addr & ~(<usize>CHUNK_SIZE - 1))) >>> PAGE_SHIFT) >= <usize>CHUNK_HEADER_PAGES;
}

/** Pages of the pool, chunk headers included (the index space of pageIndex/pageAddr). */
export function poolPages(): i32 {
  return <i32>((M.poolEnd - M.poolStart) >>> PAGE_SHIFT);
}

export function pageIndex(page: usize): i32 {
  return <i32>((page - M.poolStart) >>> PAGE_SHIFT);
}

/** The address of pool page i, or 0 when it is a chunk's refcount header. */
export function pageAddr(i: i32): usize {
  if (i % CHUNK_PAGES < CHUNK_HEADER_PAGES) return 0;
  return M.poolStart + (<usize>i << PAGE_SHIFT);
}

/** Invariant: the free list holds exactly pagesFree pages, each with refcount 0. */
export function memCheck(): void {
  let n = 0;
  for (let p = M.freeHead; p != 0; p = load<usize>(p)) {
    assert(isPoolPage(p), "free list holds a non-pool address");
    assert(pageRefs(p) == 0, "free page with a reference");
    n++;
    assert(n <= M.pagesFree, "free list longer than pagesFree (cycle?)");
  }
  assert(n == M.pagesFree, "free list shorter than pagesFree");
  const chunks = <i32>((M.poolEnd - M.poolStart) / <usize>CHUNK_SIZE);
  const total = chunks * (CHUNK_PAGES - CHUNK_HEADER_PAGES);
  assert(M.pagesFree + M.pagesUsed == total, "pages lost: free + used != pool");
}
