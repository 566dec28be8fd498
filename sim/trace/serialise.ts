// Write outcomes and traces as trace-v1 JSON (docs/trace-format.md, "Outcomes"): the inverse of
// parse.ts for results and events, and a writer for whole traces that fills in each step's
// `expect`/`expect_events` from recorded outcomes.
//
// Output is deterministic: keys in spec order (results: ret, errno, then outputs; steps: pid,
// call, the call's fields in calls.ts order), `stat` keys sorted, signal sets sorted by number.
// Step arguments are copied from the step's `raw` JSON unchanged, so a trace written back says
// exactly what its author wrote. Events keep the order the producer gave (often causal order,
// which helps a reader); compare.ts treats them as a multiset.

import type { SignalName } from "../../wasm/abi.js";
import { signalNumber } from "../../wasm/names.js";
import { bytesToJson } from "./bytes.js";
import { longToJson } from "./long.js";
import { FIELDS, isClockCall } from "./calls.js";
import { flockToJson } from "./flock.js";
import { ownerToJson } from "./owner-ex.js";
import { siginfoToJson } from "./siginfo.js";
import { stackToJson } from "./stack.js";
import { sockaddrToJson } from "./sockaddr.js";
import { reventsJson } from "./poll.js";
import { epollEventJson } from "./epoll.js";
import { isModeField, statFieldName } from "./stat-names.js";
import { PARAM_NAMES } from "./parse.js";
import type {
  Header, Itimerspec, Itimerval, Outcome, Result, Step, Timespec, Timeval, Trace, TraceEvent,
  WaitStatus,
} from "./types.js";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function resultToJson(r: Result): Json {
  if (r === "blocked") return "blocked";
  const o: JsonObject = { ret: r.ret };
  if (r.errno !== undefined) o.errno = r.errno;
  if (r.data !== undefined) o.data = bytesToJson(r.data);
  if (r.mtype !== undefined) o.mtype = longToJson(r.mtype);
  if (r.fds !== undefined) o.fds = [r.fds[0], r.fds[1]];
  if (r.status !== undefined) o.status = statusToJson(r.status);
  if (r.stat !== undefined) o.stat = statToJson(r.stat);
  if (r.values !== undefined) o.values = [...r.values];
  if (r.set !== undefined) o.set = sortSignals(r.set);
  if (r.oldset !== undefined) o.oldset = sortSignals(r.oldset);
  if (r.owner !== undefined) o.owner = ownerToJson(r.owner);
  if (r.flock !== undefined) o.flock = flockToJson(r.flock);
  if (r.tp !== undefined) o.tp = timeToJson(r.tp);
  if (r.res !== undefined) o.res = timeToJson(r.res);
  if (r.tv !== undefined) o.tv = timeToJson(r.tv);
  if (r.rem !== undefined) o.rem = timeToJson(r.rem);
  if (r.curr !== undefined) o.curr = timerToJson(r.curr);
  if (r.old !== undefined) o.old = timerToJson(r.old);
  if (r.timerid !== undefined) o.timerid = r.timerid;
  if (r.prio !== undefined) o.prio = r.prio;
  if (r.dirents !== undefined) o.dirents = r.dirents.map((d) => ({ ...d }));
  if (r.info !== undefined) o.info = siginfoToJson(r.info);
  if (r.oldss !== undefined) o.oldss = stackToJson(r.oldss);
  if (r.revents !== undefined) o.revents = reventsJson(r.revents);
  if (r.events !== undefined) o.events = r.events.map(epollEventJson);
  if (r.readfds !== undefined) o.readfds = [...r.readfds];
  if (r.writefds !== undefined) o.writefds = [...r.writefds];
  if (r.exceptfds !== undefined) o.exceptfds = [...r.exceptfds];
  if (r.optval !== undefined) o.optval = r.optval;
  if (r.addr !== undefined) o.addr = sockaddrToJson(r.addr);
  if (r.optlen !== undefined) o.optlen = r.optlen;
  return o;
}

/** A timespec or timeval: `sec` first, then `nsec` or `usec`. */
export function timeToJson(t: Timespec | Timeval): JsonObject {
  return "nsec" in t ? { sec: t.sec, nsec: t.nsec } : { sec: t.sec, usec: t.usec };
}

/** An itimerval or itimerspec: `interval`, then `value`. */
export function timerToJson(t: Itimerval | Itimerspec): JsonObject {
  return { interval: timeToJson(t.interval), value: timeToJson(t.value) };
}

export function statusToJson(s: WaitStatus): JsonObject {
  if ("exited" in s) return { exited: s.exited };
  if ("signaled" in s) {
    return s.core ? { signaled: s.signaled, core: true } : { signaled: s.signaled };
  }
  if ("stopped" in s) return { stopped: s.stopped };
  return { continued: true };
}

/** Signal sets are sets: sorted by signal number, without repeats. */
export function sortSignals(set: readonly SignalName[]): SignalName[] {
  return [...new Set(set)].sort((a, b) => (signalNumber(a) ?? 0) - (signalNumber(b) ?? 0));
}

/** A stat object with sorted keys, each in its output spelling (`__key`, not the kernel's
 * `key`: stat-names.ts), and `mode` fields as octal strings ("0600"). */
export function statToJson(stat: Record<string, unknown>): JsonObject {
  const named = new Map<string, unknown>();
  for (const [key, v] of Object.entries(stat)) {
    const name = statFieldName(key, stat);
    if (name !== undefined) named.set(name, v);
  }
  const out: JsonObject = {};
  for (const key of [...named.keys()].sort()) {
    const v = named.get(key);
    if (isModeField(key) && typeof v === "number") out[key] = octal(v);
    else out[key] = toJson(v);
  }
  return out;
}

/** A mode as a trace writes it: "0" then at least three octal digits ("0600", "01600"). */
export function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, "0")}`;
}

function toJson(v: unknown): Json {
  if (v === null || typeof v === "boolean" || typeof v === "number" || typeof v === "string") {
    return v;
  }
  if (Array.isArray(v)) return v.map(toJson);
  if (v instanceof Uint8Array) return bytesToJson(v);
  if (typeof v === "object") return statToJson(v as Record<string, unknown>);
  return String(v); // bigint and the like: never produced by the codec, kept readable
}

export function eventToJson(e: TraceEvent): JsonObject {
  if ("wake" in e) return { wake: e.wake, step: e.step, result: resultToJson(e.result) };
  if ("signal" in e) {
    const out: JsonObject = { signal: e.signal, pid: e.pid };
    if (e.value !== undefined) out.value = e.value;
    if (e.frame) out.frame = true;
    if (e.info !== undefined) out.info = siginfoToJson(e.info);
    return out;
  }
  if ("exit" in e) return { exit: e.exit, status: statusToJson(e.status) };
  if ("stop" in e) return { stop: e.stop };
  return { cont: e.cont };
}

/** The step's argument fields, copied from its raw JSON, in calls.ts order. */
function argsToJson(step: Step): JsonObject {
  const out: JsonObject = {};
  for (const name of FIELDS[step.call]) {
    if (step.raw[name] !== undefined) out[name] = step.raw[name] as Json;
  }
  return out;
}

/** An outcome as the spec writes it: step, pid (none for a clock row: advance), call, the
 * step's arguments when `step` is given, then `result` (absent when the caller did not
 * return) and `events`. */
export function outcomeToJson(o: Outcome, step?: Step): JsonObject {
  if (step !== undefined && (step.index !== o.step || step.call !== o.call)) {
    throw new Error(`assertion: outcome of step ${o.step} (${o.call}) given step ${step.index}`);
  }
  const out: JsonObject = isClockCall(o.call)
    ? { step: o.step, call: o.call }
    : { step: o.step, pid: o.pid, call: o.call };
  if (step !== undefined) Object.assign(out, argsToJson(step));
  if (o.result !== undefined) out.result = resultToJson(o.result);
  out.events = o.events.map(eventToJson);
  return out;
}

export function headerToJson(h: Header): JsonObject {
  const out: JsonObject = { trace: h.trace, version: h.version };
  if (h.name !== undefined) out.name = h.name;
  if (h.description !== undefined) out.description = h.description;
  if (h.realtime !== undefined) out.realtime = h.realtime;
  const names = Object.keys(h.params);
  if (names.length > 0) {
    const order = (n: string) => (PARAM_NAMES as readonly string[]).indexOf(n);
    const params: JsonObject = {};
    for (const n of names.sort((a, b) => order(a) - order(b))) params[n] = toJson(h.params[n]);
    out.params = params;
  }
  return out;
}

/** A step as a trace line (a clock row's without `pid`). With an outcome, `expect` and
 * `expect_events` are that outcome's (`expect` absent when the caller did not return;
 * `expect_events` always written, so that a recorded `[]` says "no events"); without one, the
 * step's own expectation is kept. */
export function stepToJson(step: Step, outcome?: Outcome): JsonObject {
  const who: JsonObject = isClockCall(step.call) ? {} : { pid: step.pid };
  const out: JsonObject = { ...who, call: step.call, ...argsToJson(step) };
  if (step.raw.comment !== undefined) out.comment = step.raw.comment as Json;
  if (outcome !== undefined) {
    if (outcome.pid !== step.pid || outcome.call !== step.call) {
      throw new Error(`assertion: outcome of pid ${outcome.pid} ${outcome.call} given step ` +
        `${step.index} (pid ${step.pid} ${step.call})`);
    }
    if (outcome.result !== undefined) out.expect = resultToJson(outcome.result);
    out.expect_events = outcome.events.map(eventToJson);
    return out;
  }
  const { expect, expect_events } = step.raw;
  if (expect !== undefined) out.expect = expect as Json;
  else if (step.expect !== undefined) out.expect = resultToJson(step.expect);
  if (expect_events !== undefined) out.expect_events = expect_events as Json;
  else if (step.expectEvents !== undefined) out.expect_events = step.expectEvents.map(eventToJson);
  return out;
}

/** Write a trace as JSON Lines (header, then one line per step), with expectations from
 * `outcomes` (matched by their `step`) where given. Comment lines of the source are not kept;
 * a step's `comment` field is. */
export function traceToJsonl(trace: Trace, outcomes: readonly Outcome[] = []): string {
  const byStep = new Map<number, Outcome>();
  for (const o of outcomes) {
    if (byStep.has(o.step)) throw new Error(`assertion: two outcomes for step ${o.step}`);
    byStep.set(o.step, o);
  }
  const lines = [JSON.stringify(headerToJson(trace.header))];
  for (const step of trace.steps) {
    lines.push(JSON.stringify(stepToJson(step, byStep.get(step.index))));
  }
  return `${lines.join("\n")}\n`;
}

/** JSON with every object's keys sorted: equal values give equal text. */
export function canonicalJson(v: Json): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  const keys = Object.keys(v).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(",")}}`;
}
