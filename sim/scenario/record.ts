// A run as a trace-v1 trace: each call a step (arguments written as a person would write them:
// flags by C name, modes in octal, signals by name, bytes as text when printable), with the
// model's outcome as its expectation, so that `ipcsim check` verifies it against the model and
// `ipcsim diff` replays it on Linux. Addresses a process got from shmat/mmap are written as
// {"ref": step, "offset": n} (tracking.ts), and address results as {"ret": "address"}: the
// model and Linux place mappings differently.

import { HANDLERS } from "../../wasm/abi.js";
import { bytesToJson } from "../trace/bytes.js";
import { NAMES, nameOfValue, splitFlags, type Names } from "../trace/calls.js";
import { opaqueAddress } from "../trace/compare.js";
import { signalNameOf } from "../../wasm/names.js";
import { octal, statToJson, traceToJsonl, type Json } from "../trace/serialise.js";
import type { CallArgs, Header, Outcome, Result, Sop, Step, Trace } from "../trace/types.js";

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

type Encoders = { [C in keyof CallArgs]: (a: CallArgs[C]) => JsonObject };

const ENCODE: Encoders = {
  fork: () => ({}),
  exit: (a) => ({ status: a.status }),
  waitpid: (a) => ({ target: a.target, options: flagsJson(a.options, NAMES.wait) }),
  close: (a) => ({ fd: a.fd }),
  dup: (a) => ({ fd: a.fd }),
  dup2: (a) => ({ oldfd: a.oldfd, newfd: a.newfd }),
  fcntl: (a) => {
    const cmd = namedJson(a.cmd, NAMES.fcntl);
    if (cmd === "F_SETFL") return { fd: a.fd, cmd, arg: flagsJson(a.arg, NAMES.open) };
    if (cmd === "F_SETFD") return { fd: a.fd, cmd, arg: flagsJson(a.arg, NAMES.fd) };
    return { fd: a.fd, cmd, arg: a.arg };
  },
  pipe: (a) => ({ flags: flagsJson(a.flags, NAMES.pipe) }),
  read: (a) => ({ fd: a.fd, count: a.count }),
  write: (a) => ({ fd: a.fd, data: bytesToJson(a.data) }),
  mkfifo: (a) => ({ path: a.path, mode: octal(a.mode) }),
  open: (a) => ({ path: a.path, flags: flagsJson(a.flags, NAMES.open) }),
  unlink: (a) => ({ path: a.path }),
  msgget: (a) => ({ key: a.key, flags: flagsJson(a.flags, NAMES.ipcget), mode: octal(a.mode) }),
  msgsnd: (a) => ({ msqid: a.msqid, mtype: a.mtype, data: bytesToJson(a.data), flags: flagsJson(a.flags, NAMES.msgsnd) }),
  msgrcv: (a) => ({ msqid: a.msqid, size: a.size, msgtyp: a.msgtyp, flags: flagsJson(a.flags, NAMES.msgrcv) }),
  msgctl: (a) => ({ msqid: a.msqid, cmd: namedJson(a.cmd, NAMES.msgctl), buf: bufJson(a.buf) }),
  semget: (a) => ({ key: a.key, nsems: a.nsems, flags: flagsJson(a.flags, NAMES.ipcget), mode: octal(a.mode) }),
  semop: (a) => ({ semid: a.semid, sops: sopsJson(a.sops) }),
  semtimedop: (a) => ({ semid: a.semid, sops: sopsJson(a.sops), timeout: a.timeout }),
  semctl: (a) => ({
    semid: a.semid, semnum: a.semnum, cmd: namedJson(a.cmd, NAMES.semctl),
    arg: a.arg === null || typeof a.arg === "number" || Array.isArray(a.arg) ? (a.arg as Json) : statToJson(a.arg),
  }),
  shmget: (a) => ({ key: a.key, size: a.size, flags: flagsJson(a.flags, NAMES.ipcget), mode: octal(a.mode) }),
  shmat: (a) => ({ shmid: a.shmid, shmaddr: a.shmaddr as Json, flags: flagsJson(a.flags, NAMES.shmat) }),
  shmdt: (a) => ({ shmaddr: a.shmaddr as Json }),
  shmctl: (a) => ({ shmid: a.shmid, cmd: namedJson(a.cmd, NAMES.shmctl), buf: bufJson(a.buf) }),
  mmap: (a) => ({ addr: a.addr as Json, length: a.length, prot: flagsJson(a.prot, NAMES.prot), flags: flagsJson(a.flags, NAMES.mmap) }),
  munmap: (a) => ({ addr: a.addr as Json, length: a.length }),
  store: (a) => ({ addr: a.addr as Json, data: bytesToJson(a.data) }),
  load: (a) => ({ addr: a.addr as Json, count: a.count }),
  kill: (a) => ({ target: a.target, sig: a.sig === 0 ? 0 : sigJson(a.sig) }),
  sigaction: (a) => ({
    sig: sigJson(a.sig), handler: namedJson(a.handler, HANDLERS), flags: flagsJson(a.flags, NAMES.sigaction),
    mask: sigsetJson(a.mask),
  }),
  sigprocmask: (a) => ({ how: namedJson(a.how, NAMES.how), set: sigsetJson(a.set) }),
  sigpending: () => ({}),
  pause: () => ({}),
  sigsuspend: (a) => ({ mask: sigsetJson(a.mask) }),
};

/** The step's raw JSON (pid, call, arguments), with recorded refs for address fields. */
function stepJson(step: Step, refs: Record<string, unknown> | null): JsonObject {
  const args = (ENCODE[step.call] as (a: unknown) => JsonObject)(step.args);
  if (refs) for (const [k, v] of Object.entries(refs)) args[k] = v as Json;
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
function toTrace(run: RecordedRun, header: Partial<Header> = {}): { trace: Trace; outcomes: Outcome[] } {
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

