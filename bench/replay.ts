// Trace replay throughput, parsing included, on a generated 1,000,000-step pipe trace
// (trace-gen.ts): `parseTrace` of the JSON Lines text, then `replayStream(trace, seed)`, the
// function `ipcsim replay` runs, final-state view and all. Parse and replay are timed
// separately, several rounds, best reported.
//
// Baselines, in the same run:
//   parse:  split + trim + JSON.parse of every line: the floor of any JSON Lines reader;
//   replay: the same calls straight on a Kernel (poke the write data, syscall, retry the woken,
//           drop the events, peek the read data), no outcomes: the kernel's share of a replay.
// And once: `node dist/cli.js replay FILE > /dev/null` (process start, file read, text output).

import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CALLS, type CallName } from "../wasm/abi.js";
import { BLOCKED, Kernel } from "../wasm/kernel.js";
import { replayStream, replayTrace, type ReplayResult } from "../sim/replay.js";
import { stateView } from "../sim/state.js";
import { parseTrace, streamTrace } from "../sim/trace/parse.js";
import type { Step, Trace } from "../sim/trace/types.js";
import {
  collectGarbage, compare, rowFromTimes, timeOnce, withGoal, type BenchOptions, type Row,
} from "./harness.js";
import { generateTrace, PREDICT_BLOCKED, type GeneratedTrace } from "./trace-gen.js";

/** Issue goal: replayed steps per second, parsing included. */
const STEPS_GOAL = 200_000;
const STEPS = 1_000_000;
const SEED = 1;
/** Rounds are expensive here (seconds each): at most this many. */
const ROUNDS_MAX = 3;

export async function replayBench(opts: BenchOptions): Promise<Row[]> {
  const steps = Math.max(1000, Math.round(STEPS * opts.scale));
  const [genS, gen] = timeOnce(() => generateTrace(steps, SEED));
  opts.log(`replay: generated ${gen.steps} steps (${(gen.text.length / 2 ** 20).toFixed(1)} MiB) ` +
    `in ${genS.toFixed(2)} s, seed ${SEED}: ${describeCounts(gen.counts)}`);
  const { times, kernel } = measure(gen, Math.min(opts.rounds, ROUNDS_MAX), opts);
  // The final-state view replayTrace ends with, timed alone on the same final state.
  const [viewS] = timeOnce(() => stateView(kernel, new Map(), []));

  const row = (c: string, what: string, t: number[]) =>
    rowFromTimes({ bench: "replay", unit: "steps/s", case: c, what }, steps, t);
  const json = row("parse", "baseline: JSON.parse per line", times.json);
  const parse = compare(row("parse", "parseTrace", times.parse), json);
  const kern = row("replay", "baseline: same calls on Kernel, no engine", times.kernel);
  const replay = compare(row("replay", "replayStream(trace, seed)", times.replay), kern);
  replay.note = "outcomes streamed (not kept), as the CLI prints them; includes the final-state " +
    `view; stateView alone takes ${(viewS * 1e3).toFixed(2)} ms`;
  const interleaved = "streamTrace + replayStream, interleaved (as the CLI)";
  const total = withGoal(row("parse+replay", interleaved, times.streamed), STEPS_GOAL);
  total.note = "each line parsed as the replay reaches it; only blocked steps are kept";
  const rows = [parse, json, replay, kern, total];
  const cli = cliOnce(gen, opts);
  if (cli) rows.push(compare(cli, total));
  return rows;
}

/** Seconds per round of each measurement, each after a full GC; the first round's replay and
 * every round's kernel-only run are checked against the generator's predictions. */
function measure(gen: GeneratedTrace, rounds: number, opts: BenchOptions) {
  const times = {
    json: [] as number[], parse: [] as number[], replay: [] as number[], kernel: [] as number[],
    streamed: [] as number[],
  };
  let kernel: Kernel | undefined;
  for (let r = 0; r < rounds; r++) {
    collectGarbage();
    times.json.push(timeOnce(() => jsonLines(gen.text))[0]);
    // Streamed first, while no parsed copy of the trace is alive to weigh on the GC.
    collectGarbage();
    const stream = () => replayStream(streamTrace(gen.text, "<bench>"), SEED, () => {});
    times.streamed.push(timeOnce(stream)[0]);
    collectGarbage();
    const [ps, trace] = timeOnce(() => parseTrace(gen.text, "<bench>"));
    times.parse.push(ps);
    times.replay.push(timeReplay(trace, r === 0 ? gen : null));
    collectGarbage();
    const [ks, k] = timeOnce(() => kernelOnly(trace));
    times.kernel.push(ks);
    opts.log(`replay: round ${r + 1} of ${rounds}: JSON.parse ${times.json[r].toFixed(2)} s, ` +
      `parseTrace ${ps.toFixed(2)} s, replayTrace ${times.replay[r].toFixed(2)} s, ` +
      `kernel only ${ks.toFixed(2)} s`);
    const want = predictedSum(gen);
    if (k.sum !== want) {
      throw new Error(`bench: kernel-only returns sum to ${k.sum}, generator predicted ${want}`);
    }
    kernel = k.kernel;
  }
  return { times, kernel: kernel! };
}

/** Seconds for a streaming replay (each outcome handed on and dropped, as the CLI prints
 * them). The first round is also replayed untimed with every outcome kept, and checked
 * against the generator's predictions. */
function timeReplay(trace: Trace, check: GeneratedTrace | null): number {
  if (check) verify(check, trace, replayTrace(trace, SEED));
  collectGarbage();
  let outcomes = 0;
  const [s] = timeOnce(() => replayStream(trace, SEED, () => { outcomes++; }));
  if (outcomes !== trace.steps.length) {
    throw new Error(`bench: replay streamed ${outcomes} outcomes`);
  }
  return s;
}

function describeCounts(counts: Record<string, number>): string {
  return Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(", ");
}

function jsonLines(text: string): number {
  let n = 0;
  for (const line of text.split("\n")) {
    const t = line.trim();
    if (t !== "") n += JSON.parse(t) ? 1 : 0;
  }
  return n;
}

/** The trace's calls straight on a kernel: what a replay costs without the engine. Returns
 * the kernel and the sum of the calls' first returns (exit's excepted), as a checksum. */
function kernelOnly(trace: Trace): { kernel: Kernel; sum: number } {
  const k = new Kernel();
  const va = k.ioBase;
  let sum = 0;
  for (const s of trace.steps) {
    const ret = call(k, s, va);
    if (s.call !== "exit") sum += ret;
    if (ret === BLOCKED || k.wokenCount() > 0) settle(k, va);
    if (k.x.k_event_count() > 0) k.x.k_event_clear();
  }
  return { kernel: k, sum };
}

function predictedSum(gen: GeneratedTrace): number {
  let sum = 0;
  for (const p of gen.predicted) if (!Number.isNaN(p)) sum += p;
  return sum;
}

/** The calls the generated trace makes, as plain kernel calls (a typed map, partial on purpose:
 * trace-gen.ts draws only these). */
type Plain<C extends CallName> = (k: Kernel, s: Extract<Step, { call: C }>, va: number) => number;
const PLAIN: { readonly [C in CallName]?: Plain<C> } = {
  pipe: (k, s, va) => k.syscall(s.pid, CALLS.pipe, va, s.args.flags),
  fork: (k, s) => k.syscall(s.pid, CALLS.fork),
  close: (k, s) => k.syscall(s.pid, CALLS.close, s.args.fd),
  exit: (k, s) => k.syscall(s.pid, CALLS.exit, s.args.status),
  waitpid: (k, s, va) => k.syscall(s.pid, CALLS.waitpid, s.args.target, va, s.args.options),
  write: (k, s, va) => {
    k.poke(s.pid, va, s.args.data);
    return k.syscall(s.pid, CALLS.write, s.args.fd, va, s.args.data.length);
  },
  read: (k, s, va) => {
    const ret = k.syscall(s.pid, CALLS.read, s.args.fd, va, s.args.count);
    if (ret > 0) k.peek(s.pid, va, ret);
    return ret;
  },
};

function call(k: Kernel, s: Step, va: number): number {
  const plain = PLAIN[s.call] as Plain<CallName> | undefined;
  if (!plain) throw new Error(`bench: the generated trace has a ${s.call} step`);
  return plain(k, s, va);
}

/** Retry woken processes (one at a time: the generated trace never wakes two). */
function settle(k: Kernel, va: number): void {
  while (k.wokenCount() > 0) {
    const pid = k.woken()[0];
    const ret = k.retry(pid);
    if (ret > 0 && k.x.k_proc_call(pid) === -1) k.peek(pid, va, ret);
  }
}

/** The replay did what the generator predicted (untimed): a benchmark of the wrong work is
 * worse than none. */
function verify(gen: GeneratedTrace, trace: Trace, r: ReplayResult): void {
  if (r.steps.length !== gen.steps) {
    throw new Error(`bench: replayed ${r.steps.length} of ${gen.steps} steps`);
  }
  let wakes = 0;
  for (let i = 0; i < r.steps.length; i++) {
    const { outcome, allowed } = r.steps[i];
    if (allowed !== 1) {
      throw new Error(
        `bench: step ${i} allowed ${allowed} outcomes (the trace should be deterministic)`);
    }
    for (const e of outcome.events) if ("wake" in e) wakes++;
    const want = gen.predicted[i];
    if (Number.isNaN(want)) continue;
    const got = outcome.result === "blocked" ? PREDICT_BLOCKED : outcome.result?.ret;
    if (got !== want) {
      const line = trace.steps[i].line;
      throw new Error(`bench: step ${i} (line ${line}, ${trace.steps[i].call}) returned ` +
        `${JSON.stringify(outcome.result)}, generator predicted ${want}`);
    }
  }
  const wanted = (gen.counts.wake ?? 0) + (gen.counts["write (bulk, blocks)"] ?? 0);
  if (wakes < wanted - 1 || wakes > wanted) {
    throw new Error(`bench: ${wakes} wake events, generator predicted ${wanted}`);
  }
}

/** `node dist/cli.js replay FILE > /dev/null`, timed once (null when dist/ is not built). */
function cliOnce(gen: GeneratedTrace, opts: BenchOptions): Row | null {
  const cli = join(process.cwd(), "dist/cli.js");
  if (!existsSync(cli)) {
    opts.log("replay: dist/cli.js missing (run `node scripts/build.mjs`); CLI row skipped");
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), "ipcsim-bench-"));
  try {
    const file = join(dir, "replay.jsonl");
    writeFileSync(file, gen.text);
    opts.log("replay: node dist/cli.js replay FILE > /dev/null ...");
    const stdio: ("ignore" | "inherit")[] = ["ignore", "ignore", "inherit"];
    const [s] = timeOnce(() => execFileSync(process.execPath, [cli, "replay", file], { stdio }));
    const what = "node dist/cli.js replay FILE >/dev/null";
    const base = { bench: "replay", case: "CLI", what, unit: "steps/s" };
    const row = rowFromTimes(base, gen.steps, [s]);
    const note = "one run, wall time: node start-up, file read, parse, replay and text output";
    return { ...row, note };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
