// The host bridge's flakiness under time (docs/host-bridge.md "Time"): replays every time trace
// it is given N times in a row on real Linux, optionally with CPU load, and checks each run's
// outcomes against the trace's expectations (compared by relation, sim/trace/compare.ts).
//
//   node scripts/run-ts.mjs bench/time-flakiness.ts [TRACE...] [--runs N] [--load N]
//
// Default traces: kernel/test/cases/time-*.jsonl; default 100 runs; `--load N` starts N busy
// processes for the whole measurement. Prints, per trace and in total, the runs that passed,
// failed (with the first difference) and were inconclusive (the host fell behind), and the
// worst lateness seen: how long after its instant's ideal real time a step ended (the budget is
// a quantum minus the margin). A run that passed once must pass every time: any failure is a
// bug of the bridge's pacing.

import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { HostFault, HostInconclusive, HostSession, checkQuantum } from "../host-bridge/host.js";
import { describeDifference, expectedOutcome } from "../sim/trace/compare.js";
import { parseTrace } from "../sim/trace/parse.js";
import type { Outcome, Trace } from "../sim/trace/types.js";

interface Tally {
  pass: number;
  fail: number;
  inconclusive: number;
  fault: number;
  worstLateNs: number;
  firstFailure?: string;
}

function options(argv: string[]) {
  const files: string[] = [];
  let runs = 100;
  let load = 0;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--runs") runs = Number(argv[++i]);
    else if (argv[i] === "--load") load = Number(argv[++i]);
    else files.push(argv[i]);
  }
  if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(load) || load < 0) {
    throw new Error("usage: time-flakiness.ts [TRACE...] [--runs N >= 1] [--load N >= 0]");
  }
  if (files.length === 0) {
    const dir = "kernel/test/cases";
    files.push(...readdirSync(dir).filter((f) => /^time-.*\.jsonl$/.test(f)).sort()
      .map((f) => join(dir, f)));
  }
  return { files, runs, load };
}

/** The first step whose outcome differs from the trace's expectations, or "". */
function difference(trace: Trace, outcomes: Outcome[]): string {
  for (const o of outcomes) {
    const s = trace.steps[o.step];
    const diff = describeDifference(expectedOutcome(s, o), o);
    if (diff) return `${trace.file}:${s.line}: ${diff}`;
  }
  return "";
}

async function runOnce(trace: Trace, tally: Tally): Promise<void> {
  const host = await HostSession.start(trace.header, { file: trace.file });
  const outcomes: Outcome[] = [];
  try {
    for (const step of trace.steps) outcomes.push(await host.step(step));
    const diff = difference(trace, outcomes);
    if (diff) {
      tally.fail++;
      tally.firstFailure ??= diff;
    } else {
      tally.pass++;
    }
  } catch (e) {
    if (e instanceof HostInconclusive) tally.inconclusive++;
    else if (e instanceof HostFault) tally.fault++;
    else throw e;
    tally.firstFailure ??= (e as Error).message;
  } finally {
    tally.worstLateNs = Math.max(tally.worstLateNs, host.worstLateNs);
    await host.close();
  }
}

/** N processes that spin on the CPU until killed (each by its own pid). */
function startLoad(n: number): ChildProcess[] {
  return Array.from({ length: n }, () =>
    spawn("sh", ["-c", "while :; do :; done"], { stdio: "ignore" }));
}

function line(name: string, t: Tally): string {
  const late = t.worstLateNs < 0 ? "-" : `${(t.worstLateNs / 1e6).toFixed(1)} ms`;
  return `${name}: ${t.pass} passed, ${t.fail} failed, ${t.inconclusive} inconclusive` +
    `${t.fault ? `, ${t.fault} host faults` : ""}; worst lateness ${late}`;
}

async function main(): Promise<void> {
  const { files, runs, load } = options(process.argv.slice(2));
  if (files.length === 0) throw new Error("no time traces (kernel/test/cases/time-*.jsonl)");
  const traces = files.map((f) => parseTrace(readFileSync(f, "utf8"), f));
  traces.forEach(checkQuantum);
  const loaders = startLoad(load);
  const total: Tally = { pass: 0, fail: 0, inconclusive: 0, fault: 0, worstLateNs: -1 };
  const started = Date.now();
  try {
    console.log(`${traces.length} traces x ${runs} runs, ${load} busy processes`);
    for (const trace of traces) {
      const t: Tally = { pass: 0, fail: 0, inconclusive: 0, fault: 0, worstLateNs: -1 };
      for (let r = 0; r < runs; r++) await runOnce(trace, t);
      console.log(line(trace.file, t));
      if (t.firstFailure) console.log(`  first: ${t.firstFailure.split("\n")[0]}`);
      total.pass += t.pass;
      total.fail += t.fail;
      total.inconclusive += t.inconclusive;
      total.fault += t.fault;
      total.worstLateNs = Math.max(total.worstLateNs, t.worstLateNs);
    }
  } finally {
    for (const child of loaders) child.kill("SIGKILL");
  }
  console.log(line("total", total) + ` (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  process.exitCode = total.fail + total.fault > 0 ? 1 : 0;
}

await main();
