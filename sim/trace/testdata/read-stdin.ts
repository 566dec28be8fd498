// Used by parse.test.ts: parse a trace from standard input (`-`) and print a summary.
import { readTraceFile } from "../parse.js";

export function main(): number {
  const trace = readTraceFile("-");
  console.log(`${trace.file} ${trace.steps.length} ${trace.steps.map((s) => s.call).join(",")}`);
  return 0;
}
