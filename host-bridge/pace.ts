// The host bridge's rule for time (docs/host-bridge.md "Time"): the host replays a trace's
// durations in real time, on an ideal timeline where virtual instant v is real time R0 + v. So
// that no deadline ever races a step, every valid duration, absolute time, interval and advance
// of a trace must be a whole number of quanta (TIME.QUANTUM_NS): timers then expire on quantum
// boundaries, and the steps of an instant run half a quantum after it. Invalid values (which
// only test EINVAL) are allowed: no timer is armed with them.

import { callSpec } from "../wasm/calls.js";
import { TIME } from "../wasm/abi.js";
import type { Step, Trace } from "../sim/trace/types.js";

const NSEC_PER_SEC = 1_000_000_000;
const Q = TIME.QUANTUM_NS;

/** A valid time field: whole seconds (always whole quanta) and the fraction in ns. */
type Field = { path: string; sec: number; fracNs: number };

/** A timespec (unit 1) or timeval (unit 1000), or undefined when Linux rejects it
 * (timespec64_valid: sec >= 0, 0 <= fraction < one second). */
function field(path: string, sec: number, frac: number, unit: number): Field[] | undefined {
  if (sec < 0 || frac < 0 || frac >= NSEC_PER_SEC / unit) return undefined;
  return [{ path, sec, fracNs: frac * unit }];
}

function timespec(path: string, t: { sec: number; nsec: number }): Field[] | undefined {
  return field(path, t.sec, t.nsec, 1);
}

function timeval(path: string, t: { sec: number; usec: number }): Field[] | undefined {
  return field(path, t.sec, t.usec, 1000);
}

/** The timed fields of one argument, or [] when it arms nothing (null, or invalid anywhere:
 * the call fails with EINVAL before any timer is touched). */
function fieldsOf(kind: string, name: string, value: unknown): Field[] {
  if (value === null || value === undefined) return [];
  const v = value as Record<string, never>;
  const pair = (part: (p: string, t: never) => Field[] | undefined): Field[] => {
    const interval = part(`${name}.interval`, v.interval);
    const val = part(`${name}.value`, v.value);
    return interval && val ? [...interval, ...val] : [];
  };
  switch (kind) {
    case "timeout":
    case "timespec": return timespec(name, v as never) ?? [];
    case "itimerval": return pair(timeval);
    case "timeval": { // select's: usec past a second carries (kern_select)
      const t = value as { sec: number; usec: number };
      return t.usec < 0 ? [] : timeval(name, { sec: t.sec + Math.trunc(t.usec / 1e6),
        usec: t.usec % 1e6 }) ?? [];
    }
    case "itimerspec": return pair(timespec);
    default: return [];
  }
}

function text(f: Field): string {
  return `${f.sec}.${String(f.fracNs).padStart(9, "0")} s`;
}

/** Why a step cannot be paced on the host, one message per field; [] when it can. */
export function stepQuantumProblems(step: Step, file: string): string[] {
  const problems: string[] = [];
  const args = step.args as Record<string, unknown>;
  // poll's and epoll_wait's timeouts are in ms (an int: not a struct kind of its own).
  const ms = step.call === "poll" || step.call === "epoll_wait" || step.call === "epoll_pwait"
    ? step.args.timeout : 0;
  if (ms > 0 && (ms * 1e6) % Q !== 0) {
    problems.push(`${file}:${step.line}: step ${step.index} (${step.call}) field timeout: ` +
      `${ms} ms is not a multiple of the host's time quantum (${Q / 1e6} ms)`);
  }
  for (const arg of callSpec(step.call).args) {
    for (const f of fieldsOf(arg.kind, arg.name, args[arg.name])) {
      if (f.fracNs % Q === 0) continue;
      problems.push(`${file}:${step.line}: step ${step.index} (${step.call}) field ${f.path}: ` +
        `${text(f)} is not a multiple of the host's time quantum (${Q / 1e6} ms)`);
    }
  }
  return problems;
}

/** Every field of the trace (file, line, field) that breaks the rule; [] when none does. */
export function quantumProblems(trace: Trace): string[] {
  return trace.steps.flatMap((s) => stepQuantumProblems(s, trace.file));
}

/** What follows the problems in the error the bridge throws. */
export const QUANTUM_RULE = "(the host bridge replays durations in real time on quantum " +
  "boundaries: docs/host-bridge.md \"Time\")";
