// The HTML view's state cursor: the kernel's state after any step of a trace, computed where
// it is shown (in the page, or in Node for the tests) instead of stored for every step.
//
// It follows the trace with flows.ts's Follower, the code followTrace runs, and every EVERY
// steps keeps a snapshot: the kernel memory where it differs from the post-init state S0 (4 KiB
// blocks, within the ranges where it may differ at all: wasm/reset.ts liveRanges), and the
// follower's own state (the engine's blocked calls and rets, the wait-for graph's tracker,
// which steps blocked). To show step i it goes on from where it is when i is ahead and near,
// else restores the nearest snapshot at or before i and replays forward: at most EVERY steps.
// The model is deterministic, so the state is exactly the one followTrace gives for that step.
// A snapshot is taken only where one world is left (sim/model/engine.ts save): a step whose
// retry orders left several is followed by the next one that does not.
//
// Snapshots are taken as the cursor passes their step; `build` walks the rest of the trace in
// slices, for the page to run between events, so that a jump anywhere later is short.
//
// Invariants: snaps[0] is the state before any step; snaps are in step order, EVERY or more
// apart; `at` is the number of steps the follower has followed (-1: unknown, after a step it
// could not follow), never beyond `end`, the steps the model follows (stateAt(i) is undefined
// for i >= end, as followTrace has no state there); `reached`, the most it ever followed, says
// when the walk is done even where snapshots are further apart than EVERY.

import { Kernel } from "../../wasm/kernel.js";
import { ModelError } from "../model/errors.js";
import type { TraceStream } from "../trace/parse.js";
import type { Step } from "../trace/types.js";
import { Follower, type FollowerState, type ViewState } from "./flows.js";

/** Steps between two snapshots. Measured in chromium on the 10,002-step pipe run
 * (bench/view.ts): a step followed costs ~25 us, a snapshot ~4 ms (comparing 5 MiB of live
 * ranges with S0); the walk over all 10,000 took 330 ms with 500, 450 ms with 200. 300 keeps a
 * jump's replay under 10 ms there, with room for steps ten times as costly. */
const EVERY = 300;
/** Snapshots stop past this many bytes of kernel memory kept (a trace of large segments):
 * jumps past the last one replay further. */
const KEPT_BYTES_MAX = 256 * 1024 * 1024;
const BLOCK = 4096;

/** The kernel memory of a snapshot: the blocks where it differs from S0, and the ranges where
 * it may (the restore writes S0 over those). */
interface Memory {
  ranges: number[];
  blocks: number[];
  data: Uint8Array[];
  top: number;
}

interface Snapshot {
  /** Steps followed. */
  at: number;
  memory: Memory;
  state: FollowerState;
}

export class StateCursor {
  private readonly follower: Follower;
  /** The steps decoded so far: a step is decoded when the cursor first reaches it (a page
   * parses no more of its trace than it has shown). */
  private readonly steps: Step[] = [];
  private readonly next: Iterator<Step>;
  private readonly kernel: Kernel;
  private readonly snaps: Snapshot[] = [];
  private at = 0;
  /** The most steps ever followed: the walk is done when it reaches `end`. */
  private reached = 0;
  private end: number;
  private keptBytes = 0;
  private readonly every: number;
  /** The last state given (a page renders the same step more than once). */
  private last: { step: number; state: ViewState } | null = null;

  /** `followed`: the steps Node's followTrace followed (the page's data says; the trace's end
   * when absent). `every`: steps between snapshots (tests use small ones). */
  constructor(trace: TraceStream, followed = Infinity,
    opts: { every?: number; kernel?: Kernel } = {}) {
    this.kernel = opts.kernel ?? new Kernel();
    this.next = trace.steps[Symbol.iterator]();
    const steps = this.steps;
    this.follower = new Follower({ file: trace.file, header: trace.header, steps }, this.kernel,
      true);
    this.end = followed;
    this.every = opts.every ?? EVERY;
    this.snapshot();
  }

  /** The state after step `i`, or undefined where the model does not follow the trace. */
  stateAt(i: number): ViewState | undefined {
    if (this.last?.step === i) return this.last.state;
    if (i < 0 || i >= this.end) return undefined;
    const target = i + 1;
    if (this.at < 0 || this.at > target || target - this.at > this.every) {
      const s = this.nearest(target);
      if (this.at < 0 || this.at > target || s.at > this.at) this.restore(s);
    }
    while (this.at < target) if (!this.advance()) return undefined;
    const state = this.follower.state();
    this.last = { step: i, state };
    return state;
  }

  /** Follow up to `steps` more steps towards the trace's end, taking the snapshots on the way:
   * true once every step is within EVERY of a snapshot (or snapshots stopped). */
  build(steps: number): boolean {
    for (let n = 0; n < steps && !this.built(); n++) {
      const last = this.snaps[this.snaps.length - 1];
      if (this.at < last.at) this.restore(last);
      if (!this.advance()) return this.built();
    }
    return this.built();
  }

  /** Snapshots kept (for the tests and the benchmark). */
  snapshots(): number {
    return this.snaps.length;
  }

  private built(): boolean {
    const last = this.snaps[this.snaps.length - 1].at;
    // Reached: snapshots may still be further apart (steps that left several worlds).
    return last + this.every >= this.end || this.reached >= this.end ||
      this.keptBytes > KEPT_BYTES_MAX;
  }

  /** Follow the next step; false where the model cannot (no state from there on). */
  private advance(): boolean {
    if (this.steps.length === this.at) {
      const r = this.next.next();
      if (r.done) {
        this.end = this.reached = this.at;
        return false;
      }
      this.steps.push(r.value);
    }
    let named;
    try {
      named = this.follower.next(this.steps[this.at]);
    } catch (e) {
      if (!(e instanceof ModelError)) {
        // Not the model refusing the step (a bug): its state is unknown, restore before use.
        this.at = -1;
        throw e;
      }
      named = null;
    }
    if (named === null) {
      this.end = this.reached = this.at;
      this.at = -1;
      return false;
    }
    this.at++;
    this.reached = Math.max(this.reached, this.at);
    if (this.at - this.snaps[this.snaps.length - 1].at >= this.every) this.snapshot();
    return true;
  }

  private snapshot(): void {
    if (this.keptBytes > KEPT_BYTES_MAX) return;
    const state = this.follower.save();
    if (!state) return;
    const memory = memoryOf(this.kernel);
    this.keptBytes += memory.blocks.length * BLOCK;
    this.snaps.push({ at: this.at, memory, state });
  }

  /** The last snapshot at or before `at` steps. */
  private nearest(at: number): Snapshot {
    let lo = 0;
    let hi = this.snaps.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.snaps[mid].at <= at) lo = mid;
      else hi = mid - 1;
    }
    return this.snaps[lo];
  }

  private restore(s: Snapshot): void {
    restoreMemory(this.kernel, s.memory);
    if (!this.follower.load(s.state)) {
      // The engine could not take the state as its root (too large): forget the snapshot.
      // snaps[0], the state before any step, always loads.
      this.snaps.splice(this.snaps.indexOf(s), 1);
      return this.restore(this.nearest(s.at));
    }
    this.at = s.at;
  }
}

/** The kernel memory where it differs from S0, within its live ranges (wasm/reset.ts). */
function memoryOf(k: Kernel): Memory {
  const plan = k.fastResetPlan()!;
  const s0 = plan.initial();
  const top = k.x.k_mem_top() >>> 0;
  const ranges = plan.liveRanges(BLOCK);
  const mem = new Uint8Array(k.x.memory.buffer);
  // Word views made once: a view per block made the comparison twice as slow.
  const w = new Int32Array(k.x.memory.buffer);
  const w0 = new Int32Array(s0.buffer, s0.byteOffset, s0.length >> 2);
  const blocks: number[] = [];
  const data: Uint8Array[] = [];
  for (let i = 0; i < ranges.length; i += 2) {
    for (let b = ranges[i]; b < ranges[i + 1]; b += BLOCK) {
      const e = Math.min(b + BLOCK, ranges[i + 1]);
      // Past S0's end (the pool grew), every block is kept.
      if (e <= s0.length && sameWords(w, w0, b >> 2, e >> 2)) continue;
      blocks.push(b);
      data.push(mem.slice(b, e));
    }
  }
  return { ranges, blocks, data, top };
}

/** Are words [from, to) of `a` and `b` the same? */
function sameWords(a: Int32Array, b: Int32Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Put the kernel memory back in a snapshot's state: S0 wherever it may differ from S0 now
 * or did then, then the snapshot's blocks. */
function restoreMemory(k: Kernel, m: Memory): void {
  const plan = k.fastResetPlan()!;
  const s0 = plan.initial();
  const now = plan.liveRanges(BLOCK);
  const need = m.top - k.x.memory.buffer.byteLength;
  if (need > 0) k.x.memory.grow(Math.ceil(need / 65536));
  const mem = new Uint8Array(k.x.memory.buffer);
  const ranges = union(now, m.ranges);
  for (let i = 0; i < ranges.length; i += 2) {
    const end = Math.min(ranges[i + 1], s0.length);
    if (end > ranges[i]) mem.set(s0.subarray(ranges[i], end), ranges[i]);
  }
  for (let i = 0; i < m.blocks.length; i++) mem.set(m.data[i], m.blocks[i]);
}

/** The union of two sorted lists of disjoint [start, end) pairs, as one. */
function union(a: readonly number[], b: readonly number[]): number[] {
  const all: [number, number][] = [];
  for (const r of [a, b]) for (let i = 0; i < r.length; i += 2) all.push([r[i], r[i + 1]]);
  all.sort((x, y) => x[0] - y[0]);
  const out: number[] = [];
  for (const [s, e] of all) {
    if (out.length > 0 && s <= out[out.length - 1]) {
      out[out.length - 1] = Math.max(out[out.length - 1], e);
    } else {
      out.push(s, e);
    }
  }
  return out;
}
