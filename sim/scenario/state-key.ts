// The state of a run at a decision as one string, for verify's state caching (strategies/
// dpor.ts): a hash of the kernel's memory (every range a run may have changed: wasm/reset.ts
// liveRanges), what the scheduler keeps of each live process (its state, whether it is
// stopped, the signals its JS handlers have still to run), and the steps each process has
// made. Equal keys are the same state only when a process has no state of its own beyond the
// steps it has made: a trace run as a program (from-trace.ts). A scenario's closures hold what
// no key sees, and verify does not cache there (docs/verify.md).
//
// The hash is two independent 32-bit lanes (64 bits): two different states of a search of a
// million have a collision chance of about 3e-8. Bytes that differ without meaning anything
// (the scratch area, a freed entry's leftovers) only make equal states look different: a
// missed prune, never a wrong one.

import type { Kernel } from "../../wasm/kernel.js";
import type { SimProc } from "./sim-proc.js";

/** The key of the run's state: the kernel's memory, the processes, the steps each made. */
export function stateKey(
  k: Kernel, procs: readonly SimProc[], live: readonly number[], stepsBy: readonly number[],
  clockChoices: number,
): string {
  let s = `${memoryHash(k)}|${stepsBy.join(",")}|${clockChoices}|`;
  for (const pid of live) {
    const p = procs[pid];
    const frames = p.frames?.map((f) => `${f.sig}${f.started ? "+" : "-"}`).join(",") ?? "";
    s += `${pid}:${p.state}${p.stopped ? "s" : ""}${frames};`;
  }
  return s;
}

/** The bytes of the kernel/views.ts tables of mode 0 (not reset between runs) that hold no
 * state this run (k_layout_live), and the scratch area. */
function garbage(k: Kernel): number[] {
  const x = k.x;
  const out: number[] = [];
  for (let t = 0; t < x.k_layout_count(); t++) {
    if (x.k_layout_mode(t) !== 0) continue;
    const [base, entry] = [x.k_layout_base(t) >>> 0, x.k_layout_entry(t)];
    out.push(base + x.k_layout_live(t) * entry, base + x.k_layout_entries(t) * entry);
  }
  out.push(x.k_scratch() >>> 0, (x.k_scratch() >>> 0) + x.k_scratch_size());
  return out;
}

/** `ranges` ([start, end) pairs, sorted, disjoint) without any byte of `minus` (pairs). */
function subtract(ranges: number[], minus: number[]): number[] {
  let out = ranges;
  for (let m = 0; m < minus.length; m += 2) {
    const [a, b] = [minus[m], minus[m + 1]];
    const next: number[] = [];
    for (let r = 0; r < out.length; r += 2) {
      const [s, e] = [out[r], out[r + 1]];
      if (e <= a || s >= b) next.push(s, e);
      else {
        if (s < a) next.push(s, a & ~3);
        if (e > b) next.push((b + 3) & ~3, e);
      }
    }
    out = next;
  }
  return out;
}

function memoryHash(k: Kernel): string {
  const plan = k.fastResetPlan();
  const top = k.x.k_mem_top() >>> 0;
  const ranges = subtract(plan ? plan.liveRanges(4) : [0, top & ~3], garbage(k));
  const w = new Int32Array(k.x.memory.buffer, 0, top >> 2);
  let a = 0x9e3779b9 | 0;
  let b = 0x85ebca6b | 0;
  for (let r = 0; r < ranges.length; r += 2) {
    for (let i = ranges[r] >> 2, end = ranges[r + 1] >> 2; i < end; i++) {
      const x = w[i];
      a = Math.imul(a ^ x, 0x01000193);
      b = Math.imul((b << 5) | (b >>> 27), 0x5bd1e995) ^ x;
    }
    a = Math.imul(a ^ r, 0x01000193);
  }
  a ^= a >>> 15;
  b ^= b >>> 13;
  return `${(a >>> 0).toString(36)}.${(b >>> 0).toString(36)}`;
}
