// The end of a run: a deadlock (live processes, none can move) or the end checks a scenario
// asked for, run once every process has exited:
//   zombies       no process exited leaving a child it never reaped (a zombie until init
//                 adopted and reaped it);
//   ipcObjects    no SysV queue, semaphore set or segment, and no FIFO, is left;
//   pipesDrained  every byte written into a pipe was read.
// And `sometimes` conditions: os.sometimes(cond, name) in a run marks name as reached (true in
// at least one call) or only declared; exploration reports each as covered or not.

import type { Kernel } from "../../wasm/kernel.js";
import { explainDeadlock, type BlockedProc } from "./deadlock.js";
import type { Step } from "../trace/types.js";
import type { Tracker } from "./tracking.js";
import type { Verdict } from "./verdict.js";
import { plural } from "../text.js";

/** End checks, run once every process has exited (`--check zombies,ipc,pipes`). */
export interface EndChecks {
  zombies?: boolean;
  ipcObjects?: boolean;
  pipesDrained?: boolean;
}

const IPC_NAMES = ["message queue", "semaphore set", "shared memory segment"];

/** The verdict of a run in which no process can make a call any more. */
export function endVerdict(
  k: Kernel,
  steps: readonly Step[],
  tracker: Tracker,
  live: readonly BlockedProc[],
  checks: EndChecks,
): Verdict {
  if (live.length > 0) {
    return { kind: "deadlock", explanation: explainDeadlock(k, steps, tracker, live) };
  }
  if (checks.zombies && tracker.zombies.length > 0) {
    return { kind: "check", check: "zombies", messages: [...tracker.zombies] };
  }
  if (checks.ipcObjects) {
    const left = ipcLeft(k);
    if (left.length > 0) return { kind: "check", check: "ipcObjects", messages: left };
  }
  if (checks.pipesDrained) {
    const undrained: string[] = [];
    for (const p of tracker.allPipes) {
      if (p.written <= p.read) continue;
      undrained.push(
        `pipe #${p.no}: ${p.written - p.read} of ${plural(p.written, "byte")} written ` +
          `${p.written - p.read === 1 ? "was" : "were"} never read`,
      );
    }
    if (undrained.length > 0) return { kind: "check", check: "pipesDrained", messages: undrained };
  }
  return { kind: "ok" };
}

function ipcLeft(k: Kernel): string[] {
  const out: string[] = [];
  for (let type = 0; type < 3; type++) {
    const n = k.x.k_view_ipc_in_use(type);
    if (n <= 0) continue;
    out.push(`${n} SysV ${IPC_NAMES[type]}${n > 1 ? "s" : ""} left (remove with IPC_RMID)`);
  }
  const n = k.x.k_ninode();
  for (let i = 0; i < n; i++) {
    if (k.x.k_inode_in_use(i) && k.x.k_inode_linked(i)) {
      const name = new TextDecoder().decode(k.scratch(k.x.k_inode_name(i)));
      out.push(`FIFO ${name} left (unlink it)`);
    }
  }
  return out;
}

/** Merge one run's sometimes marks into the coverage so far. */
export function mergeSometimes(
  into: Map<string, boolean>, run: ReadonlyMap<string, boolean>,
): void {
  for (const [name, hit] of run) into.set(name, (into.get(name) ?? false) || hit);
}
