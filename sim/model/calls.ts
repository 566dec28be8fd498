// Steps into kernel calls and kernel results into trace-v1 results, read from the call table
// (wasm/calls.ts).
//
// Each process's call buffers live in its own memory, in the I/O area the kernel maps in every
// address space (wasm/kernel.ts ioBase): the engine writes a call's input there (write data, a
// path), passes the address, and reads the outputs back from the same place (read data, the
// fds of pipe, waitpid's status). A process makes one call at a time, so the area's start is
// enough.
//
// Most calls need nothing but their row: each argument becomes registers by its kind (an
// integer as itself, a path or bytes copied into the I/O area and passed by address, a signal
// set as two halves), an output buffer is an I/O-area address in the place the row's
// `kernel.regs` leaves for it, and the outputs are read back by name. A call the row alone
// cannot say has an encoder (ENCODERS: SysV structs, glibc's rules, size checks) or a decoder
// (DECODERS: SysV stats and values), in a map typed by call name.

import { ERRNO, FLAGS, type ErrnoName } from "../../wasm/abi.js";
import {
  CALLS, CALL_TABLE, callSpec, isIntegerKind, type ArgKind, type CallName, type CallSpec,
  type OutputName, type Register,
} from "../../wasm/calls.js";
import { BADCALLER, BLOCKED, KILLED, type Kernel } from "../../wasm/kernel.js";
import type { IntArg, KindTypes, Result, Step } from "../trace/types.js";
import { utf8Bytes } from "../trace/bytes.js";
import { decodeWaitStatus } from "../../wasm/names.js";
import { SYSV_DECODERS, SYSV_ENCODERS } from "./sysv.js";
import { MEM_ENCODERS, addr } from "./mem.js";
import { ModelError } from "./errors.js";
import { SIGNAL_ENCODERS, maskHalves, maskNames, oldssAt, siginfoAt } from "./signals.js";
import { TIME_ENCODERS, TIME_OUTPUTS, decodeTimeError } from "./time.js";
import { FUTEX_DECODERS, FUTEX_ENCODERS } from "./futex.js";
import { FLOCK_GET_CMDS, flockBytes, flockFromBytes } from "../trace/flock.js";
import { MQUEUE_DECODERS, MQUEUE_ENCODERS } from "./mqueue.js";
import { FILES_DECODERS } from "./files.js";
import { IOV_ENCODERS } from "./iov.js";
import { EPOLL_ENCODERS, epollEventsOut } from "./epoll.js";
import {
  POLL_ENCODERS, SELECT_DECODERS, SELECT_ENCODERS, reventsAt,
} from "./poll.js";
import { NET_DECODERS, NET_ENCODERS } from "./net.js";

/** What the engine must remember of a call to decode its result, even after it slept. */
export interface Issued {
  step: number;
  pid: number;
  call: CallName;
  /** Where the outputs are (the I/O area). */
  va: number;
  /** SysV: the ctl command (whether there is a `stat`), GETALL's number of values;
   * clock_nanosleep: its flags. */
  cmd?: number;
  count?: number;
  /** fcntl F_GETOWN_EX given a struct (at va): read it back as the result's `owner`. */
  owner?: boolean;
  /** fcntl F_GETLK or F_OFD_GETLK given a struct (at va): read back as the result's `flock`. */
  flock?: boolean;
}

export type Ok = Exclude<Result, "blocked">;
export type StepOf<C extends CallName> = Extract<Step, { call: C }>;

/** What an encoder gives: the kernel's return, or it with what decoding needs (Issued). `cmd`
 * also carries clock_nanosleep's flags (whether an EINTR has `rem`). */
type Encoded =
  number | {
    ret: number; cmd?: number; count?: number; va?: number; owner?: boolean; flock?: boolean;
  };

/** A call's own encoding, where its row does not say everything. `byRow` issues the call as
 * its row says (for an encoder that only checks or maps). */
type Encoder<C extends CallName> =
  (k: Kernel, step: StepOf<C>, va: number, byRow: () => number) => Encoded;
export type Encoders = { readonly [C in CallName]?: Encoder<C> };
/** A call's own decoding of a successful return (ret >= 0). */
type Decoder = (k: Kernel, c: Issued, ret: number) => Ok;
export type Decoders = { readonly [C in CallName]?: Decoder };

/** The kernel reads everything through the process's I/O area: read and pipe data, paths. */
const ENCODERS: Encoders = {
  ...SYSV_ENCODERS,
  ...MEM_ENCODERS,
  ...SIGNAL_ENCODERS,
  ...TIME_ENCODERS,
  ...FUTEX_ENCODERS,
  ...MQUEUE_ENCODERS,
  ...IOV_ENCODERS,
  ...POLL_ENCODERS,
  ...EPOLL_ENCODERS,
  ...SELECT_ENCODERS,
  ...NET_ENCODERS,
  // fcntl's command decides how a negative return reads (getownValue); a struct f_owner_ex
  // (F_SETOWN_EX, F_GETOWN_EX) is passed by its address in the I/O area.
  fcntl: (k, step, va) => {
    const { fd, cmd, arg } = step.args;
    if (typeof arg === "number") {
      return { ret: k.syscall(step.pid, CALLS.fcntl, fd, cmd, arg), cmd };
    }
    const lock = "l_type" in arg;
    const struct = lock
      ? flockBytes(arg)
      : new Uint8Array(new Int32Array([arg.type, arg.pid]).buffer);
    if (!k.poke(step.pid, va, struct)) {
      throw new ModelError(`line ${step.line}: pid ${step.pid}'s I/O area is not writable`);
    }
    const ret = k.syscall(step.pid, CALLS.fcntl, fd, cmd, va);
    if (lock) return { ret, cmd, flock: FLOCK_GET_CMDS.has(cmd) };
    return { ret, cmd, owner: cmd === FLAGS.fcntl.F_GETOWN_EX };
  },
};
const DECODERS: Decoders = {
  ...SYSV_DECODERS,
  ...FILES_DECODERS,
  ...FUTEX_DECODERS,
  ...MQUEUE_DECODERS,
  ...SELECT_DECODERS,
  ...NET_DECODERS,
  fcntl: (k, c, ret) => {
    if (c.flock) return { ret, flock: flockFromBytes(peekOrThrow(k, c, 32)) };
    return c.owner
      ? { ret, owner: { type: k.peekI32(c.pid, c.va), pid: k.peekI32(c.pid, c.va + 4) } }
      : { ret };
  },
};

const ERRNO_NAME = new Map<number, ErrnoName>(
  (Object.entries(ERRNO) as [ErrnoName, number][]).map(([n, v]) => [v, n]),
);

export { ModelError };

/** Resolve an integer argument that may be a `ref` to an earlier step's ret. */
export function resolveInt(v: IntArg, rets: readonly (number | undefined)[], step: Step): number {
  if (typeof v === "number") return v;
  const ret = rets[v.ref];
  if (ret === undefined || ret < 0) {
    throw new ModelError(`line ${step.line}: ref ${v.ref} names a step with no successful return`);
  }
  return ret + v.offset;
}

/** Fields passed faithfully whatever their width: msgsnd's mtype is in the msgbuf (a 64-bit
 * long), msgrcv's msgtyp goes as two halves, and a msgrcv size above INT_MAX is larger than any
 * message (the kernel copies only the message's bytes). */
const WIDE: { readonly [C in CallName]?: readonly string[] } = {
  msgsnd: ["mtype"], msgrcv: ["msgtyp", "size"],
};

/** The kernel's ABI is 32-bit: an integer argument outside [-2^31, 2^32) cannot be passed
 * faithfully (docs/differences.md, "args-32-bit"). */
function checkWidths(step: Step): void {
  const args: Record<string, unknown> = step.args;
  for (const name in args) {
    const v = args[name];
    if (typeof v === "number" && (v < -0x80000000 || v > 0xffffffff)) {
      if (WIDE[step.call]?.includes(name)) continue;
      throw new ModelError(
        `line ${step.line}: field "${name}": ${v} does not fit the model's 32-bit arguments`,
      );
    }
  }
  if (step.call === "read" && step.args.count > 0x7fffffff) {
    throw new ModelError(
      `line ${step.line}: field "count": ${step.args.count} is past the model's 2^31-1 ` +
      "(a size_t the model reads as signed)",
    );
  }
}

// ---- the generic encoding, by argument kind ----

/** Kinds only an encoder can pass (a struct or an array in the I/O area). */
const ENCODER_KINDS: ReadonlySet<ArgKind> = new Set<ArgKind>([
  "sops", "timeout", "ctlbuf", "semarg", "timespec", "itimerval", "itimerspec", "sigevent",
  "mqattr", "iov", "counts", "stack", "pollfds", "sigmask", "fdset", "timeval", "epollevent",
  "sockaddr",
]);

/** Outputs only a decoder can read (a struct, a value list, a message's type). */
const DECODER_OUTPUTS: ReadonlySet<OutputName> =
  new Set<OutputName>([
    "stat", "values", "mtype", "owner", "prio", "dirents", "flock", "readfds", "writefds",
    "exceptfds", "optval", "optlen", "addr",
  ]);

/** A SysV get's mode goes in its flags (msgget(2): the low 9 bits of msgflg are the mode). */
function modeInFlags(row: CallSpec, i: number): boolean {
  const prev = row.args[i - 1];
  return row.args[i].kind === "mode" && prev?.kind === "flags" && prev.names === "ipcget";
}

/** The registers each argument becomes, by type (the row's `kernel.regs` says which). */
function argRegs(row: CallSpec, i: number): Register[] {
  const kind = row.args[i].kind;
  if (modeInFlags(row, i)) return [];
  if (kind === "count" || kind === "addr" || kind === "path") return ["u32"];
  if (kind === "bytes") return ["u32", "u32"];
  if (kind === "sigset") return ["i32", "i32"];
  if (isIntegerKind(kind)) return ["i32"];
  throw new Error(`assertion: ${kind} needs an encoder`);
}

/** Where the output buffer's address goes among the registers (-1: no output buffer). The row's
 * `kernel.regs` has one u32 more than the inputs fill: the one place it fits (the last of
 * several), or for `data` and `dirents`, just before its `count` (C's read(fd, buf, count)).
 * Throws when the row cannot say. */
export function outputRegister(call: string, row: CallSpec): number {
  const special = row.args.find((a) => ENCODER_KINDS.has(a.kind));
  if (special) {
    throw new Error(`${call}: an argument of kind ${special.kind} needs an encoder ` +
      "(sim/model/calls.ts ENCODERS)");
  }
  const inputs = row.args.flatMap((_, i) => argRegs(row, i));
  const regs = row.kernel.regs;
  const same = (a: readonly Register[]) =>
    a.length === regs.length && a.every((r, i) => r === regs[i]);
  if (row.outputs.length === 0 && same(inputs)) return -1;
  if (row.outputs.length > 0 && regs.length === inputs.length + 1) {
    const count = row.args.findIndex((a) => a.kind === "count");
    if ((row.outputs.includes("data") || row.outputs.includes("dirents")) && count >= 0) {
      const at = row.args.slice(0, count).flatMap((_, i) => argRegs(row, i)).length;
      if (same([...inputs.slice(0, at), "u32", ...inputs.slice(at)])) return at;
    }
    const fits = [...inputs.keys(), inputs.length].filter((at) =>
      same([...inputs.slice(0, at), "u32", ...inputs.slice(at)]));
    // Several places fit only where the buffer's neighbours have its type (stat(path, buf)):
    // C puts an output buffer after the inputs it is about.
    if (fits.length >= 1) return fits[fits.length - 1];
  }
  throw new Error(`${call}: its arguments (${inputs.join(", ")}) and outputs ` +
    `(${row.outputs.join(", ")}) do not fit kernel.regs (${regs.join(", ")}); give it an ` +
    "encoder (sim/model/calls.ts ENCODERS)");
}

/** How one argument becomes registers (compiled once per call from its row: the per-step path
 * is a loop over these, without closures or set lookups). */
const enum Op { Int, OrMode, Addr, Sigset, Path, Bytes }

interface Plan {
  nr: number;
  ops: readonly Op[];
  names: readonly string[];
  /** Where the output buffer's address goes among the registers (-1: none). */
  out: number;
}

const PLANS: { [C in CallName]?: Plan } = {};

function planOf(call: CallName): Plan {
  let plan = PLANS[call];
  if (plan) return plan;
  const row = callSpec(call);
  const ops = row.args.map((a, i): Op => {
    if (modeInFlags(row, i)) return Op.OrMode;
    if (isIntegerKind(a.kind)) return Op.Int;
    if (a.kind === "addr") return Op.Addr;
    if (a.kind === "sigset") return Op.Sigset;
    if (a.kind === "path") return Op.Path;
    if (a.kind === "bytes") return Op.Bytes;
    throw new Error(`assertion: ${call}'s ${a.kind} argument needs an encoder`);
  });
  const out = outputRegister(call, row);
  plan = { nr: CALLS[call], ops, names: row.args.map((a) => a.name), out };
  PLANS[call] = plan;
  return plan;
}

/** The registers of the step being issued, and how many are set (a process makes one call at
 * a time, and the engine issues one step at a time; a fixed array, not one per step). */
const regs = [0, 0, 0, 0, 0, 0, 0, 0];
let nregs = 0;

function push(v: number): void {
  regs[nregs++] = v;
}

/** Issue a step as its row says; the output buffer (if any) is at `va`. */
function issueByRow(k: Kernel, step: Step, va: number): number {
  const plan = planOf(step.call);
  const args: Record<string, unknown> = step.args;
  nregs = 0;
  let free = va;
  for (let i = 0; i < plan.ops.length; i++) {
    if (nregs === plan.out) push(va);
    const v = args[plan.names[i]];
    switch (plan.ops[i]) {
      case Op.Int: push(v as number); break;
      case Op.OrMode: regs[nregs - 1] |= v as number; break;
      case Op.Addr: push(addr(v)); break;
      case Op.Sigset: {
        const [lo, hi] = maskHalves(v as KindTypes["sigset"]);
        push(lo);
        push(hi);
        break;
      }
      case Op.Path: free = poke(k, step, free, utf8Bytes(`${v as string}\0`)); break;
      case Op.Bytes: free = pokeBytes(k, step, free, v as Uint8Array); break;
    }
  }
  if (nregs === plan.out) push(va);
  for (let i = nregs; i < 6; i++) regs[i] = 0;
  return k.syscall(step.pid, plan.nr, regs[0], regs[1], regs[2], regs[3], regs[4], regs[5]);
}

function pokeBytes(k: Kernel, step: Step, va: number, data: Uint8Array): number {
  if (data.length > k.ioSize) {
    throw new ModelError(
      `line ${step.line}: ${step.call} of ${data.length} bytes ` +
      `exceeds the model's I/O area (${k.ioSize})`,
    );
  }
  const next = poke(k, step, va, data);
  push(data.length);
  return next;
}

/** Copy bytes into the I/O area at va, push their address; the next free address. */
function poke(k: Kernel, step: Step, va: number, bytes: Uint8Array): number {
  k.poke(step.pid, va, bytes);
  push(va);
  return va + ((bytes.length + 7) & ~7);
}

/** The step an encoder is issuing, for its `byRow` (one function, not a closure per step: an
 * encoder calls it before it returns, and steps are issued one at a time). */
let rowKernel: Kernel | null = null;
let rowStep: Step | null = null;
let rowVa = 0;

function byRowNow(): number {
  return issueByRow(rowKernel!, rowStep!, rowVa);
}

/** Issue a step's call on kernel k, its buffers at va (sim/model/frames.ts ioAreaAt: a
 * handler's calls have their own). Returns the raw kernel return (maybe BLOCKED/KILLED). */
export function issue(
  k: Kernel, step: Step, va = k.ioBase,
): { issued: Issued; ret: number } {
  const pid = step.pid;
  const issued: Issued = { step: step.index, pid, call: step.call, va };
  checkWidths(step);
  const encode = ENCODERS[step.call] as Encoder<CallName> | undefined;
  let r: Encoded;
  if (encode) {
    rowKernel = k;
    rowStep = step;
    rowVa = va;
    try {
      r = encode(k, step, va, byRowNow);
    } finally {
      rowKernel = null;
      rowStep = null;
    }
  } else {
    r = issueByRow(k, step, va);
  }
  let ret: number;
  if (typeof r === "number") ret = r;
  else {
    ret = r.ret;
    issued.cmd = r.cmd;
    issued.count = r.count;
    issued.owner = r.owner;
    issued.flock = r.flock;
    if (r.va !== undefined) issued.va = r.va;
  }
  if (ret === BADCALLER) throw new ModelError(`line ${step.line}: pid ${pid} cannot make a call`);
  return { issued, ret };
}

// ---- results ----

function peekOrThrow(k: Kernel, c: Issued, len: number): Uint8Array {
  if (len === 0) return new Uint8Array(0);
  const data = k.peek(c.pid, c.va, len);
  if (!data) throw new ModelError(`${c.call} result of pid ${c.pid} unreadable`);
  return data;
}

/** How each output is read back from the I/O area after a successful return. */
type OutputReader = (k: Kernel, c: Issued, ret: number, r: Ok) => void;

/** A 64-bit signal set read back from the I/O area, as names. */
const setAt = (k: Kernel, c: Issued) =>
  maskNames(k.peekI32(c.pid, c.va), k.peekI32(c.pid, c.va + 4));

const OUTPUTS: { readonly [O in OutputName]: OutputReader } = {
  data: (k, c, ret, r) => void (r.data = peekOrThrow(k, c, ret)),
  fds: (k, c, _ret, r) => void (r.fds = [k.peekI32(c.pid, c.va), k.peekI32(c.pid, c.va + 4)]),
  status: (k, c, ret, r) => {
    if (ret !== 0) r.status = decodeWaitStatus(k.peekI32(c.pid, c.va));
  },
  set: (k, c, _ret, r) => void (r.set = setAt(k, c)),
  oldset: (k, c, _ret, r) => void (r.oldset = setAt(k, c)),
  stat: needsDecoder, values: needsDecoder, mtype: needsDecoder, owner: needsDecoder,
  prio: needsDecoder, dirents: needsDecoder, flock: needsDecoder, optval: needsDecoder,
  addr: needsDecoder,
  optlen: needsDecoder,
  info: siginfoAt,
  oldss: oldssAt,
  revents: reventsAt,
  events: epollEventsOut,
  readfds: needsDecoder, writefds: needsDecoder, exceptfds: needsDecoder,
  ...TIME_OUTPUTS,
};

function needsDecoder(_k: Kernel, c: Issued): never {
  throw new Error(`assertion: ${c.call}'s outputs need a decoder (sim/model/calls.ts DECODERS)`);
}

/** Calls each output of which needs a decoder have one (a test checks the table against it). */
export function lacksDecoder(call: CallName): boolean {
  return callSpec(call).outputs.some((o) => DECODER_OUTPUTS.has(o)) && !DECODERS[call];
}

/** Calls whose row cannot be issued without an encoder and that have none. */
export function lacksEncoder(call: CallName): boolean {
  if (ENCODERS[call]) return false;
  try {
    outputRegister(call, callSpec(call));
    return false;
  } catch {
    return true;
  }
}

/** Turn a completed call's kernel return into a trace-v1 result. */
export function decodeResult(k: Kernel, c: Issued, ret: number): Result {
  if (ret === BLOCKED) return "blocked";
  if (ret < 0 && getownValue(c, ret)) return { ret };
  // alarm never fails and returns an unsigned int (kernel/time/itimer.c alarm_setitimer), and
  // time's seconds pass 2^31 in 2038 (its only error is EFAULT): both cross the i32 ABI as
  // negative numbers.
  if (c.call === "alarm" || (c.call === "time" && ret !== -ERRNO.EFAULT)) ret >>>= 0;
  if (ret < 0) {
    const name = ERRNO_NAME.get(-ret);
    if (!name) throw new ModelError(`kernel returned unknown errno ${-ret} for ${c.call}`);
    const r: Ok = { ret: -1, errno: name };
    if (CALL_TABLE[c.call].mechanism === "time") decodeTimeError(k, c, r);
    return r;
  }
  const decode = decoderOf(c.call);
  if (decode !== null) return decode(k, c, ret);
  const r: Ok = { ret };
  const outputs = readersOf(c.call);
  for (let i = 0; i < outputs.length; i++) outputs[i](k, c, ret, r);
  return r;
}

/** fcntl(F_GETOWN) of a group owner returns minus the group (fs/fcntl.c f_getown; glibc
 * computes it from F_GETOWN_EX, so it is a value, not an error): its only error is EBADF. */
function getownValue(c: Issued, ret: number): boolean {
  return c.call === "fcntl" && c.cmd === FLAGS.fcntl.F_GETOWN && ret !== -ERRNO.EBADF;
}

/** Each call's decoder (null: none) and output readers, looked up once per call name: a keyed
 * load by a call's name in each of DECODERS, CALL_TABLE and OUTPUTS per result cost more than
 * reading what the result needs. */
const DECODER_OF = new Map<CallName, Decoder | null>();
const READERS_OF = new Map<CallName, readonly OutputReader[]>();

function decoderOf(call: CallName): Decoder | null {
  let d = DECODER_OF.get(call);
  if (d === undefined) {
    d = DECODERS[call] ?? null;
    DECODER_OF.set(call, d);
  }
  return d;
}

function readersOf(call: CallName): readonly OutputReader[] {
  let r = READERS_OF.get(call);
  if (r === undefined) {
    r = CALL_TABLE[call].outputs.map((o) => OUTPUTS[o]);
    READERS_OF.set(call, r);
  }
  return r;
}

export { BLOCKED, KILLED };
