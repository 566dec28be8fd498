// What a C guest's run printed: its console lines (`# stdout (pid N): text`, sim/scenario/
// console.ts), as [pid, text] pairs in the order they happened. The guest tests share it.

import type { RunResult } from "../../scenario/run.js";

export function guestOutput(r: RunResult): [number, string][] {
  return r.text().flatMap((l) => {
    const m = /# (?:stdout|stderr) \(pid (\d+)\): (.*)$/.exec(l);
    return m ? [[Number(m[1]), m[2]] as [number, string]] : [];
  });
}
