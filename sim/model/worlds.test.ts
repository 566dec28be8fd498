// Issue 22: the worlds of a replay are diffed, copied and restored only where a state may differ
// from the post-init one (wasm/reset.ts liveRanges), not over the whole kernel memory. The two
// must be indistinguishable: on every trace of the repository, the same allowed outcomes at each
// step, the same seeded picks and the same number of worlds kept (sameDiff merges the same).

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Kernel } from "../../wasm/kernel.js";
import { Prng } from "../prng.js";
import { outcomeKey } from "../trace/compare.js";
import { readTraceFile } from "../trace/parse.js";
import { stateView } from "../state.js";
import type { Trace } from "../trace/types.js";
import { ModelReplay } from "./engine.js";

const DIRS = ["sim/model/testdata", "kernel/test/cases", "examples/traces", "sim/trace/testdata",
  "bench/time-cases"];
/** 256 MiB of shm: too large to copy, both re-run the steps the same way (and it is slow). */
const SKIP = new Set(["fifo-herd-shm.jsonl"]);

/** Each step's allowed outcomes (sorted keys), the pick and the worlds kept, then the final
 * state view; or the error. */
function run(trace: Trace, kernel: Kernel, wholeMemory: boolean, seed: number): string[] {
  const out: string[] = [];
  try {
    const model = new ModelReplay(trace, { wholeMemory }, kernel);
    const prng = new Prng(seed);
    for (const step of trace.steps) {
      const allowed = model.step(step);
      const pick = model.chooseSeeded(allowed, prng);
      out.push(`${allowed.map(outcomeKey).sort().join(" | ")} -> ${outcomeKey(pick)} ` +
        `(${model.worldCount()} worlds)`);
    }
    out.push(JSON.stringify(stateView(model.settleView(), model.blockedSteps(), [])));
  } catch (e) {
    out.push(`error: ${(e as Error).message}`);
  }
  return out;
}

describe("live-range worlds replay as whole-memory ones (issue 22)", () => {
  const files = DIRS.flatMap((d) => readdirSync(d).filter((f) => f.endsWith(".jsonl") &&
    !SKIP.has(f)).map((f) => join(d, f)));
  const live = new Kernel();
  const whole = new Kernel();

  it("the same outcomes, picks and worlds on every trace of the repository", () => {
    let branching = 0;
    for (const file of files) {
      let trace: Trace;
      try {
        trace = readTraceFile(file);
      } catch {
        continue;
      }
      for (const seed of [0, 1]) {
        const a = run(trace, live, false, seed);
        expect(a, file).toEqual(run(trace, whole, true, seed));
        if (seed === 0 && a.some((l) => l.includes(" | "))) branching++;
      }
    }
    // Traces with a step of several allowed outcomes, where the worlds matter.
    expect(branching).toBeGreaterThan(3);
  }, 600_000);
});
