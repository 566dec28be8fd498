// Sharded exploration (`--shard K/N`): the slices of the run indices cover them exactly once,
// each run keeps the PRNG stream it has unsharded, so the shards together find the first
// failure the unsharded exploration finds, at the same run.

import { describe, expect, it } from "vitest";
import { explore, shardRange } from "./explore.js";
import { StrategyError } from "./strategies/index.js";
import { loadScenario } from "./load.js";

describe("shardRange", () => {
  it("splits the run indices into N slices that cover each index exactly once", () => {
    for (const [total, n] of [[10, 3], [1000, 7], [5, 8], [0, 2]]) {
      const seen: number[] = [];
      for (let k = 1; k <= n; k++) {
        const [from, to] = shardRange(total, { index: k, count: n });
        for (let i = from; i < to; i++) seen.push(i);
      }
      expect(seen).toEqual([...Array(total).keys()]);
    }
  });

  it("refuses a shard outside 1..N", () => {
    expect(() => shardRange(10, { index: 0, count: 2 })).toThrow(StrategyError);
    expect(() => shardRange(10, { index: 3, count: 2 })).toThrow(StrategyError);
  });
});

describe("explore --shard", () => {
  it("the shards' first failure is the unsharded exploration's, at the same run", async () => {
    const scenario = await loadScenario("sim/scenario/testdata/sem-cycle.ts");
    const opts = { strategy: "random", seed: 0, runs: 8, shrink: false };
    const whole = await explore(scenario, opts);
    expect(whole.ok).toBe(false);
    expect(whole.runs).toBe(5); // run index 4: in shard 3 of 4, not the first
    const found: number[] = [];
    for (let k = 1; k <= 4; k++) {
      const shard = { index: k, count: 4 };
      const r = await explore(scenario, { ...opts, shard });
      if (!r.ok) found.push(shardRange(8, shard)[0] + r.runs);
      if (!r.ok) expect(r.failure!.decisions).toBeTypeOf("string");
    }
    expect(Math.min(...found)).toBe(whole.runs);
  });
});
