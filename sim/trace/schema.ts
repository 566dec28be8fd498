// docs/trace.schema.json: a JSON Schema (draft 2020-12) of one line of a trace-v1 file, the
// header or a step, generated from the call table (wasm/calls.ts) and the codec's names and
// limits, so that it cannot drift from them: `npm run docs` writes it, schema.test.ts fails when
// the committed file differs, and checks it against every trace in the repository.
//
// It checks what one line can say on its own, as the parser does (types, names, ranges,
// required and unknown fields, a call's C types). What needs the whole file is the parser's
// alone: that the header comes first, that a `ref` or a wake names an earlier step (and a wake
// that step's pid), that a byte string or path fits its byte limit, struct nesting depth. Where
// the parser decides by the call, the schema accepts either form (an itimerval or itimerspec
// `curr`).

import { ERRNO, FLAGS, SIGNALS } from "../../wasm/abi.js";
import { signalNameOf } from "../../wasm/names.js";
import {
  C_TYPE_RANGE, CALL_NAMES, callSpec, cTypeOf, type ArgKind, type ArgSpec, type CallName,
  type CType,
} from "../../wasm/calls.js";
import { BYTES_MAX } from "./bytes.js";
import { NAMES, isClockCall } from "./calls.js";
import { ITEMS_MAX, PATH_BYTES_MAX } from "./decode.js";
import { LONG_SCHEMA } from "./long.js";
import { PARAM_NAMES } from "./parse.js";

type Schema = Record<string, unknown>;

const SAFE = Number.MAX_SAFE_INTEGER;
const ref = (name: string): Schema => ({ $ref: `#/$defs/${name}` });
const anyOf = (...schemas: Schema[]): Schema => ({ anyOf: schemas });
const int = (minimum: number, maximum: number): Schema => ({ type: "integer", minimum, maximum });
const object = (properties: Schema, required: string[] = []): Schema => ({
  type: "object", ...(required.length ? { required } : {}), properties,
  additionalProperties: false,
});
const arrayOf = (items: Schema): Schema => ({ type: "array", maxItems: ITEMS_MAX, items });
const cName = (c: CType) => `c_${c.replace(/ /g, "_")}`;
/** A value of `name` (the call's argument) or the matching number: an `if` on a command. */
const cmdIs = (name: string, value: number): Schema => ({
  required: ["cmd"], properties: { cmd: { enum: [name, value] } },
});

/** The signal names a trace may write (wasm/names.ts signalNumber). */
function signalNames(): string[] {
  const realtime = Array.from({ length: SIGNALS.SIGRTMAX - SIGNALS.SIGRTMIN - 1 },
    (_, k) => `SIGRTMIN+${k + 1}`);
  return [...Object.keys(SIGNALS), ...realtime, "SIG32", "SIG33"];
}

/** Numbers an output may write for a signal: those with a name in wasm/abi.ts SIGNALS. */
function namedSignalNumbers(): number[] {
  return Array.from({ length: SIGNALS.SIGRTMAX }, (_, i) => i + 1)
    .filter((n) => signalNameOf(n) !== undefined);
}

/** An octal mode string: a call's up to 07777, a struct's up to 0177777 (decode.ts modeAt). */
const MODE = { type: "string", pattern: "^0{0,3}[0-7]{1,4}$" };
const STAT_MODE = { type: "string", pattern: "^(?=[0-7]{1,7}$)0*(?:1[0-7]{5}|[0-7]{1,5})$" };

const flags = (names: string, max = 0xffffffff): Schema =>
  anyOf(int(0, max), arrayOf(ref(`names_${names}`)));

const timePair = (sub: "nsec" | "usec"): Schema =>
  object({ sec: ref("c_long"), [sub]: ref("c_long") });

/** Shared definitions: C types, names, bytes, structs, results, events. */
function commonDefs(): Record<string, Schema> {
  const defs: Record<string, Schema> = {};
  for (const [c, [min, max]] of Object.entries(C_TYPE_RANGE)) {
    defs[cName(c as CType)] = { ...int(min, max), description: `a C ${c}` };
  }
  defs.wholeLong = { ...LONG_SCHEMA, description: "a C long, beyond 2^53 as a decimal string" };
  for (const [family, names] of Object.entries(NAMES)) {
    defs[`names_${family}`] = { enum: Object.keys(names) };
  }
  const time = {
    timespec: timePair("nsec"), timeval: timePair("usec"),
    itimerspec: object({ interval: ref("timespec"), value: ref("timespec") }),
    itimerval: object({ interval: ref("timeval"), value: ref("timeval") }),
  };
  return {
    ...defs,
    pid: int(1, SAFE),
    signalName: { enum: signalNames() },
    signal: anyOf(ref("signalName"), int(1, SIGNALS.SIGRTMAX)),
    signalAny: anyOf(ref("signalName"), ref("c_int")),
    signalOut: anyOf(ref("signalName"), { enum: namedSignalNumbers() }),
    key: anyOf({ const: "IPC_PRIVATE" }, int(-(2 ** 31), 2 ** 32 - 1)),
    mode: MODE,
    epollEvent: object({ events: flags("epollev"), data: int(0, SAFE) }),
    bytes: anyOf(
      { type: "string" },
      object({ hex: { type: "string", pattern: "^(?:[0-9a-fA-F]{2})*$" } }, ["hex"]),
      object({
        fill: anyOf({ type: "string", pattern: "^[\\u0000-\\u007f]$" }, int(0, 255)),
        count: int(0, BYTES_MAX),
      }, ["fill", "count"]),
    ),
    addr: anyOf({ type: "null" }, ref("c_long"),
      object({ ref: int(0, SAFE), offset: ref("c_long") }, ["ref"])),
    path: { type: "string", pattern: "^[^\\u0000]*$", maxLength: PATH_BYTES_MAX },
    sops: arrayOf(object({
      num: ref("c_unsigned_short"), op: ref("c_short"), flags: flags("sop", 0xffff),
    }, ["num", "op"])),
    ...time,
    amount: object({ sec: int(0, SAFE), nsec: int(0, 999_999_999) }),
    sigevent: object({
      notify: anyOf(ref("names_sigev"), ref("c_int")), signo: ref("signalAny"), value: ref("c_int"),
    }),
    mqattr: object({
      flags: anyOf(ref("c_long"), arrayOf(ref("names_open"))), maxmsg: ref("c_long"),
      msgsize: ref("c_long"), curmsgs: ref("c_long"),
    }),
    ownerEx: object({ type: anyOf(ref("names_owner"), ref("c_int")), pid: ref("c_int") }),
    flock: FLOCK,
    stack: STACK,
    sockaddr: SOCKADDR,
    stat: {
      type: "object", properties: { mode: STAT_MODE },
      additionalProperties: { if: { type: "object" }, then: ref("stat") },
    },
    ipcSet: {
      type: "object",
      properties: { mode: STAT_MODE, msg_qbytes: ref("c_unsigned_long") },
      patternProperties: {
        "_perm$": {
          type: "object",
          properties: { uid: ref("c_unsigned_int"), gid: ref("c_unsigned_int"), mode: STAT_MODE },
          additionalProperties: { if: { type: "object" }, then: ref("stat") },
        },
      },
      additionalProperties: { if: { type: "object" }, then: ref("stat") },
    },
    ...outcomeDefs(),
  };
}

/** struct flock (fcntl's record-lock commands, the getlk result). */
const FLOCK: Schema = object({
  l_type: anyOf(ref("names_locktype"), ref("c_short")),
  l_whence: anyOf(ref("names_whence"), ref("c_short")),
  l_start: ref("c_long"), l_len: ref("c_long"), l_pid: ref("c_int"),
});

/** stack_t (sigaltstack's ss, the result's oldss): the model's 32-bit sp and size. */
const STACK: Schema = object({
  sp: int(0, 2 ** 32 - 1), size: int(0, 2 ** 32 - 1),
  flags: anyOf(int(0, 2 ** 32 - 1), arrayOf(ref("names_ss"))),
});

/** struct sockaddr_un (sim/trace/sockaddr.ts): one of four forms. */
const name = { type: "string", maxLength: 107 };
const SOCKADDR: Schema = anyOf(
  object({ path: { ...name, minLength: 1, pattern: "^[^\\u0000]*$" } }, ["path"]),
  object({ abstract: name }, ["abstract"]),
  object({ unnamed: { const: true } }, ["unnamed"]),
  object({ unspec: { const: true } }, ["unspec"]),
);

/** Results, wait statuses and events (docs/trace-format.md "Outcomes"). */
function outcomeDefs(): Record<string, Schema> {
  const safe = int(-SAFE, SAFE);
  const signals = { type: "array", maxItems: ITEMS_MAX, items: ref("signalOut") };
  const timer = anyOf(ref("itimerspec"), ref("itimerval"));
  const fds = { type: "array", items: safe, minItems: 2, maxItems: 2 };
  const returned = {
    ...object({
      ret: anyOf(safe, { const: "address" }), errno: { enum: Object.keys(ERRNO) },
      data: ref("bytes"), mtype: ref("wholeLong"), fds,
      status: ref("status"), stat: ref("stat"), values: arrayOf(safe), set: signals,
      oldset: signals, owner: ref("ownerEx"), flock: ref("flock"), tp: ref("timespec"),
      res: ref("timespec"), tv: ref("timeval"), rem: ref("timespec"), curr: timer, old: timer,
      timerid: safe, prio: int(0, 2 ** 32 - 1), oldss: ref("stack"),
      revents: arrayOf(anyOf(flags("poll"), int(0, 0xffff))),
      readfds: arrayOf(int(0, 1023)), writefds: arrayOf(int(0, 1023)),
      exceptfds: arrayOf(int(0, 1023)),
      events: arrayOf(ref("epollEvent")),
      optval: int(-(2 ** 31), 2 ** 31 - 1), optlen: int(0, 2 ** 31 - 1), addr: ref("sockaddr"),
      info: ref("siginfo"),
      dirents: arrayOf(object({
        ino: safe, type: { type: "string", pattern: "^DT_" }, name: { type: "string" },
      }, ["ino", "type", "name"])),
    }, ["ret"]),
    if: { required: ["errno"] },
    then: { properties: { ret: { const: -1 } } },
  };
  return {
    result: anyOf({ const: "blocked" }, ref("returned")),
    resultNoAddress: anyOf({ const: "blocked" },
      { ...ref("returned"), type: "object", properties: { ret: safe } }),
    returned,
    status: {
      oneOf: [
        object({ exited: int(0, 255) }, ["exited"]),
        object({ signaled: ref("signalOut"), core: { type: "boolean" } }, ["signaled"]),
        object({ stopped: ref("signalOut") }, ["stopped"]),
        object({ continued: { const: true } }, ["continued"]),
      ],
    },
    siginfo: object({
      signo: ref("signalOut"), code: anyOf({ type: "string" }, safe), pid: safe, uid: safe,
      status: safe, value: safe,
    }, ["signo", "code", "pid", "uid", "status", "value"]),
    event: {
      oneOf: [
        object({ wake: ref("pid"), step: int(0, SAFE), result: ref("result") },
          ["wake", "step", "result"]),
        object({
          signal: ref("signalOut"), pid: ref("pid"), value: safe, frame: { const: true },
          info: ref("siginfo"),
        }, ["signal", "pid"]),
        object({ exit: ref("pid"), status: ref("status") }, ["exit", "status"]),
        object({ stop: ref("pid") }, ["stop"]),
        object({ cont: ref("pid") }, ["cont"]),
      ],
    },
    events: { type: "array", items: ref("event") },
  };
}

/** How each kind is written (docs/trace-format.md "Argument encodings"); the C types of the
 * plain integers come from the row (wasm/calls.ts cTypeOf). */
const plain = (a: ArgSpec): Schema =>
  (cTypeOf(a) === "long" ? ref("wholeLong") : ref(cName(cTypeOf(a) ?? "int")));
const KIND_SCHEMA: { [K in ArgKind]: (a: ArgSpec) => Schema } = {
  int: plain, fd: plain, target: plain, msqid: plain, semid: plain, shmid: plain, count: plain,
  sigval: plain,
  key: () => ref("key"),
  mode: () => ref("mode"),
  flags: (a) => flags(a.names ?? ""),
  command: (a) => anyOf(ref(`names_${a.names}`), plain(a)),
  signal: (a) => (a.any ? ref("signalAny") : ref("signal")),
  sigset: () => arrayOf(ref("signal")),
  addr: () => ref("addr"),
  path: () => ref("path"),
  bytes: () => ref("bytes"),
  iov: () => ({ ...arrayOf(ref("bytes")), maxItems: 1025 }),
  counts: () => ({ ...arrayOf({ type: "integer" }), maxItems: 1025 }),
  sops: () => ref("sops"),
  timeout: () => anyOf({ type: "null" }, ref("timespec")),
  timespec: () => ref("amount"),
  itimerval: () => anyOf({ type: "null" }, ref("itimerval")),
  itimerspec: () => anyOf({ type: "null" }, ref("itimerspec")),
  sigevent: () => anyOf({ type: "null" }, ref("sigevent")),
  mqattr: () => anyOf({ type: "null" }, ref("mqattr")),
  stack: () => anyOf({ type: "null" }, ref("stack")),
  // By the command (cmdConditions): these accept what any command accepts.
  ctlbuf: () => anyOf({ type: "null" }, ref("ipcSet")),
  semarg: () => anyOf({ type: "null" }, ref("c_int"), arrayOf(ref("c_unsigned_short")),
    ref("ipcSet")),
  fcntlarg: () => ({}),
  pollfds: () => anyOf({ type: "null" }, {
    ...arrayOf(object({ fd: ref("c_int"), events: flags("poll") }, ["fd"])), maxItems: 1025,
  }),
  nfds: plain,
  sigmask: () => anyOf({ type: "null" }, arrayOf(ref("signal"))),
  fdset: () => anyOf({ type: "null" }, { ...arrayOf(int(0, 1023)), maxItems: 1024 }),
  timeval: () => anyOf({ type: "null" }, ref("timeval")),
  epollevent: () => anyOf({ type: "null" }, ref("epollEvent")),
  sockaddr: () => ref("sockaddr"),
};

/** Whether a step must write the field (the parser's `need`): docs/trace-format.md's bold. */
function isRequired(a: ArgSpec): boolean {
  switch (a.kind) {
    case "key": case "signal": case "path": case "bytes": case "sops": case "timespec":
    case "iov": case "counts": case "sockaddr":
      return true;
    case "command":
      return a.default === undefined;
    case "mode": case "sigset": case "ctlbuf": case "semarg": case "fcntlarg": case "nfds":
      return false;
    case "flags":
      return a.needed === true;
    default:
      return a.default === undefined;
  }
}

/** The argument's default as JSON, for editors. */
function defaultOf(a: ArgSpec): unknown {
  if (a.kind === "flags" || a.kind === "sigset") return a.needed ? undefined : [];
  if (a.kind === "mode" && typeof a.default === "number") return `0${a.default.toString(8)}`;
  return a.default;
}

/** The fields that depend on the command, as the parser decides them (parse.ts fcntlArg,
 * ctlBuf, semArg). */
function cmdConditions(call: CallName): Schema[] {
  const { IPC_SET, SETVAL, SETALL } = FLAGS.ipcctl;
  const { F_SETFL, F_SETFD, F_SETSIG, F_SETOWN_EX, F_GETOWN_EX } = FLAGS.fcntl;
  const ownerCmd: Schema = {
    required: ["cmd"],
    properties: { cmd: { enum: ["F_SETOWN_EX", F_SETOWN_EX, "F_GETOWN_EX", F_GETOWN_EX] } },
  };
  const lockCmd: Schema = {
    required: ["cmd"],
    properties: {
      cmd: {
        enum: (["F_GETLK", "F_SETLK", "F_SETLKW", "F_OFD_GETLK", "F_OFD_SETLK", "F_OFD_SETLKW"] as
          const).flatMap((n) => [n, FLAGS.fcntl[n]]),
      },
    },
  };
  const need = (field: string, schema: Schema) =>
    ({ required: [field], properties: { [field]: schema } });
  switch (call) {
    case "fcntl":
      return [{
        if: cmdIs("F_SETFL", F_SETFL), then: { properties: { arg: flags("open") } },
        else: {
          if: cmdIs("F_SETFD", F_SETFD), then: { properties: { arg: flags("fd") } },
          else: {
            if: cmdIs("F_SETSIG", F_SETSIG),
            then: { properties: { arg: anyOf(ref("signalName"), ref("c_unsigned_long")) } },
            else: {
              if: ownerCmd,
              then: { properties: { arg: anyOf(ref("ownerEx"), ref("c_unsigned_long")) } },
              else: {
                if: lockCmd,
                then: { properties: { arg: anyOf(ref("flock"), ref("c_unsigned_long")) } },
                else: { properties: { arg: ref("c_unsigned_long") } },
              },
            },
          },
        },
      }];
    case "msgctl": case "shmctl":
      return [{ if: cmdIs("IPC_SET", IPC_SET), then: need("buf", ref("ipcSet")) }];
    case "semctl":
      return [
        { if: cmdIs("SETVAL", SETVAL), then: need("arg", ref("c_int")) },
        { if: cmdIs("SETALL", SETALL), then: need("arg", arrayOf(ref("c_unsigned_short"))) },
        { if: cmdIs("IPC_SET", IPC_SET), then: need("arg", ref("ipcSet")) },
      ];
    default:
      return [];
  }
}

/** One call's step. */
function callDef(call: CallName): Schema {
  const row = callSpec(call);
  const props: Schema = {};
  if (!isClockCall(call)) props.pid = ref("pid");
  props.call = { const: call };
  for (const a of row.args) {
    const c = cTypeOf(a);
    const dflt = defaultOf(a);
    props[a.name] = {
      ...KIND_SCHEMA[a.kind](a),
      description: `${a.kind}${c ? ` (C ${c})` : ""}${a.names ? `: ${a.names} names` : ""}`,
      ...(dflt === undefined ? {} : { default: dflt }),
    };
  }
  props.comment = { type: "string" };
  if (call !== "exit") props.expect = ref(row.address ? "result" : "resultNoAddress");
  props.expect_events = ref("events");
  const required = [...(isClockCall(call) ? [] : ["pid"]), "call",
    ...row.args.filter(isRequired).map((a) => a.name)];
  const conditions = cmdConditions(call);
  return {
    description: `${call}${row.ext ? " (ext)" : ""}${row.doc ? `: ${row.doc}` : ""}`,
    ...object(props, required),
    ...(conditions.length ? { allOf: conditions } : {}),
  };
}

function headerDef(): Schema {
  const params: Schema = {};
  for (const name of PARAM_NAMES) {
    params[name] = name === "kernel.sem"
      ? anyOf({ type: "array", items: int(0, SAFE), minItems: 4, maxItems: 4 },
        { type: "string", pattern: "^\\s*\\S+\\s+\\S+\\s+\\S+\\s+\\S+\\s*$" })
      : { type: "integer", minimum: name.endsWith("_next_id") ? -1 : 0 };
  }
  return object({
    trace: { const: "ipcsim" }, version: { const: 1 }, name: { type: "string" },
    description: { type: "string" }, params: object(params), realtime: int(0, SAFE),
    comment: { type: "string" },
  }, ["trace", "version"]);
}

/** The schema of one line of a trace-v1 file. */
export function traceSchema(): Schema {
  const calls = Object.fromEntries(CALL_NAMES.map((c) => [`call_${c}`, callDef(c)]));
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "ipcsim trace v1: one line (the header, or a step)",
    description: "Generated from wasm/calls.ts by `npm run docs`; do not edit. A trace is JSON " +
      "Lines: the first line is the header, every other line a step (docs/trace-format.md). " +
      "Checks needing the whole file (refs and wakes name earlier steps) are the parser's.",
    if: { type: "object", required: ["trace"] },
    then: ref("header"),
    else: ref("step"),
    $defs: {
      header: headerDef(),
      step: {
        type: "object",
        required: ["call"],
        properties: { call: { enum: CALL_NAMES } },
        allOf: CALL_NAMES.map((c) => ({
          if: { required: ["call"], properties: { call: { const: c } } },
          then: ref(`call_${c}`),
        })),
      },
      ...calls,
      ...commonDefs(),
    },
  };
}

/** The schema file's text, as committed: JSON indented by two, each value on one line when it
 * fits in 100 columns. */
export function traceSchemaText(): string {
  return `${compactJson(traceSchema(), "", "")}\n`;
}

/** `v` on one line, with a space after each `:` and `,`. */
function flatJson(v: unknown): string {
  if (typeof v !== "object" || v === null) return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(flatJson).join(", ")}]`;
  const entries = Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${flatJson(x)}`);
  return `{${entries.join(", ")}}`;
}

function compactJson(v: unknown, indent: string, key: string): string {
  const flat = flatJson(v);
  if (typeof v !== "object" || v === null || indent.length + key.length + flat.length <= 99) {
    return flat;
  }
  const inner = `${indent}  `;
  const parts = Array.isArray(v)
    ? v.map((x) => inner + compactJson(x, inner, ""))
    : Object.entries(v).map(([k, x]) => {
      const name = `${JSON.stringify(k)}: `;
      return inner + name + compactJson(x, inner, name);
    });
  const [open, close] = Array.isArray(v) ? ["[", "]"] : ["{", "}"];
  return `${open}\n${parts.join(",\n")}\n${indent}${close}`;
}
