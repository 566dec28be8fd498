// Rows for the native baseline: the bug's C program stress-looped on real Linux
// (bench/native.ts), seconds and iterations to the first failure, or not found within the cap.
// The loop is run REPEATS times and the median (nearest rank) reported, a loop that did not find
// the bug within the cap counting as the slowest; once more than half have missed, the median is
// a miss whatever the rest do, and the repeats stop.

import type { Row } from "../harness.js";
import { runNative, type NativeResult } from "../native.js";

const NATIVE_WHAT = "baseline: C on real Linux, stress loop";
const REPEATS = 5;

interface NativeExtra {
  /** The median loop (by seconds to the first failure; a miss counts as the longest). */
  native: NativeResult;
  capSeconds: number;
  /** Every loop run: seconds to the first failure, undefined for a miss. */
  loops: (number | undefined)[];
}

export function nativeRow(bug: string, capSeconds: number): Row & NativeExtra {
  const results: NativeResult[] = [];
  const median = Math.ceil(REPEATS / 2); // nearest rank, as stats.ts quantile()
  let misses = 0;
  for (let i = 0; i < REPEATS && misses <= REPEATS - median; i++) {
    const r = runNative(bug, capSeconds);
    results.push(r);
    if (!r.found) misses++;
  }
  const key = (r: NativeResult) => (r.found ? r.seconds : Infinity);
  const sorted = [...results].sort((a, b) => key(a) - key(b));
  const r = sorted[Math.min(median, sorted.length) - 1];
  const iterations = results.reduce((n, x) => n + x.iterations, 0);
  const seconds = results.reduce((n, x) => n + x.seconds, 0);
  const rate = iterations / seconds;
  const loops = results.map((x) => (x.found ? x.seconds : undefined));
  const all = loops.map((s) => (s === undefined ? "miss" : s.toFixed(2))).join(", ");
  const note = r.found
    ? `median of ${REPEATS} loops: found after ${r.seconds.toFixed(3)} s, ` +
      `${r.iterations} iterations (${r.how}); loops: ${all} s`
    : `median: not found within ${capSeconds} s (${r.iterations} iterations); loops: ${all}`;
  return {
    bench: "scenarios", case: bug, what: NATIVE_WHAT, unit: "iterations/s",
    rate, rateWorst: rate, spread: 0, rounds: results.length, items: iterations, ms: seconds * 1e3,
    note, native: r, capSeconds, loops,
  };
}
