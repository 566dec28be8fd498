// Rows for the fast-check baseline: each bug as an fc.scheduler program (bench/fc-baseline/),
// fc.check with seeds 1..S, executions to the first failure and executions per second.

import { FC_BUGS, fcFirstFailure } from "../fc-baseline/index.js";
import type { Row } from "../harness.js";
import { describe, timeToBug, type TimeToBug } from "./stats.js";

const FC_WHAT = "baseline: fast-check fc.scheduler";

export async function fcTimeToBug(bug: string, seeds: number, cap: number): Promise<TimeToBug> {
  const program = FC_BUGS[bug];
  if (!program) throw new Error(`bench: no fast-check baseline for ${bug}`);
  const firsts: (number | undefined)[] = [];
  let executions = 0;
  const t0 = performance.now();
  for (let seed = 1; seed <= seeds; seed++) {
    const r = await fcFirstFailure(program, seed, cap);
    firsts.push(r.firstFailure);
    executions += r.executions;
  }
  return timeToBug(firsts, cap, executions, (performance.now() - t0) / 1e3);
}

export function fcRow(bug: string, t: TimeToBug): Row & { timeToBug: TimeToBug } {
  const rate = t.executions / t.seconds;
  return {
    bench: "scenarios", case: bug, what: FC_WHAT, unit: "executions/s",
    rate, rateWorst: rate, spread: 0, rounds: 1, items: t.executions, ms: t.seconds * 1e3,
    note: describe(t), timeToBug: t,
  };
}
