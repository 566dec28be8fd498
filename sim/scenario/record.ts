// A run as a trace-v1 trace: each call a step (arguments written as a person would write them:
// flags by C name, modes in octal, signals by name, bytes as text when printable), with the
// model's outcome as its expectation, so that `ipcsim check` verifies it against the model and
// `ipcsim diff` replays it on Linux. Addresses a process got from shmat/mmap are written as
// {"ref": step, "offset": n} (tracking.ts), and address results as {"ret": "address"}: the
// model and Linux place mappings differently. The clock's steps are `advance` steps without a
// pid ({"call": "advance", "by": {"sec": 1, "nsec": 0}}): when each timer fired.

import { epollEventJson } from "../trace/epoll.js";
import { FLAGS } from "../../wasm/abi.js";
import { callSpec, type ArgKind, type ArgSpec } from "../../wasm/calls.js";
import { bytesToJson } from "../trace/bytes.js";
import {
  NAMES, isClockCall, nameOfValue, namesOf, splitFlags, type Names,
} from "../trace/calls.js";
import { opaqueAddress } from "../trace/compare.js";
import { flockToJson } from "../trace/flock.js";
import { stackToJson } from "../trace/stack.js";
import { sockaddrToJson } from "../trace/sockaddr.js";
import { ownerToJson } from "../trace/owner-ex.js";
import { signalNameOf } from "../../wasm/names.js";
import {
  octal, statToJson, timeToJson, timerToJson, traceToJsonl, type Json,
} from "../trace/serialise.js";
import type { Header, KindTypes, Outcome, Result, Sop, Step, Trace } from "../trace/types.js";

type JsonObject = { [key: string]: Json };

/** Flags as an array of C names, or the raw number when some bit has no name. */
function flagsJson(v: number, names: Names): Json {
  const { names: out, rest } = splitFlags(v, names);
  return rest === 0 ? out : v >>> 0;
}

function namedJson(v: number, names: Names): Json {
  return nameOfValue(v, names) ?? v;
}

/** A signal by name; a number with no name stays a number ("SIG100" would not parse back). */
function sigJson(n: number): Json {
  return signalNameOf(n) ?? n;
}

function sigsetJson(set: readonly number[]): Json {
  return set.map(sigJson);
}

function sopsJson(sops: readonly Sop[]): Json {
  return sops.map((s) => ({ num: s.num, op: s.op, flags: flagsJson(s.flags, NAMES.sop) }));
}

function bufJson(b: Record<string, unknown> | null): Json {
  return b === null ? null : statToJson(b);
}

type KindEncoder<K extends ArgKind> =
  (v: KindTypes[K], a: ArgSpec, before: Record<string, unknown>) => Json;

const plain = (v: number): Json => v;

/** One writer per argument kind (the inverse of parse.ts DECODE_KIND): every call's arguments
 * are written by their row. */
const ENCODE_KIND: { [K in ArgKind]: KindEncoder<K> } = {
  int: plain, fd: plain, target: plain, msqid: plain, semid: plain, shmid: plain, key: plain,
  count: plain, sigval: plain,
  mode: (v) => octal(v),
  flags: (v, a) => flagsJson(v, namesOf(a)),
  command: (v, a) => namedJson(v, namesOf(a)),
  signal: (v, a) => (a.zero && v === 0 ? 0 : sigJson(v)),
  sigset: (v) => sigsetJson(v),
  addr: (v) => v as Json,
  path: (v) => v,
  bytes: (v) => bytesToJson(v),
  iov: (v) => v.map((b) => bytesToJson(b)),
  counts: (v) => [...v],
  sops: (v) => sopsJson(v),
  timeout: (v) => v && timeToJson(v),
  timespec: (v) => timeToJson(v),
  itimerval: (v) => v && timerToJson(v),
  itimerspec: (v) => v && timerToJson(v),
  sigevent: (v) => v && {
    notify: namedJson(v.notify, NAMES.sigev), signo: sigJson(v.signo), value: v.value,
  },
  mqattr: (v) => v && { ...v },
  stack: (v) => v && stackToJson(v),
  sockaddr: (v) => sockaddrToJson(v),
  ctlbuf: (v) => bufJson(v),
  semarg: (v) => (v === null || typeof v === "number" || Array.isArray(v) ? v : statToJson(v)),
  pollfds: (v) => v && v.map((p) => ({ fd: p.fd, events: flagsJson(p.events, NAMES.poll) })),
  nfds: plain,
  sigmask: (v) => v && sigsetJson(v),
  fdset: (v) => v && [...v],
  timeval: (v) => v && timeToJson(v),
  epollevent: (v) => v && epollEventJson(v),
  fcntlarg: (v, _a, before) => {
    if (typeof v === "object") return "l_type" in v ? flockToJson(v) : ownerToJson(v);
    if (before.cmd === FLAGS.fcntl.F_SETFL) return flagsJson(v, NAMES.open);
    if (before.cmd === FLAGS.fcntl.F_SETFD) return flagsJson(v, NAMES.fd);
    return v;
  },
};

/** A step's arguments as a person writes them, field by field in row order. */
function argsJson(step: Step): JsonObject {
  const args: Record<string, unknown> = step.args;
  const out: JsonObject = {};
  for (const a of callSpec(step.call).args) {
    out[a.name] = (ENCODE_KIND[a.kind] as KindEncoder<ArgKind>)(args[a.name] as never, a, args);
  }
  return out;
}

/** The step's raw JSON (pid, call, arguments), with recorded refs for address fields. An
 * advance is made by no process: written without pid. */
export function stepJson(step: Step, refs: Record<string, unknown> | null): JsonObject {
  const args = argsJson(step);
  if (refs) for (const [k, v] of Object.entries(refs)) args[k] = v as Json;
  if (isClockCall(step.call)) return { call: step.call, ...args };
  return { pid: step.pid, call: step.call, ...args };
}

function opaque(call: Step["call"], r: Result | undefined): Result | undefined {
  return r === undefined ? r : opaqueAddress(call, r);
}

interface RecordedRun {
  steps: Step[];
  outcomes: Outcome[];
  refs: (Record<string, unknown> | null)[];
}

/** The run as a Trace (steps with their raw JSON) and outcomes fit for expectations. */
function toTrace(
  run: RecordedRun, header: Partial<Header> = {},
): { trace: Trace; outcomes: Outcome[] } {
  const steps = run.steps.map((s, i) => {
    const raw = stepJson(s, run.refs[i] ?? null);
    return { ...s, raw } as Step;
  });
  const outcomes = run.outcomes.map((o) => {
    const result = opaque(o.call, o.result);
    const events = o.events.map((e) =>
      "wake" in e ? { ...e, result: opaque(run.steps[e.step].call, e.result)! } : e,
    );
    return { ...o, result, events };
  });
  const h: Header = { trace: "ipcsim", version: 1, params: {}, ...header };
  return { trace: { file: h.name ?? "<run>", header: h, steps }, outcomes };
}

/** The run as JSON Lines, each step with the model's outcome as its expectation. */
export function toJsonl(run: RecordedRun, header: Partial<Header> = {}): string {
  const { trace, outcomes } = toTrace(run, header);
  return traceToJsonl(trace, outcomes);
}

