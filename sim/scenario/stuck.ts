// The stuck explanation: a process's JS neither calls `os` nor returns (scheduler.ts
// STUCK_TURNS) while every other process is blocked, waiting for its turn, or done, e.g.
//
//   pid 3 neither calls os nor returns: its JS awaits something that is not an os call,
//     after its last call, read(3, 64) (step 5)
//   pid 2 blocked in waitpid(3, 0) (step 4)

import { signalName } from "../../wasm/names.js";
import { formatStep } from "../trace/strace.js";
import type { Step } from "../trace/types.js";
import type { BlockedProc } from "./deadlock.js";

/** A process whose JS runs: its last call's step (-1: none yet) and the signal whose handler
 * runs (0: none). */
export interface RunningProc {
  pid: number;
  step: number;
  handler: number;
}

/** What the first stuck process last did ("after its last call, read(3, 64) (step 5)"), and
 * one line per live process. */
export function explainStuck(
  steps: readonly Step[], running: readonly RunningProc[], live: readonly BlockedProc[],
): { last: string; explanation: string[] } {
  const lasts = running.map((p) => lastDid(steps, p));
  const explanation = running.map((p, i) => `pid ${p.pid} neither calls os nor returns: its ` +
    `JS awaits something that is not an os call, ${lasts[i]}`);
  const stuck = new Set(running.map((p) => p.pid));
  for (const p of live) if (!stuck.has(p.pid)) explanation.push(others(steps, p));
  return { last: lasts[0] ?? "", explanation };
}

function lastDid(steps: readonly Step[], p: RunningProc): string {
  const inHandler = p.handler > 0 ? `in its ${signalName(p.handler)} handler, ` : "";
  const step = steps[p.step];
  if (!step) return `${inHandler}before its first call`;
  return `${inHandler}after its last call, ${callText(step)} (step ${step.index})`;
}

function others(steps: readonly Step[], p: BlockedProc): string {
  const step = steps[p.step];
  switch (p.state) {
    case "blocked":
      return step ? `pid ${p.pid} blocked in ${callText(step)} (step ${step.index})`
        : `pid ${p.pid} is blocked`;
    case "stopped": return `pid ${p.pid} is stopped (SIGSTOP)`;
    case "ready": return `pid ${p.pid} is ready to make a call (waiting for its turn)`;
    case "running": return `pid ${p.pid} runs`;
  }
}

/** "read(3, 64)": the call and its arguments, as the strace view writes them. */
function callText(step: Step): string {
  return formatStep(step, "blocked")
    .replace(/^\[pid \d+\] /, "")
    .replace(/ <unfinished \.\.\.>$/, "");
}
