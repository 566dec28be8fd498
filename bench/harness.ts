import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

// What every benchmark shares: the row it reports, timed rounds (warm-up, then best of several
// with the spread), and the clock. Benchmarks are run on demand (`npm run bench`), never as
// timed tests: a number here is a measurement of this machine now, compared with a baseline
// measured in the same run.

/** One line of the report. `rate` is per second in `unit`; `ratio` is rate / the baseline's. */
export interface Row {
  bench: string;
  case: string;
  /** What was timed ("kernel: Kernel.syscall", "baseline: plain TS JsPipe"). */
  what: string;
  unit: string;
  /** Best (highest) rate over the timed rounds, per second. */
  rate: number;
  /** Slowest round's rate; equal to `rate` when timed once. */
  rateWorst: number;
  /** (best - worst) / best, as a fraction: how much the rounds disagreed. */
  spread: number;
  rounds: number;
  /** Work items per round (pairs, steps). */
  items: number;
  /** Best round's wall time, milliseconds. */
  ms: number;
  /** The row this one is compared with (its `what`), and the ratio rate / baseline rate. */
  baseline?: string;
  ratio?: number;
  /** A target rate from an issue, and whether the best round reached it. */
  goal?: number;
  goalMet?: boolean;
  note?: string;
}

/** A benchmark: runs, and returns its rows (registered by name in main.ts). */
export type Bench = (opts: BenchOptions) => Promise<Row[]> | Row[];

export interface BenchOptions {
  /** Timed rounds per measurement (after warm-up). */
  rounds: number;
  /** Scale factor on each benchmark's default amount of work (0.1 for a quick look). */
  scale: number;
  /** Progress lines go here (stderr), so that --json output stays clean. */
  log: (line: string) => void;
}

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** A full garbage collection, so that one measurement does not pay for the last one's garbage
 * (a replay round leaves a gigabyte of it). */
export function collectGarbage(): void {
  gc();
}

/** Seconds since an arbitrary origin, from the monotonic nanosecond clock. */
export function now(): number {
  return Number(process.hrtime.bigint()) / 1e9;
}

/** Time `fn` once; returns [seconds, its result]. */
export function timeOnce<T>(fn: () => T): [number, T] {
  const t0 = process.hrtime.bigint();
  const r = fn();
  return [Number(process.hrtime.bigint() - t0) / 1e9, r];
}

/** Seconds per round of several contenders, timed in alternation (round 1 of each, then round
 * 2 of each, ...) so that a slow spell of the machine hits all of them alike. `warmup` untimed
 * rounds of each come first. A contender returns a checksum, compared across rounds: a round
 * that did different work is a benchmark bug, not a measurement. */
export function alternate(
  contenders: Record<string, () => number>,
  rounds: number,
  warmup: number,
): Record<string, number[]> {
  const names = Object.keys(contenders);
  const times: Record<string, number[]> = {};
  const sums: Record<string, number> = {};
  for (const n of names) times[n] = [];
  for (let r = 0; r < warmup + rounds; r++) {
    for (const n of names) {
      collectGarbage();
      const [s, sum] = timeOnce(contenders[n]);
      if (sums[n] !== undefined && sums[n] !== sum) {
        throw new Error(
          `bench: ${n} did different work in round ${r} (checksum ${sum}, was ${sums[n]})`);
      }
      sums[n] = sum;
      if (r >= warmup) times[n].push(s);
    }
  }
  return times;
}

/** A row from one contender's round times, `items` units of work per round. */
export function rowFromTimes(
  base: Pick<Row, "bench" | "case" | "what" | "unit">,
  items: number,
  seconds: number[],
): Row {
  const best = Math.min(...seconds);
  const worst = Math.max(...seconds);
  return {
    ...base,
    rate: items / best,
    rateWorst: items / worst,
    spread: (worst - best) / worst,
    rounds: seconds.length,
    items,
    ms: best * 1e3,
  };
}

/** Mark `row` with its ratio against `baseline` (same unit). */
export function compare(row: Row, baseline: Row): Row {
  return { ...row, baseline: baseline.what, ratio: row.rate / baseline.rate };
}

export function withGoal(row: Row, goal: number): Row {
  return { ...row, goal, goalMet: row.rate >= goal };
}
