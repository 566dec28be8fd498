// Run corpus traces on real Linux through the host bridge and compare each step's outcome with
// the trace's own expectations (sim/trace/compare.ts). Not part of `npm test`: it needs the
// agent (host-bridge/build/ipcsim-agent) and a Linux host.
//
//   node scripts/run-ts.mjs kernel/test/cases/gen/host-check.ts [FILE.jsonl ...]
//
// Without arguments it runs every trace in kernel/test/cases/ and examples/traces/.

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { eventsMatch, resultsMatch } from "../../../../sim/trace/compare.js";
import { readTraceFile } from "../../../../sim/trace/parse.js";
import { canonicalJson, eventToJson, resultToJson } from "../../../../sim/trace/serialise.js";
import { hostSupport, runOnHost } from "../../../../host-bridge/host.js";

function defaultFiles(): string[] {
  const dirs = ["kernel/test/cases", "examples/traces"];
  return dirs.flatMap((d) =>
    readdirSync(d).filter((f) => f.endsWith(".jsonl")).sort().map((f) => join(d, f)));
}

export async function main(args: string[]): Promise<number> {
  const support = hostSupport();
  if (!support.ok) {
    console.error(`host-check: ${support.reason}`);
    return 2;
  }
  const files = args.length ? args : defaultFiles();
  let bad = 0;
  for (const file of files) {
    const trace = readTraceFile(file);
    const problems: string[] = [];
    try {
      const outcomes = await runOnHost(trace, { file });
      for (const o of outcomes) {
        const s = trace.steps[o.step];
        const resOk = s.expect === undefined ||
          (o.result !== undefined && resultsMatch(s.expect, o.result));
        const evOk = s.expectEvents === undefined || eventsMatch(s.expectEvents, o.events);
        if (!resOk || !evOk) {
          const got =
            o.result === undefined ? "(no return)" : canonicalJson(resultToJson(o.result));
          const events = canonicalJson(o.events.map(eventToJson));
          problems.push(`line ${s.line}: host gave result ${got}, events ${events}`);
        }
      }
    } catch (e) {
      problems.push(`host run failed: ${(e as Error).message}`);
    }
    if (problems.length) {
      bad++;
      console.log(`DIFF ${file}`);
      for (const p of problems.slice(0, 5)) console.log(`  ${p}`);
      if (problems.length > 5) console.log(`  ... ${problems.length - 5} more`);
    } else {
      console.log(`ok   ${file}`);
    }
  }
  console.log(`${files.length - bad} of ${files.length} traces agree with the host`);
  return bad ? 1 : 0;
}
