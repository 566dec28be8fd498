// Compare outcomes as the spec does (docs/trace-format.md, "Outcomes"):
// - results field by field: `ret`, `errno` and every output must agree (data bytewise, signal
//   sets as sets), except that `{"ret": "address"}` matches any non-negative ret (shmat, mmap
//   addresses are opaque) and `stat` is a subset match: only the fields the expected side lists
//   are compared, recursively, a field in either of its spellings (`__key` or `key`:
//   stat-names.ts); an expected result without `stat` does not look at it;
// - events as a multiset: a one-to-one pairing of expected and actual events must exist. With
//   subset `stat`s one expected event can fit several actual ones, so the pairing is a maximum
//   bipartite matching, not a greedy scan;
// - time values by relation, never as raw numbers (docs/trace-format.md "Time"): the time
//   outputs (`tp`, `tv`, `rem`, `curr`, `old`) match when each field pair, in nanoseconds,
//   differs by less than TIME.QUANTUM_NS; a `retSeconds` call's ret (time, alarm) and the IPC
//   stat times (`msg_stime`, `shm_atime`...) match when both are 0, or both are non-zero and
//   at most a second apart; a file's stat times (`st_atim`, `st_mtim`, `st_ctim`) as `tp`.
//   `res` and `timerid` compare exactly. outcomeKey stays exact: it
//   tells the model's own outcomes apart.

import { flockEqual } from "./flock.js";
import { stackEqual } from "./stack.js";
import { sockaddrEqual } from "./sockaddr.js";
import { siginfoEqual } from "./siginfo.js";
import { sameEvents } from "./epoll.js";
import { TIME, type CallName, type SignalName } from "../../wasm/abi.js";
import { callSpec } from "../../wasm/calls.js";
import { bytesEqual, bytesToJson } from "./bytes.js";
import { ADDRESS_CALLS } from "./calls.js";
import { timeNs } from "./timespec.js";
import { longToJson, type Long } from "./long.js";
import { canonicalStat, isModeField } from "./stat-names.js";
import {
  canonicalJson, eventToJson, octal, resultToJson, sortSignals, statusToJson, type Json,
} from "./serialise.js";
import type {
  Itimerspec, Itimerval, Outcome, Result, Step, Timespec, Timeval, TraceEvent, WaitStatus,
} from "./types.js";

type ResultObject = Exclude<Result, "blocked">;
type OutputKey = Exclude<keyof ResultObject, "ret" | "stat">;

const sameStatus = (e: WaitStatus, a: WaitStatus) =>
  canonicalJson(statusToJson(e)) === canonicalJson(statusToJson(a));
const sameArray = (e: readonly unknown[], a: readonly unknown[]) =>
  e.length === a.length && e.every((x, i) => x === a[i]);
const sameSignals = (e: ResultObject["set"] & {}, a: ResultObject["set"] & {}) =>
  sameArray(sortSignals(e), sortSignals(a));

type Same<K extends OutputKey> = (
  e: NonNullable<ResultObject[K]>,
  a: NonNullable<ResultObject[K]>,
) => boolean;

// ---- time, by relation ----

/** Two readings of one instant or duration: less than a quantum apart. The seconds are
 * subtracted first: a CLOCK_REALTIME instant in ns (~1.8e18) is past a double's exact range. */
const nearTime = (e: Timespec | Timeval, a: Timespec | Timeval) =>
  Math.abs((e.sec - a.sec) * 1e9 + timeNs({ ...e, sec: 0 }) - timeNs({ ...a, sec: 0 })) <
    TIME.QUANTUM_NS;
const nearTimer = (e: Itimerval | Itimerspec, a: Itimerval | Itimerspec) =>
  nearTime(e.interval, a.interval) && nearTime(e.value, a.value);

/** Whole seconds of the real-time clock (time, alarm, the IPC stat times): both 0 (never
 * set, no alarm), or both non-zero and at most a second apart (a reading can cross a second). */
function nearSeconds(e: number, a: number): boolean {
  if (e === 0 || a === 0) return e === a;
  return Math.abs(e - a) <= 1;
}

/** The IPC_STAT fields that are times (ktime_get_real_seconds()). */
const STAT_TIMES: ReadonlySet<string> = new Set([
  "msg_stime", "msg_rtime", "msg_ctime", "sem_otime", "sem_ctime", "shm_atime", "shm_dtime",
  "shm_ctime",
]);

/** A file's stat fields that are timespecs of CLOCK_REALTIME (compared as `tp`). */
const FILE_TIMES: ReadonlySet<string> = new Set(["st_atim", "st_mtim", "st_ctim"]);

function isTimespec(v: unknown): v is Timespec {
  return isObject(v) && typeof v.sec === "number" && typeof v.nsec === "number";
}

/** Equality of each output field, when both sides have it. */
const SAME: { [K in OutputKey]-?: Same<K> } = {
  errno: (e, a) => e === a,
  data: bytesEqual,
  mtype: (e, a) => e === a,
  fds: sameArray,
  status: sameStatus,
  values: sameArray,
  set: sameSignals,
  oldset: sameSignals,
  owner: (e, a) => e.type === a.type && e.pid === a.pid,
  flock: flockEqual,
  oldss: stackEqual,
  tp: nearTime,
  res: (e, a) => e.sec === a.sec && e.nsec === a.nsec,
  tv: nearTime,
  rem: nearTime,
  curr: nearTimer,
  old: nearTimer,
  timerid: (e, a) => e === a,
  prio: (e, a) => e === a,
  optval: (e, a) => e === a,
  addr: sockaddrEqual,
  optlen: (e, a) => e === a,
  dirents: (e, a) => e.length === a.length &&
    e.every((d, i) => d.ino === a[i].ino && d.type === a[i].type && d.name === a[i].name),
  info: siginfoEqual,
  revents: sameArray,
  events: sameEvents,
  readfds: sameArray, writefds: sameArray, exceptfds: sameArray,
};
const OUTPUT_KEYS = Object.keys(SAME) as OutputKey[];

/** `call`, when known, says how `ret` compares (a retSeconds call's by relation). */
export function resultsMatch(expected: Result, actual: Result, call?: CallName): boolean {
  if (expected === "blocked" || actual === "blocked") return expected === actual;
  if (!retsMatch(expected.ret, actual.ret, call)) return false;
  for (const key of OUTPUT_KEYS) if (!outputMatches(key, expected, actual)) return false;
  if (expected.stat === undefined) return true;
  return statMismatches(expected.stat, actual.stat, "").length === 0;
}

function isAddress(ret: number | "address"): boolean {
  return ret === "address" || ret >= 0;
}

/** A successful shmat/mmap result with its ret written "address": addresses are opaque (the
 * model's and the host's differ), so outcomes compare and record them as "a valid address". */
export function opaqueAddress(call: Step["call"], r: Result): Result {
  if (r === "blocked" || !ADDRESS_CALLS.includes(call) || !isAddress(r.ret)) return r;
  return { ...r, ret: "address" };
}

function retsMatch(e: number | "address", a: number | "address", call?: CallName): boolean {
  if (e === "address") return isAddress(a);
  if (a === "address") return isAddress(e);
  if (call !== undefined && callSpec(call).retSeconds && e >= 0 && a >= 0) {
    return nearSeconds(e, a);
  }
  return e === a;
}

function outputMatches(key: OutputKey, e: ResultObject, a: ResultObject): boolean {
  const ev = e[key];
  const av = a[key];
  if (ev === undefined || av === undefined) return ev === av;
  return (SAME[key] as (x: unknown, y: unknown) => boolean)(ev, av);
}

/** statDiffs with each side's fields in the output spelling (stat-names.ts): `__key` and
 * `key` are one field, whichever side wrote which. */
function statMismatches(expected: Record<string, unknown>, actual: unknown, path: string) {
  return statDiffs(canonicalStat(expected), isObject(actual) ? canonicalStat(actual) : actual,
    path);
}

/** Where `actual` differs from the fields `expected` lists, as "path: expected X, got Y". */
function statDiffs(expected: Record<string, unknown>, actual: unknown, path: string): string[] {
  const diffs: string[] = [];
  for (const [key, e] of Object.entries(expected)) {
    const a = isObject(actual) ? actual[key] : undefined;
    const p = path ? `${path}.${key}` : key;
    if (FILE_TIMES.has(key) && isTimespec(e)) {
      if (!isTimespec(a) || !nearTime(e, a)) {
        diffs.push(`${p}: expected ${showStat(key, e)}, got ${showStat(key, a)}`);
      }
    } else if (isObject(e)) diffs.push(...statDiffs(e, a, p));
    else if (!sameStatValue(key, e, a)) {
      diffs.push(`${p}: expected ${showStat(key, e)}, got ${showStat(key, a)}`);
    }
  }
  return diffs;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function sameStatValue(key: string, e: unknown, a: unknown): boolean {
  if (STAT_TIMES.has(key) && typeof e === "number" && typeof a === "number") {
    return nearSeconds(e, a);
  }
  if (isModeField(key)) return modeNumber(e) === modeNumber(a) && modeNumber(e) !== undefined;
  if (Array.isArray(e)) {
    return Array.isArray(a) && canonicalJson(e as Json) === canonicalJson(a as Json);
  }
  return e === a;
}

/** Modes may arrive as numbers (decoded) or octal strings (from JSON). */
function modeNumber(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string" && /^[0-7]+$/.test(v)) return parseInt(v, 8);
  return undefined;
}

function showStat(key: string, v: unknown): string {
  if (v === undefined) return "nothing";
  return JSON.stringify(isModeField(key) && typeof v === "number" ? octal(v) : v);
}

function eventMatches(e: TraceEvent, a: TraceEvent): boolean {
  if ("wake" in e) {
    if (!("wake" in a) || e.wake !== a.wake || e.step !== a.step) return false;
    return resultsMatch(e.result, a.result);
  }
  if ("signal" in e) {
    // A siginfo is compared when both have one: traces written before events carried it have
    // none, nor has a run whose siginfo the model does not know (a coalesced SIGCHLD's).
    return "signal" in a && e.signal === a.signal && e.pid === a.pid && e.value === a.value &&
      e.frame === a.frame &&
      (e.info === undefined || a.info === undefined || siginfoEqual(e.info, a.info));
  }
  if ("exit" in e) return "exit" in a && e.exit === a.exit && sameStatus(e.status, a.status);
  if ("stop" in e) return "stop" in a && e.stop === a.stop;
  return "cont" in a && e.cont === a.cont;
}

/** Events compared as a multiset (any order). */
export function eventsMatch(
  expected: readonly TraceEvent[],
  actual: readonly TraceEvent[],
): boolean {
  if (expected.length !== actual.length) return false;
  return pairEvents(expected, actual).every((j) => j >= 0);
}

/** The part of an event that must be equal for two events to match (eventMatches compares
 * the rest): events are paired only within a bucket of one key. */
function eventKey(e: TraceEvent): string {
  if ("wake" in e) return `w${e.wake}:${e.step}`;
  if ("signal" in e) return `s${e.pid}:${e.signal}:${e.value ?? ""}${e.frame ? ":f" : ""}`;
  if ("exit" in e) return `x${e.exit}`;
  if ("stop" in e) return `t${e.stop}`;
  return `c${e.cont}`;
}

/** A maximum matching: for each expected event, the index of its actual partner or -1. Events
 * of different keys never match, so each key's bucket is matched alone (Kuhn's augmenting
 * paths, O(n³) in a bucket's size): a step with 100,000 events, each of its own key, is linear. */
function pairEvents(expected: readonly TraceEvent[], actual: readonly TraceEvent[]): number[] {
  const buckets = new Map<string, { e: number[]; a: number[] }>();
  const bucket = (k: string) => {
    let b = buckets.get(k);
    if (!b) buckets.set(k, (b = { e: [], a: [] }));
    return b;
  };
  expected.forEach((e, i) => bucket(eventKey(e)).e.push(i));
  actual.forEach((a, j) => bucket(eventKey(a)).a.push(j));
  const partner = expected.map(() => -1);
  for (const b of buckets.values()) {
    const pairs = pairBucket(b.e.map((i) => expected[i]), b.a.map((j) => actual[j]));
    pairs.forEach((j, i) => {
      if (j >= 0) partner[b.e[i]] = b.a[j];
    });
  }
  return partner;
}

function pairBucket(expected: readonly TraceEvent[], actual: readonly TraceEvent[]): number[] {
  const fits = expected.map((e) => actual.map((a) => eventMatches(e, a)));
  const owner: number[] = actual.map(() => -1); // actual index -> expected index
  const augment = (i: number, seen: boolean[]): boolean => {
    for (let j = 0; j < actual.length; j++) {
      if (!fits[i][j] || seen[j]) continue;
      seen[j] = true;
      if (owner[j] < 0 || augment(owner[j], seen)) {
        owner[j] = i;
        return true;
      }
    }
    return false;
  };
  for (let i = 0; i < expected.length; i++) augment(i, []);
  const partner = expected.map(() => -1);
  owner.forEach((i, j) => {
    if (i >= 0) partner[i] = j;
  });
  return partner;
}

/** Same step, caller and call; both without a result or with matching results; events match. */
export function outcomesMatch(expected: Outcome, actual: Outcome): boolean {
  if (expected.step !== actual.step || expected.pid !== actual.pid) return false;
  if (expected.call !== actual.call) return false;
  const e = expected.result;
  const a = actual.result;
  if (e === undefined || a === undefined) {
    if (e !== a) return false;
  } else if (!resultsMatch(e, a, expected.call)) {
    return false;
  }
  return eventsMatch(expected.events, actual.events);
}

/** A process continued and killed within one step shows only its exit. The bridge sees job
 * control through /proc, and a stopped process that dies at once (SIGKILL, or SIGCONT with a
 * fatal signal pending) may or may not be seen running in between; so neither the model nor
 * the host reports `cont` for a process that exits in the same step. */
export function dropContOfExited(events: TraceEvent[]): TraceEvent[] {
  if (!events.some((e) => "exit" in e)) return events; // the common case: no Set to build
  const exited = new Set<number>();
  for (const e of events) if ("exit" in e) exited.add(e.exit);
  if (exited.size === 0) return events;
  return events.filter((e) => !("cont" in e && exited.has(e.cont)));
}

/** A canonical string for an outcome: equal outcomes (events in any order, signal sets in any
 * order, stat keys in any order) give equal keys. A successful shmat/mmap `ret` is keyed as
 * "address", since addresses are opaque and differ between the model and the host. */
export function outcomeKey(o: Outcome): string {
  let result: Json = null;
  if (o.result !== undefined) {
    result = resultToJson(opaqueAddress(o.call, o.result));
  }
  const events = o.events.map((e) => canonicalJson(eventToJson(e))).sort();
  const head = canonicalJson({ step: o.step, pid: o.pid, call: o.call, result });
  return `${head} events [${events.join(",")}]`;
}

/** The outcome a step's expectations describe; what they leave out (an absent `expect` or
 * `expect_events` is not checked) is taken from `actual`. */
export function expectedOutcome(s: Step, actual: Outcome): Outcome {
  return {
    step: actual.step, pid: actual.pid, call: actual.call,
    result: s.expect ?? (s.raw.expect === undefined ? actual.result : undefined),
    events: s.expectEvents ?? actual.events,
  };
}

/** What differs between two outcomes, for a human: "" when they match, else one clause per
 * difference joined by "; ", e.g. `result.ret: expected 5, got -1; missing event {"stop":3}`. */
export function describeDifference(expected: Outcome, actual: Outcome): string {
  const diffs: string[] = [];
  for (const key of ["step", "pid", "call"] as const) {
    if (expected[key] !== actual[key]) {
      diffs.push(`${key}: expected ${show(expected[key])}, got ${show(actual[key])}`);
    }
  }
  diffs.push(...resultDiffs(expected.result, actual.result, expected.call));
  const partner = pairEvents(expected.events, actual.events);
  const taken = new Set(partner);
  partner.forEach((j, i) => {
    if (j < 0) diffs.push(`missing event ${JSON.stringify(eventToJson(expected.events[i]))}`);
  });
  actual.events.forEach((a, j) => {
    if (!taken.has(j)) diffs.push(`unexpected event ${JSON.stringify(eventToJson(a))}`);
  });
  return diffs.join("; ");
}

function resultDiffs(e: Result | undefined, a: Result | undefined, call: CallName): string[] {
  if (e === undefined || a === undefined || e === "blocked" || a === "blocked") {
    if (e === a) return [];
    return [`result: expected ${showResult(e)}, got ${showResult(a)}`];
  }
  const diffs: string[] = [];
  if (!retsMatch(e.ret, a.ret, call)) {
    diffs.push(`result.ret: expected ${show(e.ret)}, got ${show(a.ret)}`);
  }
  for (const key of OUTPUT_KEYS) {
    if (outputMatches(key, e, a)) continue;
    diffs.push(`result.${key}: expected ${showOutput(key, e)}, got ${showOutput(key, a)}`);
  }
  if (e.stat !== undefined) {
    diffs.push(...statMismatches(e.stat, a.stat, "result.stat"));
  }
  return diffs;
}

function showResult(r: Result | undefined): string {
  return r === undefined ? "no result (the caller did not return)" : show(resultToJson(r));
}

function showOutput(key: OutputKey, r: ResultObject): string {
  const v = r[key];
  if (v === undefined) return "nothing";
  if (key === "data") return show(bytesToJson(v as Uint8Array));
  if (key === "status") return show(statusToJson(v as WaitStatus));
  if (key === "set" || key === "oldset") return show(sortSignals(v as SignalName[]));
  if (key === "mtype") return show(longToJson(v as Long));
  return show(v as Json);
}

function show(v: Json): string {
  const text = JSON.stringify(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
