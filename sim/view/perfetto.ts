// The timeline (timeline.ts) as a Chrome JSON trace (the Trace Event Format that Perfetto's UI
// and chrome://tracing open): a track per process, a slice per call, a nested `blocked` slice
// where it slept, flow arrows for the causal edges, instant marks for handler runs and exits,
// and a counter track of how many processes are blocked.
//
// The format binds a flow's end to the slice enclosing it (`"bp": "e"`), so every end must
// fall inside one: a mark (a handler run, an exit) is a short slice of its own, and an edge
// that arrives where its process has no slice (a signal to a process between calls) gets one.
//
// Time: step i is at i milliseconds (the format counts microseconds; one step is STEP_US). A
// call's slice covers its own step and, when it slept, every step up to the one that woke it.
// A flow's ends sit inside the slices they join, which is how the format binds them
// (`"bp": "e"`: the enclosing slice).

import type { Edge, Span, Timeline } from "./timeline.js";

/** Microseconds per step. */
export const STEP_US = 1000;
/** A slice's width within its step, so consecutive calls are apart. */
const CALL_US = 800;
/** Where in its step a flow's end sits: inside the call's slice, and inside a mark's. */
const POINT_US = 400;
/** A mark's slice: around POINT_US, within the step's call slice. */
const MARK_FROM_US = 350;
const MARK_US = 100;
/** The pseudo-process of the kernel's counters. */
const KERNEL_PID = 0;

export type ChromeEvent = Record<string, string | number | Record<string, unknown>>;

interface ChromeTrace {
  traceEvents: ChromeEvent[];
  displayTimeUnit: "ms";
  otherData: Record<string, string>;
}

/** The Chrome JSON trace of a timeline. */
export function perfettoOf(t: Timeline): ChromeTrace {
  const events: ChromeEvent[] = [...metadata(t)];
  for (const s of t.spans) events.push(...slices(s, t.length));
  for (const m of t.marks) events.push(markSlice(m.pid, m.at, m.text));
  t.edges.forEach((e, i) => {
    if (!encloses(t, e.fromPid, e.from)) events.push(markSlice(e.fromPid, e.from, e.label));
    if (!encloses(t, e.toPid, e.to)) events.push(markSlice(e.toPid, e.to, e.label));
    events.push(...flow(e, i + 1));
  });
  events.push(...blockedCounter(t));
  for (const c of t.counters) {
    for (const p of c.points) {
      events.push({ name: c.name, ph: "C", pid: KERNEL_PID, ts: p.at * STEP_US + CALL_US,
        args: { [c.name.split(" ").at(-1)!]: p.value } });
    }
  }
  return { traceEvents: events, displayTimeUnit: "ms", otherData: { name: t.name } };
}

function metadata(t: Timeline): ChromeEvent[] {
  const out: ChromeEvent[] = [
    { name: "process_name", ph: "M", pid: KERNEL_PID, args: { name: "kernel" } },
  ];
  t.pids.forEach((pid, i) => {
    out.push({ name: "process_name", ph: "M", pid, args: { name: `pid ${pid}` } });
    out.push({ name: "process_sort_index", ph: "M", pid, args: { sort_index: i } });
    out.push({ name: "thread_name", ph: "M", pid, tid: pid, args: { name: `pid ${pid}` } });
  });
  return out;
}

/** The instant a span's slice ends: its return step's end, or the run's end. */
function spanEnd(s: Span, length: number): number {
  return s.end === null ? length * STEP_US : s.end * STEP_US + CALL_US;
}

function slices(s: Span, length: number): ChromeEvent[] {
  const ts = s.start * STEP_US;
  const end = spanEnd(s, length);
  const args = {
    step: s.step, call: s.text, ...(s.blocked ? { issued: s.issued } : {}),
    ...(s.end === null ? { asleep: "at the end" } : {}),
  };
  const call: ChromeEvent = {
    name: s.call, cat: s.blocked ? "call,blocked" : "call", ph: "X", pid: s.pid, tid: s.pid,
    ts, dur: end - ts, args,
  };
  if (!s.blocked) return [call];
  // The sleep: from the end of its own step to the wake (or the end of the run).
  const from = ts + CALL_US;
  const sleep: ChromeEvent = {
    name: "blocked", cat: "blocked", ph: "X", pid: s.pid, tid: s.pid, ts: from,
    dur: Math.max(end - from, 1), args: { in: s.call, step: s.step },
  };
  return [call, sleep];
}

function flow(e: Edge, id: number): ChromeEvent[] {
  const common = { name: e.label, cat: e.kind, id };
  return [
    { ...common, ph: "s", pid: e.fromPid, tid: e.fromPid, ts: e.from * STEP_US + POINT_US },
    { ...common, ph: "f", bp: "e", pid: e.toPid, tid: e.toPid, ts: e.to * STEP_US + POINT_US },
  ];
}

/** A short slice at step `at` of `pid`: a mark, or where an edge arrives. */
function markSlice(pid: number, at: number, name: string): ChromeEvent {
  return {
    name, cat: "event", ph: "X", pid, tid: pid, ts: at * STEP_US + MARK_FROM_US, dur: MARK_US,
  };
}

/** Whether a call's slice or a mark of `pid` holds step `at`'s flow point. */
function encloses(t: Timeline, pid: number, at: number): boolean {
  const point = at * STEP_US + POINT_US;
  if (t.marks.some((m) => m.pid === pid && m.at === at)) return true;
  return t.spans.some((s) => s.pid === pid && s.start * STEP_US <= point &&
    point < spanEnd(s, t.length));
}

/** The number of blocked processes, at every step where it changes. */
function blockedCounter(t: Timeline): ChromeEvent[] {
  const delta = new Map<number, number>();
  for (const s of t.spans) {
    if (!s.blocked) continue;
    delta.set(s.start, (delta.get(s.start) ?? 0) + 1);
    const end = s.end ?? t.length;
    delta.set(end, (delta.get(end) ?? 0) - 1);
  }
  const out: ChromeEvent[] = [];
  let n = 0;
  for (const at of [...delta.keys()].sort((a, b) => a - b)) {
    n += delta.get(at)!;
    out.push({ name: "blocked processes", ph: "C", pid: KERNEL_PID, ts: at * STEP_US,
      args: { blocked: n } });
  }
  return out;
}
