// mprotect's regions (kernel/mprotect.ts): the splits and merges of mm/vma.c vma_modify_flags,
// and vm.max_map_count, which no recorded case can show (on Linux the real program's own
// mappings count too: docs/differences.md max-map-count). What Linux does with the pages and
// the errors is in the cases mem-mprotect and mem-mprotect-errors, recorded on Linux.

import { describe, expect, test } from "vitest";
import { CALLS, ERRNO, FLAGS } from "../../wasm/abi.js";
import { Kernel } from "../../wasm/kernel.js";

const PID = 2;
const PAGE = 4096;
/** vm.max_map_count's default (include/linux/mm.h DEFAULT_MAX_MAP_COUNT). */
const MAX_MAP_COUNT = 65530;
const { MAP_PRIVATE, MAP_SHARED, MAP_ANONYMOUS } = FLAGS.mmap;
const { PROT_NONE, PROT_READ, PROT_WRITE } = FLAGS.prot;
const RW = PROT_READ | PROT_WRITE;
const PRIVATE = MAP_PRIVATE | MAP_ANONYMOUS;

function mmap(k: Kernel, len: number, prot: number, flags = PRIVATE): number {
  return k.syscall(PID, CALLS.mmap, 0, len, prot, flags);
}

function mprotect(k: Kernel, addr: number, len: number, prot: number): number {
  return k.syscall(PID, CALLS.mprotect, addr, len, prot);
}

/** The user regions of PID (the I/O area left out), as [start, end, prot]. */
function regions(k: Kernel): Array<[number, number, number]> {
  const out: Array<[number, number, number]> = [];
  for (let n = k.x.k_view_vma_first(PID); n !== 0; n = k.x.k_view_vma_next(n)) {
    out.push([k.x.k_view_vma_start(n) >>> 0, k.x.k_view_vma_end(n) >>> 0, k.x.k_view_vma_prot(n)]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

describe("mprotect's splits and merges", () => {
  test("the middle of a region splits it in three; back to the ends' prot, one region again",
    () => {
      const k = new Kernel();
      const a = mmap(k, 3 * PAGE, RW) >>> 0;
      expect(mprotect(k, a + PAGE, PAGE, PROT_READ)).toBe(0);
      expect(regions(k)).toEqual([
        [a, a + PAGE, RW], [a + PAGE, a + 2 * PAGE, PROT_READ], [a + 2 * PAGE, a + 3 * PAGE, RW],
      ]);
      expect(mprotect(k, a + PAGE, PAGE, RW)).toBe(0);
      expect(regions(k)).toEqual([[a, a + 3 * PAGE, RW]]);
      k.check();
    });

  test("an end of a region merges into the neighbour of that prot (merge left, right)", () => {
    const k = new Kernel();
    const hi = mmap(k, 2 * PAGE, PROT_READ) >>> 0;
    const lo = mmap(k, 2 * PAGE, RW) >>> 0;
    expect(lo + 2 * PAGE).toBe(hi);
    // The upper region's first page joins the lower one: two regions, the border moved.
    expect(mprotect(k, hi, PAGE, RW)).toBe(0);
    expect(regions(k)).toEqual([[lo, hi + PAGE, RW], [hi + PAGE, hi + 2 * PAGE, PROT_READ]]);
    // The lower region's last two pages join the upper one.
    expect(mprotect(k, lo + PAGE, 2 * PAGE, PROT_READ)).toBe(0);
    expect(regions(k)).toEqual([[lo, lo + PAGE, RW], [lo + PAGE, hi + 2 * PAGE, PROT_READ]]);
    k.check();
  });

  test("a region written while writable keeps VM_ACCOUNT when made read-only: it no longer " +
    "merges with a never-writable neighbour", () => {
    const k = new Kernel();
    const hi = mmap(k, PAGE, RW) >>> 0;
    expect(k.syscall(PID, CALLS.store, hi, k.ioBase, 1)).toBe(1); // gives it an anon_vma
    expect(mprotect(k, hi, PAGE, PROT_READ)).toBe(0);
    const lo = mmap(k, PAGE, PROT_READ) >>> 0;
    expect(lo + PAGE).toBe(hi);
    expect(regions(k).length).toBe(2);
    // Never written: mprotect_fixup drops VM_ACCOUNT with the write, and the two merge.
    const k2 = new Kernel();
    const hi2 = mmap(k2, PAGE, RW) >>> 0;
    expect(mprotect(k2, hi2, PAGE, PROT_READ)).toBe(0);
    mmap(k2, PAGE, PROT_READ);
    expect(regions(k2).length).toBe(1);
    k.check();
    k2.check();
  });

  test("pieces of a shared mapping merge back; separate shared mappings never do", () => {
    const k = new Kernel();
    const b = mmap(k, PAGE, RW, MAP_SHARED | MAP_ANONYMOUS) >>> 0;
    const a = mmap(k, 2 * PAGE, RW, MAP_SHARED | MAP_ANONYMOUS) >>> 0;
    expect(a + 2 * PAGE).toBe(b);
    expect(mprotect(k, a + PAGE, PAGE, PROT_NONE)).toBe(0);
    expect(regions(k).length).toBe(3);
    expect(mprotect(k, a + PAGE, PAGE, RW)).toBe(0);
    expect(regions(k)).toEqual([[a, a + 2 * PAGE, RW], [b, b + PAGE, RW]]);
    k.check();
  });

  test("at vm.max_map_count a split is ENOMEM; a change of a whole region, or a merge, is not",
    () => {
      const k = new Kernel();
      const wide = mmap(k, 3 * PAGE, PROT_READ) >>> 0;
      let n = 1;
      while (n < MAX_MAP_COUNT) {
        expect(mmap(k, PAGE, n % 2 === 0 ? PROT_READ : RW)).toBeGreaterThan(0);
        n++;
      }
      expect(regions(k).length).toBe(MAX_MAP_COUNT);
      // The middle needs two splits, the first page one: split_vma refuses both.
      expect(mprotect(k, wide + PAGE, PAGE, PROT_NONE)).toBe(-ERRNO.ENOMEM);
      expect(mprotect(k, wide, PAGE, PROT_NONE)).toBe(-ERRNO.ENOMEM);
      // The first page made RW merges into the RW region below it: no new region.
      expect(mprotect(k, wide, PAGE, RW)).toBe(0);
      // A whole region changes in place.
      expect(mprotect(k, wide + PAGE, 2 * PAGE, PROT_NONE)).toBe(0);
      expect(regions(k).length).toBe(MAX_MAP_COUNT);
      expect(regions(k).find((r) => r[0] === wide + PAGE)).toEqual(
        [wide + PAGE, wide + 3 * PAGE, PROT_NONE]);
      k.check();
    }, 120_000);
});
