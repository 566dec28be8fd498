// mmap at scale (issue 22): placement in O(log n) a call, adjacent private anonymous mappings
// merged as Linux's vma_merge_new_range merges them, and vm.max_map_count enforced on the
// regions after merges and splits (mm/mmap.c:do_mmap, mm/vma.c:vms_gather_munmap_vmas).
// Before the fix, placement rescanned every region for every gap (65,530 mappings took hours),
// nothing merged, and the only limit was the system-wide pool of regions.

import { describe, expect, test } from "vitest";
import { CALLS, ERRNO, FLAGS } from "../../wasm/abi.js";
import { Kernel } from "../../wasm/kernel.js";

const PID = 2;
const PAGE = 4096;
/** vm.max_map_count's default (include/linux/mm.h DEFAULT_MAX_MAP_COUNT). */
const MAX_MAP_COUNT = 65530;
const { MAP_PRIVATE, MAP_SHARED, MAP_ANONYMOUS, MAP_FIXED } = FLAGS.mmap;
const { PROT_READ, PROT_WRITE } = FLAGS.prot;
const RW = PROT_READ | PROT_WRITE;
const PRIVATE = MAP_PRIVATE | MAP_ANONYMOUS;

function mmap(k: Kernel, len: number, prot: number, flags = PRIVATE, addr = 0, pid = PID): number {
  return k.syscall(pid, CALLS.mmap, addr, len, prot, flags);
}

/** The user regions of pid (the I/O area left out), as [start, end, prot]. */
function regions(k: Kernel, pid = PID): Array<[number, number, number]> {
  const out: Array<[number, number, number]> = [];
  for (let n = k.x.k_view_vma_first(pid); n !== 0; n = k.x.k_view_vma_next(n)) {
    out.push([k.x.k_view_vma_start(n) >>> 0, k.x.k_view_vma_end(n) >>> 0, k.x.k_view_vma_prot(n)]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

/** Map pages one at a time, alternating prot so that no two merge, until mmap fails. */
function fillToLimit(k: Kernel): { mapped: number; err: number; last: number } {
  let mapped = 0;
  let last = 0;
  for (;;) {
    const r = mmap(k, PAGE, mapped % 2 === 0 ? RW : PROT_READ);
    if (r < 0) return { mapped, err: r, last };
    mapped++;
    last = r;
    if (mapped > MAX_MAP_COUNT + 10) return { mapped, err: 0, last };
  }
}

describe("mmap at scale", () => {
  // Defect: quadratic placement made the limit unreachable; no max_map_count was enforced.
  test("65,530 unmergeable mappings are reachable (vm.max_map_count), then mmap fails with " +
    "ENOMEM", () => {
    const k = new Kernel();
    const { mapped, err, last } = fillToLimit(k);
    // do_mmap refuses when map_count > max_map_count: with the I/O area as the process's one
    // other region, 65,530 mappings make 65,531 regions, and the next mmap fails.
    expect(mapped).toBe(MAX_MAP_COUNT);
    expect(err).toBe(-ERRNO.ENOMEM);
    expect(regions(k).length).toBe(MAX_MAP_COUNT);
    // Top-down and packed: the lowest mapping is mapped pages below the top.
    expect(last >>> 0).toBe(0x7fff0000 - MAX_MAP_COUNT * PAGE);
    k.check();
    // At the limit, a munmap that would split a region in two fails (vms_gather_munmap_vmas)...
    const big = regions(k)[0];
    expect(k.syscall(PID, CALLS.munmap, big[0], PAGE)).toBe(0); // whole region: fine
    // ...a merge still succeeds (no new region): the hole refilled with the same prot as its
    // upper neighbour merges into it.
    const upper = regions(k)[0];
    expect(mmap(k, PAGE, upper[2], PRIVATE | MAP_FIXED, upper[0] - PAGE)).toBe(upper[0] - PAGE);
    k.check();
  }, 120_000);

  test("a munmap splitting a region in the middle fails with ENOMEM at the limit", () => {
    const k = new Kernel();
    // One 3-page region, then unmergeable one-page regions up to the limit.
    const wide = mmap(k, 3 * PAGE, PROT_READ);
    let n = 1;
    while (n < MAX_MAP_COUNT) {
      expect(mmap(k, PAGE, n % 2 === 0 ? PROT_READ : RW)).toBeGreaterThan(0);
      n++;
    }
    expect(regions(k).length).toBe(MAX_MAP_COUNT);
    expect(k.syscall(PID, CALLS.munmap, wide + PAGE, PAGE)).toBe(-ERRNO.ENOMEM);
    expect(k.syscall(PID, CALLS.munmap, wide, PAGE)).toBe(0); // trims: no new region
    k.check();
  }, 120_000);

  // Defect: adjacent private anonymous mappings were never merged (vma_merge_new_range).
  test("consecutive private anonymous mmaps of one prot merge into one region", () => {
    const k = new Kernel();
    const addrs = Array.from({ length: 100 }, () => mmap(k, PAGE, RW));
    expect(addrs[99]).toBe(addrs[0] - 99 * PAGE);
    expect(regions(k)).toEqual([[addrs[99] >>> 0, (addrs[0] >>> 0) + PAGE, RW]]);
    // munmap in the middle splits it; refilling the hole merges all three back.
    expect(k.syscall(PID, CALLS.munmap, addrs[50], PAGE)).toBe(0);
    expect(regions(k).length).toBe(2);
    expect(mmap(k, PAGE, RW, PRIVATE | MAP_FIXED, addrs[50])).toBe(addrs[50]);
    expect(regions(k).length).toBe(1);
    k.check();
  });

  test("shared mappings and SysV attachments never merge; different prot does not either",
    () => {
      const k = new Kernel();
      const a = mmap(k, PAGE, RW, MAP_SHARED | MAP_ANONYMOUS);
      const b = mmap(k, PAGE, RW, MAP_SHARED | MAP_ANONYMOUS);
      expect(b).toBe(a - PAGE);
      const id = k.syscall(PID, CALLS.shmget, 0, PAGE, FLAGS.ipc.IPC_CREAT | 0o600);
      const c = k.syscall(PID, CALLS.shmat, id, 0, 0);
      const d = k.syscall(PID, CALLS.shmat, id, 0, 0);
      expect([c, d]).toEqual([b - PAGE, b - 2 * PAGE]);
      const e = mmap(k, PAGE, PROT_READ);
      expect(e).toBe(d - PAGE);
      expect(regions(k).length).toBe(5);
      k.check();
    });

  test("a fork child's written region (an anon_vma chained to its parent's) takes no merge; " +
    "the parent's does", () => {
    const k = new Kernel();
    const a = mmap(k, PAGE, RW);
    expect(k.syscall(PID, CALLS.store, a, k.ioBase, 1)).toBe(1); // anon_vma_prepare
    const child = k.syscall(PID, CALLS.fork);
    expect(child).toBeGreaterThan(PID);
    expect(mmap(k, PAGE, RW, PRIVATE, 0, child)).toBe(a - PAGE);
    expect(regions(k, child).length).toBe(2);
    expect(mmap(k, PAGE, RW)).toBe(a - PAGE);
    expect(regions(k).length).toBe(1);
    // A region the parent never wrote has no anon_vma: the child's copy merges.
    const b = mmap(k, PAGE, PROT_READ, PRIVATE, 0);
    const child2 = k.syscall(PID, CALLS.fork);
    expect(mmap(k, PAGE, PROT_READ, PRIVATE, 0, child2)).toBe(b - PAGE);
    expect(regions(k, child2).length).toBe(2);
    k.check();
  });
});
