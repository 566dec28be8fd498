// `record` and `diff`: the commands that run a trace on real Linux through the host bridge.

import { readTraceFile } from "../sim/trace/parse.js";
import { diffJson, diffText, diffTrace } from "../host-bridge/diff.js";
import { hostSupport } from "../host-bridge/host.js";
import { recordToJsonl } from "../host-bridge/record.js";
import { writeFileSync } from "node:fs";
import { document, EXIT, type Ctx, type ExitCode } from "./output.js";
import type { Outcome, Step } from "../sim/trace/types.js";
import { writeDiffPage } from "./views.js";

/** The host bridge cannot run here (not Linux, no agent): exit 2 with the reason. */
export class HostUnsupported extends Error {
  override name = "HostUnsupported";
}

export async function recordCommand(
  file: string, opts: { output?: string }, ctx: Ctx,
): Promise<ExitCode> {
  checkSupport("record");
  const trace = readTraceFile(file);
  const text = await recordToJsonl(trace, { file: trace.file });
  if (!opts.output || opts.output === "-") ctx.io.out(text.replace(/\n$/, ""));
  else writeFileSync(opts.output, text);
  return EXIT.ok;
}

/** Exit 1 at a disagreement that is not a known difference (docs/host-bridge.md). */
export async function diffCommand(
  file: string, ctx: Ctx, views: { html?: string } = {},
): Promise<ExitCode> {
  checkSupport("diff");
  const trace = readTraceFile(file);
  // With --html: Linux's outcome of every step compared, the run the page draws.
  const linux: Step[] = [];
  const keep = views.html === undefined ? undefined
    : (step: Step, o: Outcome) => linux.push({ ...step, expect: o.result, expectEvents: o.events });
  const r = await diffTrace(trace, { file: trace.file }, keep);
  const exit = r.disagreement && !r.disagreement.known ? EXIT.failure : EXIT.ok;
  if (ctx.json) ctx.io.out(document("diff", exit, diffJson(trace, r)));
  else for (const line of diffText(trace, r, `ipcsim diff ${file}`)) ctx.io.out(line);
  if (views.html !== undefined) {
    writeDiffPage(views.html, { ...trace, steps: linux }, r.disagreement);
    if (!ctx.json) ctx.io.out(`html: ${views.html}`);
  }
  return exit;
}

function checkSupport(command: string): void {
  const support = hostSupport();
  if (!support.ok) throw new HostUnsupported(`${command}: ${support.reason}`);
}
