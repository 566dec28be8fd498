// The worker side of pool.ts: one worker thread loads the scenario and runs what the main
// thread asks (a chunk of run indices, one run, a shrink), reporting through messages and a
// shared watch block (below) that the main thread's watchdog reads while the worker's JS may
// be spinning. Bundled as dist/worker.js (scripts/build.mjs).

import { format } from "node:util";
import { parentPort, workerData } from "node:worker_threads";
import { Kernel } from "../../wasm/kernel.js";
import { Prng } from "../prng.js";
import { encodeDecisions } from "./decisions.js";
import { exploreStrategy } from "./explore.js";
import { BlockLearning, lessonOf, type Lesson } from "./learning.js";
import { loadScenario } from "./load.js";
import { Runner } from "./run.js";
import { shrink } from "./shrink.js";
import { makeStrategy } from "./strategies/index.js";
import { ReplayStrategy } from "./strategies/replay.js";
import type { ChoicePoint, Strategy } from "./strategies/strategy.js";
import {
  WATCH, type SearchStats, type ToMain, type ToWorker, type WorkerInit,
} from "./pool-protocol.js";
import { DporStrategy } from "./strategies/dpor.js";
import { decodeDecisions } from "./decisions.js";

const init = workerData as WorkerInit;
const shared = new Int32Array(init.shared);
const watch = shared.subarray(WATCH.pidsAt, WATCH.pidsAt + WATCH.pidsMax);
const port = parentPort!;

/** Every decision of the current run, in the shared block (the decisions a spinning run made
 * replay it up to the spin). */
class Recording implements Strategy {
  /** Decisions made in this run (a copy of shared[WATCH.decisions], not read back from it). */
  private n = 0;
  /** The inner strategy's, when it observes footprints (dpor): only then, as the scheduler
   * computes footprints for a strategy that has the method. */
  observe?: Strategy["observe"];
  constructor(readonly inner: Strategy) {
    if (inner.observe) this.observe = inner.observe.bind(inner);
  }
  get name(): string {
    return this.inner.name;
  }
  begin(run: number, prng: Prng): boolean {
    this.n = 0;
    shared[WATCH.decisions] = 0;
    return this.inner.begin(run, prng);
  }
  choose(cp: ChoicePoint): number {
    const v = this.inner.choose(cp);
    const n = this.n++;
    if (n < WATCH.decisionsMax) shared[WATCH.decisionsAt + n] = v;
    shared[WATCH.decisions] = n + 1;
    return v;
  }
  end(...a: Parameters<Strategy["end"]>): void {
    this.inner.end(...a);
  }
}

// The scenario's console output goes to the main thread's console (which the CLI captures),
// or nowhere for `run`: the main thread replays that run, with its console output.
for (const m of ["log", "info", "debug", "warn", "error", "trace", "dir"] as const) {
  (console as unknown as Record<string, (...a: unknown[]) => void>)[m] = init.console
    ? (...a: unknown[]) => port.postMessage({ type: "console", method: m, text: format(...a) })
    : () => {};
}

// Its own kernel (runs here are one at a time): no pooled kernel taken and given back, which
// cost a promise reaction per run.
const runner = new Runner(await loadScenario(init.file, init.bundle), init.opts, new Kernel());
runner.watch = watch;
// A run is recorded (its outcomes, for the trace) only where it is shown: the main thread
// replays the failure and `run`'s run from their decisions.
runner.record = false;
const learner = exploreStrategy(init.opts, false);
const strategy = new Recording(learner);
let master = new Prng(init.opts.seed ?? 0);
let forked = 0;

/** Run index `run`'s PRNG: the (run+1)-th fork of the seed's, as explore.ts draws them. */
function prngOf(run: number): Prng {
  if (run < forked) {
    master = new Prng(init.opts.seed ?? 0);
    forked = 0;
  }
  for (; forked < run; forked++) master.fork();
  forked++;
  return master.fork();
}

/** The watch flags the last run may have left set: those of its pids (stepsBy's length), all
 * before the first run and after a run not seen to end. Clearing all 1024 cost 1.4% of a run. */
let watchUsed: number = WATCH.pidsMax;

function begin(run: number): void {
  shared[WATCH.run] = run;
  watch.fill(0, 0, Math.min(watchUsed, WATCH.pidsMax));
  watchUsed = WATCH.pidsMax;
  Atomics.add(shared, WATCH.beat, 1);
}

/** dpor's counts, sent with every reply (they are totals: the last one received counts). */
function searchStats(): SearchStats | undefined {
  if (!(learner instanceof DporStrategy)) return undefined;
  const { classes, races, bounded, cached } = learner;
  return { classes, races, bounded, cached };
}

async function runs(from: number, to: number): Promise<ToMain> {
  const search = searchStats;
  const lessons: Lesson[] = [];
  const sometimes: [number, [string, boolean][]][] = [];
  let run = from;
  for (; run < to; run++) {
    begin(run);
    const pending = runner.execute(strategy, prngOf(run), run);
    if (!pending) {
      return { type: "ran", from, to: run, lessons, sometimes, exhausted: true, search: search() };
    }
    const exec = await pending;
    watchUsed = exec.stepsBy.length;
    if (exec.sometimes.size > 0) sometimes.push([run, [...exec.sometimes]]);
    if (exec.verdict.kind !== "ok") {
      const fail = { run, decisions: encodeDecisions(exec.log.values) };
      return {
        type: "ran", from, to: run + 1, lessons, sometimes, exhausted: false, fail,
        search: search(),
      };
    }
    if (learner instanceof BlockLearning && learner.learns) {
      lessons.push(lessonOf(run, exec.log, exec.stepsBy, exec.steps.length));
    }
  }
  return { type: "ran", from, to, lessons, sometimes, exhausted: false, search: search() };
}

async function shrinkRun(run: number, decisions: string, budget: number): Promise<ToMain> {
  begin(run);
  const replay = new Recording(new ReplayStrategy(decodeDecisions(decisions)));
  const exec = (await runner.execute(replay, new Prng(0), run))!;
  const s = await shrink(runner, exec, budget);
  return { type: "shrunk", decisions: encodeDecisions(s.exec.log.values), runs: s.runs };
}

async function one(): Promise<ToMain> {
  begin(0);
  const exec = (await runner.execute(new Recording(makeStrategy(init.opts)),
    new Prng(init.opts.seed ?? 0), 0))!;
  return { type: "one", decisions: encodeDecisions(exec.log.values) };
}

async function handle(m: ToWorker): Promise<ToMain | null> {
  switch (m.type) {
    case "learn":
      if (learner instanceof BlockLearning) for (const l of m.lessons) learner.learn(l);
      return null;
    case "runs": return runs(m.from, m.to);
    case "shrink": return shrinkRun(m.run, m.decisions, m.budget);
    case "one": return one();
  }
}

// Messages are handled one at a time, in order (a `learn` before the `runs` it is for).
let queue = Promise.resolve();
port.on("message", (m: ToWorker) => {
  queue = queue.then(async () => {
    const reply = await handle(m);
    shared[WATCH.run] = -1;
    if (reply) port.postMessage(reply);
  });
});
port.postMessage({ type: "ready" } satisfies ToMain);
