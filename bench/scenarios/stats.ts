// Time to bug over seeds (simulation-testing.md 5.1): per seed, the executions up to and
// including the first failing one, or none within the cap; summarised as the median and p90
// (a seed that found nothing counts as above the cap, so a median is "> cap" when half missed),
// how many seeds found the bug, and the executions run per second.

export interface TimeToBug {
  /** Seeds tried, and how many found the bug within the cap. */
  seeds: number;
  found: number;
  cap: number;
  /** Executions to the first failure, sorted; Infinity for a seed that found nothing. */
  firsts: number[];
  median: number;
  p90: number;
  /** All executions run over all seeds, and their wall time. */
  executions: number;
  seconds: number;
}

/** The q-quantile (nearest rank) of sorted numbers. */
function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

export function timeToBug(
  firsts: (number | undefined)[],
  cap: number,
  executions: number,
  seconds: number,
): TimeToBug {
  const sorted = firsts.map((f) => f ?? Infinity).sort((a, b) => a - b);
  return {
    seeds: firsts.length,
    found: firsts.filter((f) => f !== undefined).length,
    cap,
    firsts: sorted,
    median: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    executions,
    seconds,
  };
}

/** "3", or "> 10000" for a count past the cap. */
export function count(x: number, cap: number): string {
  return Number.isFinite(x) ? String(x) : `> ${cap}`;
}

/** One line for a row's note: "first failure: median 3, p90 7, found 20/20 seeds (cap 10000)". */
export function describe(t: TimeToBug): string {
  return `first failure: median ${count(t.median, t.cap)}, p90 ${count(t.p90, t.cap)}, ` +
    `found ${t.found}/${t.seeds} seeds (cap ${t.cap})`;
}
