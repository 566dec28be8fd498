// What a run concludes.

/** What a run concludes: `{ kind: "ok" }`, or why it failed. */
export type Verdict =
  | { kind: "ok" }
  /** os.assert failed. */
  | { kind: "assertion"; pid: number; message: string }
  /** A process's main (or a handler) threw, or misused the API. */
  | { kind: "exception"; pid: number; message: string; error?: unknown }
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

/** Seconds for a person: "1.5", "0.25", "3" (at most 9 decimals, trailing zeros dropped). */
export function seconds(s: number): string {
  return String(Number(s.toFixed(9)));
}
