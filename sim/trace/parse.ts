// Parse trace-v1 JSON Lines (docs/trace-format.md) into a `Trace` (types.ts): the header, then
// every step with its arguments decoded (flag names to bitmasks, octal modes and signal names to
// numbers, bytes to Uint8Array) and its optional expectation decoded into `Result`/`TraceEvent`.
//
// Everything that can be checked without running the trace is checked here, and every error is
// a TraceError naming the file, the line, the field and the bad value:
//   traces/x.jsonl:7: field "fd": expected an integer, got "three"
// What needs a run (is pid 3 alive? idle?) is the replayer's job.
//
// Value decoders live in decode.ts; this file holds the file, header and step levels.

import { mqattrAt } from "./mqattr.js";
import { timevalAt } from "./decode-time.js";
import { stackAt } from "./stack.js";
import { sockaddrAt } from "./sockaddr.js";
import { readFileSync } from "node:fs";
import { FLAGS } from "../../wasm/abi.js";
import {
  CALL_NAMES, FIELDS, NAMES, STEP_META, isCallName, isClockCall, namesOf, type Names,
} from "./calls.js";
import {
  callSpec, cTypeOf, type ArgKind, type ArgSpec, type CallName, type NamesKey,
} from "../../wasm/calls.js";
import { longAt } from "./long.js";
import { FLOCK_CMDS, flockAt } from "./flock.js";
import { ownerExAt } from "./owner-ex.js";
import { countsAt, iovAt } from "./iov.js";
import { fdsetArgAt, nfdsAt, pollfdsAt } from "./poll.js";
import { epollEventArgAt } from "./epoll.js";
import {
  takesText,
  At, Fields, arrayAt, cIntAt, checkKeys, eventAt, int, isObj, obj, pidAt, required,
  resultAt, show, statAt, TraceError,
} from "./decode.js";
import type { CallArgs, Header, KindTypes, Outcome, Step, Trace, TraceEvent } from "./types.js";
import { nearest } from "../text.js";

export { TraceError } from "./decode.js";

/** Steps in one trace, at most: a trace is a test case, not a data set. */
const STEPS_MAX = 1_000_000;

/** The IPC sysctls and the run's tmpfs mount options a header may set (spec, "File"). */
export const PARAM_NAMES = [
  "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmmax",
  "kernel.shmall", "kernel.shmmni", "kernel.shm_rmid_forced", "kernel.msg_next_id",
  "kernel.sem_next_id", "kernel.shm_next_id", "fs.pipe-max-size", "fs.pipe-user-pages-soft",
  "fs.mqueue.queues_max", "fs.mqueue.msg_max", "fs.mqueue.msgsize_max",
  "fs.mqueue.msg_default", "fs.mqueue.msgsize_default", "tmpfs.size", "tmpfs.nr_inodes",
] as const;

const HEADER_KEYS = [
  "trace", "version", "name", "description", "params", "realtime", "comment",
];
const HEADER_EXAMPLE = '{"trace": "ipcsim", "version": 1}';

/** A trace whose steps are decoded one at a time as they are iterated (once), so a long
 * trace is never held in memory whole. */
export interface TraceStream {
  file: string;
  header: Header;
  steps: Iterable<Step>;
}

/** Parse a whole trace; `file` names it in error messages. */
export function parseTrace(text: string, file: string): Trace {
  const stream = streamTrace(text, file);
  return { file, header: stream.header, steps: [...stream.steps] };
}

/** Parse the header now and the steps lazily. Errors name the file and line either way. */
export function streamTrace(text: string, file: string): TraceStream {
  const lines = lineReader(text);
  let header: Header | undefined;
  for (let l = lines.next(); l !== null; l = lines.next()) {
    const at = new At({ file, line: l.number, index: 0, earlier: [] });
    header = headerAt(parseJson(l.text, at), at);
    break;
  }
  if (header === undefined) {
    throw new TraceError(file, undefined, `empty trace: no header line ${HEADER_EXAMPLE}`);
  }
  return { file, header, steps: stepsOf(lines, file) };
}

/** Decode the remaining lines as steps. Earlier steps are remembered only as {pid, call}: all
 * that checking a later `ref` or `wake` needs. */
function* stepsOf(lines: LineReader, file: string): Generator<Step> {
  const earlier: { pid: number; call: keyof CallArgs }[] = [];
  for (let l = lines.next(); l !== null; l = lines.next()) {
    const at = new At({
      file, line: l.number, index: earlier.length, earlier: earlier as unknown as Step[],
    });
    if (earlier.length >= STEPS_MAX) at.fail(`too many steps (at most ${STEPS_MAX})`);
    const step = stepAt(parseJson(l.text, at), at);
    earlier.push({ pid: step.pid, call: step.call });
    yield step;
  }
}

interface LineReader {
  next(): { text: string; number: number } | null;
}

/** The non-blank, non-comment lines of `text`, trimmed, with their 1-based numbers. */
function lineReader(text: string): LineReader {
  let pos = 0;
  let number = 0;
  return {
    next() {
      while (pos <= text.length) {
        let end = text.indexOf("\n", pos);
        if (end < 0) end = text.length;
        const line = text.slice(pos, end).trim(); // trim() also drops "\r" and a byte-order mark
        pos = end + 1;
        number++;
        if (line !== "" && !line.startsWith("#")) return { text: line, number };
      }
      return null;
    },
  };
}

/** Read and parse a trace file; `-` reads standard input. */
export function readTraceFile(path: string): Trace {
  const stream = readTraceStream(path);
  return { file: stream.file, header: stream.header, steps: [...stream.steps] };
}

/** Read a trace file (`-` for standard input) and parse its steps lazily. */
function readTraceStream(path: string): TraceStream {
  const file = path === "-" ? "<stdin>" : path;
  return streamTrace(readTraceText(path, file), file);
}

/** Read a trace file and check every line of it now, then hand back its steps decoded again
 * as they are iterated: a bad line fails before any step runs (`ipcsim replay`), yet the
 * steps are never all held in memory. */
export function readTraceChecked(path: string): TraceStream {
  const file = path === "-" ? "<stdin>" : path;
  const text = readTraceText(path, file);
  for (const _ of streamTrace(text, file).steps) {
    // decoding is the check
  }
  return streamTrace(text, file);
}

function readTraceText(path: string, file: string): string {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path === "-" ? 0 : path);
  } catch (e) {
    throw new TraceError(file, undefined, `cannot read: ${(e as Error).message}`);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new TraceError(file, undefined, "not valid UTF-8 (a trace is UTF-8 JSON Lines)");
  }
  return text;
}

/** Deepest nesting of arrays and objects a line may have (a step needs 4). */
const NESTING_MAX = 64;
/** A lone UTF-16 surrogate: what a JSON `\\ud800` escape gives, and no Unicode text has. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function parseJson(line: string, at: At): unknown {
  // Deep nesting would overflow the stack of every recursive reader after JSON.parse.
  if (line.length > 2 * NESTING_MAX && nesting(line) > NESTING_MAX) {
    at.fail(`JSON nested more than ${NESTING_MAX} levels deep`);
  }
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    return at.fail(`invalid JSON: ${(e as Error).message}`);
  }
  if (line.includes("\\u")) checkUnicode(value, at);
  return value;
}

/** The deepest nesting of [ and { outside strings. */
function nesting(line: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      deepest = Math.max(deepest, ++depth);
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return deepest;
}

/** Refuse a string (key or value) that is not Unicode: a `\\ud800` escape without its pair
 * would be written as U+FFFD, a path or data the trace did not say. */
function checkUnicode(value: unknown, at: At): void {
  if (typeof value === "string") {
    const m = LONE_SURROGATE.exec(value);
    if (m) {
      const hex = m[0].charCodeAt(0).toString(16);
      at.fail(`invalid Unicode: a lone surrogate \\u${hex} in ${JSON.stringify(value)}`);
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => checkUnicode(v, at.item(i)));
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      checkUnicode(k, at);
      checkUnicode(v, at.field(k));
    }
  }
}

// ---- header ----

function headerAt(value: unknown, at: At): Header {
  const o = obj(value, at, `the header ${HEADER_EXAMPLE}`);
  if (o.trace !== "ipcsim") {
    if ("call" in o || "pid" in o) at.fail(`expected the header ${HEADER_EXAMPLE} first`);
    at.field("trace").expected('"ipcsim" (this is not an ipcsim trace)', o.trace);
  }
  if (o.version !== 1) {
    at.field("version").fail(`unsupported trace version ${show(o.version)} (this reader: 1)`);
  }
  checkKeys(o, HEADER_KEYS, at, `the header has ${HEADER_KEYS.join(", ")}`);
  const header: Header = { trace: "ipcsim", version: 1, params: paramsAt(o.params, at) };
  for (const key of ["name", "description"] as const) {
    if (o[key] === undefined) continue;
    if (typeof o[key] !== "string") at.field(key).expected("a string", o[key]);
    header[key] = o[key] as string;
  }
  if (o.realtime !== undefined) header.realtime = realtimeAt(o.realtime, at.field("realtime"));
  return header;
}

/** CLOCK_REALTIME's start: whole seconds since the epoch, not before it. */
function realtimeAt(v: unknown, at: At): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
    at.expected("whole seconds since the epoch (an integer >= 0)", v);
  }
  return v;
}

/** The known sysctl nearest a misspelt one, also when its "kernel."/"fs." prefix is left out. */
function sysctlHint(name: string): string {
  const short = PARAM_NAMES.map((n) => n.slice(n.indexOf(".") + 1));
  const near = nearest(name, PARAM_NAMES) ?? nearest(name, short);
  return near === undefined ? "" : ` (did you mean "${PARAM_NAMES[short.indexOf(near)] ?? near}"?)`;
}

function paramsAt(value: unknown, header: At): Header["params"] {
  const params: Header["params"] = {};
  if (value === undefined) return params;
  const at = header.field("params");
  const o = obj(value, at, 'an object of sysctls like {"kernel.msgmnb": 16384}');
  for (const [name, v] of Object.entries(o)) {
    const a = at.field(name);
    if (!(PARAM_NAMES as readonly string[]).includes(name)) {
      a.fail(`unknown sysctl${sysctlHint(name)} (known: ${PARAM_NAMES.join(", ")})`);
    }
    // Linux: ipc/util.c:ipc_idr_alloc() treats a negative next_id (the default, -1) as unset.
    const min = name.endsWith("_next_id") ? -1 : 0;
    params[name] = name === "kernel.sem" ? semParam(v, a) : paramInt(v, a, min);
  }
  return params;
}

function paramInt(v: unknown, at: At, min: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min) {
    at.expected(`an integer >= ${min}`, v);
  }
  return v;
}

/** kernel.sem is SEMMSL SEMMNS SEMOPM SEMMNI, as an array or as Linux prints it. */
function semParam(v: unknown, at: At): number[] {
  const what = 'four integers, [32000, 1024000000, 500, 32000] or "32000 1024000000 500 32000"';
  const parts = typeof v === "string" ? v.trim().split(/\s+/).map(Number) : v;
  if (!Array.isArray(parts) || parts.length !== 4) at.expected(what, v);
  if (!parts.every((n) => Number.isSafeInteger(n) && n >= 0)) at.expected(what, v);
  return parts as number[];
}

// ---- steps ----

/** Decode one step's JSON outside a file (generators, tests). `earlier` are the steps before
 * it, for checking `ref`s and `wake` events; `raw` is kept as the step's `raw`, not copied. */
export function decodeStep(
  raw: unknown,
  index: number,
  earlier: readonly Step[] = [],
  where: { file: string; line?: number } = { file: "<step>" },
): Step {
  return stepAt(raw, new At({ file: where.file, line: where.line, index, earlier }));
}

function stepAt(raw: unknown, at: At): Step {
  const o = obj(raw, at, 'a step like {"pid": 2, "call": "fork"}');
  if ("trace" in o && "version" in o) at.fail("a second header (only the first line is one)");
  const call = callAt(o.call, at);
  const pid = stepPidAt(o.pid, call, at.field("pid"));
  for (const key in o) {
    if (!STEP_KEYS[call].has(key)) {
      checkKeys(o, [...STEP_META, ...FIELDS[call]], at, takesText(call));
    }
  }
  if (o.comment !== undefined && typeof o.comment !== "string") {
    at.field("comment").expected("a string", o.comment);
  }
  const decoded = decodeArgs(call, new Fields(o, at, call));
  const step = { index: at.ctx.index, line: at.ctx.line ?? 0, pid, call, args: decoded, raw: o };
  const typed = step as Step;
  if (o.expect !== undefined && call === "exit") {
    at.field("expect").fail("exit never returns; write its exit event in expect_events");
  }
  if (o.expect !== undefined) typed.expect = resultAt(o.expect, at.field("expect"), call);
  if (o.expect_events !== undefined) {
    typed.expectEvents = eventsAt(o.expect_events, at.field("expect_events"));
  }
  return typed;
}

/** A step's pid: a clock row (advance) is made by no process and has none (0 inside). */
function stepPidAt(v: unknown, call: CallName, at: At): number {
  if (!isClockCall(call)) return pidAt(required(v, at), at);
  if (v !== undefined) at.fail(`${call} is made by no process: write it without "pid"`);
  return 0;
}

/** The keys a step of each call may have, as sets (checked on every line). */
const STEP_KEYS = Object.fromEntries(
  CALL_NAMES.map((c) => [c, new Set<string>([...STEP_META, ...FIELDS[c]])]),
) as unknown as Record<keyof CallArgs, ReadonlySet<string>>;


function callAt(value: unknown, step: At): keyof CallArgs {
  const at = step.field("call");
  if (typeof value !== "string") at.expected('a call name like "fork"', required(value, at));
  if (!isCallName(value)) {
    step.fail(`unknown call ${show(value)} (known: ${CALL_NAMES.join(", ")})`);
  }
  return value;
}

function eventsAt(value: unknown, at: At): TraceEvent[] {
  if (!Array.isArray(value)) at.expected("an array of events", value);
  return value.map((e, i) => eventAt(e, at.item(i)));
}

/** What each argument kind's decoder sees: the field's spec, and the arguments decoded before
 * it (fcntl's, ctl's and semctl's last argument depend on the command). */
type KindDecoder<K extends ArgKind> =
  (f: Fields, a: ArgSpec, before: Record<string, unknown>) => KindTypes[K];

/** The int-like kinds: a JSON integer that fits the argument's C type (wasm/calls.ts CType), or
 * the row's default when absent. */
const intArg = (f: Fields, a: ArgSpec) => f.fitC(a, f.int(a.name, optional(a)));
/** A C long (msgsnd's mtype, msgrcv's msgtyp): any 64-bit value, beyond 2^53 as a decimal
 * string (./long.ts); its type is types.ts ArgType's Long, not the int kind's number. */
const longArg = (f: Fields, a: ArgSpec) => {
  const dflt = optional(a);
  const [v, at] = dflt === undefined ? f.need(a.name) : f.value(a.name);
  return (v === undefined ? dflt : longAt(v, at)) as number;
};
const optional = (a: ArgSpec) => (a.default === null ? undefined : a.default);

/** What a command's family is called in messages. */
const COMMAND_WHAT: Partial<Record<NamesKey, string>> = {
  fcntl: "an fcntl command", handler: "a sigaction handler", how: "a sigprocmask how",
};

/** One decoder per argument kind. Defaults come from the rows (docs/trace-format.md,
 * "Defaults"): flags 0, modes as the row says, addresses NULL, buffers null. */
const DECODE_KIND: { [K in ArgKind]: KindDecoder<K> } = {
  int: (f, a) => (cTypeOf(a) === "long" ? longArg(f, a) : intArg(f, a)),
  fd: intArg, target: intArg, msqid: intArg, semid: intArg, shmid: intArg,
  count: intArg, sigval: intArg,
  key: (f, a) => f.key(a.name),
  mode: (f, a) => f.mode(a.name, a.default ?? 0),
  flags: (f, a) => f.flags(a.name, namesOf(a), a.needed),
  command: (f, a) => typeof a.default === "number" && f.value(a.name)[0] === undefined
    ? a.default
    : f.fitC(a, f.named(a.name, namesOf(a), COMMAND_WHAT[a.names as NamesKey] ?? "a command")),
  signal: (f, a) => f.signal(a.name, a.zero, a.any),
  sigset: (f, a) => f.sigset(a.name),
  addr: (f, a) => f.addr(a.name, optional(a)),
  path: (f, a) => f.path(a.name),
  bytes: (f, a) => f.bytes(a.name),
  iov: (f, a) => iovAt(...f.need(a.name)),
  counts: (f, a) => countsAt(...f.need(a.name)),
  sops: (f, a) => f.sops(a.name),
  timeout: (f, a) => f.timeout(a.name, a.default === undefined),
  timespec: (f, a) => f.timespec(a.name),
  itimerval: (f, a) => f.itimerval(a.name, a.default === undefined),
  itimerspec: (f, a) => f.itimerspec(a.name, a.default === undefined),
  sigevent: (f, a) => f.sigevent(a.name, a.default === undefined),
  mqattr: (f, a) => f.nullable(a.name, a.default === undefined, mqattrAt),
  stack: (f, a) => f.nullable(a.name, a.default === undefined, stackAt),
  sockaddr: (f, a) => sockaddrAt(...f.need(a.name)),
  ctlbuf: (f, a, before) => ctlBuf(f, a, before.cmd as number),
  semarg: (f, a, before) => semArg(f, a, before.cmd as number),
  fcntlarg: (f, a, before) => fcntlArg(f, a, before.cmd as number),
  pollfds: (f, a) => pollfdsAt(...f.need(a.name)),
  nfds: (f, a, before) => nfdsAt(...f.value(a.name), before.fds as KindTypes["pollfds"]),
  sigmask: (f, a) => (f.value(a.name)[0] === null ? null : f.sigset(a.name)),
  fdset: (f, a, before) => fdsetArgAt(...f.value(a.name), before.nfds as number),
  timeval: (f, a) => f.nullable(a.name, false, timevalAt),
  epollevent: (f, a) => epollEventArgAt(...f.value(a.name)),
};

/** Decode a step's arguments by its row, field by field in spec order. */
function decodeArgs(call: CallName, f: Fields): CallArgs[CallName] {
  const out: Record<string, unknown> = {};
  for (const a of callSpec(call).args) {
    out[a.name] = (DECODE_KIND[a.kind] as KindDecoder<ArgKind>)(f, a, out);
  }
  return out as CallArgs[CallName];
}

/** fcntl's arg: F_SETFL and F_SETFD take flags, so a trace names them; F_SETSIG a signal (a
 * name, or any number: Linux checks the range, EINVAL); F_SETOWN_EX and F_GETOWN_EX a struct
 * f_owner_ex, or 0 (NULL: EFAULT; any other address would be read or written in the host
 * bridge's own process); the record-lock commands a struct flock or a number; other commands
 * take a number. */
function fcntlArg(f: Fields, a: ArgSpec, cmd: number): KindTypes["fcntlarg"] {
  const [v, at] = f.value(a.name);
  if (v === undefined) return 0;
  const { F_SETOWN_EX, F_GETOWN_EX } = FLAGS.fcntl;
  if (cmd === F_SETOWN_EX || cmd === F_GETOWN_EX) {
    if (typeof v === "object") return ownerExAt(v, at);
    if (v !== 0) at.expected('a struct f_owner_ex ({"type": "F_OWNER_PID", "pid": 2}) or 0', v);
  }
  // The record-lock commands: a struct flock, or an integer (a raw address: 0 and the
  // unmapped ones are EFAULT, as traces wrote them before the struct).
  if (FLOCK_CMDS.has(cmd) && typeof v === "object") return flockAt(v, at);
  if (cmd === FLAGS.fcntl.F_SETFL) return f.flags(a.name, NAMES.open);
  if (cmd === FLAGS.fcntl.F_SETFD) return f.flags(a.name, NAMES.fd);
  if (cmd === FLAGS.fcntl.F_SETSIG && typeof v === "string") return f.signal(a.name, true, true);
  return f.fitC(a, int(v, at));
}

/** msgctl and shmctl: IPC_SET needs a buffer; other commands take null (IPC_STAT's buffer is
 * an output, reported as the result's `stat`). */
function ctlBuf(f: Fields, a: ArgSpec, cmd: number): Record<string, unknown> | null {
  const [v, at] = f.value(a.name);
  const absent = v === undefined || v === null;
  if (absent && cmd === FLAGS.ipcctl.IPC_SET) at.fail("missing (IPC_SET needs a buffer)");
  return absent ? null : ipcSetAt(v, at);
}

function semArg(f: Fields, a: ArgSpec, cmd: number): KindTypes["semarg"] {
  const [v, at] = f.value(a.name);
  const { SETVAL, SETALL, IPC_SET } = FLAGS.ipcctl;
  if (cmd === SETVAL) return semValAt(required(v, at), at);
  if (cmd === SETALL) return semValuesAt(required(v, at), at);
  if (cmd === IPC_SET) return ipcSetAt(required(v, at), at);
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return semValuesAt(v, at);
  return isObj(v) ? ipcSetAt(v, at) : semValAt(v, at);
}

/** An IPC_SET struct (msgctl's and shmctl's buf, semctl's arg): a stat object whose fields
 * IPC_SET reads fit their C types: ipc_perm's uid_t uid and gid_t gid, msg_qbytes (msglen_t,
 * an unsigned long). */
function ipcSetAt(v: unknown, at: At): Record<string, unknown> {
  const out = statAt(v, at);
  for (const [key, x] of Object.entries(out)) {
    if (key === "msg_qbytes") cIntAt(x, "unsigned long", at.field(key), "msg_qbytes");
    if (!key.endsWith("_perm") || !isObj(x)) continue;
    for (const id of ["uid", "gid"]) {
      const a = at.field(key).field(id);
      if (x[id] !== undefined) cIntAt(x[id], "unsigned int", a, `ipc_perm's ${id}`);
    }
  }
  return out;
}

/** semctl's union semun: SETVAL's int val, or SETALL's unsigned short array. */
function semValAt(v: unknown, at: At): number {
  return cIntAt(v, "int", at, "union semun's val");
}

function semValuesAt(v: unknown, at: At): number[] {
  return arrayAt(v, at, "an array of integers").map((x, i) =>
    cIntAt(x, "unsigned short", at.item(i), "a SETALL value"));
}

// ---- outcomes as JSON (serialise.ts writes them) ----

/** Decode an outcome object as outcomeToJson writes it (recorded runs, the host agent). The
 * step's argument fields may be present and are not decoded (the step has them). */
export function outcomeFromJson(value: unknown, where = { file: "<outcome>" }): Outcome {
  const top = new At({ file: where.file, line: undefined, index: 0, earlier: undefined });
  const o = obj(value, top, 'an outcome like {"step": 0, "pid": 2, "call": "fork", ...}');
  const index = int(required(o.step, top.field("step")), top.field("step"));
  if (index < 0) top.field("step").expected("a step number >= 0", o.step);
  const at = new At({ ...top.ctx, index });
  const call = callAt(o.call, at);
  checkKeys(o, ["step", "pid", "call", "result", "events", ...FIELDS[call]], at, "an outcome");
  const outcome: Outcome = {
    step: index,
    pid: outcomePidAt(o.pid, call, at.field("pid")),
    call,
    events: o.events === undefined ? [] : eventsAt(o.events, at.field("events")),
  };
  if (o.result !== undefined) outcome.result = resultAt(o.result, at.field("result"), call);
  return outcome;
}

/** An outcome's pid: a clock row's is 0, written as 0 or not at all. */
function outcomePidAt(v: unknown, call: CallName, at: At): number {
  if (isClockCall(call) && (v === undefined || v === 0)) return 0;
  return pidAt(required(v, at), at);
}
