// The time calls whose row alone does not say how to make them (calls.ts ENCODERS), the
// readers of the time outputs (calls.ts OUTPUTS), and advance, the clock's step. The kernel
// takes Linux x86_64's user layouts (wasm/abi.ts UAPI), written into the caller's I/O area:
//
//   timespec     | tv_sec i64 | tv_nsec i64 |                                   (16)
//   timeval      | tv_sec i64 | tv_usec i64 |                                   (16)
//   itimerval    | it_interval timeval | it_value timeval |                    (32)
//   itimerspec   | it_interval timespec | it_value timespec |                  (32)
//   sigevent     | sigev_value i64 | sigev_signo i32 @8 | sigev_notify i32 @12 |
//                | sigev_tid i32 @16 | padding |                                (64)
//
// An input struct goes at the start of the area (IN), an output buffer after it (OUT), so a
// call like setitimer(which, &new, &old) reads one and writes the other. A NULL pointer (a
// trace's null) is passed as 0. Calls whose only pointer is their output (clock_gettime,
// getitimer, timer_gettime) need no encoder: the row puts the output at the area's start.
//
// `rem` is the one output that comes with an error: EINTR of a relative sleep (nanosleep, or
// clock_nanosleep without TIMER_ABSTIME) writes the time left (kernel/time/hrtimer.c
// do_nanosleep: nanosleep_copyout only when the restart block has a user rmtp, which an
// absolute sleep's has not); a successful sleep leaves it unwritten and the result has none.

import { CALLS, FLAGS, UAPI } from "../../wasm/abi.js";
import type { Kernel } from "../../wasm/kernel.js";
import type {
  Itimerspec, Itimerval, Result, Sigevent, Step, Timespec, Timeval,
} from "../trace/types.js";
import { nsTimespec, timeNs } from "../trace/timespec.js";
import type { Encoders, Issued, Ok } from "./calls.js";
import { ModelError } from "./errors.js";

const { timespec: TS, timeval: TV, itimerval: ITV, itimerspec: ITS, sigevent: SEV } = UAPI;

/** Where an input struct goes in the I/O area, and where the output buffer goes. */
const IN = 0;
const OUT = 64;

type Args<C extends Step["call"]> = Extract<Step, { call: C }>["args"];

// ---- writing structs ----

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const i64 = (n: number) => BigInt.asIntN(64, BigInt(n));

function putPair(v: DataView, at: number, sec: number, sub: number): void {
  v.setBigInt64(at + TS.tv_sec, i64(sec), true);
  v.setBigInt64(at + TS.tv_nsec, i64(sub), true); // tv_usec sits where tv_nsec does
}

export function timespecBytes(t: Timespec): Uint8Array {
  const b = new Uint8Array(TS.size);
  putPair(view(b), 0, t.sec, t.nsec);
  return b;
}

function itimervalBytes(t: Itimerval): Uint8Array {
  const b = new Uint8Array(ITV.size);
  putPair(view(b), ITV.it_interval, t.interval.sec, t.interval.usec);
  putPair(view(b), ITV.it_value, t.value.sec, t.value.usec);
  return b;
}

function itimerspecBytes(t: Itimerspec): Uint8Array {
  const b = new Uint8Array(ITS.size);
  putPair(view(b), ITS.it_interval, t.interval.sec, t.interval.nsec);
  putPair(view(b), ITS.it_value, t.value.sec, t.value.nsec);
  return b;
}

export function sigeventBytes(e: Sigevent): Uint8Array {
  const b = new Uint8Array(SEV.size);
  const v = view(b);
  v.setBigInt64(SEV.sigev_value, i64(e.value), true); // sival_int in the low half
  v.setInt32(SEV.sigev_signo, e.signo | 0, true);
  v.setInt32(SEV.sigev_notify, e.notify | 0, true);
  return b;
}

/** Write a struct's bytes at va+IN and give its address; NULL (0) for null. */
function putIn<T>(k: Kernel, pid: number, va: number, t: T | null, bytes: (t: T) => Uint8Array) {
  if (t === null) return 0;
  if (!k.poke(pid, va + IN, bytes(t))) {
    throw new ModelError(`pid ${pid}: cannot write its I/O area`);
  }
  return va + IN;
}

// ---- the encoders ----

/** A sleep: req at IN (or NULL), rem's buffer at OUT. */
function nanosleep(k: Kernel, step: Extract<Step, { call: "nanosleep" }>, va: number) {
  const req = putIn(k, step.pid, va, step.args.req, timespecBytes);
  return { ret: k.syscall(step.pid, CALLS.nanosleep, req, va + OUT), va: va + OUT };
}

function clockNanosleep(k: Kernel, step: Extract<Step, { call: "clock_nanosleep" }>, va: number) {
  const a: Args<"clock_nanosleep"> = step.args;
  const req = putIn(k, step.pid, va, a.req, timespecBytes);
  const ret = k.syscall(step.pid, CALLS.clock_nanosleep, a.clock, a.flags, req, va + OUT);
  return { ret, va: va + OUT, cmd: a.flags };
}

/** advance by `ns` as two registers (seconds, nanoseconds), for pid 0: no memory. */
export function issueAdvance(k: Kernel, ns: number): number {
  const by = nsTimespec(ns);
  if (by.sec > 0xffffffff) {
    throw new ModelError(`advance by ${by.sec} s does not fit the model's 32-bit seconds`);
  }
  return k.syscall(0, CALLS.advance, by.sec >>> 0, by.nsec);
}

export const TIME_ENCODERS: Encoders = {
  gettimeofday: (k, step, va) => ({ ret: k.syscall(step.pid, CALLS.gettimeofday, va, 0), va }),
  time: (k, step) => k.syscall(step.pid, CALLS.time, 0),
  // alarm(unsigned int seconds): the row's int goes in an unsigned register.
  alarm: (k, step) => k.syscall(step.pid, CALLS.alarm, step.args.seconds >>> 0),
  nanosleep: (k, step, va) => nanosleep(k, step, va),
  clock_nanosleep: (k, step, va) => clockNanosleep(k, step, va),
  setitimer: (k, step, va) => {
    const value = putIn(k, step.pid, va, step.args.value, itimervalBytes);
    const ret = k.syscall(step.pid, CALLS.setitimer, step.args.which, value, va + OUT);
    return { ret, va: va + OUT };
  },
  timer_create: (k, step, va) => {
    const sevp = putIn(k, step.pid, va, step.args.sevp, sigeventBytes);
    const ret = k.syscall(step.pid, CALLS.timer_create, step.args.clock, sevp, va + OUT);
    return { ret, va: va + OUT };
  },
  timer_settime: (k, step, va) => {
    const a: Args<"timer_settime"> = step.args;
    const value = putIn(k, step.pid, va, a.value, itimerspecBytes);
    const ret = k.syscall(step.pid, CALLS.timer_settime, a.timerid, a.flags, value, va + OUT);
    return { ret, va: va + OUT };
  },
  advance: (k, step) => issueAdvance(k, timeNs(step.args.by)),
};

// ---- reading the outputs ----

function peekView(k: Kernel, c: Issued, len: number): DataView {
  const b = k.peek(c.pid, c.va, len);
  if (!b) throw new ModelError(`${c.call} result of pid ${c.pid} unreadable`);
  return view(b);
}

const num = (v: DataView, at: number) => Number(v.getBigInt64(at, true));

function timespecAt(v: DataView, at: number): Timespec {
  return { sec: num(v, at + TS.tv_sec), nsec: num(v, at + TS.tv_nsec) };
}

function timevalAt(v: DataView, at: number): Timeval {
  return { sec: num(v, at + TV.tv_sec), usec: num(v, at + TV.tv_usec) };
}

/** getitimer/setitimer's itimerval, timer_gettime/timer_settime's itimerspec. */
function timerAt(k: Kernel, c: Issued): Itimerval | Itimerspec {
  if (c.call === "getitimer" || c.call === "setitimer") {
    const v = peekView(k, c, ITV.size);
    return { interval: timevalAt(v, ITV.it_interval), value: timevalAt(v, ITV.it_value) };
  }
  const v = peekView(k, c, ITS.size);
  return { interval: timespecAt(v, ITS.it_interval), value: timespecAt(v, ITS.it_value) };
}

type OutputReader = (k: Kernel, c: Issued, ret: number, r: Ok) => void;

/** The time outputs of a successful call, at the Issued address. */
export const TIME_OUTPUTS = {
  tp: (k, c, _ret, r) => void (r.tp = timespecAt(peekView(k, c, TS.size), 0)),
  res: (k, c, _ret, r) => void (r.res = timespecAt(peekView(k, c, TS.size), 0)),
  tv: (k, c, _ret, r) => void (r.tv = timevalAt(peekView(k, c, TV.size), 0)),
  // Written only when a relative sleep is interrupted (decodeTimeError).
  rem: () => undefined,
  curr: (k, c, _ret, r) => void (r.curr = timerAt(k, c)),
  old: (k, c, _ret, r) => void (r.old = timerAt(k, c)),
  timerid: (k, c, _ret, r) => void (r.timerid = k.peekI32(c.pid, c.va)),
} satisfies Record<string, OutputReader>;

/** An error result's outputs: EINTR of a relative sleep has `rem`. */
export function decodeTimeError(k: Kernel, c: Issued, r: Exclude<Result, "blocked">): void {
  if (r.errno !== "EINTR") return;
  const relative = c.call === "nanosleep" ||
    (c.call === "clock_nanosleep" && ((c.cmd ?? 0) & FLAGS.timer.TIMER_ABSTIME) === 0);
  if (relative) r.rem = timespecAt(peekView(k, c, TS.size), 0);
}

// ---- the kernel's clock (wasm/kernel.ts, docs/trace-format.md "Time") ----

/** The monotonic clock in nanoseconds since the trace started. */
export function timeNow(k: Kernel): number {
  return k.timeNow();
}

/** CLOCK_REALTIME at the start (seconds since the epoch): before the first step. */
export function setRealtime(k: Kernel, sec: number): void {
  k.setRealtime(sec);
}
