// `record` and `diff`: the commands that run a trace on real Linux through the host bridge.

import type { Io } from "./cli.js";
import { readTraceFile } from "../sim/trace/parse.js";
import { canonicalJson } from "../sim/trace/serialise.js";
import { diffJson, diffText, diffTrace } from "../host-bridge/diff.js";
import { HostFault, InvalidStepError, hostSupport } from "../host-bridge/host.js";
import { recordToJsonl } from "../host-bridge/record.js";
import { writeFileSync } from "node:fs";

export async function hostCommands(
  command: "record" | "diff",
  file: string,
  opts: { json: boolean; output?: string },
  io: Io,
): Promise<number> {
  const support = hostSupport();
  if (!support.ok) {
    io.err(`ipcsim: ${command}: ${support.reason}`);
    return 2;
  }
  const trace = readTraceFile(file);
  try {
    if (command === "record") {
      const text = await recordToJsonl(trace, { file: trace.file });
      if (!opts.output || opts.output === "-") io.out(text.replace(/\n$/, ""));
      else writeFileSync(opts.output, text);
      return 0;
    }
    const r = await diffTrace(trace, { file: trace.file });
    if (opts.json) io.out(canonicalJson(diffJson(trace, r)));
    else for (const line of diffText(trace, r, `ipcsim diff ${file}`)) io.out(line);
    return r.disagreement && !r.disagreement.known ? 1 : 0;
  } catch (e) {
    if (e instanceof HostFault || e instanceof InvalidStepError) {
      io.err(`ipcsim: ${command}: ${e.message}`);
      return 2;
    }
    throw e;
  }
}
