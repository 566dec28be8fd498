// The CLI's `run` and `explore` commands (cli/cli.ts parses the options and dispatches here).
//
//   ipcsim run SCENARIO [--seed N] [--strategy S | --replay D] [--depth D] [--preemptions P]
//                       [--max-steps N] [--check C,...] [--trace-out FILE] [--failures DIR]
//                       [--json] [-e trace=EXPR] [-p PID] [--run-timeout MS]
//   ipcsim explore SCENARIO [--runs N] [--seed N] [--strategy S] [--depth D] [--preemptions P]
//                           [--max-steps N] [--check C,...] [--no-shrink] [--shard K/N]
//                           [--trace-out FILE] [--failures DIR] [--result FILE] [--json]
//                           [--workers N] [--run-timeout MS] [--time DURATION]
//   ipcsim explore --merge RESULT... [--json]      (cli/explore-merge.ts)
//
// Both run the scenario in worker threads under a watchdog (sim/scenario/pool.ts). A failing
// run's trace is saved in --failures DIR (default .ipcsim/failures under the working
// directory), named after the scenario and a short hash of what ran, for `ipcsim diff`.
//
// Exit codes: 0 ok, 1 failure found, 2 bad input, 3 budget exhausted without a verdict that
// was required (explore: a `sometimes` condition never reached, or --time ran out), 130
// interrupted (Ctrl-C during explore).

import { createHash } from "node:crypto";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import type { Json } from "../sim/trace/serialise.js";
import { stepFilter } from "../sim/trace/filter.js";
import type { EndChecks } from "../sim/scenario/checks.js";
import { shardRange } from "../sim/scenario/explore.js";
import { plural } from "../sim/text.js";
import { isLogLine, outputByPid, type RunOptions, type RunResult } from "../sim/scenario/run.js";
import {
  exploreInWorkers, runInWorker, type PoolExploreResult,
} from "../sim/scenario/pool.js";
import { makeStrategy } from "../sim/scenario/strategies/index.js";
import { scenarioSha256 } from "./explore-merge.js";
import type { Verdict } from "../sim/scenario/verdict.js";
import { type ViewFlags, writeRunViews } from "./views.js";
import { runFlags, shellQuote } from "../sim/scenario/replay-command.js";
import {
  document, EXIT, scenarioConsole, UsageError, type Ctx, type ExitCode, type Logs,
} from "./output.js";

/** The options of `run` and `explore`, as cli/cli.ts parses them (numbers already checked). */
export interface ScenarioFlags extends ViewFlags {
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
  /** --failures DIR: where failing runs' traces are saved. */
  failures?: string;
  depth?: number;
  preemptions?: number;
  shard?: string;
  /** --result FILE: explore's JSON document written there too (a shard's result). */
  result?: string;
  /** --workers N, --run-timeout MS, --time (ms): the worker threads and budgets (pool.ts). */
  workers?: number;
  runTimeout?: number;
  time?: number;
  /** -e trace=EXPR, -p PID: the text view's filters (run only). */
  e?: string[];
  p?: string[];
  /** --output-by-pid: the processes' console output grouped by process (run only). */
  outputByPid?: boolean;
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
  const [name, param] = (f.strategy ?? "mix").split(":");
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
  const search = name === "dfs" || name === "dpor";
  if (f.preemptions !== undefined && (!search || param !== undefined)) {
    throw new UsageError(search
      ? `--preemptions and --strategy ${f.strategy} both give ${name}'s bound: give it once`
      : `--preemptions is the preemption bound of dfs and dpor: it applies to --strategy ` +
        "dfs or dpor only");
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

/** Where failing runs' traces go: --failures DIR, else $IPCSIM_FAILURES, else the project's
 * .ipcsim/failures (under the working directory, so projects never share one). */
function failuresDir(f: ScenarioFlags): string {
  return f.failures ?? process.env.IPCSIM_FAILURES ?? join(".ipcsim", "failures");
}

/** A failure file's name: the scenario's stem and a short hash of the scenario's path, the
 * strategy and seed that found the run, and its replay command (decisions and options): a
 * decision string may be thousands long. */
function failureName(file: string, found: { strategy: string; seed: number }, r: RunResult) {
  const stem = basename(file).replace(/\.[^.]*$/, "");
  const key = [resolve(file), found.strategy, String(found.seed), r.replayCommand];
  const hash = createHash("sha256").update(key.join("\0")).digest("hex").slice(0, 12);
  return `${stem}.${hash}.jsonl`;
}

/** Save a failing run's trace where `ipcsim diff` can replay it on Linux (--trace-out FILE,
 * else the failures directory); returns the path. `found` names the search that found it. */
function saveTrace(
  r: RunResult, file: string, f: ScenarioFlags, found: { strategy: string; seed: number },
): string {
  if (f.traceOut) {
    writeFileSync(f.traceOut, r.trace());
    return f.traceOut;
  }
  const dir = failuresDir(f);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, failureName(file, found, r));
  writeFileSync(path, r.trace());
  return path;
}

/** The command line that reruns what `run` ran (the replay command, for a replay). */
function runHeader(file: string, r: RunResult, opts: RunOptions): string {
  if (r.strategy === "replay") return r.replayCommand;
  const words = ["ipcsim", "run", file, "--seed", String(r.seed), "--strategy", r.strategy];
  return [...words, ...runFlags(opts)].map(shellQuote).join(" ");
}

/** One run of a scenario for `ipcsim view`: its trace (JSON Lines) and verdict line. */
export async function runForView(
  file: string, f: ScenarioFlags, ctx: Ctx,
): Promise<{ trace: string; verdict: Verdict }> {
  const opts = options("run", file, f);
  const r = await scenarioConsole(ctx, () =>
    runInWorker(file, { ...opts, runTimeoutMs: f.runTimeout }));
  return { trace: r.trace(), verdict: r.verdict };
}

export async function runCommand(file: string, f: ScenarioFlags, ctx: Ctx): Promise<ExitCode> {
  const opts = options("run", file, f);
  const filter = f.json ? undefined : stepFilter(f.e, f.p);
  const r = await scenarioConsole(ctx, () =>
    runInWorker(file, { ...opts, runTimeoutMs: f.runTimeout }));
  const tracePath = f.traceOut || !r.ok ? saveTrace(r, file, f, r) : undefined;
  const exit = r.ok ? EXIT.ok : EXIT.failure;
  const { io } = ctx;
  if (f.json) {
    const j = r.json() as Record<string, Json>;
    if (tracePath) j.traceFile = tracePath;
    io.out(document("run", exit, { ...j, logs: withOsLogs(ctx.logs!, r) }));
  } else {
    io.out(runHeader(file, r, opts));
    // os.log lines to stderr, as a program's own output would be; the calls stay on stdout.
    const text = r.text(filter);
    const grouped = f.outputByPid ? outputByPid(text) : null;
    for (const line of grouped?.rest ?? text) (isLogLine(line) ? io.err : io.out)(line);
    for (const line of grouped?.output ?? []) io.err(line);
    if (tracePath) io.out(`trace: ${tracePath} (on Linux: ${diffCommand(tracePath)})`);
  }
  const views = writeRunViews(r.trace(), file, f, r.verdict);
  if (!f.json) for (const line of views) io.out(line);
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
  const [first, last] = shardRange(total, shard);
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
  const tracePath = r.shrunk ? saveTrace(r.shrunk, file, f, r) : undefined;
  const shardFlag = shard ? ` --runs ${total} --shard ${shard.index}/${shard.count}` : "";
  // A crashed worker ended a run abnormally: a failure of that run, never ok or bad input.
  const exit = !r.ok ? EXIT.failure
    : r.stopped === "interrupted" ? EXIT.interrupted
    : r.stopped === "time" ? EXIT.inconclusive
    : Object.values(r.sometimes).some((hit) => !hit) ? EXIT.inconclusive
    : EXIT.ok;
  if (f.json || f.result !== undefined) {
    const body = exploreJson(r, tracePath, { file, f, opts, shard, total, first, last }) as
      Record<string, Json>;
    const doc = document("explore", exit, { ...body, logs: withOsLogs(ctx.logs!, r.shrunk) });
    if (f.result !== undefined) writeResult(f.result, doc);
    if (f.json) ctx.io.out(doc);
  }
  if (!f.json) {
    const words = [file, "--seed", String(r.seed), "--strategy", r.strategy];
    const header = `ipcsim explore ${words.map(shellQuote).join(" ")}${shardFlag}` +
      runFlags(opts).map((w) => ` ${shellQuote(w)}`).join("");
    for (const line of exploreText(header, r, tracePath, first, file, shardFlag)) ctx.io.out(line);
  }
  // The views are of the shrunk failure; a passing exploration has none to show.
  const views = r.shrunk
    ? writeRunViews(r.shrunk.trace(), file, f, r.shrunk.verdict) : [];
  if (!f.json) for (const line of views) ctx.io.out(line);
  return exit;
}

/** Write a shard's result whole or not at all (a merge waiting for the file on a shared
 * volume must never read half of it). */
function writeResult(path: string, doc: string): void {
  const part = `${path}.${process.pid}.part`;
  writeFileSync(part, doc + "\n");
  renameSync(part, path);
}

function diffCommand(path: string): string {
  return `ipcsim diff ${shellQuote(path)}`;
}

function bar(done: number, total: number): string {
  const width = 30;
  const full = Math.round((done / total) * width);
  return `\r[${"#".repeat(full)}${" ".repeat(width - full)}] ${done}/${total} runs`;
}

function exploreText(
  header: string, r: PoolExploreResult, tracePath: string | undefined, first: number,
  file: string, shardFlag: string,
): string[] {
  const lines = [header];
  if (r.crash) {
    lines.push(`a worker crashed in run ${r.crash.run} (${r.crash.message}) after ` +
      `${plural(r.runs, "run")} without a failure; replay: ${r.crash.replayCommand}`);
  } else if (r.stopped) {
    lines.push(...stoppedText(file, r, shardFlag));
  } else if (r.ok) {
    const all = r.exhausted ? " (every schedule within the bound: exhaustive)" : "";
    lines.push(`ok: no failure in ${plural(r.runs, "run")}${all}`);
  } else {
    const at = first > 0 ? `${first + r.runs} (run ${r.runs} of this shard)` : `${r.runs}`;
    lines.push(...failureLines(r, at, tracePath!));
  }
  for (const [name, hit] of Object.entries(r.sometimes)) {
    lines.push(`sometimes "${name}": ${hit ? "covered" : "NOT covered"}`);
  }
  return lines;
}

/** A failure found at run `at`, shrunk: the run, its replay and `ipcsim diff` commands. */
function failureLines(r: PoolExploreResult, at: string, tracePath: string): string[] {
  const s = r.shrunk!;
  const found = `${plural(r.failure!.steps, "call")}, ` +
    plural(r.failure!.preemptions, "preemption");
  return [
    `failure found at run ${at} (${found});` +
      ` shrunk in ${plural(r.shrinkRuns ?? 0, "run")} to ${plural(s.steps, "call")}, ` +
      `${plural(s.preemptions, "preemption")}:`,
    ...s.text().filter((l) => !l.startsWith("replay: ")),
    `replay: ${s.replayCommand}`,
    `on Linux: ${diffCommand(tracePath)}`,
  ];
}

/** `verify SCENARIO`: dpor until the search is exhausted (exit 0: every interleaving class
 * passed), a failure (exit 1, shrunk and printed as explore prints it), or a limit (exit 3:
 * the preemption bound cut the search, or --max-runs ran out). */
export async function verifyCommand(file: string, f: VerifyFlags, ctx: Ctx): Promise<ExitCode> {
  const strategy = f.preemptions === undefined ? "dpor" : `dpor:${f.preemptions}`;
  const g: ScenarioFlags = { ...f, strategy, preemptions: undefined };
  const opts = options("explore", file, g);
  const r = await scenarioConsole(ctx, () => exploreInWorkers(file, {
    ...opts, runs: f.maxRuns ?? VERIFY_RUNS_MAX, workers: 1, runTimeoutMs: f.runTimeout,
  }));
  const tracePath = r.shrunk ? saveTrace(r.shrunk, file, g, r) : undefined;
  const s = r.search ?? { classes: 0, races: 0, bounded: false, cached: 0 };
  const status = !r.ok ? "failure" : !r.exhausted || s.bounded ? "incomplete" : "exhaustive";
  const exit = status === "failure" ? EXIT.failure
    : status === "incomplete" ? EXIT.inconclusive : EXIT.ok;
  const cached = s.cached > 0 ? `, ${plural(s.cached, "run")} cut at a state seen before` : "";
  const counts = `${plural(s.classes, "interleaving class", "interleaving classes")} ` +
    `(${plural(r.runs, "run")}, ${plural(s.races, "race")} reversed${cached})`;
  if (f.json) {
    ctx.io.out(document("verify", exit, {
      status, classes: s.classes, runs: r.runs, races: s.races, bounded: s.bounded,
      cached: s.cached,
      preemptions: f.preemptions ?? null, scenario: file,
      replay: r.shrunk?.replayCommand ?? null, traceFile: tracePath ?? null,
      shrunk: r.shrunk ? r.shrunk.json() : null, logs: withOsLogs(ctx.logs!, r.shrunk),
    }));
    return exit;
  }
  ctx.io.out(`ipcsim verify ${[file, ...(f.preemptions === undefined ? [] :
    ["--preemptions", String(f.preemptions)])].map(shellQuote).join(" ")}`);
  if (r.crash) {
    ctx.io.out(`a worker crashed in run ${r.crash.run} (${r.crash.message}); ` +
      `replay: ${r.crash.replayCommand}`);
  } else if (status === "failure") {
    for (const l of failureLines(r, String(r.runs), tracePath!)) ctx.io.out(l);
  } else if (status === "exhaustive") {
    ctx.io.out(`exhaustive: ${counts}, all pass`);
  } else {
    const why = s.bounded ? `the preemption bound (${f.preemptions}) was reached`
      : `--max-runs ${f.maxRuns ?? VERIFY_RUNS_MAX} ran out`;
    ctx.io.out(`incomplete: ${why}: ${counts} covered, all pass`);
  }
  return exit;
}

/** Runs `verify` makes at most unless --max-runs says otherwise. */
const VERIFY_RUNS_MAX = 1_000_000;

export type VerifyFlags = Pick<ScenarioFlags,
  "preemptions" | "maxSteps" | "check" | "json" | "runTimeout" | "traceOut" | "failures"> & {
  maxRuns?: number;
};

/** The summary of an exploration stopped by --time or Ctrl-C: how far, and how to go on. */
function stoppedText(file: string, r: PoolExploreResult, shardFlag: string): string[] {
  const why = r.stopped === "time" ? "the time budget (--time) ran out" : "interrupted";
  return [
    `stopped: ${why} after ${plural(r.runs, "run")}, no failure found ` +
      `(seed ${r.seed}, strategy ${r.strategy})`,
    `to go on with new schedules: ipcsim explore ${shellQuote(file)} --seed ${r.seed + 1} ` +
      `--strategy ${r.strategy}${shardFlag}`,
  ];
}

/** What explore was asked, for the fields a merge checks (cli/explore-merge.ts). */
interface ExploreAsked {
  file: string;
  f: ScenarioFlags;
  opts: RunOptions;
  shard: { index: number; count: number } | undefined;
  /** --runs, and this shard's run indices [first, last). */
  total: number;
  first: number;
  last: number;
}

function exploreJson(r: PoolExploreResult, tracePath: string | undefined, a: ExploreAsked): Json {
  const checks = Object.entries(a.opts.checks ?? {}).filter(([, on]) => on).map(([k]) => k);
  const out: Record<string, Json> = {
    failed: !r.ok, runs: r.runs, exhausted: r.exhausted, strategy: r.strategy, seed: r.seed,
    sometimes: r.sometimes, shard: a.shard ? `${a.shard.index}/${a.shard.count}` : null,
    scenario: a.file, scenarioSha256: scenarioSha256(a.file), runsTotal: a.total,
    runsFrom: a.first, runsTo: a.last,
    maxSteps: a.f.maxSteps ?? null, checks: checks.sort(), stopped: r.stopped ?? null,
  };
  if (r.crash) out.crash = { ...r.crash };
  if (r.shrunk) {
    const f = r.failure!;
    out.failure = {
      runIndex: a.first + r.runs - 1, decisions: f.decisions, steps: f.steps,
      preemptions: f.preemptions, replay: f.replayCommand,
    };
    out.shrunk = r.shrunk.json();
    out.shrinkRuns = r.shrinkRuns ?? 0;
    out.replay = r.shrunk.replayCommand;
    out.traceFile = tracePath ?? null;
    out.diff = tracePath ? diffCommand(tracePath) : null;
  }
  return out;
}

