// Host replay throughput: a 10,000-step random trace (trace-gen.ts, seeded) run on real Linux
// through the host bridge, one step at a time with quiescence detection, and on the model in
// the same run. The ratio says how much faster the model is than the real kernel with the
// bridge's sequencing. Issue goal: at least 1,000 host steps/s.

import { HostSession, hostSupport } from "../host-bridge/host.js";
import { replayStream } from "../sim/replay.js";
import { parseTrace } from "../sim/trace/parse.js";
import type { Trace } from "../sim/trace/types.js";
import {
  compare, now, rowFromTimes, timeOnce, withGoal, type BenchOptions, type Row,
} from "./harness.js";
import { generateTrace } from "./trace-gen.js";

const STEPS = 10_000;
const SEED = 7;
const HOST_GOAL = 1000;

export async function hostBench(opts: BenchOptions): Promise<Row[]> {
  const support = hostSupport();
  if (!support.ok) {
    opts.log(`host: skipped: ${support.reason}`);
    return [];
  }
  const steps = Math.max(200, Math.round(STEPS * opts.scale));
  const trace = parseTrace(generateTrace(steps, SEED).text, "<bench-host>");
  const rounds = Math.min(opts.rounds, 3);
  const host: number[] = [];
  const model: number[] = [];
  for (let r = 0; r < rounds; r++) {
    host.push(await hostOnce(trace));
    model.push(timeOnce(() => replayStream(trace, SEED, () => {}))[0]);
    opts.log(`host: round ${r + 1} of ${rounds}: ` +
      `Linux ${host[r].toFixed(2)} s, model ${model[r].toFixed(3)} s`);
  }
  const base = { bench: "host", case: `${steps}-step random trace`, unit: "steps/s" };
  const hostWhat = "real Linux via the bridge (quiescence each step)";
  const hostRow = withGoal(rowFromTimes({ ...base, what: hostWhat }, steps, host), HOST_GOAL);
  const modelRow = rowFromTimes({ ...base, what: "the model, same trace" }, steps, model);
  return [compare(modelRow, hostRow), hostRow];
}

async function hostOnce(trace: Trace): Promise<number> {
  const session = await HostSession.start(trace.header, { file: trace.file });
  try {
    const t0 = now();
    for (const step of trace.steps) await session.step(step);
    return now() - t0;
  } finally {
    await session.close();
  }
}
