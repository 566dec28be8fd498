// `ipcsim view TRACE|SCENARIO`: the HTML view (sim/view/) served on this machine's loopback
// until Ctrl-C. A trace whose every step carries an outcome (a run's, a recording of Linux) is
// drawn as it is; another is replayed on the model first (--seed picks where it branches). A
// scenario is run once (--seed, --strategy, --replay as for `run`).

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { replayTrace, withOutcome } from "../sim/replay.js";
import { parseTrace, readTraceFile } from "../sim/trace/parse.js";
import type { Trace } from "../sim/trace/types.js";
import { viewApp } from "../sim/view/app-bundle.js";
import { htmlOf } from "../sim/view/html.js";
import { viewDataOf } from "../sim/view/view-data.js";
import { type Verdict, verdictExplanation, verdictLine } from "../sim/scenario/verdict.js";
import { EXIT, UsageError, type Ctx, type ExitCode } from "./output.js";
import { runForView, type ScenarioFlags } from "./scenario-commands.js";

export type ViewCommandFlags = ScenarioFlags & { port?: number };

export async function viewCommand(
  file: string, f: ViewCommandFlags, ctx: Ctx,
): Promise<ExitCode> {
  if (f.port !== undefined && f.port > 65535) {
    throw new UsageError(`--port ${f.port}: a port is at most 65535 (0: any free one)`);
  }
  const { trace, verdict } = /\.jsonl?$/.test(file) ? { trace: traceWithOutcomes(file, f.seed),
    verdict: undefined } : await scenarioRun(file, f, ctx);
  const data = viewDataOf(trace, verdict && verdictLine(verdict), undefined,
    verdict && verdictExplanation(verdict));
  const page = htmlOf(data, viewApp(), data.name);
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split(/[?#]/)[0];
    if (req.method !== "GET" || path !== "/") {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page);
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(f.port ?? 0, "127.0.0.1", ok);
  });
  const { port } = server.address() as AddressInfo;
  ctx.io.out(`ipcsim view: http://127.0.0.1:${port}/ (${trace.steps.length} steps; ` +
    "Ctrl-C stops)");
  ctx.io.flush?.();
  await new Promise<void>((stop) => process.once("SIGINT", stop));
  await new Promise<void>((closed) => server.close(() => closed()));
  return EXIT.ok;
}

function traceWithOutcomes(file: string, seed = 0): Trace {
  const trace = readTraceFile(file);
  if (trace.steps.every((s) => s.expect !== undefined || s.call === "exit")) return trace;
  return { ...trace, steps: replayTrace(trace, seed).steps.map(withOutcome) };
}

async function scenarioRun(
  file: string, f: ScenarioFlags, ctx: Ctx,
): Promise<{ trace: Trace; verdict: Verdict }> {
  const r = await runForView(file, f, ctx);
  return { trace: parseTrace(r.trace, file), verdict: r.verdict };
}
