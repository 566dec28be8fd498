// Issue 23: state caching where it is sound. A trace run as a program (from-trace.ts) has no
// state but the kernel's and how far each process has got, so verify prunes a state it has
// explored before (strategies/dpor.ts). Pruning must lose nothing: dpor with the cache reaches
// exactly the final states and verdicts naive exhaustive search (dfs without a bound) reaches,
// on random small traces, with fewer runs than dpor without it in all (not on each: the steps
// below a pruned state race with the run's conservatively, which may ask for a run more).
import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { Prng } from "../prng.js";
import { parseTrace } from "../trace/parse.js";
import { traceScenario } from "./from-trace.js";
import { Runner, type Scenario } from "./run.js";
import { DfsStrategy } from "./strategies/dfs.js";
import { DporStrategy } from "./strategies/dpor.js";
import type { Strategy } from "./strategies/strategy.js";
import { smallTrace } from "./testdata/small-traces.js";

/** Every distinct final state (the kernel's, as `run` prints it) with its verdict. */
async function finals(scenario: Scenario, s: Strategy, cap: number) {
  const runner = new Runner(scenario, { maxSteps: 400 });
  runner.keepState = true;
  const seen = new Set<string>();
  let runs = 0;
  for (;;) {
    const pending = runner.execute(s, new Prng(0), runs);
    if (!pending) return { seen: [...seen].sort(), runs };
    if (++runs > cap) throw new Error(`${s.name} ran past ${cap} runs`);
    const e = await pending;
    // Not which step a sleeping call was made in: a history, not a state.
    const state = JSON.stringify(e.state, (k, v) => k === "step" || k === "line" ? undefined : v);
    const key = `${e.verdict.kind} ${state}`;
    seen.add(createHash("sha1").update(key).digest("hex"));
  }
}

const program = (seed: number) => traceScenario(parseTrace(smallTrace(seed), `seed-${seed}`));

describe("verify's state caching on traces run as programs (issue 23)", () => {
  it("reaches every final state and verdict dfs reaches, on 100 random small traces", async () => {
    let naive = 0;
    let plain = 0;
    let cached = 0;
    for (let seed = 1; seed <= 100; seed++) {
      const dfs = await finals(program(seed), new DfsStrategy(Infinity), 50_000);
      const without = await finals(program(seed), new DporStrategy(Infinity, false), 50_000);
      const dpor = new DporStrategy();
      const withCache = await finals(program(seed), dpor, 50_000);
      expect(withCache.seen, `seed ${seed}: ${smallTrace(seed)}`).toEqual(dfs.seen);
      expect(without.seen, `seed ${seed}`).toEqual(dfs.seen);
      [naive, plain, cached] = [naive + dfs.runs, plain + without.runs, cached + withCache.runs];
    }
    console.log(`100 small traces: dfs ${naive} runs, dpor ${plain}, dpor + cache ${cached}`);
    expect(cached).toBeLessThan(plain);
  }, 600_000);
});
