// The event log: what happened inside one kernel call besides the caller's own result.
// A woken process's completion (hand-off), a process's exit, a caught signal's handler run, a
// stop or continue. The trace engine drains it after every call and turns each record into a
// trace-v1 event ({"wake": ...}, {"exit": ...}, ...).
//
//   record: | kind i32 | pid i32 | a i32 | b i32 | c i32 | d i32 |  (per kind; wasm/abi.ts EVENT)
//   a signal handler's run: a the signal, b 1 when the run is optional (a SIGCHLD race),
//   c its si_code, d its si_value (meaningful for SI_QUEUE: sigqueue's value)

import { NEVENT } from "./param";

@unmanaged class EventState {
  count: i32;
  dropped: i32;
}

@unmanaged class EventRecord {
  kind: i32;
  pid: i32;
  a: i32;
  b: i32;
  c: i32;
  d: i32;
}

/** Bytes of one record (wasm/kernel.ts reads them as six i32). */
export const EVENT_BYTES: i32 = <i32>offsetof<EventRecord>();

const E = changetype<EventState>(memory.data(offsetof<EventState>(), 16));
const records: usize = memory.data(NEVENT * EVENT_BYTES, 16);

export function eventInit(): void {
  E.count = 0;
  E.dropped = 0;
}

export function eventPush(kind: i32, pid: i32, a: i32, b: i32): void {
  eventPushInfo(kind, pid, a, b, 0, 0);
}

export function eventPushInfo(kind: i32, pid: i32, a: i32, b: i32, c: i32, d: i32): void {
  // The engine drains after every call, so the log only overflows on a runaway cascade;
  // the count of dropped records makes that visible instead of silent.
  if (E.count >= NEVENT) {
    E.dropped++;
    return;
  }
  const r = changetype<EventRecord>(records + <usize>E.count * EVENT_BYTES);
  r.kind = kind;
  r.pid = pid;
  r.a = a;
  r.b = b;
  r.c = c;
  r.d = d;
  E.count++;
}

export function eventCount(): i32 {
  return E.count;
}

export function eventDropped(): i32 {
  return E.dropped;
}

export function eventBase(): usize {
  return records;
}

export function eventClear(): void {
  E.count = 0;
}
