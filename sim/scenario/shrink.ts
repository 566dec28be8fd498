// Shrinking a failing decision log to a short one that still fails the same way (same verdict
// kind; for an assertion, the same message), re-running the scenario for each candidate:
//   1. cut the log (the rest of the run takes the default: no preemption, wake order);
//   2. set decisions to 0, last first (each removes a preemption or a race choice);
//   3. delete decisions (the later ones shift earlier);
//   4. lower decisions by one.
// A candidate is kept when its run fails and is smaller: fewer preemptions, then fewer calls,
// then a shorter decision string. The log kept is the one the run actually took (normalised:
// trailing zeros dropped). Stops at a fixed point.
// These local steps can stop at a run with more preemptions than needed: sem-order's "021"
// (2 preemptions) has no 1-preemption neighbour, though "0001" fails too. So then:
//   5. a bounded exhaustive search (dfs.ts) with bound 0, 1, ... below the preemptions left,
//      each bound given an equal share of the runs left; a failure it finds has the least
//      preemptions of any (when the lower bounds were exhausted) and is shrunk by 1-4 again.
// At most `budget` runs in all.

import { Prng } from "../prng.js";
import { encodeDecisions } from "./decisions.js";
import type { Runner } from "./run.js";
import type { ExecResult } from "./scheduler.js";
import { DfsStrategy } from "./strategies/dfs.js";
import { ReplayStrategy } from "./strategies/replay.js";
import type { Verdict } from "./verdict.js";

interface ShrinkResult {
  exec: ExecResult;
  /** Runs spent shrinking, and candidates that were kept. */
  runs: number;
  improvements: number;
}

function sameFailure(a: Verdict, b: Verdict): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "assertion" && b.kind === "assertion") return a.message === b.message;
  if (a.kind === "check" && b.kind === "check") return a.check === b.check;
  return true;
}

type Score = [number, number, number, number];

function score(e: ExecResult): Score {
  const v = e.log.values;
  let end = v.length;
  while (end > 0 && v[end - 1] === 0) end--;
  let sum = 0;
  for (let i = 0; i < end; i++) sum += v[i];
  return [e.log.preemptions(), e.steps.length, end, sum];
}

function less(a: Score, b: Score): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return false;
}

function trimmed(values: readonly number[]): number[] {
  let end = values.length;
  while (end > 0 && values[end - 1] === 0) end--;
  return values.slice(0, end);
}

/** Candidates derived from a log, in the order they are tried. */
function* candidates(v: readonly number[]): Generator<number[]> {
  for (let len = 0; len < v.length; len = len === 0 ? 1 : len * 2) yield v.slice(0, len);
  for (let i = v.length - 1; i >= 0; i--) {
    if (v[i] !== 0) yield [...v.slice(0, i), 0, ...v.slice(i + 1)];
  }
  for (let i = v.length - 1; i >= 0; i--) yield [...v.slice(0, i), ...v.slice(i + 1)];
  for (let i = v.length - 1; i >= 0; i--) {
    if (v[i] > 1) yield [...v.slice(0, i), v[i] - 1, ...v.slice(i + 1)];
  }
}

/** Shrink `failing` (see the file comment) with at most `budget` runs. */
export async function shrink(
  runner: Runner, failing: ExecResult, budget = 2000,
): Promise<ShrinkResult> {
  const want = failing.verdict;
  let r = await simplify(runner, want, failing, budget);
  const most = r.exec.log.preemptions();
  for (let bound = 0; bound < most && r.runs < budget; bound++) {
    const share = Math.floor((budget - r.runs) / (most - bound));
    const found = await search(runner, want, bound, share);
    r.runs += found.runs;
    if (!found.exec) continue;
    const again = await simplify(runner, want, found.exec, budget - r.runs);
    return {
      exec: again.exec, runs: r.runs + again.runs,
      improvements: r.improvements + 1 + again.improvements,
    };
  }
  return r;
}

/** Steps 1-4: local changes to the log, kept while they make it smaller. */
async function simplify(
  runner: Runner, want: Verdict, failing: ExecResult, budget: number,
): Promise<ShrinkResult> {
  let best = failing;
  let bestScore = score(best);
  let runs = 0;
  let improvements = 0;
  const seen = new Set<string>([encodeDecisions(best.log.values)]);
  let progress = true;
  while (progress && runs < budget) {
    progress = false;
    for (const cand of candidates(trimmed(best.log.values))) {
      const key = encodeDecisions(cand);
      if (seen.has(key)) continue;
      seen.add(key);
      if (++runs > budget) break;
      const e = await runner.execute(new ReplayStrategy(cand), new Prng(0), 0);
      if (!e || !sameFailure(want, e.verdict)) continue;
      const s = score(e);
      if (!less(s, bestScore)) continue;
      best = e;
      bestScore = s;
      improvements++;
      progress = true;
      break;
    }
  }
  return { exec: best, runs: Math.min(runs, budget), improvements };
}

/** Step 5: the first run within `bound` preemptions that fails as `want`, in dfs order, within
 * `budget` runs. */
async function search(
  runner: Runner, want: Verdict, bound: number, budget: number,
): Promise<{ exec?: ExecResult; runs: number }> {
  const dfs = new DfsStrategy(bound);
  let runs = 0;
  while (runs < budget) {
    const pending = runner.execute(dfs, new Prng(0), runs);
    if (!pending) break;
    const e = await pending;
    runs++;
    if (sameFailure(want, e.verdict)) return { exec: e, runs };
  }
  return { runs };
}
