// fast-check over workloads and interleavings together (docs/scenarios.md, "fast-check").

import fc from "fast-check";
import { test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { runSchedule, scheduleArb, Schedule } from "./arbitrary.js";
import { run } from "./run.js";
import { O_NONBLOCK } from "./constants.js";
import type { Os } from "./os.js";

/** n writers each send their byte through one pipe; the parent reads them all. */
function fanIn(n: number) {
  return async (os: Os) => {
    const [r, w] = await os.pipe();
    for (let i = 0; i < n; i++) await os.fork(async (c) => { await c.write(w, String(i)); });
    await os.close(w);
    let got = "";
    for (;;) {
      const d = await os.readText(r, 16);
      if (d === "") break;
      got += d;
    }
    os.assert([...got].sort().join("") === [...Array(n).keys()].join(""), `got "${got}"`);
    for (let i = 0; i < n; i++) await os.waitpid(-1);
  };
}

describe("scheduleArb", () => {
  test.prop([fc.integer({ min: 1, max: 4 }), scheduleArb(fc)], { numRuns: 60 })(
    "for every workload size and every interleaving, the parent reads every child's byte",
    async (n, schedule) => {
      const r = await runSchedule(fanIn(n), schedule);
      expect(r.verdict).toEqual({ kind: "ok" });
    },
  );

  it("shrinks a failing workload and schedule together to a small counterexample", async () => {
    // A racy check: the parent's nonblocking read expects every child to have written already.
    const racy = (n: number) => async (os: Os) => {
      const [r, w] = await os.pipe(O_NONBLOCK);
      for (let i = 0; i < n; i++) await os.fork(async (c) => { await c.write(w, "x"); });
      let got = 0;
      try { got = (await os.read(r, 16)).length; } catch { /* EAGAIN */ }
      os.assert(got === n, `read ${got} of ${n} bytes`);
    };
    const details = await fc.check(
      fc.asyncProperty(fc.integer({ min: 1, max: 5 }), scheduleArb(fc), async (n, s) => {
        return (await runSchedule(racy(n), s)).verdict.kind === "ok";
      }),
      { seed: 42, numRuns: 200 },
    );
    expect(details.failed).toBe(true);
    const [n, schedule] = details.counterexample!;
    expect(n).toBe(1);
    expect(schedule).toBeInstanceOf(Schedule);
    expect(schedule.values).toEqual([]); // the default order already fails: the child never ran
    expect(String(schedule)).toBe('Schedule("")');
  });
});

// Issue 12: Schedule("045") took each value modulo the candidates while `--replay 045` replaced
// a value out of range by 0, so a fast-check counterexample replayed as another run.
describe("Schedule and --replay", () => {
  /** Three children and the parent race on a pipe and a semaphore: decisions of 2 to 5
   * candidates, so values up to 7 often exceed them. */
  const race = async (os: Os) => {
    const [r, w] = await os.pipe();
    for (let i = 0; i < 3; i++) {
      await os.fork(async (c) => {
        await c.write(w, String(i));
        await c.getpid();
      });
    }
    await os.close(w);
    for (let i = 0; i < 3; i++) await os.readText(r, 1);
    for (let i = 0; i < 3; i++) await os.waitpid(-1);
  };

  test.prop([scheduleArb(fc, { maxLength: 40 })], { numRuns: 100 })(
    "for every schedule, runSchedule(Schedule(d)) and run(..., { replay: d }) give one trace",
    async (schedule) => {
      const d = /^Schedule\("(.*)"\)$/.exec(String(schedule))![1];
      const a = await runSchedule(race, schedule);
      const b = await run(race, { replay: d });
      expect(b.trace()).toBe(a.trace());
      expect(b.decisions).toBe(a.decisions);
      expect(b.verdict).toEqual(a.verdict);
    },
  );

  it("replays a value beyond the candidates modulo their number, as a Schedule does", async () => {
    const a = await run(race, { replay: "3" });
    expect(a.decisions).toBe((await run(race, { replay: "1" })).decisions);
    expect(a.decisions).not.toBe("");
  });
});
