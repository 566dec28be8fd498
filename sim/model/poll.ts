// poll and ppoll (calls.ts ENCODERS): the trace's pollfds become a struct pollfd array at the
// start of the process's I/O area (int fd, short events, short revents: 8 bytes each), then
// ppoll's timespec and its sigset; a null array, timespec or sigmask is a NULL pointer. The
// result's `revents` are read back from the array (calls.ts OUTPUTS).

import { CALLS } from "../../wasm/abi.js";
import type { Kernel } from "../../wasm/kernel.js";
import type { PollFd } from "../trace/poll.js";
import type { Decoders, Encoders, Issued, Ok, StepOf } from "./calls.js";
import { ModelError } from "./errors.js";
import { maskHalves } from "./signals.js";
import { timespecBytes } from "./time.js";

const POLLFD_BYTES = 8;
/** sizeof(sigset_t) as glibc's ppoll passes it. */
const SIGSET_BYTES = 8;

/** Copy `b` into pid's I/O area at va (the model's encoders of the readiness calls). */
export function poke(k: Kernel, pid: number, va: number, b: Uint8Array, line: number): void {
  if (b.length > 0 && !k.poke(pid, va, b)) {
    throw new ModelError(`line ${line}: pid ${pid}'s I/O area cannot hold ${b.length} bytes`);
  }
}

/** A signal set as glibc passes ppoll and epoll_pwait one (8 bytes), at va: the address. */
export function pokeSigmask(k: Kernel, pid: number, va: number, set: readonly number[],
  line: number): number {
  const [lo, hi] = maskHalves(set);
  const b = new DataView(new ArrayBuffer(SIGSET_BYTES));
  b.setInt32(0, lo, true);
  b.setInt32(4, hi, true);
  poke(k, pid, va, new Uint8Array(b.buffer), line);
  return va;
}

/** The array at va (0 for null); the address past it. */
function putPollfds(k: Kernel, step: StepOf<"poll" | "ppoll">, va: number): number {
  const fds: PollFd[] | null = step.args.fds;
  if (fds === null) return va;
  const v = new DataView(new ArrayBuffer(POLLFD_BYTES * fds.length));
  fds.forEach((f, i) => {
    v.setInt32(POLLFD_BYTES * i, f.fd, true);
    v.setUint16(POLLFD_BYTES * i + 4, f.events, true);
  });
  poke(k, step.pid, va, new Uint8Array(v.buffer), step.line);
  return va + v.byteLength;
}

export const POLL_ENCODERS: Encoders = {
  poll: (k, step: StepOf<"poll">, va) => {
    const { fds, nfds, timeout } = step.args;
    putPollfds(k, step, va);
    const ret = k.syscall(step.pid, CALLS.poll, fds ? va : 0, nfds, timeout);
    return { ret, count: fds ? fds.length : -1 };
  },
  ppoll: (k, step: StepOf<"ppoll">, va) => {
    const { fds, nfds, timeout, sigmask } = step.args;
    let at = putPollfds(k, step, va);
    let tsp = 0;
    if (timeout) {
      poke(k, step.pid, at, timespecBytes(timeout), step.line);
      tsp = at;
      at += 16;
    }
    const mask = sigmask ? pokeSigmask(k, step.pid, at, sigmask, step.line) : 0;
    const ret = k.syscall(step.pid, CALLS.ppoll, fds ? va : 0, nfds, tsp, mask, SIGSET_BYTES);
    return { ret, count: fds ? fds.length : -1 };
  },
};

/** Each entry's revents, from the array at c.va (c.count entries, -1 for a NULL array; nfds
 * is at most that on a successful return). */
export function reventsAt(k: Kernel, c: Issued, _ret: number, r: Ok): void {
  const n = c.count ?? -1;
  if (n < 0) return; // a NULL array (nfds 0): no revents
  const b = n === 0 ? new Uint8Array(0) : k.peek(c.pid, c.va, n * POLLFD_BYTES);
  if (!b) throw new ModelError(`${c.call} result of pid ${c.pid} unreadable`);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  r.revents = Array.from({ length: n }, (_, i) => v.getUint16(POLLFD_BYTES * i + 6, true));
}

// ---- select, pselect6 ----
//
// The I/O area holds the three fd_sets (128 bytes each, at 0, 128, 256: FD_SETSIZE bits),
// select's timeval or pselect6's timespec at 384, pselect6's sigset at 400 and the
// {sigset pointer, size} pair Linux takes at 408. Issued.cmd has a bit for each set given (1,
// 2, 4) and 8 when select's timeval is given and not zero (its time left is the result's tv).

const SET_BYTES = 128;
const TIME_AT = 384;
const SIGSET_AT = 400;
const ARGPACK_AT = 408;

function putSets(k: Kernel, step: StepOf<"select" | "pselect6">, va: number): number[] {
  const { readfds, writefds, exceptfds } = step.args;
  return [readfds, writefds, exceptfds].map((set, i) => {
    if (set === null) return 0;
    const b = new Uint8Array(SET_BYTES);
    for (const fd of set) b[fd >> 3] |= 1 << (fd & 7);
    poke(k, step.pid, va + i * SET_BYTES, b, step.line);
    return va + i * SET_BYTES;
  });
}

const given = (addrs: readonly number[]) =>
  addrs.reduce((bits, a, i) => (a !== 0 ? bits | (1 << i) : bits), 0);

export const SELECT_ENCODERS: Encoders = {
  select: (k, step: StepOf<"select">, va) => {
    const addrs = putSets(k, step, va);
    const t = step.args.timeout;
    let tvp = 0;
    if (t) {
      const v = new DataView(new ArrayBuffer(16));
      v.setBigInt64(0, BigInt(t.sec), true);
      v.setBigInt64(8, BigInt(t.usec), true);
      poke(k, step.pid, va + TIME_AT, new Uint8Array(v.buffer), step.line);
      tvp = va + TIME_AT;
    }
    const { nfds } = step.args;
    const ret = k.syscall(step.pid, CALLS.select, nfds, addrs[0], addrs[1], addrs[2], tvp);
    const timed = t !== null && (t.sec !== 0 || t.usec !== 0) ? 8 : 0;
    return { ret, cmd: given(addrs) | timed };
  },
  pselect6: (k, step: StepOf<"pselect6">, va) => {
    const addrs = putSets(k, step, va);
    const { timeout, sigmask } = step.args;
    let tsp = 0;
    if (timeout) {
      poke(k, step.pid, va + TIME_AT, timespecBytes(timeout), step.line);
      tsp = va + TIME_AT;
    }
    let sig = 0;
    if (sigmask) {
      const [lo, hi] = maskHalves(sigmask);
      const v = new DataView(new ArrayBuffer(24));
      v.setInt32(0, lo, true);
      v.setInt32(4, hi, true);
      v.setBigUint64(8, BigInt(va + SIGSET_AT), true);
      v.setBigUint64(16, BigInt(SIGSET_BYTES), true);
      poke(k, step.pid, va + SIGSET_AT, new Uint8Array(v.buffer), step.line);
      sig = va + ARGPACK_AT;
    }
    const ret = k.syscall(step.pid, CALLS.pselect6, step.args.nfds, addrs[0], addrs[1], addrs[2],
      tsp, sig);
    return { ret, cmd: given(addrs) };
  },
};

function setFds(b: Uint8Array, at: number): number[] {
  const fds: number[] = [];
  for (let fd = 0; fd < SET_BYTES * 8; fd++) if (b[at + (fd >> 3)] & (1 << (fd & 7))) fds.push(fd);
  return fds;
}

/** The sets given, as written back, and select's time left. */
function selectResult(k: Kernel, c: Issued, ret: number): Ok {
  const b = k.peek(c.pid, c.va, TIME_AT + 16);
  if (!b) throw new ModelError(`${c.call} result of pid ${c.pid} unreadable`);
  const r: Ok = { ret };
  const bits = c.cmd ?? 0;
  if (bits & 1) r.readfds = setFds(b, 0);
  if (bits & 2) r.writefds = setFds(b, SET_BYTES);
  if (bits & 4) r.exceptfds = setFds(b, 2 * SET_BYTES);
  if (bits & 8) {
    const v = new DataView(b.buffer, b.byteOffset + TIME_AT, 16);
    r.tv = { sec: Number(v.getBigInt64(0, true)), usec: Number(v.getBigInt64(8, true)) };
  }
  return r;
}

export const SELECT_DECODERS: Decoders = { select: selectResult, pselect6: selectResult };
