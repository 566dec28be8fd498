// Scenario runs in worker threads under the watchdog (pool.ts). Needs dist/worker.js (npm run
// build). Issue 12: a run that spins in JavaScript hung `run` and `explore` forever; explore
// ran on one core.
import { describe, expect, it } from "vitest";
import { explore, exploreStrategy } from "./explore.js";
import { BlockLearning } from "./learning.js";
import { loadScenario } from "./load.js";
import { exploreInWorkers, runInWorker } from "./pool.js";

const SPIN = "sim/scenario/testdata/spin.ts";

async function withEnv<T>(name: string, value: string, f: () => Promise<T>): Promise<T> {
  const saved = process.env[name];
  process.env[name] = value;
  try {
    return await f();
  } finally {
    if (saved === undefined) delete process.env[name];
    else process.env[name] = saved;
  }
}

describe("the watchdog (issue 12: a spinning scenario hung run and explore)", () => {
  // An hour-long timer awaited is `stuck` (stuck.ts: no call within 8 event-loop turns), found
  // before the watchdog's timeout: see the test below.
  for (const how of ["loop", "microtask"]) {
    it(`ends a run whose child spins (${how}) with the verdict timeout naming pid 3`, async () => {
      const t0 = performance.now();
      const r = await withEnv("SPIN", how, () => runInWorker(SPIN, { runTimeoutMs: 300 }));
      // pid 2 may be named too: it was given its result with pid 3, and pid 3 spun first.
      expect(r.verdict).toMatchObject({ kind: "timeout", ms: 300 });
      expect((r.verdict as { pids: number[] }).pids).toContain(3);
      expect(r.ok).toBe(false);
      expect(performance.now() - t0).toBeLessThan(20_000);
      expect(r.text().join("\n")).toMatch(/verdict: timeout: pids? (2, )?3 ran 300 ms/);
    });
  }

  it("ends an explore at the first run that spins, as a failure", async () => {
    const e = await exploreInWorkers(SPIN, { runTimeoutMs: 300, workers: 2, runs: 50 });
    expect(e.ok).toBe(false);
    expect(e.runs).toBe(1);
    expect(e.failure?.verdict).toMatchObject({ kind: "timeout" });
    expect((e.failure?.verdict as { pids: number[] }).pids).toContain(3);
  });

  it("ends a run waiting on a timer or a promise that never settles as stuck, before the " +
    "watchdog's timeout", async () => {
    const timer = await withEnv("SPIN", "timer", () => runInWorker(SPIN, { runTimeoutMs: 60_000 }));
    expect(timer.verdict).toMatchObject({ kind: "stuck", pid: 3 });
    const r = await runInWorker("sim/scenario/testdata/forever.ts", { runTimeoutMs: 60_000 });
    expect(r.verdict).toMatchObject({ kind: "stuck" });
  });

  it("leaves a run that ends in time as run.ts gives it", async () => {
    const r = await runInWorker("examples/bugs/sem-order.ts", { seed: 3 });
    const { run } = await import("./run.js");
    const file = "examples/bugs/sem-order.ts";
    // Its replay command names the file (a run of a path, not of a function).
    const here = await run(await loadScenario(file), { seed: 3, name: file });
    expect(r.verdict).toEqual(here.verdict);
    expect(r.decisions).toBe(here.decisions);
    expect(r.text()).toEqual(here.text());
  });
});

describe("a worker that crashes (issue 12: reported with its run, no run silently lost)", () => {
  it("reports the crashed run's index, the worker's exit and the replay command; the runs " +
    "counted are those that ended", async () => {
    const e = await exploreInWorkers("sim/scenario/testdata/crash.ts",
      { workers: 1, runs: 50, seed: 1 });
    expect(e.ok).toBe(false);
    expect(e.failure).toBeUndefined();
    expect(e.crash).toMatchObject({ run: 4, message: "the worker exited (code 7)" });
    expect(e.crash?.replayCommand).toMatch(/ipcsim run .*crash\.ts --replay \S+/);
    expect(e.runs).toBe(4);
  });
});

describe("explore on several workers", () => {
  // Issue 12 (2 workers at 1.29x one): every block boundary waited for every worker to go idle,
  // also for pct and mix, which learn nothing. Only a strategy that learns has barriers.
  it("puts block barriers only for a strategy that learns (urw), not random, pct or mix", () => {
    const learns = (strategy: string) =>
      (exploreStrategy({ strategy }, false) as BlockLearning).learns;
    expect(["random", "pct", "mix", "urw"].map(learns)).toEqual([false, false, false, true]);
  });

  for (const strategy of ["random", "pct", "urw"]) {
    it(`finds the same first failure and shrinks it the same with 1, 2 and 3 workers ` +
      `(${strategy}), as explore() in-process`, async () => {
      const file = "examples/bugs/sem-order.ts";
      const opts = { strategy, seed: 5, runs: 600 };
      const here = await explore(await loadScenario(file), opts);
      expect(here.ok).toBe(false);
      for (const workers of [1, 2, 3]) {
        const e = await exploreInWorkers(file, { ...opts, workers });
        expect({ workers, runs: e.runs, found: e.failure?.decisions, shrunk: e.shrunk?.decisions })
          .toEqual({
            workers, runs: here.runs, found: here.failure?.decisions,
            shrunk: here.shrunk?.decisions,
          });
        expect(e.shrinkRuns).toBe(here.shrinkRuns);
      }
    });
  }

  it("reports every run of a passing exploration and its coverage", async () => {
    const file = "examples/bugs/sem-order.fixed.ts";
    const here = await explore(await loadScenario(file), { seed: 2, runs: 300 });
    const e = await exploreInWorkers(file, { seed: 2, runs: 300, workers: 2 });
    expect(e).toMatchObject({ ok: true, runs: 300, sometimes: here.sometimes });
  });

  it("runs dfs (one sequential search) to the same exhaustive end", async () => {
    const file = "examples/bugs/sem-order.fixed.ts";
    const here = await explore(await loadScenario(file), { strategy: "dfs:1", runs: 5000 });
    const e = await exploreInWorkers(file, { strategy: "dfs:1", runs: 5000, workers: 2 });
    expect(e).toMatchObject({ ok: here.ok, runs: here.runs, exhausted: here.exhausted });
  });

  it("stops at the time budget with the runs made counted", async () => {
    const e = await exploreInWorkers("examples/bugs/sem-order.fixed.ts",
      { runs: 10_000_000, timeMs: 1500, workers: 2 });
    expect(e).toMatchObject({ ok: true, stopped: "time" });
    expect(e.runs).toBeGreaterThan(0);
    expect(e.runs).toBeLessThan(10_000_000);
  });

  it("refuses 0 workers, a run timeout of 0 and a negative time budget", async () => {
    const file = "examples/bugs/sem-order.ts";
    await expect(exploreInWorkers(file, { workers: 0 })).rejects.toThrow(/--workers/);
    await expect(exploreInWorkers(file, { runTimeoutMs: 0 })).rejects.toThrow(/--run-timeout/);
    await expect(exploreInWorkers(file, { timeMs: -1 })).rejects.toThrow(/--time/);
  });
});
