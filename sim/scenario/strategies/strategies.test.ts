// Each strategy on a scenario small enough to know the answer.

import { describe, expect, it } from "vitest";
import { Prng } from "../../prng.js";
import { O_NONBLOCK } from "../constants.js";
import { explore } from "../explore.js";
import type { Os } from "../os.js";
import { Runner } from "../run.js";
import { lostUpdate } from "../testdata/lost-update.js";
import { DfsStrategy } from "./dfs.js";
import { makeStrategy } from "./index.js";
import { UrwStrategy } from "./urw.js";

/** After the fork, pid 2 makes `a` writes and pid 3 `b` (each then exits: one more call). */
function uneven(a: number, b: number) {
  return async (os: Os) => {
    const [, w] = await os.pipe();
    await os.fork(async (c) => {
      for (let i = 0; i < b; i++) await c.write(w, "c");
    });
    for (let i = 0; i < a; i++) await os.write(w, "p");
  };
}

/** Which process made each call after the fork ("2323..."): the interleaving. */
function interleaving(steps: readonly { pid: number; call: string }[]): string {
  const at = steps.findIndex((s) => s.call === "fork");
  return steps.slice(at + 1).map((s) => s.pid - 2).join("");
}

/** The uneven-workload bug: pid 3 makes one call, pid 2 makes n; it fails when pid 3's call
 * comes after all of pid 2's (pid 2's last, nonblocking, read finds the pipe empty). */
function unevenBug(n: number) {
  return async (os: Os) => {
    const [r, w] = await os.pipe(O_NONBLOCK);
    const [, nw] = await os.pipe();
    await os.fork(async (c) => { await c.write(w, "x"); });
    for (let i = 0; i < n - 1; i++) await os.write(nw, "n");
    let got = 0;
    try { got = (await os.read(r, 1)).length; } catch { /* EAGAIN */ }
    os.assert(got === 1, "the child's byte was not there yet");
  };
}

/** Issue 12's long-prefix case (examples/bugs/late-race.ts): the lost update after `pairs`
 * write+read pairs by pid 2 alone (one preemption among the last few of 2 * pairs + ~15 calls). */
const lateRace = lostUpdate;

async function runsToFind(
  strategy: string, scenario: (os: Os) => Promise<void>, seed: number, budget: number,
): Promise<number> {
  const r = await explore(scenario, { strategy, seed, runs: budget, shrink: false });
  return r.ok ? Infinity : r.runs;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

describe("PCT", () => {
  it("finds the depth-1 uneven-workload bug (1 call against 25) " +
    "within 10 runs at the median", async () => {
    const counts: number[] = [];
    for (let seed = 1; seed <= 15; seed++) {
      counts.push(await runsToFind("pct:1", unevenBug(25), seed, 200));
    }
    expect(median(counts)).toBeLessThanOrEqual(10);
    // Uniform random picks almost never find it (2^-25 per run).
    expect(await runsToFind("random", unevenBug(25), 1, 300)).toBe(Infinity);
  });

  it("by default (depths 1, 2, 3 in turn) also finds it within 10 runs at the median", async () => {
    const counts: number[] = [];
    for (let seed = 1; seed <= 15; seed++) {
      counts.push(await runsToFind("pct", unevenBug(25), seed, 300));
    }
    expect(median(counts)).toBeLessThanOrEqual(10);
  });

  it("with a fixed depth 3 finds a depth-2 bug " +
    "that needs one preemption in the middle", async () => {
    // Fails when pid 3 writes between pid 2's two nonblocking reads: the first finds the pipe
    // empty and the second finds the byte.
    const middle = async (os: Os) => {
      const [r, w] = await os.pipe(O_NONBLOCK);
      const [, nw] = await os.pipe();
      await os.fork(async (c) => {
        for (let i = 0; i < 5; i++) await c.write(nw, "n");
        await c.write(w, "x");
      });
      const tries: number[] = [];
      for (let i = 0; i < 2; i++) {
        try { tries.push((await os.read(r, 1)).length); } catch { tries.push(0); }
        await os.write(nw, "p");
      }
      os.assert(!(tries[0] === 0 && tries[1] === 1), "the byte arrived between the two reads");
    };
    const counts: number[] = [];
    for (let seed = 1; seed <= 9; seed++) {
      counts.push(await runsToFind("pct:3", middle, seed, 1000));
    }
    expect(median(counts)).toBeLessThanOrEqual(200);
  });
});

describe("PCT after a long single-process prefix (issue 12)", () => {
  // On main, change points were spread over all ~615 calls: pct needed 8 to 1,785 runs over
  // seeds 1-6 (median ~500). Now they are spread over decisions, which the prefix has none of.
  it("pct finds a race after 300 write+read pairs within 100 runs at the median", async () => {
    const counts: number[] = [];
    for (let seed = 1; seed <= 6; seed++) {
      counts.push(await runsToFind("pct", lateRace(300), seed, 300));
    }
    expect(median(counts), `runs by seed: ${counts.join(", ")}`).toBeLessThanOrEqual(100);
  });
  it("so does the default strategy (mix)", async () => {
    const counts: number[] = [];
    for (let seed = 1; seed <= 6; seed++) {
      const r = await explore(lateRace(300), { seed, runs: 300, shrink: false });
      counts.push(r.ok ? Infinity : r.runs);
      expect(r.strategy).toBe("mix");
    }
    expect(median(counts), `runs by seed: ${counts.join(", ")}`).toBeLessThanOrEqual(100);
  });
});

describe("the default strategy, mix (issue 12)", () => {
  // On main the default was uniform random, which never finds it (2^-25 per run).
  it("finds the uneven-workload bug within 20 runs at the median", async () => {
    const counts: number[] = [];
    for (let seed = 1; seed <= 9; seed++) {
      const r = await explore(unevenBug(25), { seed, runs: 300, shrink: false });
      counts.push(r.ok ? Infinity : r.runs);
    }
    expect(median(counts), `runs by seed: ${counts.join(", ")}`).toBeLessThanOrEqual(20);
  });
});

describe("a run depends only on the seed and its run index (issue 12: runs in workers)", () => {
  // On main pct learnt its k from the longest run so far: run 5 alone differed from run 5
  // after runs 0-4. urw still learns (the processes' lengths) and is left out.
  for (const strategy of ["mix", "random", "pct", "pct:3"]) {
    it(`${strategy}: run i alone makes the decisions it makes after runs 0..i-1`, async () => {
      const runner = new Runner(lateRace(20));
      const master = new Prng(3);
      // What master.fork() would give run i, kept so that each run can be given it twice.
      const seeds = Array.from({ length: 12 }, () => master.nextU32());
      const inOrder: string[] = [];
      const s = makeStrategy({ strategy });
      for (let i = 0; i < 12; i++) {
        inOrder.push((await runner.execute(s, new Prng(seeds[i]), i))!.log.toString());
      }
      for (let i = 11; i >= 0; i--) {
        const alone = await runner.execute(makeStrategy({ strategy }), new Prng(seeds[i]), i);
        expect(alone!.log.toString(), `run ${i}`).toBe(inOrder[i]);
      }
    });
  }
});

describe("URW", () => {
  it("draws every interleaving of an uneven pair (3+1 calls against 1+1) " +
    "about equally often", async () => {
    const runner = new Runner(uneven(3, 1));
    const urw = new UrwStrategy();
    const master = new Prng(5);
    const counts = new Map<string, number>();
    const runs = 3000;
    for (let i = 0; i < 100; i++) await runner.execute(urw, master.fork(), i); // learn the lengths
    for (let i = 0; i < runs; i++) {
      const e = (await runner.execute(urw, master.fork(), i))!;
      const key = interleaving(e.steps);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    // 6 calls after the fork, 2 of them pid 3's: C(6,2) = 15 interleavings, 200 runs each expected.
    expect(counts.size).toBe(15);
    for (const n of counts.values()) expect(n).toBeGreaterThan(130);
    for (const n of counts.values()) expect(n).toBeLessThan(280);
  });

  it("where uniform random picks are far from uniform on the same case", async () => {
    const runner = new Runner(uneven(3, 1));
    const random = makeStrategy({ strategy: "random" });
    const master = new Prng(5);
    let childFirst = 0;
    for (let i = 0; i < 1000; i++) {
      const e = (await runner.execute(random, master.fork(), i))!;
      if (interleaving(e.steps).startsWith("11")) childFirst++;
    }
    expect(childFirst).toBeGreaterThan(180); // 1/4 of the runs, against 1/15 under URW
  });
});

describe("bounded exhaustive search", () => {
  it("runs every interleaving of a tiny scenario exactly once, then stops", async () => {
    const runner = new Runner(uneven(2, 2));
    const dfs = new DfsStrategy();
    const seen: string[] = [];
    for (let i = 0; ; i++) {
      const e = await runner.execute(dfs, new Prng(0), i);
      if (!e) break;
      seen.push(interleaving(e.steps));
    }
    // 3 calls each after the fork (2 writes and the exit): C(6,3) = 20 interleavings.
    expect(seen.length).toBe(20);
    expect(new Set(seen).size).toBe(20);
    expect(dfs.exhausted).toBe(true);
  });

  it("with a preemption bound, runs only the interleavings within it", async () => {
    const runner = new Runner(uneven(2, 2));
    const count = async (bound: number) => {
      const dfs = new DfsStrategy(bound);
      let n = 0;
      while (await runner.execute(dfs, new Prng(0), n)) n++;
      return n;
    };
    expect(await count(0)).toBe(1);
    const one = await count(1);
    expect(one).toBeGreaterThan(1);
    expect(one).toBeLessThan(20);
    expect(await count(10)).toBe(20);
  });

  it("is reported as exhaustive by explore", async () => {
    const r = await explore(uneven(1, 1), { strategy: "dfs:5", runs: 1000 });
    expect(r).toMatchObject({ ok: true, exhausted: true, runs: 6 });
  });
});
