// `ipcsim diff`: run a trace on the model and on real Linux, step by step. Where the model
// allows several outcomes, the host's must be one of them, and the model continues from it. The
// first disagreement stops the run; it is reported with the host's outcome, what the model
// allowed, the last agreeing step, and the known difference that explains it if there is one.

import { ModelReplay } from "../sim/model/engine.js";
import { describeDifference, outcomesMatch } from "../sim/trace/compare.js";
import { outcomeToJson, type Json } from "../sim/trace/serialise.js";
import type { Outcome, Step, Trace } from "../sim/trace/types.js";
import { outcomeText } from "../sim/report.js";
import { knownDifference, type KnownDifference } from "./differences.js";
import { checkQuantum, HostSession, usesTimeline, type HostOptions } from "./host.js";

/** The first step where Linux did what the model does not allow. */
interface Disagreement {
  step: Step;
  host: Outcome;
  allowed: Outcome[];
  lastAgreeing: number;
  known?: KnownDifference;
}

/** What diffTrace resolves to (exported by sim/index.ts). */
interface DiffResult {
  agreed: number;
  steps: number;
  namespaces: boolean;
  disagreement?: Disagreement;
}

/** Run `trace` on the model and on real Linux (the host bridge's agent, in fresh namespaces
 * where it can), step by step (`ipcsim diff`); stops at the first step where Linux's outcome
 * is none the model allowed. Needs Linux, a C compiler for the agent and `unshare`.
 * @throws QuantumError when the trace's times cannot be paced on the host; HostFault when
 * the host could not judge a step (HostInconclusive: it fell behind the trace's time, retry);
 * InvalidStepError when a step is invalid on the host.
 * `onHost` sees Linux's outcome of each step as it is compared (the views draw Linux's run).
 * @example
 * const r = await diffTrace(readTraceFile("pipe.jsonl"));
 * console.log(r.disagreement ? `step ${r.disagreement.step.index}` : `${r.agreed} agree`);
 */
export async function diffTrace(
  trace: Trace, opts: HostOptions = {}, onHost?: (step: Step, linux: Outcome) => void,
): Promise<DiffResult> {
  checkQuantum(trace); // before anything runs: the host could not pace this trace
  const model = new ModelReplay(trace);
  const host = await HostSession.start(trace.header, { file: trace.file, ...opts });
  try {
    // A trace that uses time runs on the host first, with nothing between its steps: the
    // model's work between two host steps (several worlds after timers raced) would eat the
    // instants' budgets (docs/host-bridge.md "Time").
    const ahead = trace.steps.some(usesTimeline) ? await runAhead(host, trace.steps) : null;
    let agreed = 0;
    for (const step of trace.steps) {
      const allowed = model.step(step);
      const got = ahead ? ahead(step) : await host.step(step);
      onHost?.(step, got);
      // By relation (sim/trace/compare.ts): time values within a quantum, stamps within 1 s.
      if (!model.choose((o) => outcomesMatch(o, got))) {
        const known = knownDifference(step, got, allowed);
        return {
          agreed,
          steps: trace.steps.length,
          namespaces: host.namespaces,
          disagreement: { step, host: got, allowed, lastAgreeing: step.index - 1, known },
        };
      }
      agreed++;
    }
    return { agreed, steps: trace.steps.length, namespaces: host.namespaces };
  } finally {
    await host.close();
  }
}

/** Runs every step on the host; returns each step's outcome in order, or throws what the host
 * threw at that step (after the earlier steps were compared, as in lockstep). */
async function runAhead(host: HostSession, steps: readonly Step[]): Promise<(s: Step) => Outcome> {
  const outcomes: Outcome[] = [];
  let failure: unknown = null;
  try {
    for (const step of steps) outcomes.push(await host.step(step));
  } catch (e) {
    failure = e;
  }
  return (s) => {
    if (s.index < outcomes.length) return outcomes[s.index];
    throw failure;
  };
}

export function diffText(trace: Trace, r: DiffResult, command: string): string[] {
  const ns = r.namespaces ? "" : " (without namespaces: pids and ids mapped by creation order)";
  const agree = r.agreed === 1 ? "the 1 step agrees" : `all ${r.agreed} steps agree`;
  if (!r.disagreement) return [`ok: ${agree} with Linux${ns} (${trace.file})`];
  const d = r.disagreement;
  const last = d.lastAgreeing >= 0
    ? `step ${d.lastAgreeing} (line ${trace.steps[d.lastAgreeing].line})`
    : "none";
  const lines = [
    `${d.known ? "known difference" : "disagreement"} at step ${d.step.index} ` +
      `(${trace.file}:${d.step.line}), pid ${d.step.pid} ${d.step.call}${ns}`,
    `  Linux:     ${outcomeText(d.host)}`,
    `  the model allows ${d.allowed.length === 1 ? "only" : `${d.allowed.length} outcomes`}:`,
    ...d.allowed.flatMap((o) => {
      const differs = describeDifference(d.host, o);
      return [`             ${outcomeText(o)}`, `               differs: ${differs}`];
    }),
    `  last agreeing step: ${last}`,
  ];
  if (d.known) {
    lines.push(`  known difference "${d.known.id}": ${d.known.summary} (${d.known.reason})`);
  }
  lines.push(`  reproduce: ${command}`);
  return lines;
}

export function diffJson(trace: Trace, r: DiffResult): Json {
  const out: { [k: string]: Json } = {
    schemaVersion: 1,
    tool: "ipcsim",
    command: "diff",
    trace: trace.file,
    ok: !r.disagreement,
    agreed: r.agreed,
    steps: r.steps,
    namespaces: r.namespaces,
  };
  const d = r.disagreement;
  if (d) {
    out.disagreement = {
      step: d.step.index,
      line: d.step.line,
      host: outcomeToJson(d.host, d.step),
      allowed: d.allowed.map((o) => outcomeToJson(o, d.step)),
      lastAgreeing: d.lastAgreeing,
      known: d.known ? d.known.id : null,
    };
  }
  return out;
}
