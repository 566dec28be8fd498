// Scenario runs in worker threads, under a watchdog. The main thread cannot interrupt its own
// loop, so scenario code runs in workers (worker.ts, bundled as dist/worker.js): a run whose
// code spins (`for (;;) {}`, a microtask loop, an hour-long timer awaited) stops beating its
// worker's heartbeat, and after `runTimeoutMs` the worker is terminated and the run ends with
// the verdict `timeout`, naming the processes whose JS was running (pool-protocol.ts WATCH).
//
// exploreInWorkers hands chunks of run indices to N workers. Run i draws from the same PRNG
// stream and learns from the same earlier runs (learning.ts blocks) whichever worker runs it,
// so the lowest failing index, and so the shrunk failure, is the same for every N. Shrinking
// happens once, in a worker, after every run below the failure has passed. dfs and dpor are
// one sequential search each: they run on one worker. The runs reported (failure, shrunk,
// `run`'s one) are replayed on the main thread from their decisions, to give the full RunResult.

import { availableParallelism } from "node:os";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { Prng } from "../prng.js";
import { mergeSometimes } from "./checks.js";
import {
  DecisionLog, decodeDecisions, DECISION_PROC, encodeDecisions,
} from "./decisions.js";
import { exploreStrategy, shardRange, type ExploreOptions, type ExploreResult } from "./explore.js";
import { BlockLearning, blockEnd, type Lesson } from "./learning.js";
import { bundleOfModule, loadScenario, packageRoot, type ScenarioBundle } from "./load.js";
import { Runner, type RunOptions, type RunResult } from "./run.js";
import type { ExecResult } from "./scheduler.js";
import { StrategyError, isSearch, makeStrategy } from "./strategies/index.js";
import { ReplayStrategy } from "./strategies/replay.js";
import type { Verdict } from "./verdict.js";
import {
  WATCH, WATCH_BYTES, type SearchStats, type ToMain, type ToWorker, type WorkerInit,
} from "./pool-protocol.js";

/** The default per-run budget of the watchdog (ms). */
const RUN_TIMEOUT_MS = 5000;
/** Run indices handed to a worker at a time: its first chunk, then twice the last one's, up to
 * CHUNK_RUNS_MAX (a reply and the next chunk cost a round trip between threads, in which the
 * worker idles: 32 runs of a short scenario are about 2 ms, and it idled about 8% of the time). */
const CHUNK_RUNS = 32;
const CHUNK_RUNS_MAX = 1024;

/** Options of the worker runs: the watchdog's budget. */
interface WatchdogOptions {
  /** Wall-clock ms a run may go without progress before it ends as `timeout` (default 5000). */
  runTimeoutMs?: number;
}

/** Options of exploreInWorkers: explore's, the workers, the watchdog and the budgets. */
interface PoolExploreOptions extends ExploreOptions, WatchdogOptions {
  /** Worker threads (default: os.availableParallelism()). */
  workers?: number;
  /** Stop after this many ms (the exploration budget), with a summary. */
  timeMs?: number;
  /** Stop when aborted (Ctrl-C), with a summary. */
  signal?: AbortSignal;
}

/** A worker that crashed (threw outside a run, ran out of memory). */
interface WorkerCrash {
  run: number;
  message: string;
  replayCommand: string;
}

/** explore's result, and why it stopped early: the time budget, an interrupt, a crash. */
export interface PoolExploreResult extends ExploreResult {
  stopped?: "time" | "interrupted";
  crash?: WorkerCrash;
  /** dpor's counts (strategy dpor only). */
  search?: SearchStats;
}

/** dist/worker.js of this copy of ipcsim (built by `npm run build`), or $IPCSIM_WORKER_JS (a
 * checkout whose node_modules is another's, where this module's own path names the other). */
function workerScript(): string {
  if (process.env.IPCSIM_WORKER_JS) return process.env.IPCSIM_WORKER_JS;
  const root = packageRoot();
  const file = root ? join(root, "dist", "worker.js") : "";
  if (!existsSync(file)) {
    throw new Error(`${file || "dist/worker.js"} is missing: build it with \`npm run build\``);
  }
  return file;
}

/** A worker's console line, to this thread's console (the CLI captures it). */
function logged(method: string, text: string): void {
  const c = console as unknown as Record<string, (t: string) => void>;
  (method === "dir" ? c.log : c[method] ?? c.log)(text);
}

/** One worker and its watch block. */
class Slot {
  readonly shared = new SharedArrayBuffer(WATCH_BYTES);
  readonly watch = new Int32Array(this.shared);
  readonly worker: Worker;
  readonly ready: Promise<void>;
  /** The message being worked on (null when idle), the heartbeat seen and for how many
   * watchdog ticks it has not moved. */
  job: ToWorker | null = null;
  /** Runs in the next chunk handed to this worker (CHUNK_RUNS, doubling). */
  chunkRuns = CHUNK_RUNS;
  beat = -1;
  stalledTicks = 0;
  dead = false;
  onReply: (m: ToMain) => void = () => {};
  onDeath: (message: string) => void = () => {};

  constructor(file: string, opts: RunOptions, console = true, bundle?: ScenarioBundle) {
    const init: WorkerInit = { file, bundle, opts, shared: this.shared, console };
    this.worker = new Worker(workerScript(), { workerData: init, stdout: true, stderr: true });
    this.worker.stdout.resume();
    this.worker.stderr.resume();
    this.ready = new Promise((resolve, reject) => {
      this.worker.on("message", (m: ToMain) => {
        if (m.type === "ready") return resolve();
        if (m.type === "console") return logged(m.method, m.text);
        this.job = null;
        this.onReply(m);
      });
      const die = (message: string) => {
        if (this.dead) return;
        this.dead = true;
        reject(new Error(message));
        this.onDeath(message);
      };
      this.worker.on("error", (e) => die(`${e.name}: ${e.message}`));
      this.worker.on("exit", (code) => die(`the worker exited (code ${code})`));
    });
    this.ready.catch(() => {});
  }

  send(m: ToWorker): void {
    if (m.type !== "learn") {
      this.job = m;
      this.beat = -1;
    }
    this.worker.postMessage(m);
  }

  /** Watchdog ticks the current job has gone without a new run begun (the watchdog's
   * measure: counting its own timer's ticks, it never reads a clock). */
  stalled(): number {
    const beat = Atomics.load(this.watch, WATCH.beat);
    if (beat !== this.beat) {
      this.beat = beat;
      this.stalledTicks = 0;
    } else {
      this.stalledTicks++;
    }
    return this.stalledTicks;
  }

  /** The run the worker is in, the pids whose JS runs, the decisions made so far. */
  where(): { run: number; pids: number[]; decisions: string } {
    const w = this.watch;
    const pids: number[] = [];
    for (let pid = 0; pid < WATCH.pidsMax; pid++) if (w[WATCH.pidsAt + pid]) pids.push(pid);
    const n = Math.min(w[WATCH.decisions], WATCH.decisionsMax);
    const values = Array.from(w.subarray(WATCH.decisionsAt, WATCH.decisionsAt + n));
    return { run: w[WATCH.run], pids, decisions: encodeDecisions(values) };
  }

  kill(): void {
    this.dead = true;
    void this.worker.terminate();
  }
}

/** Every tick, ends a job whose worker has begun no run for timeoutMs (as a count of ticks),
 * until the returned stop function is called. */
function watchdog(slots: () => Slot[], timeoutMs: number, onTimeout: (s: Slot) => void) {
  const tick = Math.max(5, Math.min(200, Math.floor(timeoutMs / 4)));
  const ticks = Math.ceil(timeoutMs / tick);
  const timer = setInterval(() => {
    for (const s of slots()) {
      if (!s.dead && s.job !== null && s.stalled() >= ticks) onTimeout(s);
    }
  }, tick);
  return () => clearInterval(timer);
}

/** A RunResult for a run the watchdog ended: its decisions up to the spin, no steps. */
function timeoutResult(runner: Runner, seed: number, strategy: string, ms: number,
  at: { pids: number[]; decisions: string }): RunResult {
  const log = new DecisionLog();
  for (const v of decodeDecisions(at.decisions)) log.push(DECISION_PROC, v + 1, v, false);
  const verdict: Verdict = { kind: "timeout", ms, pids: at.pids };
  const exec = {
    verdict, log, steps: [], outcomes: [], refs: [], stepsBy: [0], sometimes: new Map(),
    logs: [], logAt: [], tracker: undefined, recorded: true,
  } as unknown as ExecResult;
  return runner.result(exec, seed, strategy);
}

/** Replay `decisions` on this thread (a run a worker made), for its full RunResult. */
async function replayHere(runner: Runner, decisions: string, run: number, seed: number,
  strategy: string): Promise<RunResult> {
  const exec = await runner.execute(new ReplayStrategy(decodeDecisions(decisions)),
    new Prng(0), run);
  return runner.result(exec!, seed, strategy);
}

function checkWatchdog(o: WatchdogOptions): number {
  const ms = o.runTimeoutMs ?? RUN_TIMEOUT_MS;
  if (!(Number.isInteger(ms) && ms >= 1)) {
    throw new StrategyError(`--run-timeout takes a whole number of ms >= 1, got ${ms}`);
  }
  return ms;
}

/** `run` in a worker under the watchdog: the same run as run.ts's (strategy, seed), ended as
 * `timeout` when its code spins for `runTimeoutMs`.
 * @throws ScenarioLoadError, StrategyError, DecisionError as run does. */
export async function runInWorker(
  file: string, opts: RunOptions & WatchdogOptions = {},
): Promise<RunResult> {
  const timeoutMs = checkWatchdog(opts);
  const { runTimeoutMs: _, ...runOpts } = opts;
  const strategy = makeStrategy(runOpts).name;
  const mod = await loadScenario(file);
  const runner = new Runner(mod, { ...runOpts, name: runOpts.name ?? file });
  runner.keepState = true;
  const seed = runOpts.seed ?? 0;
  const slot = new Slot(file, runOpts, false, bundleOfModule(mod));
  try {
    await slot.ready;
    const reply = await new Promise<ToMain | { type: "timeout"; at: Slot["where"] }>(
      (resolve, reject) => {
        const stop = watchdog(() => [slot], timeoutMs, (s) => {
          const at = s.where();
          stop();
          s.kill();
          resolve({ type: "timeout", at: () => at });
        });
        slot.onReply = (m) => { stop(); resolve(m); };
        slot.onDeath = (message) => { stop(); reject(new Error(message)); };
        slot.send({ type: "one" });
      });
    if (reply.type === "timeout") {
      return timeoutResult(runner, seed, strategy, timeoutMs, reply.at());
    }
    if (reply.type !== "one") throw new Error(`worker: unexpected ${reply.type}`);
    return await replayHere(runner, reply.decisions, 0, seed, strategy);
  } finally {
    slot.kill();
  }
}

/** explore in `workers` threads (default: every core) under the watchdog, with the time
 * budget and interrupt of PoolExploreOptions. Finds the same first failure (the lowest
 * failing run index), shrunk the same, whatever the number of workers.
 * @throws ScenarioLoadError, StrategyError as explore does. */
export async function exploreInWorkers(
  file: string, opts: PoolExploreOptions = {},
): Promise<PoolExploreResult> {
  const timeoutMs = checkWatchdog(opts);
  const workers = opts.workers ?? availableParallelism();
  if (!(Number.isInteger(workers) && workers >= 1)) {
    throw new StrategyError(`--workers takes a whole number >= 1, got ${workers}`);
  }
  if (opts.timeMs !== undefined && !(opts.timeMs > 0)) {
    throw new StrategyError(`--time takes a duration > 0, got ${opts.timeMs} ms`);
  }
  const {
    runTimeoutMs: _t, workers: _w, timeMs: _b, signal, onProgress, shard, ...runOpts
  } = opts;
  if (typeof runOpts.strategy === "object") {
    throw new StrategyError("a Strategy object cannot cross to a worker: use explore()");
  }
  const strategy = exploreStrategy(runOpts);
  const [from, to] = shardRange(opts.runs ?? 1000, shard);
  const sequential = isSearch(strategy);
  if (shard && sequential) {
    throw new StrategyError(
      `--shard: ${strategy.name} is one deterministic search and cannot be sharded`);
  }
  // This thread loads (bundles) the scenario, for its replays; the workers import its bundle
  // (each running esbuild made the start of 2 workers 0.1-0.3 s slower than one's).
  const mod = await loadScenario(file);
  const search = new Search(file, runOpts, {
    from, to, workers: sequential ? 1 : workers, timeoutMs, onProgress,
    inBlocks: strategy instanceof BlockLearning && strategy.learns, bundle: bundleOfModule(mod),
  });
  try {
    const runner = new Runner(mod, { ...runOpts, name: runOpts.name ?? file });
    const found = await search.run(opts.timeMs, signal);
    const seed = runOpts.seed ?? 0;
    const name = strategy.name;
    const base = {
      runs: found.runs, exhausted: found.exhausted, strategy: name, seed,
      sometimes: Object.fromEntries(found.coverage), search: found.search,
    };
    if (found.crash) {
      const { run, message, decisions } = found.crash;
      const crash = { run, message, replayCommand: runner.replayCommand(decisions) };
      return { ok: false, ...base, crash };
    }
    if (!found.fail) return { ok: true, ...base, stopped: found.stopped };
    const f = found.fail;
    const failure = f.timeout
      ? timeoutResult(runner, seed, name, timeoutMs, f.timeout)
      : await replayHere(runner, f.decisions, f.run, seed, name);
    if (opts.shrink === false || f.timeout) {
      return { ok: false, ...base, failure, shrunk: failure };
    }
    const s = await search.shrink(f.run, f.decisions, opts.shrinkBudget ?? 2000);
    const shrunk = await replayHere(runner, s.decisions, f.run, seed, "replay");
    return { ok: false, ...base, failure, shrunk, shrinkRuns: s.runs };
  } finally {
    search.close();
  }
}

interface SearchPlan {
  from: number;
  to: number;
  workers: number;
  timeoutMs: number;
  /** The strategy learns from earlier runs: lessons are passed at block boundaries. */
  inBlocks: boolean;
  /** The scenario's bundle, for the workers to import. */
  bundle?: ScenarioBundle;
  onProgress?: (done: number, total: number) => void;
}

interface Found {
  runs: number;
  exhausted: boolean;
  coverage: Map<string, boolean>;
  stopped?: "time" | "interrupted";
  fail?: { run: number; decisions: string; timeout?: { pids: number[]; decisions: string } };
  crash?: { run: number; message: string; decisions: string };
  search?: SearchStats;
}

/** The parallel search: chunks of run indices to workers, block by block (learning.ts). */
class Search {
  private slots: Slot[] = [];
  private next: number;
  private limit: number;
  private lessons: Lesson[] = [];
  private sometimes = new Map<number, [string, boolean][]>();
  private done = 0;
  private exhaustedAt = Infinity;
  private fail: Found["fail"];
  private crash: Found["crash"];
  private stopped: Found["stopped"];
  private search: SearchStats | undefined;
  private finish: () => void = () => {};

  /** Starts the workers. */
  constructor(private readonly file: string, private readonly opts: RunOptions,
    private readonly plan: SearchPlan) {
    this.next = plan.from;
    this.limit = this.blockLimit(plan.from);
    for (let i = 0; i < plan.workers; i++) this.slots.push(this.spawn());
  }

  private blockLimit(run: number): number {
    const { to, inBlocks } = this.plan;
    return inBlocks ? Math.min(to, blockEnd(run)) : to;
  }

  private failAt(): number {
    return this.fail?.run ?? Infinity;
  }

  async run(timeMs: number | undefined, signal: AbortSignal | undefined): Promise<Found> {
    const stopWatch = watchdog(() => this.slots, this.plan.timeoutMs, (s) => this.timeout(s));
    const budget = timeMs === undefined ? undefined
      : setTimeout(() => this.stop("time"), timeMs);
    const interrupt = () => this.stop("interrupted");
    signal?.addEventListener("abort", interrupt);
    try {
      await new Promise<void>((resolve) => {
        this.finish = resolve;
        if (signal?.aborted) this.stop("interrupted");
        this.assign();
      });
    } finally {
      stopWatch();
      clearTimeout(budget);
      signal?.removeEventListener("abort", interrupt);
    }
    return this.found();
  }

  private found(): Found {
    const failAt = this.failAt();
    const coverage = new Map<string, boolean>();
    const runs = [...this.sometimes.keys()].filter((r) => r <= failAt).sort((a, b) => a - b);
    for (const r of runs) mergeSometimes(coverage, new Map(this.sometimes.get(r)));
    const exhausted = this.exhaustedAt !== Infinity && !this.fail;
    const counted = this.fail && !this.stopped ? failAt - this.plan.from + 1 : this.done;
    return {
      runs: counted, exhausted, coverage, stopped: this.fail ? undefined : this.stopped,
      fail: this.fail, crash: this.crash, search: this.search,
    };
  }

  private spawn(): Slot {
    const slot = new Slot(this.file, this.opts, true, this.plan.bundle);
    slot.onReply = (m) => this.reply(slot, m);
    slot.onDeath = (message) => this.death(slot, message);
    return slot;
  }

  private stop(why: "time" | "interrupted"): void {
    this.stopped ??= why;
    this.check();
  }

  /** Hand chunks to idle workers; at a block's end, its lessons to every worker first. */
  private assign(): void {
    const busy = () => this.slots.some((s) => !s.dead && s.job !== null);
    if (!this.stopped && !this.crash && !busy() && this.next >= this.limit &&
      this.next < Math.min(this.plan.to, this.exhaustedAt, this.failAt())) {
      const lessons = this.lessons.sort((a, b) => a.run - b.run);
      this.lessons = [];
      for (const s of this.slots) if (!s.dead) s.send({ type: "learn", lessons });
      this.limit = this.blockLimit(this.next);
    }
    for (const s of this.slots) {
      if (s.dead || s.job !== null || this.stopped || this.crash) continue;
      const end = Math.min(this.limit, this.failAt(), this.exhaustedAt);
      if (this.next >= end) break;
      const to = Math.min(end, this.next + this.chunkRuns(s));
      s.chunkRuns = Math.min(CHUNK_RUNS_MAX, s.chunkRuns * 2);
      s.send({ type: "runs", from: this.next, to });
      this.next = to;
    }
    this.check();
  }

  private chunkRuns(slot: Slot): number {
    const left = this.limit - this.next;
    return Math.max(1, Math.min(slot.chunkRuns, Math.ceil(left / this.plan.workers)));
  }

  /** Done when no run below the failure (or at all, when stopping) is still being run. */
  private check(): void {
    const failAt = this.failAt();
    const waiting = this.slots.some((s) => !s.dead && s.job?.type === "runs" &&
      s.job.from < failAt && !this.stopped && !this.crash);
    if (waiting) return;
    const end = Math.min(this.plan.to, this.exhaustedAt, failAt);
    if (this.stopped || this.crash || this.next >= end) this.finish();
  }

  private reply(slot: Slot, m: ToMain): void {
    if (m.type !== "ran") return;
    this.done += m.to - m.from;
    for (const [run, s] of m.sometimes) this.sometimes.set(run, s);
    for (const l of m.lessons) this.lessons.push(l);
    if (m.exhausted) this.exhaustedAt = Math.min(this.exhaustedAt, m.to);
    if (m.fail && m.fail.run < this.failAt()) this.fail = m.fail;
    if (m.search) this.search = m.search;
    this.plan.onProgress?.(this.done, this.plan.to - this.plan.from);
    void slot;
    this.assign();
  }

  private timeout(slot: Slot): void {
    const at = slot.where();
    const job = slot.job;
    slot.kill();
    if (job?.type !== "runs") return;
    this.done += at.run - job.from + 1;
    if (at.run < this.failAt()) {
      this.fail = { run: at.run, decisions: at.decisions, timeout: at };
    }
    // Every run below this one was handed out already: no replacement worker is needed.
    this.assign();
  }

  private death(slot: Slot, message: string): void {
    const job = slot.job;
    const at = slot.where();
    if (job === null) {
      // Idle (it failed to start): a crash only when no worker is left.
      const none = this.slots.every((s) => s.dead);
      if (none) this.crash ??= { run: this.next, message, decisions: "" };
      this.check();
      return;
    }
    slot.job = null;
    if (job.type === "runs") this.done += Math.max(0, at.run - job.from);
    this.crash ??= { run: at.run, message, decisions: at.decisions };
    this.check();
  }

  /** Shrink the failure in a worker (a fresh one if none is idle), under the watchdog; a
   * shrink that times out or crashes leaves the failure as it was found. */
  async shrink(run: number, decisions: string, budget: number):
    Promise<{ decisions: string; runs: number }> {
    let slot = this.slots.find((s) => !s.dead && s.job === null);
    if (!slot) {
      slot = this.spawn();
      this.slots.push(slot);
    }
    const s = slot;
    await s.ready;
    return new Promise((resolve) => {
      const give = () => resolve({ decisions, runs: 0 });
      const stop = watchdog(() => [s], this.plan.timeoutMs, () => { s.kill(); stop(); give(); });
      s.onReply = (m) => {
        stop();
        if (m.type === "shrunk") resolve({ decisions: m.decisions, runs: m.runs });
        else give();
      };
      s.onDeath = () => { stop(); give(); };
      s.send({ type: "shrink", run, decisions, budget });
    });
  }

  close(): void {
    for (const s of this.slots) s.kill();
  }
}
