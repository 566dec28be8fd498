// The end of a run: a deadlock (live processes, none can move), an exit status the scenario
// did not expect, or the end checks a scenario asked for, run once every process has exited.
// Expected exit statuses (`export const expect = { exit: 3, signals: ["SIGPIPE"] }`, or run's
// `expect` option): the main process (pid 2) exits 0 and no process is killed by a signal,
// unless declared; the first process to end otherwise fails the run (verdict `exit-status`).
// End checks:
//   zombies       no process exited leaving a child it never reaped (a zombie until init
//                 adopted and reaped it);
//   ipcObjects    no SysV queue, semaphore set or segment, and no FIFO, is left;
//   pipesDrained  every byte written into a pipe was read.
// And `sometimes` conditions: os.sometimes(cond, name) in a run marks name as reached (true in
// at least one call) or only declared; exploration reports each as covered or not.

import type { Kernel } from "../../wasm/kernel.js";
import { decodeWaitStatus, signalNumber, type WaitStatus } from "../../wasm/names.js";
import type { SignalName } from "../../wasm/abi.js";
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

/** How a run may end besides its main process exiting 0 and no process killed by a signal
 * (`export const expect = { exit: 3 }` in a scenario, or run's `expect` option). */
export interface Expectations {
  /** The main process's (pid 2's) expected exit status, or statuses (default 0). */
  exit?: number | readonly number[];
  /** Signals that may kill a process (the main one too) without failing the run. */
  signals?: readonly SignalName[];
}

const MAIN_PID = 2;
const EXPECTATION_KEYS = ["exit", "signals"];

/** `x` checked as Expectations (a scenario's `expect` export, run's `expect` option).
 * @throws TypeError naming the bad key or value and what is allowed. */
export function expectations(x: unknown): Expectations {
  if (x === undefined) return {};
  if (typeof x !== "object" || x === null || Array.isArray(x)) {
    throw new TypeError(`expect is an object like { exit: 3, signals: ["SIGPIPE"] }, got ${
      JSON.stringify(x)}`);
  }
  for (const key of Object.keys(x)) {
    if (!EXPECTATION_KEYS.includes(key)) {
      throw new TypeError(`expect: unknown key "${key}" (known: ${EXPECTATION_KEYS.join(", ")})`);
    }
  }
  const { exit, signals } = x as Record<string, unknown>;
  const statuses = exit === undefined ? [] : Array.isArray(exit) ? exit : [exit];
  for (const s of statuses) {
    if (!Number.isInteger(s) || (s as number) < 0 || (s as number) > 255) {
      throw new TypeError(`expect.exit: an exit status is an integer 0-255, got ${
        JSON.stringify(s)}`);
    }
  }
  if (signals !== undefined && !Array.isArray(signals)) {
    throw new TypeError(`expect.signals is a list of signal names like ["SIGPIPE"], got ${
      JSON.stringify(signals)}`);
  }
  for (const name of signals ?? []) {
    if (typeof name !== "string" || signalNumber(name) === undefined) {
      throw new TypeError(`expect.signals: no signal ${JSON.stringify(name)} (names like ` +
        `"SIGPIPE", "SIGKILL")`);
    }
  }
  return x as Expectations;
}

/** The first process that ended as `expect` does not allow: the main process exiting with
 * another status, any process killed by a signal not listed. */
function unexpectedExit(
  tracker: Tracker, expect: Expectations,
): { pid: number; status: WaitStatus } | null {
  const allowed = expect.exit === undefined ? [0]
    : typeof expect.exit === "number" ? [expect.exit] : expect.exit;
  for (let i = 0; i < tracker.exits.length; i++) {
    const pid = tracker.exits[i];
    const status = decodeWaitStatus(tracker.exitStatuses[i]);
    if ("signaled" in status) {
      const sig = signalNumber(status.signaled);
      if (!expect.signals?.some((n) => signalNumber(n) === sig)) return { pid, status };
    } else if ("exited" in status && pid === MAIN_PID && !allowed.includes(status.exited)) {
      return { pid, status };
    }
  }
  return null;
}

const IPC_NAMES = ["message queue", "semaphore set", "shared memory segment"];

/** The verdict of a run in which no process can make a call any more. */
export function endVerdict(
  k: Kernel,
  steps: readonly Step[],
  tracker: Tracker,
  live: readonly BlockedProc[],
  checks: EndChecks,
  expect: Expectations = {},
): Verdict {
  if (live.length > 0) {
    return { kind: "deadlock", explanation: explainDeadlock(k, steps, tracker, live) };
  }
  const bad = unexpectedExit(tracker, expect);
  if (bad) return { kind: "exit-status", ...bad, expected: expect.exit ?? 0 };
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
