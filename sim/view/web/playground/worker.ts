// The playground's Web Worker: it compiles the scenario, runs or explores it on the kernel
// wasm (bundled into this script), and sends back each run as the view shows it. Exploring in
// a worker keeps the page responsive and lets Stop terminate a search mid-run.

import type { Prng } from "../../../prng.js";
import { DECISION_PROC, type DecisionLog } from "../../../scenario/decisions.js";
import { explore } from "../../../scenario/explore.js";
import { run, type RunResult } from "../../../scenario/run.js";
import { makeStrategy } from "../../../scenario/strategies/index.js";
import type { ChoicePoint, Strategy } from "../../../scenario/strategies/strategy.js";
import { verdictExplanation, verdictLine } from "../../../scenario/verdict.js";
import { parseTrace } from "../../../trace/parse.js";
import { eagerStates, viewDataOf } from "../../view-data.js";
import { CompileError, compileScenario } from "./compile.js";
import type { Choice, Job, Reply, RunView } from "./protocol.js";

const post = (r: Reply): void => (self as unknown as Worker).postMessage(r);

/** The strategy a run asks for, noting each decision it makes. */
class Recorder implements Strategy {
  readonly name: string;
  readonly choices: Choice[] = [];
  observe?: Strategy["observe"];

  constructor(private readonly inner: Strategy) {
    this.name = inner.name;
    if (inner.observe) this.observe = inner.observe.bind(inner);
  }

  begin(run: number, prng: Prng): boolean {
    this.choices.length = 0;
    return this.inner.begin(run, prng);
  }

  choose(cp: ChoicePoint): number {
    const chosen = this.inner.choose(cp);
    this.choices.push({ index: cp.index, step: cp.steps, candidates: [...cp.candidates], chosen,
      kind: cp.kind === DECISION_PROC ? "proc" : "woken" });
    return chosen;
  }

  end(log: DecisionLog, stepsBy: readonly number[], steps: number): void {
    this.inner.end(log, stepsBy, steps);
  }
}

function runView(r: RunResult, file: string, choices: Choice[] = []): RunView {
  const verdict = verdictLine(r.verdict);
  const trace = parseTrace(r.trace(), file);
  return {
    values: [...r.exec.log.values], choices,
    ok: r.ok, verdict, decisions: r.decisions, preemptions: r.preemptions,
    replayCommand: r.replayCommand, text: r.text(),
    view: viewDataOf(trace, verdict, undefined, verdictExplanation(r.verdict)),
    states: eagerStates(trace),
  };
}

async function work(job: Job): Promise<Reply> {
  const scenario = compileScenario(job.source, job.file);
  const base = { seed: job.seed, strategy: job.strategy, name: job.file };
  if (job.kind === "run") {
    // A decision string replays whatever strategy found it.
    const chosen = job.replay === undefined ? base
      : { ...base, strategy: "replay", replay: job.replay };
    const recorder = new Recorder(makeStrategy(chosen));
    const r = await run(scenario, { ...chosen, strategy: recorder });
    return { kind: "run", run: runView(r, job.file, recorder.choices) };
  }
  const r = await explore(scenario, {
    ...base, runs: job.runs ?? 1000,
    onProgress: (done, total) => post({ kind: "progress", done, total }),
  });
  const shrunk = r.shrunk ? runView(r.shrunk, job.file) : undefined;
  const summary = r.ok
    ? `ok: no failure in ${r.runs} runs${r.exhausted ? " (every schedule tried)" : ""}`
    : `failure in run ${r.runs} of ${job.runs ?? 1000}; shrunk to ${shrunk!.preemptions} ` +
      `preemptions`;
  return { kind: "explore", runs: r.runs, ok: r.ok, shrunk, summary };
}

self.onmessage = (e: MessageEvent<Job>) => {
  work(e.data).then(post, (err: unknown) => {
    const c = err instanceof CompileError ? err : undefined;
    post({ kind: "error", message: err instanceof Error ? err.message : String(err),
      line: c?.line, column: c?.column });
  });
};
