// The CLI's `run` and `explore` commands (cli/cli.ts parses the options and dispatches here).
//
//   ipcsim run SCENARIO [--seed N] [--strategy S | --replay D] [--depth D] [--preemptions P]
//                       [--max-steps N] [--check C,...] [--trace-out FILE] [--json]
//                       [-e trace=EXPR] [-p PID] [--run-timeout MS]
//   ipcsim explore SCENARIO [--runs N] [--seed N] [--strategy S] [--depth D] [--preemptions P]
//                           [--max-steps N] [--check C,...] [--no-shrink] [--shard K/N]
//                           [--trace-out FILE] [--json] [--workers N] [--run-timeout MS]
//                           [--time DURATION]
//
// Both run the scenario in worker threads under a watchdog (sim/scenario/pool.ts).
//
// Exit codes: 0 ok, 1 failure found, 2 bad input, 3 budget exhausted without a verdict that
// was required (explore: a `sometimes` condition never reached, or --time ran out), 130
// interrupted (Ctrl-C during explore).

import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { Json } from "../sim/trace/serialise.js";
import { stepFilter } from "../sim/trace/filter.js";
import type { EndChecks } from "../sim/scenario/checks.js";
import { shardRange } from "../sim/scenario/explore.js";
import { plural } from "../sim/text.js";
import { isLogLine, type RunOptions, type RunResult } from "../sim/scenario/run.js";
import {
  exploreInWorkers, runInWorker, type PoolExploreResult,
} from "../sim/scenario/pool.js";
import { makeStrategy } from "../sim/scenario/strategies/index.js";
import {
  document, EXIT, scenarioConsole, UsageError, type Ctx, type ExitCode, type Logs,
} from "./output.js";

/** The options of `run` and `explore`, as cli/cli.ts parses them (numbers already checked). */
export interface ScenarioFlags {
  seed?: number;
  strategy?: string;
  replay?: string;
  json?: boolean;
  runs?: number;
  maxSteps?: number;
  check?: string[];
  /** false with --no-shrink. */
  shrink?: boolean;
  traceOut?: string;
  depth?: number;
  preemptions?: number;
  shard?: string;
  /** --workers N, --run-timeout MS, --time (ms): the worker threads and budgets (pool.ts). */
  workers?: number;
  runTimeout?: number;
  time?: number;
  /** -e trace=EXPR, -p PID: the text view's filters (run only). */
  e?: string[];
  p?: string[];
}

/** `--shard K/N`: the K-th (1-based) of N slices of the runs. Only the syntax is checked here;
 * explore.ts shardRange checks the range (and explore, the strategy). */
function shardOf(s: string | undefined): { index: number; count: number } | undefined {
  if (s === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(s);
  if (!m) throw new UsageError(`--shard takes K/N with 1 <= K <= N, got "${s}"`);
  return { index: Number(m[1]), count: Number(m[2]) };
}

const CHECK_NAMES: Record<string, keyof EndChecks> = {
  zombies: "zombies",
  ipc: "ipcObjects",
  "ipc-objects": "ipcObjects",
  pipes: "pipesDrained",
  "pipes-drained": "pipesDrained",
};

function checksOf(list: string[] | undefined): EndChecks {
  const out: EndChecks = {};
  for (const item of (list ?? []).flatMap((s) => s.split(","))) {
    if (item === "all") {
      out.zombies = out.ipcObjects = out.pipesDrained = true;
      continue;
    }
    const key = CHECK_NAMES[item];
    if (!key) {
      throw new UsageError(`--check: unknown check "${item}" (known: zombies, ipc, pipes, all)`);
    }
    out[key] = true;
  }
  return out;
}

/** Options that do not apply together (commander checks which options a command has). */
function checkCombination(command: "run" | "explore", f: ScenarioFlags): void {
  const [name, param] = (f.strategy ?? "random").split(":");
  if (f.replay !== undefined) {
    if (f.strategy !== undefined && f.strategy !== "replay") {
      throw new UsageError(`--replay D replays a decision string: it is its own strategy, ` +
        `so --strategy ${f.strategy} does not apply (drop one of them)`);
    }
    if (f.seed !== undefined) {
      throw new UsageError("--seed does not apply to --replay D (the decisions are the " +
        "whole schedule): drop --seed");
    }
  }
  if (command === "explore" && name === "replay") {
    throw new UsageError("explore cannot use --strategy replay: replay one run with " +
      "`ipcsim run SCENARIO --replay D`");
  }
  if (f.depth !== undefined && (name !== "pct" || param !== undefined)) {
    throw new UsageError(name === "pct"
      ? `--depth and --strategy ${f.strategy} both give PCT's depth: give it once`
      : `--depth is PCT's bug depth: it applies to --strategy pct only`);
  }
  if (f.preemptions !== undefined && (name !== "dfs" || param !== undefined)) {
    throw new UsageError(name === "dfs"
      ? `--preemptions and --strategy ${f.strategy} both give dfs's bound: give it once`
      : `--preemptions is dfs's preemption bound: it applies to --strategy dfs only`);
  }
  if (f.json && (f.e !== undefined || f.p !== undefined)) {
    throw new UsageError("-e and -p filter the text view; --json output is never filtered " +
      "(drop -e/-p, or --json)");
  }
}

function options(command: "run" | "explore", file: string, f: ScenarioFlags): RunOptions {
  checkCombination(command, f);
  const opts: RunOptions = {
    name: file,
    seed: f.seed,
    strategy: f.strategy,
    replay: f.replay,
    depth: f.depth,
    preemptions: f.preemptions,
    maxSteps: f.maxSteps,
    checks: checksOf(f.check),
  };
  // The strategy, made once here, so that a bad one (pct:0) is a usage error before the
  // scenario is even loaded.
  try {
    makeStrategy(opts);
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(`--strategy ${f.strategy}: ${e.message}`);
    throw e;
  }
  return opts;
}

/** Save a failing run's trace where `ipcsim diff` can replay it on Linux; returns the path. */
function saveTrace(r: RunResult, file: string, out: string | undefined): string {
  const dir = process.env.IPCSIM_FAILURES ?? join(tmpdir(), "ipcsim-failures");
  const stem = basename(file).replace(/\.[^.]*$/, "");
  const path = out ?? join(dir, `${stem}.${r.decisions || "0"}.jsonl`);
  if (!out) mkdirSync(dir, { recursive: true });
  writeFileSync(path, r.trace());
  return path;
}

export async function runCommand(file: string, f: ScenarioFlags, ctx: Ctx): Promise<ExitCode> {
  const opts = options("run", file, f);
  const filter = f.json ? undefined : stepFilter(f.e, f.p);
  const r = await scenarioConsole(ctx, () =>
    runInWorker(file, { ...opts, runTimeoutMs: f.runTimeout }));
  const tracePath = f.traceOut ? saveTrace(r, file, f.traceOut) : undefined;
  const exit = r.ok ? EXIT.ok : EXIT.failure;
  const { io } = ctx;
  if (f.json) {
    const j = r.json() as Record<string, Json>;
    if (tracePath) j.traceFile = tracePath;
    io.out(document("run", exit, { ...j, logs: withOsLogs(ctx.logs!, r) }));
  } else {
    io.out(`ipcsim run ${file} --seed ${r.seed} --strategy ${r.strategy}`);
    // os.log lines to stderr, as a program's own output would be; the calls stay on stdout.
    for (const line of r.text(filter)) (isLogLine(line) ? io.err : io.out)(line);
    if (tracePath) io.out(`trace: ${tracePath} (on Linux: ipcsim diff ${tracePath})`);
  }
  return exit;
}

/** The `logs` field: the console output captured, then the run's os.log lines. */
function withOsLogs(logs: Logs, r: RunResult | undefined): Json {
  if (r) logs.addOsLogs(r.exec.logs, r.exec.logAt);
  return logs.json();
}

export async function exploreCommand(
  file: string, f: ScenarioFlags, ctx: Ctx,
): Promise<ExitCode> {
  const opts = options("explore", file, f);
  const total = f.runs ?? 1000;
  const shard = shardOf(f.shard);
  const first = shardRange(total, shard)[0];
  const every = Math.max(1, Math.floor(total / 100));
  const progress = f.json ? undefined : ctx.io.progress;
  const onProgress = progress && ((done: number, all: number) => {
    if (done % every === 0 || done === all) progress(bar(done, all));
  });
  const shrink = f.shrink ?? true;
  // Ctrl-C stops the search; the summary is printed and the exit is 130.
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort();
  process.on("SIGINT", onSigint);
  const r = await scenarioConsole(ctx, () => exploreInWorkers(file, {
    ...opts, runs: total, shard, shrink, onProgress, workers: f.workers,
    runTimeoutMs: f.runTimeout, timeMs: f.time, signal: interrupt.signal,
  })).finally(() => process.off("SIGINT", onSigint));
  if (progress) progress("\n");
  const tracePath = r.shrunk ? saveTrace(r.shrunk, file, f.traceOut) : undefined;
  const shardFlag = shard ? ` --runs ${total} --shard ${shard.index}/${shard.count}` : "";
  const exit = r.crash ? EXIT.badInput
    : !r.ok ? EXIT.failure
    : r.stopped === "interrupted" ? EXIT.interrupted
    : r.stopped === "time" ? EXIT.inconclusive
    : Object.values(r.sometimes).some((hit) => !hit) ? EXIT.inconclusive
    : EXIT.ok;
  if (f.json) {
    const body = exploreJson(r, tracePath, f.shard) as Record<string, Json>;
    ctx.io.out(document("explore", exit, { ...body, logs: withOsLogs(ctx.logs!, r.shrunk) }));
  } else {
    for (const line of exploreText(file, r, tracePath, shardFlag, first)) ctx.io.out(line);
  }
  return exit;
}

function bar(done: number, total: number): string {
  const width = 30;
  const full = Math.round((done / total) * width);
  return `\r[${"#".repeat(full)}${" ".repeat(width - full)}] ${done}/${total} runs`;
}

function exploreText(
  file: string, r: PoolExploreResult, tracePath: string | undefined, shardFlag: string,
  first: number,
): string[] {
  const lines = [`ipcsim explore ${file} --seed ${r.seed} --strategy ${r.strategy}${shardFlag}`];
  if (r.crash) {
    lines.push(`a worker crashed in run ${r.crash.run} (${r.crash.message}) after ` +
      `${plural(r.runs, "run")} without a failure; replay: ${r.crash.replayCommand}`);
  } else if (r.stopped) {
    lines.push(...stoppedText(file, r, shardFlag));
  } else if (r.ok) {
    const all = r.exhausted ? " (every schedule within the bound: exhaustive)" : "";
    lines.push(`ok: no failure in ${plural(r.runs, "run")}${all}`);
  } else {
    const s = r.shrunk!;
    const found = `${plural(r.failure!.steps, "call")}, ` +
      plural(r.failure!.preemptions, "preemption");
    const at = first > 0 ? `${first + r.runs} (run ${r.runs} of this shard)` : `${r.runs}`;
    lines.push(`failure found at run ${at} (${found});` +
      ` shrunk in ${plural(r.shrinkRuns ?? 0, "run")} to ${plural(s.steps, "call")}, ` +
      `${plural(s.preemptions, "preemption")}:`);
    lines.push(...s.text().filter((l) => !l.startsWith("replay: ")));
    lines.push(`replay: ${s.replayCommand}`);
    lines.push(`on Linux: ipcsim diff ${tracePath}`);
  }
  for (const [name, hit] of Object.entries(r.sometimes)) {
    lines.push(`sometimes "${name}": ${hit ? "covered" : "NOT covered"}`);
  }
  return lines;
}

/** The summary of an exploration stopped by --time or Ctrl-C: how far, and how to go on. */
function stoppedText(file: string, r: PoolExploreResult, shardFlag: string): string[] {
  const why = r.stopped === "time" ? "the time budget (--time) ran out" : "interrupted";
  return [
    `stopped: ${why} after ${plural(r.runs, "run")}, no failure found ` +
      `(seed ${r.seed}, strategy ${r.strategy})`,
    `to go on with new schedules: ipcsim explore ${file} --seed ${r.seed + 1} ` +
      `--strategy ${r.strategy}${shardFlag}`,
  ];
}

function exploreJson(
  r: PoolExploreResult, tracePath: string | undefined, shard?: string,
): Json {
  const out: Record<string, Json> = {
    failed: !r.ok, runs: r.runs, exhausted: r.exhausted, strategy: r.strategy, seed: r.seed,
    sometimes: r.sometimes, shard: shard ?? null, stopped: r.stopped ?? null,
  };
  if (r.crash) out.crash = { ...r.crash };
  if (r.shrunk) {
    const f = r.failure!;
    out.failure = { decisions: f.decisions, steps: f.steps, preemptions: f.preemptions };
    out.shrunk = r.shrunk.json();
    out.traceFile = tracePath ?? null;
    out.diff = `ipcsim diff ${tracePath}`;
  }
  return out;
}

