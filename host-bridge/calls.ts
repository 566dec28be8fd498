// The host bridge's view of the call table (wasm/calls.ts): how each call's arguments travel on
// the agent's command line, derived from the rows' argument kinds. protocol.ts encodes steps by
// it, and scripts/build.mjs generates the agent's table (agent/calls.gen.h) from it, so the
// two sides of the protocol agree by construction.
//
// A step's command line carries, after the call number and their count:
//   - the fixed integers, in argument order: each scalar argument as one integer, an address
//     resolved to the host's own, a signal set as a 64-bit mask, and the structs spelt out
//     (a timeout as `timed sec nsec`, an itimerval/itimerspec as `set isec i(u|n)sec vsec
//     v(u|n)sec`, a sigevent as `set notify signo value`, an IPC_SET struct as `uid gid mode` +
//     the mechanism's extra fields, semctl's union as `val uid gid mode`, fcntl's arg as
//     `arg otype opid ltype lwhence lstart llen lpid`: an integer, or `-` and a struct
//     f_owner_ex's type and pid, or `- - -` and a struct flock's fields);
//   - then the variable list (semop's sops as `num op flags` triples, SETALL's values);
//   - then the call's bytes (data or path) in hex.
//
// This file imports nothing at run time but the call table, so the build can load it.

import { sockaddrBytes } from "../sim/trace/sockaddr.js";
import {
  C_TYPE_RANGE, CALL_NAMES, callSpec, cTypeOf, isPlainCall, type ArgKind, type ArgSpec,
  type CallName, type CallSpec, type CType, type Mechanism,
} from "../wasm/calls.js";
import type { CallArgs, IntArg, KindTypes } from "../sim/trace/types.js";

/** One integer on the command line: a number, a 64-bit mask, or "-" (absent). */
export type Token = number | bigint | string;
export const ABSENT = "-";

/** Resolves an address argument (`{"ref": K, "offset": N}`) with the host's own results. */
export type AddressOf = (arg: IntArg) => number;

/** What a fixed integer is to the agent: `pid` is mapped with target_to_real, the SysV ids with
 * id_to_real (when there are no namespaces), `fd` is checked against the agent's own fds. */
type Role = "int" | "fd" | "pid" | "msqid" | "semid" | "shmid";

/** A host limit on a fixed integer (agent.c check_host_limits): `data_max`, at most what one
 * reply carries; `not_host_pid`, not -1 or 1 without a PID namespace (a signal would reach
 * host processes). */
type Limit = "data_max" | "not_host_pid";

interface Slot {
  readonly name: string;
  readonly role: Role;
  readonly limit?: Limit;
  /** The C type the agent casts it to (agent/calls.c, agent/time.c): encodeArgs refuses a
   * value outside it, which the agent would truncate (the trace parser refuses it first). */
  readonly c: CType;
}

/** The C type of each integer a struct kind becomes (named by its slot), as the agent casts
 * it: the flags `timed` and `set`, time_t and long time fields, a sigevent's ints, ipc_perm's
 * uid_t, gid_t and mode_t, msglen_t msg_qbytes, union semun's int val, fcntl's unsigned long
 * arg and struct f_owner_ex's int type and pid_t pid. */
const STRUCT_SLOT_C_TYPE: Readonly<Record<string, CType>> = {
  timed: "int", set: "int", sec: "long", nsec: "long", isec: "long", iusec: "long",
  insec: "long", vsec: "long", vusec: "long", vnsec: "long", notify: "int", signo: "int",
  value: "int", uid: "unsigned int", gid: "unsigned int", mode: "unsigned int",
  msg_qbytes: "unsigned long", mqflags: "long", maxmsg: "long", msgsize: "long",
  val: "int", arg: "unsigned long", otype: "int", opid: "int",
  ltype: "short", lwhence: "short", lstart: "long", llen: "long", lpid: "int",
  sp: "unsigned long", ssize: "unsigned long", ssflags: "unsigned int",
  fdsset: "int", maskset: "int", sigmask: "unsigned long", tvset: "int", tvsec: "long",
  tvusec: "long", evset: "int", evevents: "unsigned int", evdata: "unsigned long",
};

/** The C type of a one-integer argument whose kind has no KIND_C_TYPE: key_t, an int of flags
 * and a mode_t (32 bits in either spelling), a signal's int, a pointer, a 64-bit mask. */
const SCALAR_C_TYPE: Partial<Record<ArgKind, CType>> = {
  key: "unsigned int", flags: "unsigned int", mode: "unsigned int", signal: "int",
  addr: "unsigned long", sigset: "unsigned long",
};

function slotCType(arg: ArgSpec, slots: readonly string[], name: string): CType {
  const c = slots.length === 1 && slots[0] === arg.name
    ? cTypeOf(arg) ?? SCALAR_C_TYPE[arg.kind]
    : STRUCT_SLOT_C_TYPE[name];
  if (c === undefined) throw new Error(`${arg.name}: no C type for its slot ${name}`);
  return c;
}

/** The C types of a variable list's integers, repeating: struct sembuf's unsigned short
 * sem_num, short sem_op, short sem_flg (bits, written 0..0xffff); SETALL's unsigned shorts. */
const VARS_C_TYPES: { readonly [V in VarsKind]: readonly CType[] } = {
  none: [], sops: ["unsigned short", "short", "unsigned short"], u16: ["unsigned short"],
};

type VarsKind = "none" | "sops" | "u16";
/** "paths": two path arguments (rename, link, symlink), sent as one string with a NUL between
 * them (agent.c splits it). */
type DataKind = "none" | "bytes" | "path" | "paths";

/** A call's command line: its fixed integers, what the variable list is, what the hex is. */
interface Layout {
  readonly fixed: readonly Slot[];
  readonly vars: VarsKind;
  readonly data: DataKind;
}

/** One argument's part of the command line. */
interface Part {
  ints: Token[];
  vars?: Token[];
  bytes?: Uint8Array;
}

/** How one argument kind travels: the names of the fixed integers it becomes, the variable
 * list or data it fills, and its encoder. */
interface Wire<K extends ArgKind> {
  slots(arg: ArgSpec, row: CallSpec): readonly string[];
  vars?: Exclude<VarsKind, "none">;
  data?: Exclude<DataKind, "none">;
  encode(value: KindTypes[K], row: CallSpec, addr: AddressOf): Part;
}

/** Signal numbers to a 64-bit mask (bit sig-1), as the kernel's sigset_t. */
export function signalMask(signals: readonly number[]): bigint {
  let mask = 0n;
  for (const sig of signals) mask |= 1n << BigInt(sig - 1);
  return mask;
}

/** The fields an IPC_SET struct carries besides uid gid mode of `<mechanism>_perm`. */
const CTL_EXTRA: Partial<Record<Mechanism, readonly string[]>> = {
  msg: ["msg_qbytes"],
  sem: [],
  shm: [],
};
const PERM_FIELDS = ["uid", "gid", "mode"] as const;

function ctlExtra(row: CallSpec): readonly string[] {
  const extra = CTL_EXTRA[row.mechanism];
  if (!extra) throw new Error(`no IPC_SET fields for mechanism ${row.mechanism}`);
  return extra;
}

/** IPC_SET fields of a `buf`/`arg` struct: uid gid mode of `<prefix>_perm`, then `extra`. */
function setFields(buf: Record<string, unknown> | null, prefix: string, extra: readonly string[]) {
  const perm = (buf?.[`${prefix}_perm`] ?? {}) as Record<string, unknown>;
  const field = (o: Record<string, unknown>, name: string): Token => {
    const v = o[name];
    if (v === undefined) return ABSENT;
    if (typeof v !== "number" || !Number.isInteger(v)) {
      throw new TypeError(`IPC_SET field ${name}: expected an integer, got ${JSON.stringify(v)}`);
    }
    return v;
  };
  return [...PERM_FIELDS.map((name) => field(perm, name)),
    ...extra.map((name) => field(buf ?? {}, name))];
}

const utf8 = new TextEncoder();

type ScalarKind = {
  [K in ArgKind]: KindTypes[K] extends number ? K : never;
}[ArgKind];

const scalar: Wire<ScalarKind> = {
  slots: (arg) => [arg.name],
  encode: (v) => ({ ints: [v] }),
};

/** Every argument kind's wire form: a kind added to the table without one is a compile error. */
const WIRE: { readonly [K in ArgKind]: Wire<K> } = {
  int: scalar, fd: scalar, target: scalar, msqid: scalar, semid: scalar, shmid: scalar,
  key: scalar, count: scalar, mode: scalar, flags: scalar, command: scalar, signal: scalar,
  sigval: scalar, nfds: scalar,
  // poll's pollfd array: `fdsset` 0 for NULL, the structs as the data (agent/calls_poll.c);
  // ppoll's sigmask: `maskset` 0 for NULL, the set as a 64-bit mask.
  pollfds: {
    slots: () => ["fdsset"], data: "bytes",
    encode: (v) => ({ ints: [v ? 1 : 0], bytes: pollfdBlob(v ?? []) }),
  },
  // select's sets: one data string, each set given as a presence byte and its 128-byte
  // bitmap, in argument order (agent/calls_poll.c); its timeval as `tvset tvsec tvusec`.
  fdset: { slots: () => [], data: "bytes", encode: (v) => ({ ints: [], bytes: fdsetBlob(v) }) },
  // epoll_ctl's event: `evset` 0 for NULL, then its events and data (agent/calls_epoll.c).
  epollevent: {
    slots: () => ["evset", "evevents", "evdata"],
    encode: (v) => ({ ints: [v ? 1 : 0, v?.events ?? 0, v?.data ?? 0] }),
  },
  timeval: {
    slots: () => ["tvset", "tvsec", "tvusec"],
    encode: (v) => ({ ints: [v ? 1 : 0, v?.sec ?? 0, v?.usec ?? 0] }),
  },
  sigmask: {
    slots: () => ["maskset", "sigmask"],
    encode: (v) => ({ ints: [v ? 1 : 0, signalMask(v ?? [])] }),
  },
  // An integer as itself (the rest absent); a struct f_owner_ex (F_SETOWN_EX, F_GETOWN_EX)
  // as its fields, or a struct flock (the record-lock commands) as its five, with `arg` absent:
  // the agent passes its own struct's address.
  fcntlarg: {
    slots: (arg) => [arg.name, "otype", "opid", "ltype", "lwhence", "lstart", "llen", "lpid"],
    encode: (v) => {
      const none = [ABSENT, ABSENT, ABSENT, ABSENT, ABSENT];
      if (typeof v === "number") return { ints: [v, ABSENT, ABSENT, ...none] };
      if ("l_type" in v) {
        return {
          ints: [ABSENT, ABSENT, ABSENT, v.l_type, v.l_whence, v.l_start, v.l_len, v.l_pid],
        };
      }
      return { ints: [ABSENT, v.type, v.pid, ...none] };
    },
  },
  sigset: { slots: (arg) => [arg.name], encode: (v) => ({ ints: [signalMask(v)] }) },
  addr: { slots: (arg) => [arg.name], encode: (v, _row, addr) => ({ ints: [addr(v)] }) },
  path: { slots: () => [], data: "path", encode: (v) => ({ ints: [], bytes: utf8.encode(v) }) },
  bytes: { slots: () => [], data: "bytes", encode: (v) => ({ ints: [], bytes: v }) },
  // A sockaddr_un as its bytes, as long as the address (agent/calls_net.c).
  sockaddr: {
    slots: () => [], data: "bytes", encode: (v) => ({ ints: [], bytes: sockaddrBytes(v) }),
  },
  // readv's and writev's vectors: one data string (agent/calls_iov.c).
  iov: { slots: () => [], data: "bytes", encode: (v) => ({ ints: [], bytes: iovBlob(v) }) },
  counts: { slots: () => [], data: "bytes", encode: (v) => ({ ints: [], bytes: iovBlob(v) }) },
  sops: {
    slots: () => [],
    vars: "sops",
    encode: (v) => ({ ints: [], vars: v.flatMap((s) => [s.num, s.op, s.flags]) }),
  },
  timeout: {
    slots: () => ["timed", "sec", "nsec"],
    encode: (v) => ({ ints: [v ? 1 : 0, v?.sec ?? 0, v?.nsec ?? 0] }),
  },
  // Time (docs/host-bridge.md "Time"): the values as the trace wrote them, in the model's
  // numbering; the traced process paces them (agent/time.c: a relative value shortened by its
  // lateness, an absolute one mapped onto the host's clock). A struct passed as NULL is `set` 0.
  timespec: { slots: () => ["sec", "nsec"], encode: (v) => ({ ints: [v.sec, v.nsec] }) },
  itimerval: {
    slots: () => ["set", "isec", "iusec", "vsec", "vusec"],
    encode: (v) => ({
      ints: [v ? 1 : 0, v?.interval.sec ?? 0, v?.interval.usec ?? 0, v?.value.sec ?? 0,
        v?.value.usec ?? 0],
    }),
  },
  itimerspec: {
    slots: () => ["set", "isec", "insec", "vsec", "vnsec"],
    encode: (v) => ({
      ints: [v ? 1 : 0, v?.interval.sec ?? 0, v?.interval.nsec ?? 0, v?.value.sec ?? 0,
        v?.value.nsec ?? 0],
    }),
  },
  // sigev_notify, sigev_signo, sigev_value.sival_int; NULL (`set` 0) is the kernel's default
  // (SIGEV_SIGNAL, SIGALRM, the timer id as value).
  sigevent: {
    slots: () => ["set", "notify", "signo", "value"],
    encode: (v) => ({ ints: [v ? 1 : 0, v?.notify ?? 0, v?.signo ?? 0, v?.value ?? 0] }),
  },
  // struct mq_attr's mq_flags, mq_maxmsg, mq_msgsize (mq_curmsgs is never read); NULL is `set` 0.
  mqattr: {
    slots: () => ["set", "mqflags", "maxmsg", "msgsize"],
    encode: (v) => ({ ints: [v ? 1 : 0, v?.flags ?? 0, v?.maxmsg ?? 0, v?.msgsize ?? 0] }),
  },
  // stack_t's ss_sp (the trace's number: the traced process adds its arena's base,
  // agent/calls_sig.c), ss_size, ss_flags; NULL is `set` 0.
  stack: {
    slots: () => ["set", "sp", "ssize", "ssflags"],
    encode: (v) => ({ ints: [v ? 1 : 0, v?.sp ?? 0, v?.size ?? 0, v?.flags ?? 0] }),
  },
  ctlbuf: {
    slots: (_arg, row) => [...PERM_FIELDS, ...ctlExtra(row)],
    encode: (v, row) => ({ ints: setFields(v, row.mechanism, ctlExtra(row)) }),
  },
  semarg: {
    slots: () => ["val", ...PERM_FIELDS],
    vars: "u16",
    encode: (v) => {
      const buf = v !== null && typeof v === "object" && !Array.isArray(v) ? v : null;
      return {
        ints: [typeof v === "number" ? v : ABSENT, ...setFields(buf, "sem", [])],
        vars: Array.isArray(v) ? v : [],
      };
    },
  },
};

/** An fd_set for the agent: 1 and the 1024-bit map, or 0 and zeros for NULL. */
function fdsetBlob(fds: readonly number[] | null): Uint8Array {
  const out = new Uint8Array(1 + 128);
  if (fds === null) return out;
  out[0] = 1;
  for (const fd of fds) out[1 + (fd >> 3)] |= 1 << (fd & 7);
  return out;
}

/** struct pollfd { int fd; short events; short revents; } as the agent's memory holds them. */
function pollfdBlob(fds: readonly { fd: number; events: number }[]): Uint8Array {
  const v = new DataView(new ArrayBuffer(8 * fds.length));
  fds.forEach((f, i) => {
    v.setInt32(8 * i, f.fd, true);
    v.setUint16(8 * i + 4, f.events, true);
  });
  return new Uint8Array(v.buffer);
}

/** A vector for the agent: the segment count and each size as little-endian int64s, then
 * writev's segments end to end (readv's are sizes only). */
function iovBlob(segs: readonly (Uint8Array | number)[]): Uint8Array {
  const sizes = segs.map((s) => (typeof s === "number" ? s : s.length));
  const head = new DataView(new ArrayBuffer(8 * (sizes.length + 1)));
  head.setBigInt64(0, BigInt(sizes.length), true);
  sizes.forEach((n, i) => head.setBigInt64(8 * (i + 1), BigInt(n), true));
  const bytes = segs.filter((s): s is Uint8Array => typeof s !== "number");
  const out = new Uint8Array(head.byteLength + bytes.reduce((n, b) => n + b.length, 0));
  out.set(new Uint8Array(head.buffer));
  let at = head.byteLength;
  for (const b of bytes) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

function wire(kind: ArgKind): Wire<ArgKind> {
  return WIRE[kind] as Wire<ArgKind>;
}

const ROLES: Partial<Record<ArgKind, Role>> = {
  fd: "fd", target: "pid", msqid: "msqid", semid: "semid", shmid: "shmid",
};

function slotLimit(arg: ArgSpec, row: CallSpec): Limit | undefined {
  if (arg.hostMaxData) return "data_max";
  if (arg.kind === "target" && row.signalsOthers) return "not_host_pid";
  return undefined;
}

/** The agent's fixed integer arguments (agent.h CMD_ARGS_MAX). */
const CMD_ARGS_MAX = 10;

function layoutOf(call: CallName): Layout {
  const row = callSpec(call);
  const fixed: Slot[] = [];
  let vars: VarsKind = "none";
  let data = "none" as DataKind;
  for (const arg of row.args) {
    const w = wire(arg.kind);
    const names = w.slots(arg, row);
    const limit = slotLimit(arg, row);
    if (limit && names.length !== 1) throw new Error(`${call}.${arg.name}: a limit needs one slot`);
    for (const name of names) {
      const c = slotCType(arg, names, name);
      fixed.push({ name, role: ROLES[arg.kind] ?? "int", c, ...(limit ? { limit } : {}) });
    }
    if (w.vars && vars !== "none") throw new Error(`${call}: two variable lists`);
    const sets = arg.kind === "fdset" && data === "bytes"; // select's sets: one string
    if (w.data && data !== "none" && !(w.data === "path" && data === "path") && !sets) {
      throw new Error(`${call}: two data arguments`);
    }
    vars = w.vars ?? vars;
    data = w.data === "path" && data === "path" ? "paths" : w.data ?? data;
  }
  if (fixed.length > CMD_ARGS_MAX) {
    throw new Error(`${call}: ${fixed.length} fixed integers, the agent takes ${CMD_ARGS_MAX}`);
  }
  return { fixed, vars, data };
}

/** Each call's command-line layout. */
export const LAYOUTS: { readonly [C in CallName]: Layout } = Object.fromEntries(
  CALL_NAMES.map((c) => [c, layoutOf(c)]),
) as { [C in CallName]: Layout };

/** A call's arguments as command-line integers, variable list and bytes. */
export function encodeArgs<C extends CallName>(call: C, args: CallArgs[C], addr: AddressOf) {
  const row = callSpec(call);
  const ints: Token[] = [];
  const vars: Token[] = [];
  let bytes: Uint8Array | undefined;
  const values = args as Record<string, unknown>;
  for (const arg of row.args) {
    const part = wire(arg.kind).encode(values[arg.name] as KindTypes[ArgKind], row, addr);
    ints.push(...part.ints);
    if (part.vars) vars.push(...part.vars);
    if (part.bytes) bytes = bytes === undefined ? part.bytes : joined(arg, bytes, part.bytes);
  }
  const layout = LAYOUTS[call];
  ints.forEach((v, i) => fits(call, layout.fixed[i].name, layout.fixed[i].c, v));
  const varTypes = VARS_C_TYPES[layout.vars];
  vars.forEach((v, i) => fits(call, layout.vars, varTypes[i % varTypes.length], v));
  return { ints: [...ints, ...vars], bytes };
}

/** A second data part: select's sets end to end, a second path after a NUL. */
function joined(arg: ArgSpec, a: Uint8Array, b: Uint8Array): Uint8Array {
  if (arg.kind !== "fdset") return joinPaths(a, b);
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Two paths as one data string: "old\0new" (a path never holds a NUL). */
function joinPaths(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + 1 + b.length);
  out.set(a);
  out.set(b, a.length + 1);
  return out;
}

/** A command-line integer the agent would truncate is refused, never sent. The trace parser
 * refuses such values with the file and line (sim/trace/decode.ts fitC); this catches steps
 * made some other way. */
function fits(call: CallName, name: string, c: CType, v: Token): void {
  if (typeof v !== "number") return; // ABSENT, or a sigset's 64-bit mask
  const [min, max] = C_TYPE_RANGE[c];
  if (Number.isSafeInteger(v) && v >= min && v <= max) return;
  throw new RangeError(`${call}'s ${name}: ${v} does not fit the agent's ${c} (${min}..${max}); ` +
    "Linux would see another number");
}

/** One row of the agent's table, as scripts/build.mjs writes it into agent/calls.gen.h. */
interface AgentRow {
  readonly name: CallName;
  readonly nr: number;
  /** The C name of the host syscall (SYS_<name> unless the row says otherwise). */
  readonly sysno: string;
  readonly sleepsIn: readonly string[];
  readonly signalsOthers: boolean;
  readonly retPid: boolean;
  readonly layout: Layout;
  /** A syscall of integer arguments only and no outputs: with no handler of its own in
   * calls.c, the agent makes it as `syscall(nr, args...)` (c_syscall). */
  readonly plain: boolean;
}

/** A plain call (wasm/calls.ts) that is a real syscall, not a pseudo-call. */
function isPlain(name: CallName): boolean {
  return isPlainCall(name) && callSpec(name).nr < 1000;
}

/** The agent's call table, in table order. */
export function agentTable(): AgentRow[] {
  return CALL_NAMES.map((name) => {
    const row = callSpec(name);
    return {
      name,
      nr: row.nr,
      sysno: row.host.sysno ?? `SYS_${name}`,
      sleepsIn: row.host.sleepsIn ?? [],
      signalsOthers: row.signalsOthers ?? false,
      retPid: row.retPid ?? false,
      layout: LAYOUTS[name],
      plain: isPlain(name),
    };
  });
}
