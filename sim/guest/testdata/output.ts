// What a C guest's run printed: its console lines (`# stdout (pid N): text`, sim/scenario/
// console.ts), as [pid, text] pairs in the order they happened. The guest tests share it.

import { outputLine, type RunResult } from "../../scenario/run.js";

export function guestOutput(r: RunResult): [number, string][] {
  return r.text().flatMap((l) => {
    const o = outputLine(l);
    return o ? [[o.pid, o.text] as [number, string]] : [];
  });
}
