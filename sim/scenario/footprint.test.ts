// Issue 23: footprints must be conservative. On random small scenarios run with random
// schedules, every two adjacent steps of different processes whose footprints do not
// conflict commute: the run with the two swapped (the same processes in the same order
// otherwise, the same kernel choices) is possible, and gives every process the same calls and
// results, the same verdict and the same final kernel state.
import { describe, expect, it } from "vitest";
import { Prng } from "../prng.js";
import { DECISION_WOKEN } from "./decisions.js";
import { conflicts, type Footprint } from "./footprint.js";
import { Runner } from "./run.js";
import type { ChoicePoint, Strategy } from "./strategies/strategy.js";
import { smallProgram, smallScenario } from "./testdata/small-scenarios.js";
import type { ExecResult } from "./scheduler.js";

/** Random choices, or the process order given (`order[s]` makes step s), with the kernel's
 * choices replayed in order; records each step's pid and footprint, and whether the process
 * to step next could (was a candidate). */
class Scripted implements Strategy {
  readonly name = "scripted";
  pids: number[] = [];
  fps: Footprint[] = [];
  /** Per step: the candidates of the decision that chose it (the one pid when none). */
  offered: number[][] = [];
  woken: number[] = [];
  infeasible = false;
  private wokenAt = 0;
  private offer: number[] | null = null;

  constructor(private readonly prng: Prng, private readonly order?: number[],
    private readonly wokenValues?: number[]) {}

  begin(): boolean {
    return true;
  }

  choose(cp: ChoicePoint): number {
    if (cp.kind === DECISION_WOKEN) {
      const v = this.wokenValues ? this.wokenValues[this.wokenAt++] ?? 0 : this.prng.below(
        cp.candidates.length);
      this.woken.push(v);
      return v;
    }
    this.offer = [...cp.candidates];
    if (!this.order) return this.prng.below(cp.candidates.length);
    const at = cp.candidates.indexOf(this.order[cp.steps]);
    if (at < 0) this.infeasible = true;
    return Math.max(0, at);
  }

  end(): void {}

  observe(pid: number, fp: Footprint): void {
    this.offered.push(this.offer ?? [pid]);
    this.offer = null;
    this.pids.push(pid);
    this.fps.push(fp);
  }
}

/** What must not change when independent steps swap. */
function observable(e: ExecResult): string {
  const per: Record<number, string[]> = {};
  e.outcomes.forEach((o, i) => {
    (per[o.pid] ??= []).push(`${e.steps[i].call} ${JSON.stringify(o.result ?? null)}`);
  });
  // Pipes are named by creation order, which no process sees (two pipe() calls commute).
  const state = JSON.parse(JSON.stringify(e.state ?? null, (k, v) =>
    k === "blockedIn" ? v?.call : k === "no" ? undefined : v));
  state?.pipes?.sort((x: unknown, y: unknown) =>
    JSON.stringify(x) < JSON.stringify(y) ? -1 : 1);
  return JSON.stringify({ verdict: e.verdict.kind, per, state });
}

describe("steps whose footprints do not conflict commute (issue 23)", () => {
  it("on 300 random runs of random small scenarios", async () => {
    let swapped = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const runner = new Runner(smallScenario(smallProgram(seed)), { maxSteps: 400 });
      runner.keepState = true;
      const first = new Scripted(new Prng(seed * 7919));
      const a = await runner.execute(first, new Prng(0), 0)!;
      for (let i = 0; i + 1 < first.pids.length; i++) {
        const [p, q] = [first.pids[i], first.pids[i + 1]];
        if (p === q || conflicts(first.fps[i], first.fps[i + 1])) continue;
        if (!first.offered[i].includes(q)) continue; // q could not go first
        const order = [...first.pids];
        [order[i], order[i + 1]] = [q, p];
        const again = new Scripted(new Prng(0), order, first.woken);
        const b = await runner.execute(again, new Prng(0), 0)!;
        const where = `seed ${seed}, steps ${i} (pid ${p}) and ${i + 1} (pid ${q})`;
        expect(again.infeasible, `${where}: the swapped order could not run`).toBe(false);
        expect(again.pids, where).toEqual(order);
        expect(observable(b), where).toBe(observable(a));
        swapped++;
      }
    }
    expect(swapped).toBeGreaterThan(300);
  }, 600_000);
});
