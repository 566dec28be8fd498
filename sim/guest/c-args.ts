// How a C guest's registers become a call's trace arguments, by argument kind, and how a
// result's outputs go back into the guest's memory, by output name (table-calls.ts walks a
// call's row with these). The layouts are wasm32's as the sysroot's headers and wasi-libc
// define them: pointers, int and long 4 bytes, time_t and off_t 8; a struct epoll_event packed
// as on x86_64 (include/uapi/linux/eventpoll.h EPOLL_PACKED), a sigset_t 64 bits.

import { SIGNALS } from "../../wasm/abi.js";
import { cTypeOf, isIntegerKind, type ArgKind, type OutputName } from "../../wasm/calls.js";
import { ModelError } from "../model/errors.js";
import { FLOCK_CMDS } from "../trace/flock.js";
import type { KindTypes, Result, SockAddr } from "../trace/types.js";
import { sockaddrBytes } from "../trace/sockaddr.js";
import { waitStatusInt } from "../scenario/wait-status.js";
import type { Guest } from "./runtime.js";

/** A bad pointer: the call fails with EFAULT before it reaches the kernel, as Linux's copy
 * from user memory would (the step is not made: docs/differences.md "c-efault"). */
export class GuestFault extends Error {}

/** The registers of one call and the next one to read. */
export class Regs {
  i = 0;
  constructor(readonly a: readonly number[]) {}
  next(): number {
    return this.a[this.i++] ?? 0;
  }
}

/** sigset_t's two 32-bit halves as signal numbers, bit n-1 for signal n. */
export function bitsToSignals(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let n = 1; n <= 64; n++) {
    if (((n <= 32 ? lo >>> (n - 1) : hi >>> (n - 33)) & 1) !== 0) out.push(n);
  }
  return out;
}

function signalBits(names: readonly string[]): bigint {
  let bits = 0n;
  for (const name of names) bits |= 1n << BigInt(SIGNALS[name as keyof typeof SIGNALS] - 1);
  return bits;
}

function checked(g: Guest, at: number, len: number): number {
  if (at === 0 || at + len > g.view().byteLength) throw new GuestFault();
  return at;
}

/** A NUL-terminated string at `at` (Linux's strncpy_from_user, PATH_MAX). */
function cString(g: Guest, at: number): string {
  const mem = new Uint8Array(g.view().buffer);
  checked(g, at, 1);
  let end = at;
  while (end < mem.length && mem[end] !== 0 && end - at < 4096) end++;
  return new TextDecoder().decode(mem.subarray(at, end));
}

/** struct timespec { time_t tv_sec (8); long tv_nsec (4) } (16 with padding). */
function timespecAt(g: Guest, at: number): KindTypes["timespec"] {
  const v = g.view();
  checked(g, at, 16);
  return { sec: Number(v.getBigInt64(at, true)), nsec: v.getInt32(at + 8, true) };
}

const u32 = (x: number) => x >>> 0;

/** sockaddr_un's family and path or abstract name (len as the caller passed it). */
function sockaddrAt(g: Guest, at: number, len: number): SockAddr {
  if (len < 2) return { unnamed: true };
  const b = g.bytes(checked(g, at, len), Math.min(len, 110));
  const family = b[0] | (b[1] << 8);
  if (family === 0) return { unspec: true };
  if (family !== 1) throw new ModelError(`socket address family ${family} in a C guest`);
  if (b.length === 2) return { unnamed: true };
  const text = new TextDecoder();
  if (b[2] === 0) return { abstract: text.decode(b.subarray(3)) };
  const end = b.indexOf(0, 2);
  return { path: text.decode(b.subarray(2, end < 0 ? b.length : end)) };
}

/** struct flock on wasm32: short l_type, l_whence; off_t l_start @8, l_len @16; l_pid @24. */
function flockAt(g: Guest, at: number): KindTypes["fcntlarg"] {
  const v = g.view();
  checked(g, at, 32);
  return {
    l_type: v.getInt16(at, true), l_whence: v.getInt16(at + 2, true),
    l_start: Number(v.getBigInt64(at + 8, true)), l_len: Number(v.getBigInt64(at + 16, true)),
    l_pid: v.getInt32(at + 24, true),
  };
}

const F_SETOWN_EX = 15;
const F_GETOWN_EX = 16;

/** What an argument of each kind reads from the registers (and the memory they point at).
 * `args` holds the arguments read so far (fcntl's arg depends on its cmd). */
type Reader = (g: Guest, r: Regs, args: Record<string, unknown>) => unknown;

const READERS: { readonly [K in ArgKind]?: Reader } = {
  path: (g, r) => cString(g, r.next()),
  bytes: (g, r) => {
    const at = r.next();
    const len = u32(r.next());
    return len === 0 ? new Uint8Array(0) : g.bytes(checked(g, at, len), len);
  },
  sigset: (_g, r) => bitsToSignals(r.next(), r.next()),
  sigmask: (g, r) => {
    const at = r.next();
    if (at === 0) return null;
    const v = g.view();
    checked(g, at, 8);
    return bitsToSignals(v.getUint32(at, true), v.getUint32(at + 4, true));
  },
  timeout: (g, r) => {
    const at = r.next();
    return at === 0 ? null : timespecAt(g, at);
  },
  sockaddr: (g, r) => {
    const at = r.next();
    return sockaddrAt(g, at, u32(r.next()));
  },
  sops: (g, r) => {
    const at = r.next();
    const n = u32(r.next());
    const v = g.view();
    if (n > 0) checked(g, at, 6 * n);
    return Array.from({ length: n }, (_, i) => ({
      num: v.getUint16(at + 6 * i, true), op: v.getInt16(at + 6 * i + 2, true),
      flags: v.getInt16(at + 6 * i + 4, true),
    }));
  },
  // The array's length is the next register (nfds), read ahead.
  pollfds: (g, r) => {
    const at = r.next();
    const n = u32(r.a[r.i] ?? 0);
    if (at === 0) return null;
    const v = g.view();
    checked(g, at, 8 * Math.min(n, 1025));
    return Array.from({ length: Math.min(n, 1025) }, (_, i) => ({
      fd: v.getInt32(at + 8 * i, true), events: v.getUint16(at + 8 * i + 4, true),
    }));
  },
  epollevent: (g, r) => {
    const at = r.next();
    if (at === 0) return null;
    const v = g.view();
    checked(g, at, 12);
    return { events: v.getUint32(at, true), data: Number(v.getBigUint64(at + 4, true)) };
  },
  mqattr: (g, r) => {
    const at = r.next();
    if (at === 0) return null;
    const v = g.view();
    checked(g, at, 16);
    const [flags, maxmsg, msgsize, curmsgs] = [0, 4, 8, 12].map((o) => v.getInt32(at + o, true));
    return { flags, maxmsg, msgsize, curmsgs };
  },
  fcntlarg: (g, r, args) => {
    const x = r.next();
    const cmd = args.cmd as number;
    if (FLOCK_CMDS.has(cmd)) return flockAt(g, x);
    if (cmd === F_SETOWN_EX || cmd === F_GETOWN_EX) {
      checked(g, x, 8);
      return { type: g.view().getInt32(x, true), pid: g.view().getInt32(x + 4, true) };
    }
    return u32(x);
  },
};

/** An integer argument: the register as its C type reads it (unsigned ones as unsigned). */
function integer(kind: ArgKind, c: string | undefined, x: number): number {
  const type = c ?? "int";
  return type.startsWith("unsigned") || type === "size_t" || kind === "flags" ? u32(x) : x | 0;
}

/** Read one argument of `kind` (with the row's C type `c`); null: no reader for the kind. */
export function readArg(
  g: Guest, r: Regs, spec: { kind: ArgKind; c?: string }, args: Record<string, unknown>,
): unknown {
  if (isIntegerKind(spec.kind) && spec.kind !== "fcntlarg") {
    return integer(spec.kind, cTypeOf(spec as never) ?? spec.c, r.next());
  }
  const read = READERS[spec.kind];
  if (!read) return undefined;
  return read(g, r, args);
}

export function canRead(kind: ArgKind): boolean {
  return (isIntegerKind(kind) && kind !== "fcntlarg") || READERS[kind] !== undefined;
}

type Ok = Exclude<Result, "blocked">;

/** Where an output goes: the registers named by the layout (a buffer, and a length's address
 * for a socket name), and the call's registers (revents go into the pollfd array). */
type Writer = (g: Guest, at: number[], r: Ok, regs: readonly number[]) => void;

function putTimespec(g: Guest, at: number, t: { sec: number; nsec: number }): void {
  const v = g.view();
  v.setBigInt64(at, BigInt(t.sec), true);
  v.setInt32(at + 8, t.nsec, true);
}

const WRITERS: { readonly [O in OutputName]?: Writer } = {
  data: (g, [at], r) => {
    if (r.data && r.data.length > 0) g.put(checked(g, at, r.data.length), r.data);
  },
  fds: (g, [at], r) => {
    checked(g, at, 8);
    g.view().setInt32(at, r.fds![0], true);
    g.view().setInt32(at + 4, r.fds![1], true);
  },
  status: (g, [at], r) => {
    if (at !== 0 && r.status) g.view().setInt32(checked(g, at, 4), waitStatusInt(r.status), true);
  },
  oldset: (g, [at], r) => {
    if (at !== 0) g.view().setBigUint64(checked(g, at, 8), signalBits(r.oldset ?? []), true);
  },
  set: (g, [at], r) => {
    g.view().setBigUint64(checked(g, at, 8), signalBits(r.set ?? []), true);
  },
  tp: (g, [at], r) => putTimespec(g, checked(g, at, 16), r.tp!),
  res: (g, [at], r) => {
    if (at !== 0) putTimespec(g, checked(g, at, 16), r.res!);
  },
  rem: (g, [at], r) => {
    if (at !== 0 && r.rem) putTimespec(g, checked(g, at, 16), r.rem);
  },
  // struct timeval { time_t tv_sec (8); suseconds_t tv_usec (8) } in wasi-libc.
  tv: (g, [at], r) => {
    if (at === 0) return;
    const v = g.view();
    checked(g, at, 16);
    v.setBigInt64(at, BigInt(r.tv!.sec), true);
    v.setBigInt64(at + 8, BigInt(r.tv!.usec), true);
  },
  prio: (g, [at], r) => {
    if (at !== 0) g.view().setUint32(checked(g, at, 4), r.prio ?? 0, true);
  },
  revents: (g, _at, r, regs) => {
    const v = g.view();
    (r.revents ?? []).forEach((e, i) => v.setUint16(regs[0] + 8 * i + 6, e, true));
  },
  events: (g, [at], r) => {
    const v = g.view();
    const list = r.events ?? [];
    if (list.length > 0) checked(g, at, 12 * list.length);
    list.forEach((e, i) => {
      v.setUint32(at + 12 * i, e.events, true);
      v.setBigUint64(at + 12 * i + 4, BigInt(e.data), true);
    });
  },
  // accept4, getsockname, getpeername: Linux's move_addr_to_user copies at most *addrlen
  // bytes and writes the whole length back.
  addr: (g, [at, lenAt], r) => {
    if (at === 0 || !r.addr) return;
    const v = g.view();
    const full = sockaddrBytes(r.addr);
    const room = v.getUint32(checked(g, lenAt, 4), true);
    g.put(checked(g, at, Math.min(room, full.length)), full.subarray(0, room));
    v.setUint32(lenAt, full.length, true);
  },
  // mq_getsetattr's old attributes (struct mq_attr: four longs).
  stat: (g, [at], r) => {
    if (at === 0 || !r.stat) return;
    const s = r.stat as Record<string, number>;
    const v = g.view();
    checked(g, at, 16);
    ["flags", "maxmsg", "msgsize", "curmsgs"].forEach((f, i) => v.setInt32(at + 4 * i, s[f], true));
  },
  flock: (g, [at], r) => {
    const f = r.flock!;
    const v = g.view();
    checked(g, at, 32);
    v.setInt16(at, f.l_type, true);
    v.setInt16(at + 2, f.l_whence, true);
    v.setBigInt64(at + 8, BigInt(f.l_start), true);
    v.setBigInt64(at + 16, BigInt(f.l_len), true);
    v.setInt32(at + 24, f.l_pid, true);
  },
  owner: (g, [at], r) => {
    checked(g, at, 8);
    g.view().setInt32(at, r.owner!.type, true);
    g.view().setInt32(at + 4, r.owner!.pid, true);
  },
};

export function canWrite(o: OutputName): boolean {
  return WRITERS[o] !== undefined;
}

/** Write output `o` of result `r` at the registers `at` point to. */
export function writeOutput(
  g: Guest, o: OutputName, at: number[], r: Ok, regs: readonly number[],
): void {
  if (r[o as keyof Ok] === undefined && o !== "revents") return;
  WRITERS[o]!(g, at, r, regs);
}
