// Recording real Linux: run a trace on the host and write it back with each step's
// `expect`/`expect_events` filled in from what the kernel did. The core of
// `ipcsim record TRACE -o OUT` (the CLI itself, cli/host-commands.ts, reads and writes the files).
//
// A recorded trace is a set of facts about Linux: replaying it on the model checks that the
// model allows each of them (docs/trace-format.md, "Expectations").

import { traceToJsonl } from "../sim/trace/serialise.js";
import type { Trace } from "../sim/trace/types.js";
import { runOnHost, type HostOptions } from "./host.js";

/** `trace` as JSON Lines with the host's outcomes as expectations. Throws HostFault or
 * InvalidStepError (with the outcomes so far) when a step cannot be recorded. */
export async function recordToJsonl(trace: Trace, opts: HostOptions = {}): Promise<string> {
  return traceToJsonl(trace, await runOnHost(trace, opts));
}
