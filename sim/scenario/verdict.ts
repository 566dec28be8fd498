// What a run concludes.

import type { WaitStatus } from "../../wasm/names.js";

/** What a run concludes: `{ kind: "ok" }`, or why it failed. */
export type Verdict =
  | { kind: "ok" }
  /** os.assert failed. */
  | { kind: "assertion"; pid: number; message: string }
  /** A process's main (or a handler) threw, or misused the API. `message` is the error's type
   * and message ("TypeError: x is not a function"); `stack`, its frames in the scenario's own
   * files, mapped to their lines ("at child (examples/foo.ts:12:5)"; stack.ts). */
  | { kind: "exception"; pid: number; message: string; stack?: string[]; error?: unknown }
  /** A process's JS neither calls `os` nor returns while every other process is blocked or
   * done (scheduler.ts STUCK_TURNS): the first such pid, what it last did ("after its last
   * call, read(3, 64) (step 5)"), one line per live process. */
  | { kind: "stuck"; pid: number; last: string; explanation: string[] }
  /** The main process (pid 2) exited with a status, or a process was killed by a signal, that
   * the scenario did not declare in `expect` (checks.ts); `expected`: main's exit status(es). */
  | { kind: "exit-status"; pid: number; status: WaitStatus; expected: number | readonly number[] }
  /** Every live process is blocked: the wait-for explanation, one line per fact. */
  | { kind: "deadlock"; explanation: string[] }
  /** Only time passes: many timer expiries in a row and no call (scheduler.ts
   * LIVELOCK_ADVANCES), no process sleeping towards a deadline of its own. `time` is the
   * virtual time (CLOCK_MONOTONIC, s); the explanation says what keeps firing and what the
   * live processes wait for. */
  | { kind: "livelock"; time: number; explanation: string[] }
  /** An end check failed (zombies, ipc-objects, pipes-drained). */
  | { kind: "check"; check: string; messages: string[] }
  | { kind: "step-limit"; message: string }
  /** The model refused a call it cannot pass faithfully (a ModelError: an argument wider than
   * 32 bits, a write larger than the I/O area...). */
  | { kind: "unsupported"; message: string }
  | { kind: "kernel-panic"; message: string }
  /** The watchdog (pool.ts) ended a run whose scenario code ran `ms` milliseconds without
   * letting the run go on (a loop that never calls `os`, a timer awaited for an hour). `pids`:
   * the processes given the CPU and not yet back with a call (one of them spins; several when
   * they were resumed together), none when the run was stuck outside them. */
  | { kind: "timeout"; ms: number; pids: number[] };

/** One line: "deadlock", "assertion failed in pid 3: total is 2", ... */
export function verdictLine(v: Verdict): string {
  switch (v.kind) {
    case "ok": return "ok";
    case "assertion": return `assertion failed in pid ${v.pid}: ${v.message}`;
    case "exception": return v.pid ? `exception in pid ${v.pid}: ${v.message}` : v.message;
    case "stuck": return `stuck: pid ${v.pid} neither calls os nor returns (${v.last})`;
    case "exit-status": return exitStatusLine(v.pid, v.status, v.expected);
    case "deadlock": return "deadlock: every live process is blocked";
    case "livelock": return `livelock: only time passes (t=${seconds(v.time)} s), no call is made`;
    case "check": return `end check "${v.check}" failed: ${v.messages.join("; ")}`;
    case "step-limit": return `step limit: ${v.message}`;
    case "unsupported": return `unsupported: ${v.message}`;
    case "kernel-panic": return `kernel panic (a bug in ipcsim): ${v.message}`;
    case "timeout": return timeoutLine(v.ms, v.pids);
  }
}

function timeoutLine(ms: number, pids: number[]): string {
  const who = pids.length === 0 ? "the run"
    : `${pids.length === 1 ? "pid" : "pids"} ${pids.join(", ")}`;
  return `timeout: ${who} ran ${ms} ms without an os call that let the run go on ` +
    "(a loop that never calls os, or a wait on something that is not simulated)";
}

function exitStatusLine(
  pid: number, status: WaitStatus, expected: number | readonly number[],
): string {
  const who = pid === 2 ? "the main process (pid 2)" : `pid ${pid}`;
  if ("signaled" in status) {
    return `exit status: ${who} was killed by ${status.signaled}, which the scenario does not ` +
      `expect (if it should: export const expect = { signals: ["${status.signaled}"] })`;
  }
  const code = "exited" in status ? status.exited : -1;
  const want = typeof expected === "number" ? String(expected) : expected.join(" or ");
  return `exit status: ${who} exited with ${code}, not ${want} ` +
    `(if it should: export const expect = { exit: ${code} })`;
}

/** Seconds for a person: "1.5", "0.25", "3" (at most 9 decimals, trailing zeros dropped). */
export function seconds(s: number): string {
  return String(Number(s.toFixed(9)));
}

/** The lines a verdict explains itself with (a deadlock's or livelock's waits, a stuck
 * process's, an exception's stack), for the views; none for the others. */
export function verdictExplanation(v: Verdict): string[] {
  if ("explanation" in v) return v.explanation;
  if (v.kind === "exception") return [v.message, ...(v.stack ?? [])];
  return [];
}
