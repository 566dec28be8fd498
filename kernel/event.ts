// The event log: what happened inside one kernel call besides the caller's own result.
// A woken process's completion (hand-off), a process's exit, a caught signal's handler run, a
// stop or continue. The trace engine drains it after every call and turns each record into a
// trace-v1 event ({"wake": ...}, {"exit": ...}, ...).
//
// One call may log any number of records (a group SIGKILL of 20,000 processes, 96,365 queued
// realtime signals released at once): the first NEVENT live in a static buffer, the rest in
// pages from the pool (mem.ts), chained, freed when the log is cleared. Only an exhausted pool
// drops records (counted in `dropped`, which the loader reports as a kernel panic).
//
//   record: | kind i32 | pid i32 | a i32 | b i32 | c i32 | d i32 | e i32 |  (per kind;
//   wasm/abi.ts EVENT)
//   a signal handler's run: a the signal, b 1 when the run is optional (a SIGCHLD race), 2 or
//   3 when it opened a frame (sigframe.ts), c its si_code, d its si_value (SI_QUEUE, SI_TIMER,
//   SI_MESGQ) or a SIGCHLD's si_status, e its si_pid (-1: a run whose siginfo the model does
//   not know, a coalesced SIGCHLD's that Linux may have run separately)
//
//   a flow (only while the host asked for them: k_flow_log): a is obj * 4 + dir (FLOW_PIPE,
//   FLOW_MSG, FLOW_SOCK, FLOW_MQ; FLOW_IN, FLOW_OUT, FLOW_PEEK), b the object's id (a pipe's
//   or a receiving socket's serial, a msqid, a POSIX queue's row), c where in it (a pipe's
//   byte offset since creation, mod 2^32; a message's or a socket buffer's serial), d the
//   length, e per object (a FIFO's inode or -1; a message's mtype, low 32 bits; the sending
//   socket's serial; a POSIX message's priority)
//
//   static buffer: NEVENT records (records 0 .. NEVENT-1)
//   overflow page: | next page usize | pad | EVENT_PAGE_RECORDS records |  (the next records)
//
// Invariants (eventCheck): the chain holds exactly the pages the records past NEVENT need.

import { EVENT_FLOW, EVENT_SIGNAL } from "./abi";
import { pageAllocRaw, pagePut } from "./mem";
import { NEVENT, PAGE_SIZE } from "./param";

@unmanaged class EventState {
  count: i32;
  dropped: i32;
  /** The overflow pages: first and last (0: none). */
  pageHead: usize;
  pageTail: usize;
}

@unmanaged class EventRecord {
  kind: i32;
  pid: i32;
  a: i32;
  b: i32;
  c: i32;
  d: i32;
  e: i32;
}

/** Bytes of one record (wasm/kernel.ts reads them as seven i32). */
export const EVENT_BYTES: i32 = <i32>offsetof<EventRecord>();
/** Bytes before the first record of an overflow page (the next-page link and padding). */
export const EVENT_PAGE_HEADER: i32 = 8;
/** Records one overflow page holds. */
export const EVENT_PAGE_RECORDS: i32 = (PAGE_SIZE - EVENT_PAGE_HEADER) / EVENT_BYTES;

const E = changetype<EventState>(memory.data(offsetof<EventState>(), 16));
const records: usize = memory.data(NEVENT * EVENT_BYTES, 16);

export function eventInit(): void {
  // The pool was reset too (memInit): pages of an earlier chain are not ours to free.
  E.count = 0;
  E.dropped = 0;
  E.pageHead = 0;
  E.pageTail = 0;
}

export function eventPush(kind: i32, pid: i32, a: i32, b: i32): void {
  eventPushRecord(kind, pid, a, b, 0, 0, 0);
}

/** Where record E.count goes, growing the chain by a page when the last one is full; 0 when
 * the pool is exhausted. */
function nextSlot(): usize {
  if (E.count < NEVENT) return records + <usize>E.count * EVENT_BYTES;
  const j = (E.count - NEVENT) % EVENT_PAGE_RECORDS;
  if (j == 0) {
    const page = pageAllocRaw();
    if (page == 0) return 0;
    store<usize>(page, 0);
    if (E.pageTail != 0) store<usize>(E.pageTail, page);
    else E.pageHead = page;
    E.pageTail = page;
  }
  return E.pageTail + <usize>EVENT_PAGE_HEADER + <usize>j * EVENT_BYTES;
}

/** Flow records' objects and directions (the record's a is obj * 4 + dir): into the object,
 * out of it, or copied out and left there (msgrcv's MSG_COPY, recv's MSG_PEEK). */
export const FLOW_PIPE: i32 = 1;
export const FLOW_MSG: i32 = 2;
export const FLOW_SOCK: i32 = 3;
export const FLOW_MQ: i32 = 4;
export const FLOW_IN: i32 = 0;
export const FLOW_OUT: i32 = 1;
export const FLOW_PEEK: i32 = 2;

/** Whether flows are logged: a wasm global the host sets per kernel (k_flow_log), which a
 * memory restore leaves alone; off, a run's calls pay one branch. */
let flowOn = false;

export function eventFlowLog(on: bool): void { flowOn = on; }

/** pid moved len bytes (or a message) into or out of an object (the record above). */
export function eventPushFlow(
  pid: i32, obj: i32, dir: i32, id: i32, at: i32, len: i32, extra: i32,
): void {
  if (flowOn) eventPushRecord(EVENT_FLOW, pid, obj * 4 + dir, id, at, len, extra);
}

/** A handler run of sig in pid (b as the record's) with its siginfo: si_code, si_value (or a
 * SIGCHLD's si_status) and si_pid (-1: unknown). */
export function eventPushSig(pid: i32, sig: i32, b: i32, code: i32, value: i32, from: i32): void {
  eventPushRecord(EVENT_SIGNAL, pid, sig, b, code, value, from);
}

function eventPushRecord(kind: i32, pid: i32, a: i32, b: i32, c: i32, d: i32, e: i32): void {
  const at = nextSlot();
  if (at == 0) {
    E.dropped++;
    return;
  }
  const r = changetype<EventRecord>(at);
  r.kind = kind;
  r.pid = pid;
  r.a = a;
  r.b = b;
  r.c = c;
  r.d = d;
  r.e = e;
  E.count++;
}

export function eventCount(): i32 {
  return E.count;
}

export function eventDropped(): i32 {
  return E.dropped;
}

/** The static buffer (records 0 .. NEVENT-1). */
export function eventBase(): usize {
  return records;
}

/** The first overflow page (0: none); each page's first word links the next. */
export function eventPageHead(): usize {
  return E.pageHead;
}

export function eventClear(): void {
  let page = E.pageHead;
  while (page != 0) {
    const next = load<usize>(page);
    pagePut(page);
    page = next;
  }
  E.pageHead = 0;
  E.pageTail = 0;
  E.count = 0;
}

/** Each overflow page, for kernel_check's page reference count. */
export function eventPages(visit: (page: usize) => void): void {
  for (let page = E.pageHead; page != 0; page = load<usize>(page)) visit(page);
}

/** Invariant: the chain has exactly the pages the records past NEVENT fill. */
export function eventCheck(): void {
  const past = E.count > NEVENT ? E.count - NEVENT : 0;
  const need = (past + EVENT_PAGE_RECORDS - 1) / EVENT_PAGE_RECORDS;
  let n = 0;
  for (let page = E.pageHead; page != 0; page = load<usize>(page)) {
    n++;
    assert(n <= need, "event log: more overflow pages than records need (cycle?)");
    if (load<usize>(page) == 0) assert(page == E.pageTail, "event log: tail is not the last");
  }
  assert(n == need, "event log: overflow pages != records past NEVENT");
}
