import { ModelReplay, type ReplayOptions } from "../sim/model/engine.js";
import { Prng } from "../sim/prng.js";
import { outcomeKey } from "../sim/trace/compare.js";
import type { Outcome, Trace } from "../sim/trace/types.js";
import { Kernel } from "../wasm/kernel.js";
export interface PathStep {
  index: number;
  outcome: Outcome;
  allowed: number;
}

let shared: Kernel | undefined;

/** One kernel per test file for replays (each `new Kernel()` costs ~20 ms). */
export function sharedKernel(): Kernel {
  shared ??= new Kernel();
  return shared;
}

/** Forget the shared kernel (after a trap it may be inconsistent): the next call makes one. */
export function discardSharedKernel(): void {
  shared = undefined;
}

/**
 * Replay a trace on the model exactly as `ipcsim replay --seed` does (sim/replay.ts: where the
 * model allows several outcomes the seeded PRNG picks one, and every world that produced it is
 * kept), but on a kernel reused across calls. Returns the path and the ModelReplay, whose
 * kernel holds the final state (of the first world).
 */
export function replayPath(trace: Trace, seed: number, kernel: Kernel, opts: ReplayOptions = {}) {
  try {
    return followPath(trace, seed, kernel, opts);
  } catch (e) {
    if (kernel === shared) discardSharedKernel();
    throw e;
  }
}

function followPath(trace: Trace, seed: number, kernel: Kernel, opts: ReplayOptions) {
  const model = new ModelReplay(trace, opts, kernel);
  const prng = new Prng(seed);
  const path: PathStep[] = [];
  for (const step of trace.steps) {
    const allowed = model.step(step);
    const outcome = allowed.length === 1 ? allowed[0] : allowed[prng.below(allowed.length)];
    const key = outcomeKey(outcome);
    model.choose((o) => outcomeKey(o) === key);
    path.push({ index: step.index, outcome, allowed: allowed.length });
  }
  model.settleView();
  return { path, model };
}
