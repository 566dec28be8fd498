// Value decoders for parse.ts: each takes a JSON value and the place it sits (`At`: file, line,
// field path) and returns the decoded value or throws a TraceError that names all four:
//   traces/x.jsonl:7: field "sops[0].flags[1]": unknown name "SEM_UNDOO" (known: ...)
// `Fields` reads one step's argument fields through them, applying the defaults.

import { ERRNO, SIGNALS, type CallName, type ErrnoName, type SignalName } from "../../wasm/abi.js";
import { signalNameOf, signalNumber } from "../../wasm/names.js";
import { BytesError, bytesFromJson, utf8Bytes } from "./bytes.js";
import { longAt } from "./long.js";
import { siginfoAt } from "./siginfo.js";
import { stackAt } from "./stack.js";
import { sockaddrAt } from "./sockaddr.js";
import { direntsAt } from "./dirents.js";
import { fdsAt, reventsAt } from "./poll.js";
import { epollEventsAt } from "./epoll.js";
import { flockAt } from "./flock.js";
import { ownerExAt } from "./owner-ex.js";
import { isModeField, statFieldName } from "./stat-names.js";
import { ADDRESS_CALLS, FIELDS, NAMES, type Names } from "./calls.js";
import { C_TYPE_RANGE, cTypeOf, type ArgSpec, type CType } from "../../wasm/calls.js";
import type { IntArg, Itimerspec, Itimerval, Result, Sigevent, Sop, Step } from "./types.js";
import type { Timespec, TraceEvent, WaitStatus } from "./types.js";
import { amountAt, itimerspecAt, itimervalAt, timespecAt, timevalAt } from "./decode-time.js";

/** Items in one array argument (sops, SETALL values, signal sets), at most: above SEMOPM (500)
 * and SEMMSL (32000) so that E2BIG and EINVAL stay testable. */
export const ITEMS_MAX = 65_536;
/** Bytes in a path, at most: above PATH_MAX (4096) so that ENAMETOOLONG stays testable. */
export const PATH_BYTES_MAX = 8192;
const NESTING_MAX = 4; // stat buffers: msqid_ds.msg_perm.mode is depth 2

/** A trace that cannot be read: `message` is `file:line: detail`. */
export class TraceError extends Error {
  override name = "TraceError";
  constructor(readonly file: string, readonly line: number | undefined, readonly detail: string) {
    super(line === undefined ? `${file}: ${detail}` : `${file}:${line}: ${detail}`);
  }
}

interface Ctx {
  file: string;
  line: number | undefined;
  /** The step being decoded: `ref`s and `wake` events must name a step before it. */
  index: number;
  /** The steps before it, when known, to check who made a woken call. */
  earlier: readonly Step[] | undefined;
}

/** Where a value sits, for error messages. */
export class At {
  constructor(
    readonly ctx: Ctx,
    readonly path = "",
  ) {}
  field(name: string): At {
    return new At(this.ctx, this.path ? `${this.path}.${name}` : name);
  }
  item(i: number): At {
    return new At(this.ctx, `${this.path}[${i}]`);
  }
  fail(message: string): never {
    const field = this.path ? `field "${this.path}": ` : "";
    throw new TraceError(this.ctx.file, this.ctx.line, field + message);
  }
  expected(what: string, got: unknown): never {
    return this.fail(`expected ${what}, got ${show(got)}`);
  }
}

/** A value as a message shows it: JSON, shortened. */
export function show(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function obj(v: unknown, at: At, what: string): Obj {
  if (!isObj(v)) at.expected(what, v);
  return v;
}

export function required(v: unknown, at: At): unknown {
  if (v === undefined) at.fail("missing");
  return v;
}

/** Unknown keys are errors: they are almost always typos ("flgs"). */
export function checkKeys(o: Obj, known: readonly string[], at: At, takes: string): void {
  for (const key of Object.keys(o)) {
    if (!known.includes(key)) at.field(key).fail(`unknown field (${takes})`);
  }
}

export function int(v: unknown, at: At): number {
  if (typeof v === "number" && Number.isSafeInteger(v)) return v;
  if (isObj(v) && "ref" in v) at.fail(`a ref is only allowed in an address field, got ${show(v)}`);
  return at.expected("an integer", v);
}

/** `v` if it fits the C type Linux reads it as (wasm/calls.ts CType), else a TraceError with
 * the value and the range: a wider value would reach Linux as another number. `whose` says
 * whose type it is ("close's fd"). */
function fitC(v: number, type: CType, at: At, whose: string): number {
  const [min, max] = C_TYPE_RANGE[type];
  if (v >= min && v <= max) return v;
  const a = /^[aeiou]/.test(type) ? "an" : "a";
  return at.expected(`${a} ${type} ${min}..${max} (${whose} as Linux reads it)`, v);
}

/** An integer of C type `type` (struct fields: a sembuf's, a sigevent's, an IPC_SET's). */
export function cIntAt(v: unknown, type: CType, at: At, whose: string): number {
  return fitC(int(v, at), type, at, whose);
}

function intsAt(v: unknown, at: At): number[] {
  return arrayAt(v, at, "an array of integers").map((x, i) => int(x, at.item(i)));
}

export function arrayAt(v: unknown, at: At, what: string): unknown[] {
  if (!Array.isArray(v)) at.expected(what, v);
  if (v.length > ITEMS_MAX) at.fail(`${v.length} items (at most ${ITEMS_MAX})`);
  return v;
}

export function pidAt(v: unknown, at: At): number {
  if (typeof v === "number" && Number.isSafeInteger(v) && v > 0) return v;
  return at.expected("a positive integer pid", v);
}

/** A flags argument: an array of C names from `names`, or the raw bits as a number (to test
 * how the kernel treats undefined bits). */
export function flagsAt(v: unknown, at: At, names: Names): number {
  if (typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 0xffffffff) return v;
  const example = Object.keys(names).find((n) => names[n] !== 0) ?? "";
  const list = arrayAt(v, at, `an array of flag names like ["${example}"]`);
  let bits = 0;
  list.forEach((name, i) => {
    if (typeof name !== "string" || !Object.hasOwn(names, name)) {
      const known = Object.keys(names).join(", ");
      return at.item(i).fail(`unknown name ${show(name)} (known: ${known})`);
    }
    bits = (bits | names[name]) >>> 0; // >>> 0: SA_RESETHAND is bit 31
  });
  return bits;
}

/** A command or enum argument: a C name from `names`, or a raw number. */
function namedAt(v: unknown, at: At, names: Names, what: string): number {
  if (typeof v === "number" && Number.isSafeInteger(v)) return v;
  if (typeof v === "string" && Object.hasOwn(names, v)) return names[v];
  const known = `known: ${Object.keys(names).join(", ")}`;
  if (typeof v === "string") at.fail(`unknown name ${show(v)} (${known})`);
  return at.expected(`${what} name (${known}) or a number`, v);
}

/** An octal mode string ("0600"). A JSON number is refused: 600 is decimal, a classic typo. */
function modeAt(v: unknown, at: At, max = 0o7777): number {
  if (typeof v === "string" && /^[0-7]{1,7}$/.test(v) && parseInt(v, 8) <= max) {
    return parseInt(v, 8);
  }
  return at.expected(`an octal mode string like "0600" (at most 0${max.toString(8)})`, v);
}

/** A signal by name or number; 0 only where `zero` (kill's existence check); any 32-bit
 * integer where `any` (kill and sigaction, whose bad numbers give EINVAL). */
function signalAt(v: unknown, at: At, zero = false, any = false): number {
  const named = typeof v === "string" ? signalNumber(v) : undefined;
  if (named !== undefined) return named;
  const min = zero ? 0 : 1;
  if (typeof v === "number" && Number.isInteger(v) && v >= min && v <= SIGNALS.SIGRTMAX) return v;
  if (any && typeof v === "number" && Number.isInteger(v) &&
    v >= -0x80000000 && v <= 0x7fffffff) {
    return v;
  }
  return at.expected(`a signal name like "SIGUSR1" or a number ${min}..${SIGNALS.SIGRTMAX}`, v);
}

/** A signal in an output or event: a name (a number is accepted if it has one). */
function signalNameAt(v: unknown, at: At): SignalName {
  if (typeof v === "string" && signalNumber(v) !== undefined) return v as SignalName;
  const name = typeof v === "number" ? signalNameOf(v) : undefined;
  return name ?? at.expected('a signal name like "SIGUSR1"', v);
}

export function bytesAt(v: unknown, at: At): Uint8Array {
  try {
    return bytesFromJson(v);
  } catch (e) {
    if (!(e instanceof BytesError)) throw e;
    const place = e.path ? at.field(e.path.slice(1)) : at;
    return place.expected(e.expected, e.value);
  }
}

/** An address argument: an integer or `{"ref": K, "offset": N}` naming step K's `ret`. */
function addrAt(v: unknown, at: At): IntArg {
  if (!isObj(v)) {
    if (typeof v === "number" && Number.isSafeInteger(v)) return v;
    at.expected('an integer or {"ref": STEP, "offset": N}', v);
  }
  checkKeys(v, ["ref", "offset"], at, 'a ref has "ref" and "offset"');
  const ref = int(required(v.ref, at.field("ref")), at.field("ref"));
  earlierStep(ref, at.field("ref"));
  const offset = v.offset === undefined ? 0 : int(v.offset, at.field("offset"));
  return { ref, offset };
}

function earlierStep(k: number, at: At): void {
  const n = at.ctx.index;
  if (k >= 0 && k < n) return;
  at.expected(n === 0 ? "an earlier step (this is step 0)" : `an earlier step 0..${n - 1}`, k);
}

/** A stat-like object (IPC_SET buffers, IPC_STAT outputs): fields as in the C struct, nested;
 * `mode`s as octal strings; `key` or `__key` as the output spelling (stat-names.ts). */
export function statAt(v: unknown, at: At, depth = 0): Record<string, unknown> {
  const o = obj(v, at, 'an object of struct fields like {"msg_qbytes": 16384}');
  if (depth >= NESTING_MAX) at.fail(`nested too deep (at most ${NESTING_MAX} levels)`);
  const out: Record<string, unknown> = {};
  for (const [key, x] of Object.entries(o)) {
    const a = at.field(key);
    const name = statFieldName(key, o) ?? a.fail("also written in its other spelling: write one");
    // Up to 0177777: a struct's mode may carry S_IFMT bits above a mode argument's 07777.
    if (isModeField(key)) out[name] = modeAt(x, a, 0o177777);
    else out[name] = isObj(x) ? statAt(x, a, depth + 1) : x;
  }
  return out;
}

function sopsAt(v: unknown, at: At): Sop[] {
  return arrayAt(v, at, 'an array of {"num", "op", "flags"}').map((x, i) => {
    const a = at.item(i);
    const o = obj(x, a, 'a sembuf like {"num": 0, "op": -1, "flags": []}');
    checkKeys(o, ["num", "op", "flags"], a, "a sembuf has num, op, flags");
    // struct sembuf { unsigned short sem_num; short sem_op; short sem_flg; }
    const flags = o.flags === undefined ? 0 : flagsAt(o.flags, a.field("flags"), NAMES.sop);
    if (flags > 0xffff) a.field("flags").expected("sem_flg bits 0..0xffff (a short)", flags);
    const field = (name: string, type: CType, c: string) =>
      cIntAt(required(o[name], a.field(name)), type, a.field(name), `a sembuf's ${c}`);
    return {
      num: field("num", "unsigned short", "sem_num"),
      op: field("op", "short", "sem_op"),
      flags,
    };
  });
}

/** A struct sigevent: notify (a SIGEV_ name or number, default SIGEV_SIGNAL), signo (default
 * SIGALRM; any number, the kernel checks it) and value (sigev_value.sival_int, default 0). */
function sigeventAt(v: unknown, at: At): Sigevent {
  const o = obj(v, at, '{"notify": "SIGEV_SIGNAL", "signo": "SIGALRM", "value": 0}');
  checkKeys(o, ["notify", "signo", "value"], at, "a sigevent has notify, signo, value");
  const notify = o.notify === undefined
    ? NAMES.sigev.SIGEV_SIGNAL
    : fitC(namedAt(o.notify, at.field("notify"), NAMES.sigev, "a sigev_notify"), "int",
      at.field("notify"), "sigev_notify");
  const signo = o.signo === undefined
    ? SIGNALS.SIGALRM
    : signalAt(o.signo, at.field("signo"), true, true);
  const value = o.value === undefined ? 0 : cIntAt(o.value, "int", at.field("value"), "sival_int");
  return { notify, signo, value };
}

/** "read takes fd, count": what a step of `call` may say. */
export function takesText(call: CallName): string {
  const args = FIELDS[call];
  return args.length ? `${call} takes ${args.join(", ")}` : `${call} takes no arguments`;
}

/** Reads one step's argument fields, with defaults. Every read is of a field in calls.ts's
 * FIELDS for this call, so that table stays the whole truth about which fields exist. */
export class Fields {
  constructor(
    private readonly o: Obj,
    private readonly at: At,
    private readonly call: CallName,
  ) {}

  /** "read takes fd, count", for messages (built only when a field is wrong). */
  private get takes(): string {
    return takesText(this.call);
  }

  value(name: string): [unknown, At] {
    if (!(FIELDS[this.call] as readonly string[]).includes(name)) {
      throw new Error(`assertion: ${this.call} reads "${name}", which FIELDS does not list`);
    }
    const v = this.o[name];
    return [v, this.at.field(name)];
  }
  /** `v`, the value of argument `a`, if it fits the argument's C type (wasm/calls.ts). */
  fitC(a: ArgSpec, v: number): number {
    const type = cTypeOf(a) ?? "int"; // only the kinds of KIND_C_TYPE come here
    const [min, max] = C_TYPE_RANGE[type];
    if (v >= min && v <= max) return v;
    return fitC(v, type, this.at.field(a.name), `${this.call}'s ${a.name}`);
  }
  /** The common case without building an error context: a plain integer field. */
  private plainInt(name: string): number | undefined {
    const v = this.o[name];
    return typeof v === "number" && Number.isSafeInteger(v) ? v : undefined;
  }
  need(name: string): [unknown, At] {
    const [v, at] = this.value(name);
    if (v === undefined) at.fail(`missing (${this.takes})`);
    return [v, at];
  }
  int(name: string, dflt?: number): number {
    const plain = this.plainInt(name);
    if (plain !== undefined && (FIELDS[this.call] as readonly string[]).includes(name)) {
      return plain;
    }
    const [v, at] = dflt === undefined ? this.need(name) : this.value(name);
    return v === undefined ? (dflt as number) : int(v, at);
  }
  addr(name: string, dflt?: number): IntArg {
    const [v, at] = dflt === undefined ? this.need(name) : this.value(name);
    return v === undefined || v === null ? (dflt ?? 0) : addrAt(v, at);
  }
  flags(name: string, names: Names, needed = false): number {
    const raw = this.o[name];
    if (!needed && raw === undefined &&
      (FIELDS[this.call] as readonly string[]).includes(name)) {
      return 0;
    }
    const [v, at] = needed ? this.need(name) : this.value(name);
    return v === undefined ? 0 : flagsAt(v, at, names);
  }
  named(name: string, names: Names, what: string): number {
    return namedAt(...this.need(name), names, what);
  }
  mode(name: string, dflt: number): number {
    const [v, at] = this.value(name);
    return v === undefined ? dflt : modeAt(v, at);
  }
  key(name: string): number {
    const [v, at] = this.need(name);
    if (v === "IPC_PRIVATE") return 0;
    // key_t is a 32-bit int; keys written as unsigned hex (0xdeadbeef) are accepted too.
    if (typeof v === "number" && Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 32) return v;
    return at.expected('a 32-bit integer key or "IPC_PRIVATE"', v);
  }
  bytes(name: string): Uint8Array {
    return bytesAt(...this.need(name));
  }
  path(name: string): string {
    const [v, at] = this.need(name);
    if (typeof v !== "string" || v.includes("\0")) {
      return at.expected("a path string without NUL", v);
    }
    const bytes = utf8Bytes(v).length;
    if (bytes > PATH_BYTES_MAX) at.fail(`path of ${bytes} bytes (at most ${PATH_BYTES_MAX})`);
    return v;
  }
  signal(name: string, zero = false, any = false): number {
    return signalAt(...this.need(name), zero, any);
  }
  sigset(name: string): number[] {
    const [v, at] = this.value(name);
    if (v === undefined) return [];
    return arrayAt(v, at, 'an array of signal names like ["SIGUSR1"]').map((s, i) =>
      signalAt(s, at.item(i)),
    );
  }
  sops(name: string): Sop[] {
    return sopsAt(...this.need(name));
  }
  /** A struct pointer: null (NULL) or the struct. `required`: the field must be written
   * (null included); otherwise absent is null. */
  nullable<T>(
    name: string, required: boolean, decode: (v: unknown, at: At) => T,
  ): T | null {
    const [v, at] = required ? this.need(name) : this.value(name);
    return v === undefined || v === null ? null : decode(v, at);
  }
  timeout(name: string, required = false): Timespec | null {
    return this.nullable(name, required, timespecAt);
  }
  timespec(name: string): Timespec {
    return amountAt(...this.need(name));
  }
  itimerval(name: string, required = false): Itimerval | null {
    return this.nullable(name, required, itimervalAt);
  }
  itimerspec(name: string, required = false): Itimerspec | null {
    return this.nullable(name, required, itimerspecAt);
  }
  sigevent(name: string, required = false): Sigevent | null {
    return this.nullable(name, required, sigeventAt);
  }
}

// ---- outcomes: results, statuses, events ----

type ResultObject = Exclude<Result, "blocked">;
/** A result (`expect`, a wake's `result`). `call` is the call it belongs to, when known:
 * `{"ret": "address"}` is only a result of shmat and mmap. */
export function resultAt(v: unknown, at: At, call: CallName | undefined): Result {
  if (v === "blocked") return "blocked";
  const o = obj(v, at, 'a result like {"ret": 0} or "blocked"');
  checkKeys(o, RESULT_KEYS, at, `a result has ${RESULT_KEYS.join(", ")}`);
  const r: ResultObject = { ret: retAt(required(o.ret, at.field("ret")), at.field("ret"), call) };
  if (o.errno !== undefined) {
    r.errno = errnoAt(o.errno, at.field("errno"));
    if (r.ret !== -1) at.field("ret").expected("-1 (the result has an errno)", o.ret);
  }
  const outputs = r as Record<string, unknown>;
  for (const [key, decode] of Object.entries(OUTPUTS)) {
    if (o[key] !== undefined) outputs[key] = decode(o[key], at.field(key), call);
  }
  return r;
}

type OutputDecoder<K extends keyof ResultObject> =
  (v: unknown, at: At, call: CallName | undefined) => ResultObject[K];

/** getitimer/setitimer's `curr`/`old` are itimervals, timer_*'s itimerspecs; in a result whose
 * call is not known (a wake of an unknown step), the inner fields say which. */
function timerValueAt(v: unknown, at: At, call: CallName | undefined): Itimerval | Itimerspec {
  const usec = call === undefined
    ? isObj(v) && [v.interval, v.value].some((p) => isObj(p) && "usec" in p)
    : call === "getitimer" || call === "setitimer";
  return usec ? itimervalAt(v, at) : itimerspecAt(v, at);
}

const OUTPUTS: { [K in keyof ResultObject]?: OutputDecoder<K> } = {
  data: bytesAt,
  mtype: longAt,
  fds: (v, at) => {
    const fds = intsAt(v, at);
    if (fds.length !== 2) at.expected("two file descriptors [r, w]", v);
    return [fds[0], fds[1]];
  },
  status: statusAt,
  stat: (v, at) => statAt(v, at),
  values: intsAt,
  set: signalNamesAt,
  oldset: signalNamesAt,
  owner: ownerExAt,
  flock: flockAt,
  tp: timespecAt, res: timespecAt, tv: timevalAt, rem: timespecAt,
  curr: timerValueAt, old: timerValueAt,
  timerid: int, prio: int,
  dirents: direntsAt,
  info: siginfoAt, oldss: stackAt,
  revents: reventsAt,
  events: epollEventsAt,
  readfds: fdsAt, writefds: fdsAt, exceptfds: fdsAt,
  optval: int, optlen: int, addr: sockaddrAt,
};
const RESULT_KEYS = ["ret", "errno", ...Object.keys(OUTPUTS)];

function retAt(v: unknown, at: At, call: CallName | undefined): number | "address" {
  if (v !== "address") return int(v, at);
  if (call === undefined || ADDRESS_CALLS.includes(call)) return v;
  return at.fail(`"address" is only a result of ${ADDRESS_CALLS.join(" and ")}, not of ${call}`);
}

function errnoAt(v: unknown, at: At): ErrnoName {
  if (typeof v === "string" && Object.hasOwn(ERRNO, v)) return v as ErrnoName;
  return at.expected(`an errno name (known: ${Object.keys(ERRNO).join(", ")})`, v);
}

function signalNamesAt(v: unknown, at: At): SignalName[] {
  return arrayAt(v, at, 'an array of signal names like ["SIGUSR1"]')
    .map((s, i) => signalNameAt(s, at.item(i)));
}

/** `{"exited": 0}`, `{"signaled": "SIGKILL", "core"?: bool}`, `{"stopped": "SIGSTOP"}` or
 * `{"continued": true}`. */
function statusAt(v: unknown, at: At): WaitStatus {
  const what =
    '{"exited": N}, {"signaled": "SIG..."}, {"stopped": "SIG..."} or {"continued": true}';
  const o = obj(v, at, what);
  if ("exited" in o) {
    checkKeys(o, ["exited"], at, 'an exit status has only "exited"');
    const code = int(o.exited, at.field("exited"));
    if (code < 0 || code > 255) at.field("exited").expected("an exit code 0..255", code);
    return { exited: code };
  }
  if ("signaled" in o) {
    checkKeys(o, ["signaled", "core"], at, 'a signal status has "signaled" and "core"');
    const s: WaitStatus = { signaled: signalNameAt(o.signaled, at.field("signaled")) };
    if (o.core !== undefined && typeof o.core !== "boolean") {
      at.field("core").expected("true or false", o.core);
    }
    return o.core === true ? { ...s, core: true } : s;
  }
  if ("stopped" in o) {
    checkKeys(o, ["stopped"], at, 'a stop status has only "stopped"');
    return { stopped: signalNameAt(o.stopped, at.field("stopped")) };
  }
  if (o.continued === true && Object.keys(o).length === 1) return { continued: true };
  return at.expected(what, v);
}

const EVENT_KEYS = {
  wake: ["wake", "step", "result"],
  signal: ["signal", "pid", "value", "frame", "info"],
  exit: ["exit", "status"],
  stop: ["stop"],
  cont: ["cont"],
} as const;

export function eventAt(v: unknown, at: At): TraceEvent {
  const o = obj(v, at, 'an event like {"exit": 3, "status": {"exited": 0}}');
  const kinds = (Object.keys(EVENT_KEYS) as (keyof typeof EVENT_KEYS)[]).filter((k) => k in o);
  if (kinds.length !== 1) at.expected("one of wake, signal, exit, stop, cont", v);
  const kind = kinds[0];
  checkKeys(o, EVENT_KEYS[kind], at, `a ${kind} event has ${EVENT_KEYS[kind].join(", ")}`);
  const field = (name: string): [unknown, At] => {
    const a = at.field(name);
    return [required(o[name], a), a];
  };
  switch (kind) {
    case "wake":
      return wakeAt(o, at);
    case "signal":
      return signalEventAt(o, at, signalNameAt(...field("signal")), pidAt(...field("pid")));
    case "exit":
      return { exit: pidAt(...field("exit")), status: statusAt(...field("status")) };
    case "stop":
      return { stop: pidAt(...field("stop")) };
    case "cont":
      return { cont: pidAt(...field("cont")) };
  }
}

function signalEventAt(o: Obj, at: At, signal: SignalName, pid: number): TraceEvent {
  const e: TraceEvent = { signal, pid };
  if (o.value !== undefined) e.value = int(o.value, at.field("value"));
  if (o.frame !== undefined && o.frame !== true) {
    at.field("frame").expected("true (a `calls` handler)", o.frame);
  }
  if (o.frame === true) e.frame = true;
  if (o.info !== undefined) e.info = siginfoAt(o.info, at.field("info"));
  return e;
}

/** A wake names the step whose call blocked; that step must be earlier and made by the pid. */
function wakeAt(o: Obj, at: At): TraceEvent {
  const pid = pidAt(o.wake, at.field("wake"));
  const step = int(required(o.step, at.field("step")), at.field("step"));
  earlierStep(step, at.field("step"));
  const blocked = at.ctx.earlier?.[step];
  if (blocked && blocked.pid !== pid) {
    at.field("wake").fail(`step ${step} was made by pid ${blocked.pid}, not ${pid}`);
  }
  const r = at.field("result");
  const result = resultAt(required(o.result, r), r, blocked?.call);
  return { wake: pid, step, result };
}
