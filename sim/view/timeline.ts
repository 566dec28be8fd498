// A run as a timeline: a lane per process, a span per call (from its issue to its return,
// shaded where it was blocked) and the causal edges between them. The exports (perfetto.ts,
// mermaid.ts) are projections of it, as the strace text is a projection of the same trace.
//
// Everything here is read from a trace with its outcomes (`expect`, `expect_events`: a recorded
// run, a `run --trace-out`, a `record`ed Linux run), so every view agrees with the text:
//   - time is the step index: step i happens at instant i; a call that blocked at step i and
//     was woken at step j spans i..j;
//   - edges are what the trace itself says caused what: a `wake` event (the step that woke a
//     sleeper, to the sleeper's return; a `lock` hand-off when the sleeper was taking a file
//     lock and got it), a `fork` (to the child's first call), an `exit` (to the
//     wait that reaped it, when that wait did not block: a blocked one is already a wake), a
//     handler run (the step during which it ran, to the process that ran it; its siginfo names
//     the sender).
// Data through objects (write to read, msgsnd to msgrcv) is not in the trace: it comes from
// the kernel's flow log of the same trace (flows.ts, data-edges.ts), with the objects'
// counters, when the caller passes it.

import { formatEvent, formatStep } from "../trace/strace.js";
import type { Result, Step, Trace, TraceEvent } from "../trace/types.js";
import { type Counter, dataEdges } from "./data-edges.js";
import type { NamedFlow } from "./flows.js";

/** One call: its step, when it started and returned (step indices), and its text. */
export interface Span {
  step: number;
  pid: number;
  call: string;
  start: number;
  /** The step at which it returned (== start when it did not block) or its process died in
   * it; null: still asleep at the end. */
  end: number | null;
  /** It slept (a `blocked` result at its own step). */
  blocked: boolean;
  /** The strace text of the call and its final result, without the pid. */
  text: string;
  /** The text at its own step (`<unfinished ...>` for a call that blocked). */
  issued: string;
}

type EdgeKind = "wake" | "lock" | "fork" | "exit" | "signal" | "data";

/** A cause and its effect: from process `fromPid` at step `from` to `toPid` at `to`. */
export interface Edge {
  kind: EdgeKind;
  fromPid: number;
  from: number;
  toPid: number;
  to: number;
  label: string;
}

/** A mark on a lane at one instant: a handler ran, the process exited, stopped, continued. */
interface Mark {
  pid: number;
  at: number;
  text: string;
}

export interface Timeline {
  name: string;
  /** The processes in order of their first appearance. */
  pids: number[];
  spans: Span[];
  edges: Edge[];
  marks: Mark[];
  /** Objects' levels over time (a pipe's bytes, a queue's messages): from the flow log. */
  counters: Counter[];
  /** The last instant (the number of steps). */
  length: number;
}

/** The timeline of a trace whose steps carry their outcomes (a step without `expect` is
 * drawn as a call whose result is unknown). */
export function timelineOf(
  trace: Trace, flows?: ReadonlyMap<number, readonly NamedFlow[]>,
): Timeline {
  const b = new Builder(trace);
  for (const step of trace.steps) b.step(step);
  const t = b.finish();
  if (flows === undefined) return t;
  const data = dataEdges(flows);
  t.edges.push(...data.edges.map((e) => ({ kind: "data" as const, ...e })));
  t.counters = data.counters;
  return t;
}

const FORK_CALLS = new Set(["fork", "vfork"]);
/** Calls that sleep only to take a file lock (fcntl sleeps only in F_SETLKW, F_OFD_SETLKW): the
 * step that woke one handed it the lock. */
const LOCK_CALLS = new Set(["flock", "fcntl"]);
const WAIT_CALLS = new Set(["waitpid", "wait4", "waitid"]);

class Builder {
  private readonly pids: number[] = [];
  private readonly spans: Span[] = [];
  private readonly byStep = new Map<number, Span>();
  private readonly edges: Edge[] = [];
  private readonly marks: Mark[] = [];
  /** Each exited process's exit instant (for an exit → wait edge). */
  private readonly exitAt = new Map<number, number>();

  constructor(private readonly trace: Trace) {}

  step(step: Step): void {
    if (step.call === "advance") {
      // The clock's step: no process's call, but its timeouts and timers wake and signal.
      for (const e of step.expectEvents ?? []) this.event(step, e);
      return;
    }
    this.lane(step.pid);
    const result = step.expect;
    const span: Span = {
      step: step.index, pid: step.pid, call: step.call, start: step.index,
      end: result === "blocked" ? null : step.index,
      blocked: result === "blocked", text: callText(step, result, this.trace.steps), issued: "",
    };
    span.issued = span.text;
    this.spans.push(span);
    this.byStep.set(step.index, span);
    if (result !== undefined && result !== "blocked") this.returned(step, result, step.index);
    for (const e of step.expectEvents ?? []) this.event(step, e);
  }

  finish(): Timeline {
    return {
      name: this.trace.header.name ?? this.trace.file, pids: this.pids, spans: this.spans,
      edges: this.edges, marks: this.marks, counters: [], length: this.trace.steps.length,
    };
  }

  private lane(pid: number): void {
    if (pid > 0 && !this.pids.includes(pid)) this.pids.push(pid);
  }

  /** A call returned at instant `at` with `result`: a fork's child and a wait's reaped child
   * are edges. */
  private returned(step: Step, result: Exclude<Result, "blocked">, at: number): void {
    if (typeof result.ret !== "number" || result.ret <= 0 || result.errno !== undefined) return;
    if (FORK_CALLS.has(step.call)) {
      const child = result.ret;
      const first = this.trace.steps.find((s) => s.index > step.index && s.pid === child);
      this.lane(child);
      this.edge("fork", step.pid, at, child, first?.index ?? at, `${step.call}() = ${child}`);
    }
    const exited = WAIT_CALLS.has(step.call) ? this.exitAt.get(result.ret) : undefined;
    if (exited !== undefined && !this.byStep.get(step.index)?.blocked) {
      this.edge("exit", result.ret, exited, step.pid, at, `reaped by ${step.call}`);
    }
  }

  private event(step: Step, e: TraceEvent): void {
    const at = step.index;
    if ("wake" in e) return this.wake(step, e);
    if ("signal" in e) {
      this.lane(e.pid);
      this.marks.push({ pid: e.pid, at, text: formatEvent(e).replace(/^\[pid \d+\] /, "") });
      // From its sender's last call (siginfo's si_pid), else from the step it ran in.
      const sender = e.info?.pid !== undefined && e.info.pid > 0 ? e.info.pid : step.pid;
      const from = sender === step.pid ? at : this.lastStepOf(sender, at);
      if (sender !== e.pid && from !== null) {
        this.edge("signal", sender, from, e.pid, at, `${e.signal} from pid ${sender}`);
      }
      return;
    }
    const pid = "exit" in e ? e.exit : "stop" in e ? e.stop : e.cont;
    this.lane(pid);
    if ("exit" in e) {
      this.exitAt.set(e.exit, at);
      // A call the process died in (killed asleep) ends with it.
      for (const s of this.spans) if (s.pid === e.exit && s.end === null) s.end = at;
    }
    this.marks.push({ pid, at, text: formatEvent(e).replace(/^\[pid \d+\] /, "") });
  }

  /** Step `step` woke the call of step `e.step`: that span now ends here (or sleeps again). */
  private wake(step: Step, e: Extract<TraceEvent, { wake: number }>): void {
    const woken = this.byStep.get(e.step);
    if (woken === undefined) return;
    const sleeper = this.trace.steps[e.step];
    woken.text = callText(sleeper, e.result, this.trace.steps);
    if (e.result === "blocked") return;
    woken.end = step.index;
    const granted = LOCK_CALLS.has(sleeper.call) && e.result.errno === undefined;
    const [kind, label] = granted ? ["lock" as const, `hands the lock to ${sleeper.call}`]
      : ["wake" as const, `wakes ${sleeper.call}`];
    this.edge(kind, step.pid, step.index, e.wake, step.index, label);
    this.returned(sleeper, e.result, step.index);
  }

  /** The last step of `pid` at or before instant `at`, or null. */
  private lastStepOf(pid: number, at: number): number | null {
    for (let i = this.spans.length - 1; i >= 0; i--) {
      const s = this.spans[i];
      if (s.pid === pid && s.start <= at) return s.start;
    }
    return null;
  }

  private edge(kind: EdgeKind, fromPid: number, from: number, toPid: number, to: number,
    label: string): void {
    if (fromPid <= 0 || toPid <= 0) return;
    this.edges.push({ kind, fromPid, from, toPid, to, label });
  }
}

/** strace's text of a call, without its `[pid N]`. */
function callText(step: Step, result: Result | undefined, steps: readonly Step[]): string {
  return formatStep(step, result, steps).replace(/^\[pid \d+\] /, "");
}
