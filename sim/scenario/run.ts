// `run`: one schedule of a scenario, and the Runner that explore and the fast-check arbitrary
// reuse (one kernel, reset between runs).

import { Kernel } from "../../wasm/kernel.js";
import { applyParams } from "../model/params.js";
import { Prng } from "../prng.js";
import { numberedLines } from "../trace/strace.js";
import { plural } from "../text.js";
import { formatState, stateView, type StateView } from "../state.js";
import type { Json } from "../trace/serialise.js";
import type { StepFilter } from "../trace/filter.js";
import { endVerdict, expectations, type EndChecks, type Expectations } from "./checks.js";
import { encodeDecisions } from "./decisions.js";
import type { Os } from "./os.js";
import { toJsonl } from "./record.js";
import { replayCommand } from "./replay-command.js";
import { Execution, type ExecResult } from "./scheduler.js";
import { makeStrategy, type StrategyOptions } from "./strategies/index.js";
import { ReplayStrategy } from "./strategies/replay.js";
import type { Strategy } from "./strategies/strategy.js";
import { verdictLine, type Verdict } from "./verdict.js";

/** A scenario's main: runs as the first process (pid 2), with its `os`. */
export type ScenarioMain = (os: Os) => unknown;

/** A scenario module: `export default async function main(os)`, and optionally its checks,
 * the exit statuses it expects, its sysctls and a name. */
export interface ScenarioModule {
  /** Each process's state is which of its steps it has made (a trace run as a program,
   * from-trace.ts): verify may prune states it has seen (scheduler ExecOptions.stateKeys). */
  straightLine?: boolean;
  default?: ScenarioMain;
  main?: ScenarioMain;
  checks?: EndChecks;
  expect?: Expectations;
  params?: Record<string, number | number[]>;
  name?: string;
}

/** What run, explore and runSchedule take: a main, or a module that exports one. */
export type Scenario = ScenarioMain | ScenarioModule;

/** Options of run (and explore, runSchedule): the strategy, the seed, the limits. */
export interface RunOptions extends StrategyOptions {
  /** The PRNG seed (default 0). */
  seed?: number;
  /** Calls after which a run without a verdict fails as a livelock (default 10000). */
  maxSteps?: number;
  /** End checks, added to the scenario's own. */
  checks?: EndChecks;
  /** Exit statuses that are not failures (main's exit status, signals that may kill a
   * process), each key replacing the scenario's own. */
  expect?: Expectations;
  /** kernel_check() after every step (slower; tests use it). */
  kernelCheck?: boolean;
  /** How the scenario is named in replay commands (the CLI passes its path). */
  name?: string;
}

/** One run: its verdict, the decisions that replay it, and its trace in three forms. */
export interface RunResult {
  ok: boolean;
  verdict: Verdict;
  seed: number;
  strategy: string;
  /** The decision string: `ipcsim run SCENARIO --replay <decisions>` replays this run. */
  decisions: string;
  preemptions: number;
  steps: number;
  sometimes: Record<string, boolean>;
  replayCommand: string;
  /** The run as a trace-v1 trace (JSON Lines, the model's outcomes as expectations). */
  trace(): string;
  /** strace-like lines of the run, then the verdict and the replay command. */
  text(filter?: StepFilter): string[];
  /** The run as one JSON object (verdict, decisions, trace lines). */
  json(): Json;
  /** The raw execution (steps, outcomes, decision log). */
  readonly exec: ExecResult;
}

function mainOf(s: Scenario): ScenarioMain {
  const m = typeof s === "function" ? s : s.default ?? s.main;
  if (typeof m !== "function") {
    throw new TypeError(
      "a scenario is a function or a module whose default export is async function main(os)",
    );
  }
  return m;
}

/** Run one schedule of `scenario`: the processes' calls interleaved as the strategy decides
 * (default mix, seed 0), until every process has exited or the run fails. Never throws
 * for a failing scenario: its verdict says why (an assertion, an exception, a deadlock...).
 * @throws StrategyError for an unknown strategy; DecisionError for a bad `replay` string;
 * TypeError when `scenario` has no main.
 * @example
 * const r = await run(async (os) => { await os.pipe(); }, { seed: 1 });
 * console.log(r.verdict); // { kind: "ok" }
 */
export async function run(scenario: Scenario, opts: RunOptions = {}): Promise<RunResult> {
  const runner = new Runner(scenario, opts);
  runner.keepState = true;
  const strategy = makeStrategy(opts);
  const exec = await runner.execute(strategy, new Prng(opts.seed ?? 0), 0);
  if (!exec) throw new Error(`strategy ${strategy.name} has nothing to run`);
  return runner.result(exec, opts.seed ?? 0, strategy.name);
}

/** Kernels not running anything, reused by every Runner (a kernel's first reset takes a
 * 16 MiB snapshot; later ones are cheap). A run takes one for its duration, so runs may
 * overlap (two `run()`s awaited together) without sharing a kernel. */
const idleKernels: Kernel[] = [];
const IDLE_KERNELS_MAX = 4;

function acquireKernel(): Kernel {
  return idleKernels.pop() ?? new Kernel();
}

function releaseKernel(k: Kernel): void {
  if (idleKernels.length < IDLE_KERNELS_MAX) idleKernels.push(k);
}

/** Runs a scenario many times (on pooled kernels, or on the one given). */
export class Runner {
  private readonly fixedKernel: Kernel | undefined;
  readonly main: ScenarioMain;
  readonly checks: EndChecks;
  readonly expect: Expectations;
  readonly params: Record<string, number | number[]>;
  readonly name: string;
  /** Take the kernel's final state into each execution (ExecResult.state) for the text view. */
  keepState = false;
  /** Record each step's outcome, refs and os.log lines (scheduler.ts ExecOptions.record). A
   * run made without is replayed with it (recorded()) when it is to be shown. */
  record = true;
  /** The watchdog's view of which processes' JS runs (scheduler.ts Execution.watch). */
  watch: Int32Array | null = null;
  private readonly straightLine: boolean;

  constructor(scenario: Scenario, readonly opts: RunOptions = {}, kernel?: Kernel) {
    this.main = mainOf(scenario);
    const mod = typeof scenario === "function" ? {} : scenario;
    this.checks = { ...mod.checks, ...opts.checks };
    this.expect = { ...expectations(mod.expect), ...expectations(opts.expect) };
    this.params = mod.params ?? {};
    this.name = opts.name ?? mod.name ?? "SCENARIO";
    this.fixedKernel = kernel;
    this.straightLine = mod.straightLine === true;
  }

  /** One execution with `strategy`, from a freshly reset kernel; null when the strategy has
   * nothing left to try (an exhausted search). */
  execute(strategy: Strategy, prng: Prng, runIndex: number): Promise<ExecResult> | null {
    if (!strategy.begin(runIndex, prng)) return null;
    const k = this.fixedKernel ?? acquireKernel();
    k.resetFast();
    if (Object.keys(this.params).length > 0) {
      const header = { trace: "ipcsim" as const, version: 1 as const, params: this.params };
      applyParams(k, { file: this.name, header });
    }
    const { checks, expect } = this;
    const x = new Execution(k, strategy, {
      maxSteps: this.opts.maxSteps ?? 10000,
      kernelCheck: this.opts.kernelCheck ?? false,
      trackPipes: checks.pipesDrained ?? false,
      record: this.record || this.keepState, stateKeys: this.straightLine,
    }, (ex, r) => endVerdict(k, r.steps, r.tracker, ex.liveProcs(), checks, expect));
    x.watch = this.watch;
    const done = x.start(this.main);
    if (!this.keepState && this.fixedKernel) return done;
    return done.then((r) => {
      if (this.keepState) r.state = finalState(k, x, r);
      if (!this.fixedKernel) releaseKernel(k);
      return r;
    });
  }

  /** `exec` again, recorded (the same run: its decisions replayed), or `exec` if it was. */
  async recorded(exec: ExecResult, runIndex: number): Promise<ExecResult> {
    if (exec.recorded) return exec;
    const record = this.record;
    this.record = true;
    try {
      return (await this.execute(new ReplayStrategy(exec.log.values), new Prng(0), runIndex))!;
    } finally {
      this.record = record;
    }
  }

  /** The shell command that replays `decisions` with this runner's run-changing options. */
  replayCommand(decisions: string): string {
    const { maxSteps, checks } = this.opts;
    return replayCommand({ scenario: this.name, decisions, maxSteps, checks });
  }

  /** Wrap an execution as the RunResult users see. */
  result(exec: ExecResult, seed: number, strategy: string): RunResult {
    const decisions = encodeDecisions(exec.log.values);
    const replayCommand = this.replayCommand(decisions);
    const header = { name: this.name, params: this.params as Record<string, number | number[]> };
    const res: RunResult = {
      ok: exec.verdict.kind === "ok",
      verdict: exec.verdict,
      seed,
      strategy,
      decisions,
      preemptions: exec.log.preemptions(),
      steps: exec.steps.length,
      sometimes: Object.fromEntries(exec.sometimes),
      replayCommand,
      exec,
      trace: () => toJsonl(exec, header),
      text: (filter?: StepFilter) => runText(res, filter),
      json: () => runJson(res),
    };
    return res;
  }
}

/** The kernel's state as `replay` shows it, with the step each blocked process waits in. */
function finalState(k: Kernel, x: Execution, r: ExecResult): StateView {
  const pending = new Map<number, number>();
  for (const p of x.liveProcs()) {
    if (p.state === "blocked" && p.step >= 0) pending.set(p.pid, p.step);
  }
  return stateView(k, pending, r.steps);
}

function verdictLines(v: Verdict): string[] {
  const lines = [`verdict: ${verdictLine(v)}`];
  if (v.kind === "deadlock" || v.kind === "livelock" || v.kind === "stuck") {
    for (const l of v.explanation) lines.push(`  ${l}`);
  }
  if (v.kind === "exception" && v.stack) for (const l of v.stack) lines.push(`    ${l}`);
  if (v.kind === "check" && v.messages.length > 1) for (const m of v.messages) lines.push(`  ${m}`);
  return lines;
}

/** An `os.log` line or a console line (console.ts) of the run view: marked so that it cannot
 * be taken for a call. The scheduler keeps each as "[pid N] text" or "[pid N fd F] text". */
function logLine(log: string, filter?: StepFilter): string | null {
  const m = /^\[pid (\d+)(?: fd (\d+))?\] ([^]*)$/.exec(log);
  if (!m) return `${LOG_INDENT} # os.log: ${log}`;
  // `-p` applies to a log line; `-e trace=` does not (it names no call).
  if (filter?.showsPid?.(Number(m[1])) === false) return null;
  const source = m[2] === undefined ? "os.log" : streamName(Number(m[2]));
  return `${LOG_INDENT} # ${source} (pid ${m[1]}): ${m[3]}`;
}

/** What a console line's descriptor is called: stdout, stderr, or its number (a dup). */
function streamName(fd: number): string {
  return fd === 1 ? "stdout" : fd === 2 ? "stderr" : `fd ${fd}`;
}
const LOG_INDENT = "    ";

/** Whether a line of RunResult.text() is an os.log line (the CLI writes those to stderr, so
 * that stdout carries the calls alone). */
export function isLogLine(line: string): boolean {
  return LOG_LINE.test(line);
}
const LOG_LINE = /^ {4} # (os\.log|stdout \(|stderr \(|fd \d+ \()/;

/** A console line of the run view (console.ts): its pid and text, else null. */
export function outputLine(line: string): { pid: number; text: string } | null {
  const m = /^ {4} # (?:stdout|stderr|fd \d+) \(pid (\d+)\): ([^]*)$/.exec(line);
  return m ? { pid: Number(m[1]), text: m[2] } : null;
}

/** `--output-by-pid`: a run view's console lines grouped by process (`pid N:` then its lines,
 * processes in the order they first wrote), and its other lines. */
export function outputByPid(lines: readonly string[]): { rest: string[]; output: string[] } {
  const byPid = new Map<number, string[]>();
  const rest: string[] = [];
  for (const line of lines) {
    const o = outputLine(line);
    if (o === null) rest.push(line);
    else if (byPid.has(o.pid)) byPid.get(o.pid)!.push(`  ${o.text}`);
    else byPid.set(o.pid, [`  ${o.text}`]);
  }
  const output = [...byPid].flatMap(([pid, texts]) => [`pid ${pid}:`, ...texts]);
  return { rest, output };
}

function runText(r: RunResult, filter?: StepFilter): string[] {
  const { steps, outcomes } = r.exec;
  const { logs, logAt } = r.exec;
  const lines: string[] = [];
  let next = 0;
  const log = (): void => {
    const l = logLine(logs[next++], filter);
    if (l !== null) lines.push(l);
  };
  while (next < logs.length && logAt[next] < 0) log();
  for (let i = 0; i < steps.length; i++) {
    lines.push(...numberedLines(steps[i], outcomes[i], steps, filter));
    while (next < logs.length && logAt[next] <= i) log();
  }
  const state = r.exec.state ? formatState(r.exec.state) : [];
  if (state.length > 0) lines.push("final state:", ...state);
  lines.push(...verdictLines(r.verdict));
  lines.push(`${plural(r.steps, "step")}, ${plural(r.exec.log.length, "decision")}, ` +
    plural(r.preemptions, "preemption"));
  for (const [name, hit] of Object.entries(r.sometimes)) {
    lines.push(`sometimes "${name}": ${hit ? "reached" : "not reached"}`);
  }
  lines.push(`replay: ${r.replayCommand}`);
  return lines;
}

function runJson(r: RunResult): Json {
  const trace = r.trace().trimEnd().split("\n").map((l) => JSON.parse(l) as Json);
  const v = r.verdict as unknown as Record<string, Json>;
  const verdict: Record<string, Json> = {};
  for (const [k, x] of Object.entries(v)) if (k !== "error") verdict[k] = x;
  return {
    ok: r.ok, verdict, seed: r.seed, strategy: r.strategy, decisions: r.decisions,
    preemptions: r.preemptions, steps: r.steps, sometimes: r.sometimes, replay: r.replayCommand,
    trace,
  };
}

