// The CLI's `run` and `explore` commands (cli/cli.ts dispatches here).
//
//   ipcsim run SCENARIO [--seed N] [--strategy S] [--replay D] [--json] [--max-steps N]
//                       [--check C,...] [--trace-out FILE]
//   ipcsim explore SCENARIO [--strategy S] [--runs N] [--seed N] [--json] [--no-shrink]
//                           [--shard K/N]
//                       [--max-steps N] [--check C,...] [--trace-out FILE]
//
// Exit codes: 0 ok, 1 failure found, 2 bad input, 3 budget exhausted without a verdict that
// was required (explore: a `sometimes` condition never reached).

import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { canonicalJson, type Json } from "../sim/trace/serialise.js";
import type { EndChecks } from "../sim/scenario/checks.js";
import { explore, shardRange, type ExploreResult } from "../sim/scenario/explore.js";
import { loadScenario } from "../sim/scenario/load.js";
import { run, type RunOptions, type RunResult } from "../sim/scenario/run.js";

interface CommandIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Progress text (a terminal's stderr), or undefined for none. */
  progress?: (text: string) => void;
}

export interface ScenarioFlags {
  seed?: string;
  strategy?: string;
  replay?: string;
  json?: boolean;
  runs?: string;
  "max-steps"?: string;
  check?: string[];
  "no-shrink"?: boolean;
  "trace-out"?: string;
  depth?: string;
  preemptions?: string;
  shard?: string;
}

export class ScenarioUsageError extends Error {}

/** `--shard K/N`: the K-th (1-based) of N slices of the runs. Only the syntax is checked here;
 * explore.ts shardRange checks the range (and explore, the strategy). */
function shardOf(s: string | undefined): { index: number; count: number } | undefined {
  if (s === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(s);
  if (!m) throw new ScenarioUsageError(`--shard takes K/N with 1 <= K <= N, got "${s}"`);
  return { index: Number(m[1]), count: Number(m[2]) };
}

function whole(name: string, s: string | undefined, max = 0xffffffff): number | undefined {
  if (s === undefined) return undefined;
  if (!/^\d+$/.test(s) || Number(s) > max) {
    throw new ScenarioUsageError(`--${name} takes a whole number 0..${max}, got "${s}"`);
  }
  return Number(s);
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
      throw new ScenarioUsageError(
        `--check: unknown check "${item}" (known: zombies, ipc, pipes, all)`,
      );
    }
    out[key] = true;
  }
  return out;
}

function options(file: string, f: ScenarioFlags): RunOptions {
  return {
    name: file,
    seed: whole("seed", f.seed),
    strategy: f.strategy,
    replay: f.replay,
    depth: whole("depth", f.depth),
    preemptions: whole("preemptions", f.preemptions),
    maxSteps: whole("max-steps", f["max-steps"]),
    checks: checksOf(f.check),
  };
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

export async function runCommand(file: string, f: ScenarioFlags, io: CommandIo): Promise<number> {
  const opts = options(file, f);
  const scenario = await loadScenario(file);
  const r = await run(scenario, opts);
  const tracePath = f["trace-out"] ? saveTrace(r, file, f["trace-out"]) : undefined;
  if (f.json) {
    const j = r.json() as Record<string, Json>;
    if (tracePath) j.traceFile = tracePath;
    io.out(canonicalJson(j));
  } else {
    io.out(`ipcsim run ${file} --seed ${r.seed} --strategy ${r.strategy}`);
    for (const line of r.text()) io.out(line);
    if (tracePath) io.out(`trace: ${tracePath} (on Linux: ipcsim diff ${tracePath})`);
  }
  return r.ok ? 0 : 1;
}

export async function exploreCommand(
  file: string, f: ScenarioFlags, io: CommandIo,
): Promise<number> {
  const opts = options(file, f);
  const total = whole("runs", f.runs) ?? 1000;
  const shard = shardOf(f.shard);
  const scenario = await loadScenario(file);
  const every = Math.max(1, Math.floor(total / 100));
  const progress = f.json ? undefined : io.progress;
  const onProgress = progress && ((done: number, all: number) => {
    if (done % every === 0 || done === all) progress(bar(done, all));
  });
  const shrink = !f["no-shrink"];
  const r = await explore(scenario, { ...opts, runs: total, shard, shrink, onProgress });
  if (progress) progress("\n");
  const tracePath = r.shrunk ? saveTrace(r.shrunk, file, f["trace-out"]) : undefined;
  const shardFlag = shard ? ` --runs ${total} --shard ${shard.index}/${shard.count}` : "";
  const first = shardRange(total, shard)[0];
  if (f.json) io.out(canonicalJson(exploreJson(r, tracePath, f.shard)));
  else for (const line of exploreText(file, r, tracePath, shardFlag, first)) io.out(line);
  if (!r.ok) return 1;
  return Object.values(r.sometimes).some((hit) => !hit) ? 3 : 0;
}

function bar(done: number, total: number): string {
  const width = 30;
  const full = Math.round((done / total) * width);
  return `\r[${"#".repeat(full)}${" ".repeat(width - full)}] ${done}/${total} runs`;
}

function exploreText(
  file: string, r: ExploreResult, tracePath: string | undefined, shardFlag: string, first: number,
): string[] {
  const lines = [`ipcsim explore ${file} --seed ${r.seed} --strategy ${r.strategy}${shardFlag}`];
  if (r.ok) {
    const all = r.exhausted ? " (every schedule within the bound: exhaustive)" : "";
    lines.push(`ok: no failure in ${r.runs} runs${all}`);
  } else {
    const s = r.shrunk!;
    const found = `${r.failure!.steps} calls, ${r.failure!.preemptions} preemptions`;
    const at = first > 0 ? `${first + r.runs} (run ${r.runs} of this shard)` : `${r.runs}`;
    lines.push(`failure found at run ${at} (${found});` +
      ` shrunk in ${r.shrinkRuns ?? 0} runs to ${s.steps} calls, ${s.preemptions} preemptions:`);
    lines.push(...s.text().filter((l) => !l.startsWith("replay: ")));
    lines.push(`replay: ${s.replayCommand}`);
    lines.push(`on Linux: ipcsim diff ${tracePath}`);
  }
  for (const [name, hit] of Object.entries(r.sometimes)) {
    lines.push(`sometimes "${name}": ${hit ? "covered" : "NOT covered"}`);
  }
  return lines;
}

function exploreJson(r: ExploreResult, tracePath: string | undefined, shard?: string): Json {
  const out: Record<string, Json> = {
    ok: r.ok, runs: r.runs, exhausted: r.exhausted, strategy: r.strategy, seed: r.seed,
    sometimes: r.sometimes, shard: shard ?? null,
  };
  if (r.shrunk) {
    const f = r.failure!;
    out.failure = { decisions: f.decisions, steps: f.steps, preemptions: f.preemptions };
    out.shrunk = r.shrunk.json();
    out.traceFile = tracePath ?? null;
    out.diff = `ipcsim diff ${tracePath}`;
  }
  return out;
}

