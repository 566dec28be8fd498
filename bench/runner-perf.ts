// Measure executions per second of a 2-process, 20-call scenario under the random strategy
// (the goal: 20,000/s). `node scripts/run-ts.mjs bench/runner-perf.ts [runs]`.
// A profiling aid beside `npm run bench -- scenarios` (whose throughput rows are the official
// figures): the runner alone, without explore's bookkeeping, easy to run under --cpu-prof.

import { Prng } from "../sim/prng.js";
import type { Os } from "../sim/scenario/os.js";
import { Runner } from "../sim/scenario/run.js";
import { makeStrategy } from "../sim/scenario/strategies/index.js";

/** 20 calls: pid 2 makes pipe, fork, 8 writes, close, waitpid, exit (13); pid 3 makes 6
 * reads and exit (7). */
async function twentySteps(os: Os): Promise<void> {
  const [r, w] = await os.pipe();
  const child = await os.fork(async (c) => {
    for (let i = 0; i < 6; i++) await c.read(r, 1);
  });
  for (let i = 0; i < 8; i++) await os.write(w, "x");
  await os.close(w);
  await os.waitpid(child);
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 20000);
  const runner = new Runner(twentySteps);
  const strategy = makeStrategy({ strategy: process.argv[3] ?? "random" });
  const master = new Prng(1);
  let steps = 0;
  for (let i = 0; i < 200; i++) await runner.execute(strategy, master.fork(), i);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const e = await runner.execute(strategy, master.fork(), i)!;
    steps += e.steps.length;
    if (e.verdict.kind !== "ok") throw new Error(`run ${i}: ${JSON.stringify(e.verdict)}`);
  }
  const s = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1e6;
  console.log(`${runs} runs, ${(steps / runs).toFixed(1)} calls/run: ` +
    `${(runs / s).toFixed(0)} executions/s wall, ${(runs / cpu).toFixed(0)} per CPU-second`);
}

if (process.argv[1]?.includes("runner-perf")) await main();
