// Schedules for fast-check: an arbitrary of decision lists, so that a property can say "for
// every workload and every interleaving" and fast-check shrinks both together.
//
//   import fc from "fast-check";
//   import { test } from "@fast-check/vitest";
//   import { scheduleArb, runSchedule } from "ipcsim";
//   test.prop([fc.integer({ min: 1, max: 4 }), scheduleArb(fc)])("...", async (n, schedule) => {
//     const r = await runSchedule(makeScenario(n), schedule);
//     expect(r.verdict).toEqual({ kind: "ok" });
//   });
//
// A schedule is a list of small integers. Each decision of the run takes the next one modulo its
// number of candidates, as `--replay` does (so any list is a valid schedule, and shrinking
// towards 0 means no preemption and the kernel's wake order); when the list runs out,
// decisions take 0. fast-check shrinks a list by dropping entries and lowering them: shorter,
// less preemptive schedules.
// ipcsim does not depend on fast-check at run time: the caller passes its `fc`.

import type { Arbitrary } from "fast-check";
import { Prng } from "../prng.js";
import { encodeDecisions } from "./decisions.js";
import { Runner, type RunOptions, type RunResult, type Scenario } from "./run.js";
import { ReplayStrategy } from "./strategies/replay.js";

/** A decision list from the arbitrary; prints as its decision string. */
export class Schedule {
  constructor(readonly values: readonly number[]) {}
  toString(): string {
    return `Schedule("${encodeDecisions(this.values)}")`;
  }
}

/** The bounds of scheduleArb's decision lists. */
export interface ScheduleArbOptions {
  /** Most decisions drawn (default 64; later decisions take 0). */
  maxLength?: number;
  /** Largest value drawn (default 7: enough for 8 processes). */
  maxValue?: number;
}

/** The subset of fast-check this module uses (the caller's `fc`). */
interface Fc {
  array<T>(a: Arbitrary<T>, c?: { maxLength?: number }): Arbitrary<T[]>;
  nat(max?: number | { max?: number }): Arbitrary<number>;
}

/** A fast-check arbitrary of schedules (decision lists), built with the caller's `fc` (ipcsim
 * does not depend on fast-check): run one with runSchedule. Shrinks towards fewer and lower
 * decisions (less preemption); a counterexample prints as `Schedule("01")`, which
 * `ipcsim run SCENARIO --replay 01` reproduces. */
export function scheduleArb(fc: Fc, o: ScheduleArbOptions = {}): Arbitrary<Schedule> {
  return fc
    .array(fc.nat({ max: o.maxValue ?? 7 }), { maxLength: o.maxLength ?? 64 })
    .map((v) => new Schedule(v), (u) => {
      if (u instanceof Schedule) return [...u.values];
      throw new Error("not a Schedule");
    });
}

/** Decisions from a Schedule: value modulo the candidates, 0 after the list. The same rule as
 * `--replay` (ReplayStrategy), so a counterexample's digits replay as they ran. */
export class ScheduleStrategy extends ReplayStrategy {
  override readonly name = "schedule";
}

/** Run `scenario` under `schedule` (a fresh kernel per Runner; pass `runner` to reuse one). */
export async function runSchedule(
  scenario: Scenario,
  schedule: Schedule | readonly number[],
  opts: RunOptions = {},
  runner?: Runner,
): Promise<RunResult> {
  const values = schedule instanceof Schedule ? schedule.values : schedule;
  const r = runner ?? new Runner(scenario, opts);
  const exec = await r.execute(new ScheduleStrategy(values), new Prng(0), 0)!;
  return r.result(exec, 0, "schedule");
}
