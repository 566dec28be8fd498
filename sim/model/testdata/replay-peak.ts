// A replay measured from inside its own process (for sim/model/branching.test.ts and the
// replay benchmark): `node scripts/run-ts.mjs sim/model/testdata/replay-peak.ts TRACE [STEPS]`
// replays the first STEPS steps (all by default) with seed 0 and prints one JSON line: the
// steps, the most worlds held at once, the wall time, the process's peak resident memory and
// the bytes the worlds' root held at the end (MB).

import { readTraceFile } from "../../trace/parse.js";
import { Prng } from "../../prng.js";
import { ModelReplay } from "../engine.js";

export function main(args: string[]): number {
  const trace = readTraceFile(args[0]);
  const steps = args[1] === undefined ? trace.steps : trace.steps.slice(0, Number(args[1]));
  const start = process.hrtime.bigint();
  const model = new ModelReplay(trace);
  const prng = new Prng(0);
  let worlds = 1;
  for (const step of steps) {
    model.chooseSeeded(model.step(step), prng);
    worlds = Math.max(worlds, model.worldCount());
  }
  model.settleView();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const peakMb = process.resourceUsage().maxRSS / 1024;
  const rootMb = model.rootBytes() / (1 << 20);
  console.log(JSON.stringify({ steps: steps.length, worlds, ms, peakMb, rootMb }));
  return 0;
}
