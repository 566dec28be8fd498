// The fast reset: return a kernel to its post-init state by restoring a snapshot taken right
// after init (S0) over only what a run can have changed, instead of re-running k_init (which
// rebuilds every table and free list: ~200 us, the whole cost of a short simulated run).
//
// What a run can change, and what is restored:
//   - the big tables with lowest-first free lists (files, pipes, vmas, FIFO inodes; the tables
//     kernel/views.ts lists with mode 1): a run only ever touches
//     a prefix of each (entries are popped from the head of a list that starts 0, 1, 2, ..., and
//     freed entries are pushed back on the head), and a touched entry never returns to its
//     post-init bytes (it keeps its kind, fmode, addresses...): the prefix is found by comparing
//     entries with S0 until KEEP_SCANNING untouched ones in a row, and restored;
//   - the tables indexed by pid (processes, descriptor tables, SEM_UNDO list heads): pids below
//     the next pid;
//   - the SysV registry's arrays (ids' records, used bits, key hash heads, object pages): up to
//     the high-water mark of the bytes the run wrote (k_layout_touched), all zero past it;
//   - the page pool: its state is in static data (restored); each page of the first chunk gets
//     its free-list word back, and pages in use at init get their whole contents (pages are
//     handed out with unspecified contents, as after k_init);
//   - FIFO names (meaningful only under an inode in use), kernel_check's counting arrays (filled
//     before each use), the event records past the count and the scratch area: not restored;
//   - everything else in static data (state structs, SysV tables, the event log...): restored.
// `Kernel.reset()` remains the full init; a test compares the two after many random runs.

import type { Kernel } from "./kernel.js";

/** Untouched entries in a row that end a prefix scan (margin over the one the proof needs). */
const KEEP_SCANNING = 4;

interface Table {
  base: number;
  entry: number;
  entries: number;
  /** "scan": touched prefix found by comparison; "pid": entries below the next pid; "touched":
   * up to the high-water mark the kernel gives (k_layout_touched). */
  mode: "scan" | "pid" | "touched";
  /** Its index in the kernel's layout (for k_layout_touched). */
  index: number;
  /** All zero after init (the SysV registry's arrays): restored by a fill, not a copy. */
  zero: boolean;
}

const MODES = ["scan", "pid", "touched"] as const;

/** A copy of the kernel's memory in use that writes only its blocks holding a non-zero byte
 * into a zero-filled buffer: a large buffer is allocated as zero pages the process does not hold
 * until written, and two thirds of the post-init memory is zero (issue 22: the replay keeps S0). */
function sparseSnapshot(k: Kernel): Uint8Array {
  const top = k.x.k_mem_top() >>> 0;
  const mem = new Uint8Array(k.x.memory.buffer, 0, top);
  const w = new Int32Array(k.x.memory.buffer, 0, top >> 2);
  const out = new Uint8Array(top);
  const BLOCK = 4096;
  for (let b = 0; b < top; b += BLOCK) {
    const end = Math.min(b + BLOCK, top);
    for (let i = b >> 2; i < end >> 2; i++) {
      if (w[i] !== 0) {
        out.set(mem.subarray(b, end), b);
        break;
      }
    }
  }
  return out;
}

/** Are bytes [start, end) of `bytes` all zero? (Words where aligned: `every` with a callback
 * took 50 ms over the tables, a third of the HTML view's kernel start in the page.) */
function allZero(bytes: Uint8Array, start: number, end: number): boolean {
  let i = start;
  for (; i < end && (bytes.byteOffset + i) % 4 !== 0; i++) if (bytes[i] !== 0) return false;
  const words = new Int32Array(bytes.buffer, bytes.byteOffset + i, (end - i) >> 2);
  for (let j = 0; j < words.length; j++) if (words[j] !== 0) return false;
  for (i += words.length * 4; i < end; i++) if (bytes[i] !== 0) return false;
  return true;
}

export class ResetPlan {
  private readonly s0: Uint8Array;
  private readonly s0w: Int32Array;
  /** Static-data ranges restored whole: [start, end) pairs. */
  private readonly copies: number[] = [];
  private readonly tables: Table[] = [];
  private readonly poolStart: number;
  /** The pool's page size and pages a chunk (kernel/param.ts). */
  private readonly page: number;
  private readonly chunkPages: number;
  private readonly heapBase: number;
  /** Pages of the first chunk in use at init (restored whole). */
  private readonly usedPages: number[] = [];
  /** Ranges a reset leaves alone whose contents may matter within a run (the mode-0 tables,
   * the scratch area): always live for `liveRanges`. Not the heap up to the pool: the stub
   * runtime's bump pointer is a wasm global no snapshot holds, so the kernel keeps no state
   * there (asconfig.json; a snapshot restore would lose it). */
  private readonly unrestored: number[] = [];

  constructor(private readonly k: Kernel) {
    k.reset();
    this.s0 = sparseSnapshot(k);
    this.s0w = new Int32Array(this.s0.buffer, 0, this.s0.length >> 2);
    this.heapBase = k.x.k_heap_base() >>> 0;
    const skip = this.skipped();
    skip.sort((a, b) => a[0] - b[0]);
    let at = 0;
    for (const [a, b] of skip) {
      if (a > at) this.copies.push(at, a);
      at = Math.max(at, b);
    }
    if (this.heapBase > at) this.copies.push(at, this.heapBase);
    for (let i = 0; i < this.copies.length; i += 2) {
      this.sources.push(this.s0.subarray(this.copies[i], this.copies[i + 1]));
    }
    this.poolStart = k.x.k_pool_start() >>> 0;
    this.page = k.x.k_page_size();
    this.chunkPages = k.x.k_chunk_pages();
    for (let p = 1; p < this.chunkPages; p++) {
      if (this.s0w[(this.poolStart >> 2) + p] !== 0) this.usedPages.push(p);
    }
  }

  /** Static-data ranges not restored whole: the tables (restored by prefix, `this.tables`) and
   * the regions whose contents do not matter between runs. */
  private skipped(): [number, number][] {
    const x = this.k.x;
    const skip: [number, number][] = [];
    // Every region kernel/views.ts names, with how it is restored (k_layout_mode).
    for (let t = 0; t < x.k_layout_count(); t++) {
      const base = x.k_layout_base(t) >>> 0;
      const entry = x.k_layout_entry(t);
      const entries = x.k_layout_entries(t);
      const mode = x.k_layout_mode(t);
      if (mode < 0 || entry <= 0 || entry % 4 !== 0) continue;
      skip.push([base, base + entry * entries]);
      if (mode === 0) this.unrestored.push(base, base + entry * entries);
      if (mode > 0) {
        const zero = allZero(this.s0, base, base + entry * entries);
        this.tables.push({ base, entry, entries, mode: MODES[mode - 1], index: t, zero });
      }
    }
    const scratch = x.k_scratch() >>> 0;
    skip.push([scratch, scratch + x.k_scratch_size()]);
    this.unrestored.push(scratch, scratch + x.k_scratch_size());
    return skip;
  }

  /** Bytes restored whole per reset (for the benchmark's notes). */
  copiedBytes(): number {
    let n = 0;
    for (let i = 0; i < this.copies.length; i += 2) n += this.copies[i + 1] - this.copies[i];
    return n;
  }

  private mem: Uint8Array | null = null;
  private w: Int32Array | null = null;
  /** S0's bytes of each range in `copies`. */
  private readonly sources: Uint8Array[] = [];

  reset(): void {
    const k = this.k;
    const nextPid = k.x.k_next_pid();
    const peak = k.x.k_pages_used_peak();
    if (this.mem === null || this.mem.byteLength === 0) {
      // memory.grow detached the old buffer (its views are empty).
      const buf = k.x.memory.buffer;
      this.mem = new Uint8Array(buf);
      this.w = new Int32Array(buf, 0, buf.byteLength >> 2);
    }
    const mem = this.mem!;
    const w = this.w!;
    for (const t of this.tables) {
      const n = this.extent(w, t, nextPid);
      if (n === 0) continue;
      // A fill writes without reading S0: the SysV arrays (53 KB) are most of a reset's bytes.
      if (t.zero) mem.fill(0, t.base, t.base + n * t.entry);
      else mem.set(this.s0.subarray(t.base, t.base + n * t.entry), t.base);
    }
    for (let i = 0; i < this.sources.length; i++) mem.set(this.sources[i], this.copies[i * 2]);
    this.resetPool(mem, w, peak);
  }

  /** Where the page pool starts. */
  poolBase(): number {
    return this.poolStart;
  }

  /** The kernel's memory in use (k_mem_top). */
  memTop(): number {
    return this.k.x.k_mem_top() >>> 0;
  }

  /** The post-init snapshot S0 (read only). */
  initial(): Uint8Array {
    return this.s0;
  }

  /** The ranges where the kernel's memory may differ from S0, as sorted, disjoint [start, end)
   * pairs aligned to `align` bytes (issue 22: the replay compares, copies and restores only
   * these). Outside them the memory is S0's, but for the contents of pool pages never handed
   * out since init past their free-list word (unspecified: pageAlloc zero-fills, pageAllocRaw's
   * callers overwrite), which no run can have changed either. What is included: every range a
   * reset restores (tables by touched prefix, pid or k_layout_touched; static data), the ranges
   * it leaves alone (mode-0 tables, scratch: their contents may matter within a run), the pool
   * up to its peak page (kernel/mem.ts pagesUsedPeak) and the pool grown past S0. */
  liveRanges(align: number): number[] {
    const k = this.k;
    const top = k.x.k_mem_top() >>> 0;
    const w = new Int32Array(k.x.memory.buffer, 0, top >> 2);
    const r: number[] = [...this.copies, ...this.unrestored];
    const nextPid = k.x.k_next_pid();
    for (const t of this.tables) {
      const n = this.extent(w, t, nextPid);
      if (n > 0) r.push(t.base, t.base + n * t.entry);
    }
    // Pages are handed out lowest address first (mem.ts growPool, pagePut), chunk by chunk.
    const peak = k.x.k_pages_used_peak();
    const per = this.chunkPages - 1;
    const chunk = peak === 0 ? 0 : Math.floor((peak - 1) / per);
    const last = peak === 0 ? 0 : (peak - 1) % per + 1;
    r.push(this.poolStart, this.poolStart + (chunk * this.chunkPages + last + 1) * this.page);
    if (top > this.s0.length) r.push(this.s0.length, top);
    const order = Array.from({ length: r.length >> 1 }, (_, i) => i);
    order.sort((a, b) => r[a * 2] - r[b * 2]);
    const out: number[] = [];
    for (const i of order) {
      const a = Math.floor(r[i * 2] / align) * align;
      const b = Math.min(Math.ceil(r[i * 2 + 1] / align) * align, top);
      if (b <= a) continue;
      if (out.length > 0 && a <= out[out.length - 1]) {
        out[out.length - 1] = Math.max(out[out.length - 1], b);
      } else {
        out.push(a, b);
      }
    }
    return out;
  }

  /** After a reset: the first place where state that matters differs from the post-init
   * snapshot (every table in full, the restored ranges, the pool's free list), or null. For
   * tests: slow. */
  verify(): string | null {
    const mem = new Uint8Array(this.k.x.memory.buffer);
    const diff = (a: number, b: number, what: string): string | null => {
      for (let i = a; i < b; i++) {
        if (mem[i] !== this.s0[i]) return `${what}: byte 0x${i.toString(16)} differs`;
      }
      return null;
    };
    for (const t of this.tables) {
      const d = diff(t.base, t.base + t.entry * t.entries, `table at 0x${t.base.toString(16)}`);
      if (d) return d;
    }
    for (let i = 0; i < this.copies.length; i += 2) {
      const d = diff(this.copies[i], this.copies[i + 1], "static data");
      if (d) return d;
    }
    const base = this.poolStart;
    const d = diff(base, base + this.page, "pool refcounts");
    if (d) return d;
    for (let p = 1; p < this.chunkPages; p++) {
      const a = base + p * this.page;
      const e = diff(a, a + (this.usedPages.includes(p) ? this.page : 4), `pool page ${p}`);
      if (e) return e;
    }
    return null;
  }

  /** Entries of a table the run may have changed: below the next pid, the touched prefix, or up
   * to the kernel's high-water mark (k_layout_touched). */
  private extent(w: Int32Array, t: Table, nextPid: number): number {
    if (t.mode === "pid") return Math.min(nextPid + 1, t.entries);
    if (t.mode === "scan") return this.touched(w, t);
    return Math.min(this.k.x.k_layout_touched(t.index), t.entries);
  }

  /** Entries of a scan table touched by the run: up to the first KEEP_SCANNING pristine ones. */
  private touched(w: Int32Array, t: Table): number {
    const words = t.entry >> 2;
    let clean = 0;
    let n = 0;
    for (let i = 0; i < t.entries; i++) {
      const at = (t.base >> 2) + i * words;
      let same = true;
      for (let j = 0; j < words; j++) {
        if (w[at + j] !== this.s0w[at + j]) {
          same = false;
          break;
        }
      }
      if (!same) {
        clean = 0;
        n = i + 1;
      } else if (++clean >= KEEP_SCANNING) {
        break;
      }
    }
    return n;
  }

  /** The first chunk of the pool as init left it: refcounts, free-list words, pages in use.
   * Only the first `peak` pages were ever handed out (kernel/mem.ts pagesUsedPeak: freed pages
   * go back on the head of the free list), so only theirs are restored. */
  private resetPool(mem: Uint8Array, w: Int32Array, peak: number): void {
    const base = this.poolStart;
    const pages = Math.min(peak, this.chunkPages - 1);
    mem.set(this.s0.subarray(base, base + (pages + 1) * 4), base);
    const first = base >> 2;
    const stride = this.page >> 2;
    for (let p = 1; p <= pages; p++) w[first + p * stride] = this.s0w[first + p * stride];
    for (const p of this.usedPages) {
      const a = base + p * this.page;
      mem.set(this.s0.subarray(a, a + this.page), a);
    }
  }
}
