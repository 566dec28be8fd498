// What every property file shares: run budgets from the environment, a replay that reuses one
// kernel, and the failure report (the seed and the shrunk trace, saved to a file). No vitest
// here (scripts use it too); test files import `./timeouts.js` for the vitest side.
//
//   IPCSIM_PROPERTY_RUNS=1500     runs of the main properties (default 150); the cheaper or
//                                 costlier ones keep their proportion (a 6-run one gets 60)
//   IPCSIM_PROPERTY_STEPS=100     steps per generated trace (default 40)
//   IPCSIM_PROPERTY_SEED=123      fast-check seed (replays a reported failure, with the path)
//   IPCSIM_PROPERTY_PATH="4:2:0"  fast-check path of the shrunk counterexample

import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type fc from "fast-check";
import { ModelReplay, type ReplayOptions } from "../sim/model/engine.js";
import { Prng } from "../sim/prng.js";
import type { Outcome, Trace } from "../sim/trace/types.js";
import { Kernel } from "../wasm/kernel.js";
import type { GeneratedTrace } from "./arbitraries.js";

function envInt(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === "") return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`${name} must be an integer, got "${v}"`);
  return n;
}

/** The default runs of the main properties, which $IPCSIM_PROPERTY_RUNS replaces. */
const REFERENCE_RUNS = 150;

/** How many times the default work the environment asks for (runs and steps), for timeouts. */
export function budgetFactor(): number {
  const runs = (envInt("IPCSIM_PROPERTY_RUNS") ?? REFERENCE_RUNS) / REFERENCE_RUNS;
  return runs * ((envInt("IPCSIM_PROPERTY_STEPS") ?? 40) / 40);
}

/** fast-check parameters: `runs` (scaled by $IPCSIM_PROPERTY_RUNS / REFERENCE_RUNS), and the
 * seed and path of a reported failure when they are given. */
export function params<T = never>(runs: number, extra: fc.Parameters<T> = {}): fc.Parameters<T> {
  const wanted = envInt("IPCSIM_PROPERTY_RUNS");
  const scaled = Math.max(1, Math.round((wanted ?? REFERENCE_RUNS) * (runs / REFERENCE_RUNS)));
  const numRuns = wanted === undefined ? runs : scaled;
  const p: fc.Parameters<T> = { numRuns, ...extra };
  const seed = envInt("IPCSIM_PROPERTY_SEED");
  if (seed !== undefined) p.seed = seed;
  const path = process.env.IPCSIM_PROPERTY_PATH;
  if (path) {
    p.path = path;
    p.endOnFailure = true;
  }
  return p;
}

/** Where failing traces are written: $IPCSIM_FAILURES, else <tmp>/ipcsim-failures. */
export function failureDir(): string {
  return process.env.IPCSIM_FAILURES ?? join(tmpdir(), "ipcsim-failures");
}

/**
 * Run a property's body on a generated trace; when it throws, save the trace to
 * `<failureDir>/<name>.<pid>.jsonl` and rethrow with the file and the replay command in the
 * message.
 */
export function withTrace<T>(name: string, g: GeneratedTrace, body: () => T): T {
  try {
    return body();
  } catch (e) {
    throw annotate(e, name, g);
  }
}

function annotate(e: unknown, name: string, g: GeneratedTrace): Error {
  const err = e instanceof Error ? e : new Error(String(e));
  let file = "(could not write the trace file)";
  try {
    mkdirSync(failureDir(), { recursive: true });
    // The pid keeps apart runs on one machine; fast-check reruns failing cases while it
    // shrinks, so the file ends holding the shrunk one.
    file = join(failureDir(), `${name}.${process.pid}.jsonl`);
    const head = `# ${name}: ${err.message.split("\n")[0]}\n# ${g.stop}; replay seed ${g.seed}\n`;
    writeFileSync(file, head + g.jsonl());
  } catch {
    // The report below still carries the trace (fast-check prints the counterexample).
  }
  err.message += `\n  trace (${g.steps.length} steps) saved to ${file}` +
    `\n  replay: node dist/cli.js replay ${file} --seed ${g.seed}`;
  return err;
}

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

/** Run fn on the shared kernel; if it throws (a trap may leave the kernel inconsistent), the
 * kernel is discarded. */
export function withSharedKernel<T>(fn: (k: Kernel) => T): T {
  const k = sharedKernel();
  try {
    return fn(k);
  } catch (e) {
    discardSharedKernel();
    throw e;
  }
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
    const outcome = model.chooseSeeded(allowed, prng);
    path.push({ index: step.index, outcome, allowed: allowed.length });
  }
  model.settleView();
  return { path, model };
}
