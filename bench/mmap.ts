// mmap at scale (issue 22): one-page mmap+munmap pairs of pid 2 while it holds LIVE other
// mappings (250, 2,000 and 10,000), one page each, alternately read-only and read-write so
// that none merge (packed top-down, as Linux places them). The pair's mapping is read+exec: it
// merges with neither neighbour, so every pair adds a region and removes it. Placement,
// insertion and removal are O(log n) in the regions (kernel/vma.ts), so the rate should not
// fall with LIVE; the baseline is the same pairs on real Linux (`loops mmap PAIRS LIVE`,
// bench/loops/loops.c), alternated round by round. Goal (issue 22): at 10,000 live mappings,
// at most 10 us a pair (100,000 pairs/s).

import { CALLS, FLAGS } from "../wasm/abi.js";
import { Kernel } from "../wasm/kernel.js";
import {
  alternate, compare, rowFromTimes, withGoal, type BenchOptions, type Row,
} from "./harness.js";
import { buildLoops, mmapLoop } from "./loops.js";

const PID = 2;
const PAGE = 4096;
const { MAP_PRIVATE, MAP_ANONYMOUS } = FLAGS.mmap;
const { PROT_READ, PROT_WRITE, PROT_EXEC } = FLAGS.prot;
const PRIVATE = MAP_PRIVATE | MAP_ANONYMOUS;
const LIVE = [250, 2000, 10_000];
/** Issue 22: a pair in at most 10 us at 10,000 live mappings. */
const GOAL_PAIRS_PER_SEC = 100_000;

/** A kernel whose pid 2 holds `live` unmergeable one-page mappings. */
function withMappings(live: number): Kernel {
  const k = new Kernel();
  for (let i = 0; i < live; i++) {
    const prot = i % 2 === 0 ? PROT_READ : PROT_READ | PROT_WRITE;
    const r = k.syscall(PID, CALLS.mmap, 0, PAGE, prot, PRIVATE);
    if (r < 0) throw new Error(`bench mmap: live mmap ${i} returned ${r}`);
  }
  return k;
}

function pairs(k: Kernel, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const a = k.syscall(PID, CALLS.mmap, 0, PAGE, PROT_READ | PROT_EXEC, PRIVATE);
    if (a < 0) throw new Error(`bench mmap: mmap returned ${a}`);
    const r = k.syscall(PID, CALLS.munmap, a, PAGE);
    if (r !== 0) throw new Error(`bench mmap: munmap returned ${r}`);
    sum = (sum + (a >>> 12)) % 1_000_000_007;
  }
  return sum;
}

function liveRows(opts: BenchOptions, live: number, bin: string | null): Row[] {
  const n = Math.max(1000, Math.round(100_000 * opts.scale));
  const k = withMappings(live);
  const contenders: Record<string, () => number> = { model: () => pairs(k, n) };
  const native: number[] = [];
  if (bin !== null) {
    contenders.linux = () => {
      native.push(mmapLoop(bin, n, live) / 1e9);
      return 0;
    };
  }
  const times = alternate(contenders, opts.rounds, 1);
  k.check();
  const base = {
    bench: "mmap", case: `1-page mmap+munmap, ${live} live mappings`, unit: "pairs/s",
  };
  let model = rowFromTimes({ ...base, what: "model: Kernel.syscall" }, n, times.model);
  model.note = `${((1e6 * model.ms) / 1e3 / n).toFixed(2)} us a pair`;
  if (live === 10_000) model = withGoal(model, GOAL_PAIRS_PER_SEC);
  if (bin === null) return [model];
  // The loop times itself: its own nanoseconds, not the process's start, count.
  const linux = rowFromTimes(
    { ...base, what: "baseline: real Linux, native loop (bench/loops)" }, n,
    native.slice(native.length - opts.rounds),
  );
  return [compare(model, linux), linux];
}

export function mmapBench(opts: BenchOptions): Row[] {
  const built = buildLoops();
  if (!built.ok) opts.log(`mmap: no native baseline: ${built.reason}`);
  const rows: Row[] = [];
  for (const live of LIVE) {
    opts.log(`mmap: ${live} live mappings`);
    rows.push(...liveRows(opts, live, built.ok ? built.bin : null));
  }
  return rows;
}
