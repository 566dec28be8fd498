// Recording real Linux: run a trace on the host and write it back with each step's
// `expect`/`expect_events` filled in from what the kernel did. The core of
// `ipcsim record TRACE -o OUT` (the CLI itself lives in sim/).
//
// A recorded trace is a set of facts about Linux: replaying it on the model checks that the
// model allows each of them (docs/trace-format.md, "Expectations").

import { writeFileSync } from "node:fs";
import { readTraceFile } from "../sim/trace/parse.js";
import { traceToJsonl } from "../sim/trace/serialise.js";
import type { Outcome, Trace } from "../sim/trace/types.js";
import { runOnHost, type HostOptions } from "./host.js";

/** The host's outcome of every step of `trace`. Throws HostFault or InvalidStepError (with the
 * outcomes so far) when a step cannot be recorded. */
export async function recordTrace(trace: Trace, opts: HostOptions = {}): Promise<Outcome[]> {
  return runOnHost(trace, opts);
}

/** `trace` as JSON Lines with the host's outcomes as expectations. */
export async function recordToJsonl(trace: Trace, opts: HostOptions = {}): Promise<string> {
  return traceToJsonl(trace, await recordTrace(trace, opts));
}

/** Reads TRACE (`-` for stdin), records it, writes OUT (`-` for stdout). Returns the number of
 * steps recorded. What `ipcsim record TRACE -o OUT` does. */
export async function recordFile(
  input: string,
  output: string,
  opts: HostOptions = {},
): Promise<number> {
  const trace = readTraceFile(input);
  const text = await recordToJsonl(trace, opts);
  if (output === "-") process.stdout.write(text);
  else writeFileSync(output, text);
  return trace.steps.length;
}
