// Rows for the native baseline: the bug's C program stress-looped on real Linux
// (bench/native.ts), seconds and iterations to the first failure, or not found within the cap.

import type { Row } from "../harness.js";
import { runNative, type NativeResult } from "../native.js";

export const NATIVE_WHAT = "baseline: C on real Linux, stress loop";

export function nativeRow(bug: string, capSeconds: number): Row & { native: NativeResult; capSeconds: number } {
  const r = runNative(bug, capSeconds);
  const rate = r.iterations / r.seconds;
  const note = r.found
    ? `found after ${r.seconds.toFixed(3)} s, ${r.iterations} iterations (${r.how})`
    : `not found within ${capSeconds} s (${r.iterations} iterations)`;
  return {
    bench: "scenarios", case: bug, what: NATIVE_WHAT, unit: "iterations/s",
    rate, rateWorst: rate, spread: 0, rounds: 1, items: r.iterations, ms: r.seconds * 1e3,
    note, native: r, capSeconds,
  };
}
