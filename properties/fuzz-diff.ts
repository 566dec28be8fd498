// `npm run fuzz:diff -- [--runs N] [--seed S] [--steps K] [--heavy NAME] [--weights JSON]`: the
// differential property (host-diff.ts) for as many random traces as asked. Prints the seed
// first; on a failure, prints the shrunk trace's file and the `ipcsim diff` command that
// replays it, and exits 1. `--help` lists the `--heavy` presets (weights.ts HEAVY).

import fc from "fast-check";
import { parseArgs } from "node:util";
import { hostSupport } from "../host-bridge/host.js";
import { traceArb, type GeneratedTrace } from "./arbitraries.js";
import { modelAllowsWhatLinuxDoes } from "./host-diff.js";
import { HEAVY, heavyPreset, off, parseWeights, type Weights } from "./weights.js";

function usage(): string {
  return `usage: npm run fuzz:diff -- [options]
Runs the model and real Linux on random traces and checks that Linux's outcome of every step
is one the model allows.
  --runs N        traces to run (default 1000)
  --seed S        fast-check's seed (default: from the clock, printed first)
  --steps K       steps per trace, at most (default 40, or $IPCSIM_PROPERTY_STEPS)
  --heavy NAME    weights that make one mechanism most of a trace:
${presetLines()}
  --weights JSON  generator weights by entry name, over the defaults or the --heavy preset:
                  '{"msgsnd": 12, "pipe": 0}' (properties/weights.ts lists the entries)`;
}

/** One line per --heavy preset: its name and what it weights up. */
function presetLines(): string {
  const indent = " ".repeat(20);
  return Object.entries(HEAVY).map(([name, h]) => `${indent}${name.padEnd(12)} ${h.about}`)
    .join("\n");
}

interface Options {
  runs: number;
  seed: number;
  stepsMax?: number;
  weights?: Weights;
  /** The flags that repeat the run (besides --runs and --seed). */
  extra: string;
}

/** The options the arguments give; throws on a bad one (an unknown flag, preset or entry). */
function options(args: string[]): Options | "help" {
  const { values } = parseArgs({
    args,
    options: {
      runs: { type: "string" }, seed: { type: "string" }, steps: { type: "string" },
      heavy: { type: "string" }, weights: { type: "string" }, help: { type: "boolean" },
    },
  });
  if (values.help) return "help";
  const preset = values.heavy !== undefined ? heavyPreset(values.heavy) : undefined;
  const given = values.weights !== undefined ? parseWeights(values.weights, "--weights") : {};
  const weights = preset || values.weights !== undefined ? { ...preset, ...given } : undefined;
  const stepsMax = values.steps !== undefined ? count(values.steps, "--steps") : undefined;
  const extra = (stepsMax !== undefined ? ` --steps ${stepsMax}` : "") +
    (values.heavy !== undefined ? ` --heavy ${values.heavy}` : "") +
    (values.weights !== undefined ? ` --weights '${values.weights}'` : "");
  // The one place a clock seeds anything: a fresh fuzzing seed when none is given. It is
  // printed first, so any run can be repeated exactly.
  const seed = values.seed !== undefined ? count(values.seed, "--seed", 0) :
    Date.now() % 0x7fffffff;
  return { runs: count(values.runs ?? "1000", "--runs"), seed, stepsMax, weights, extra };
}

function count(text: string, flag: string, min = 1): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min) {
    throw new Error(`${flag} takes an integer >= ${min}; got "${text}"`);
  }
  return n;
}

export async function main(args: string[]): Promise<number> {
  let opts: Options | "help";
  try {
    opts = options(args);
  } catch (e) {
    console.error(`fuzz:diff: ${(e as Error).message}\n${usage()}`);
    return 2;
  }
  if (opts === "help") {
    console.log(usage());
    return 0;
  }
  const support = hostSupport();
  if (!support.ok) {
    console.error(`fuzz:diff: ${support.reason}`);
    return 2;
  }
  const { runs, seed, stepsMax } = opts;
  let { weights } = opts;
  console.log(`fuzz:diff: ${runs} traces, seed ${seed} ` +
    `(repeat: npm run fuzz:diff -- --runs ${runs} --seed ${seed}${opts.extra})`);
  // Without namespaces there is no tmpfs root: the agent refuses absolute and ".." paths, which
  // the files calls draw (host-bridge/agent/calls_fs.c path_ok).
  if (unsafeNoNamespaces()) {
    weights = { ...weights, ...off("files") };
    console.log("fuzz:diff: without namespaces the files calls are off (their paths could " +
      "leave the work directory)");
  }
  const retries: string[] = [];
  // A small tmpfs needs the run's own mount (namespaces): the fallback's work directory has none.
  const smallTmpfs = !unsafeNoNamespaces();
  // Nor can a signal go to -1 or 1 there: the agent refuses both (agent.c check_host_limits).
  const arb = traceArb({ stepsMax, weights, smallTmpfs, hostPids: !unsafeNoNamespaces() });
  const property = fc.asyncProperty(arb, counted(runs, retries));
  const result = await fc.check(property, { numRuns: runs, seed });
  const retried = retriedLine(retries);
  if (!result.failed) {
    console.log(`fuzz:diff: ok: model and Linux agree on all ${result.numRuns} traces; ` +
      retried);
    return 0;
  }
  console.log(fc.defaultReportMessage(result) ?? "failed");
  console.log(`fuzz:diff: ${retried}`);
  return 1;
}

/** Traces between two progress lines on stderr (a long run shows that it is alive). */
const PROGRESS_EVERY = 500;

/** The property, counting the traces that passed and printing a progress line now and then
 * (none once a trace has failed: fast-check is shrinking then); the first line of each
 * inconclusive run tried again goes to `retries`. */
function counted(runs: number, retries: string[]): (g: GeneratedTrace) => Promise<void> {
  let passed = 0;
  let failed = false;
  const t0 = performance.now();
  return async (g) => {
    try {
      await modelAllowsWhatLinuxDoes(g, (e) => retries.push(e.message.split("\n")[0]));
    } catch (e) {
      failed = true;
      throw e;
    }
    if (failed || ++passed % PROGRESS_EVERY !== 0 || passed >= runs) return;
    const min = ((performance.now() - t0) / 60_000).toFixed(1);
    console.error(`fuzz:diff: ${passed} of ${runs} traces agree (${min} min); ` +
      retriedLine(retries));
  };
}

/** The inconclusive runs (the host fell behind a trace's time) that were tried again. */
function retriedLine(retries: string[]): string {
  const n = retries.length;
  if (n === 0) return "0 inconclusive runs";
  return `${n} inconclusive run${n === 1 ? "" : "s"} tried again (the host fell behind): ` +
    retries.slice(0, 3).join("; ");
}

/** IPCSIM_UNSAFE_NO_NAMESPACES asks the host bridge for its fallback (host-bridge/host.ts). */
function unsafeNoNamespaces(): boolean {
  const v = process.env.IPCSIM_UNSAFE_NO_NAMESPACES;
  return v !== undefined && v !== "" && v !== "0";
}
