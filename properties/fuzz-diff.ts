// `npm run fuzz:diff -- [--runs N] [--seed S] [--steps K] [--heavy signals|mem|mem-signals]`: the
// differential property
// (host-diff.ts) for as many random traces as asked. Prints the seed first; on a failure,
// prints the shrunk trace's file and the `ipcsim diff` command that replays it, and exits 1.

import fc from "fast-check";
import { parseArgs } from "node:util";
import { hostSupport } from "../host-bridge/host.js";
import { traceArb } from "./arbitraries.js";
import { modelAllowsWhatLinuxDoes } from "./host-diff.js";
import { MEM_HEAVY } from "./mem-table.js";
import { SIGNAL_HEAVY } from "./signal-table.js";

/** --heavy presets: one mechanism takes most of the budget (its table's preset); mem-signals
 * sends signals among processes that share and map memory. */
const HEAVY: Record<string, Record<string, number>> = {
  signals: SIGNAL_HEAVY,
  mem: MEM_HEAVY,
  "mem-signals": {
    ...MEM_HEAVY, kill: 6, sigaction: 4, sigprocmask: 2, sigpending: 1, pause: 1, sigsuspend: 1,
    "waitpid-stopped": 1,
  },
};

export async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      runs: { type: "string" }, seed: { type: "string" }, steps: { type: "string" },
      heavy: { type: "string" },
    },
  });
  const support = hostSupport();
  if (!support.ok) {
    console.error(`fuzz:diff: ${support.reason}`);
    return 2;
  }
  const runs = Number(values.runs ?? 1000);
  // The one place a clock seeds anything: a fresh fuzzing seed when none is given. It is
  // printed first, so any run can be repeated exactly.
  const seed = values.seed !== undefined ? Number(values.seed) : Date.now() % 0x7fffffff;
  const stepsMax = values.steps !== undefined ? Number(values.steps) : undefined;
  const extra = (stepsMax !== undefined ? ` --steps ${stepsMax}` : "") +
    (values.heavy !== undefined ? ` --heavy ${values.heavy}` : "");
  console.log(`fuzz:diff: ${runs} traces, seed ${seed} (repeat: npm run fuzz:diff -- --runs ${runs} --seed ${seed}${extra})`);
  const weights = values.heavy !== undefined ? HEAVY[values.heavy] : undefined;
  if (values.heavy !== undefined && !weights) {
    console.error(`fuzz:diff: --heavy takes ${Object.keys(HEAVY).join(", ")}; got "${values.heavy}"`);
    return 2;
  }
  const property = fc.asyncProperty(traceArb({ stepsMax, weights }), modelAllowsWhatLinuxDoes);
  const result = await fc.check(property, { numRuns: runs, seed });
  if (!result.failed) {
    console.log(`fuzz:diff: ok: model and Linux agree on all ${result.numRuns} traces`);
    return 0;
  }
  console.log(fc.defaultReportMessage(result) ?? "failed");
  return 1;
}
