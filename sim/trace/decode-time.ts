// The trace's time structs (docs/trace-format.md "Time"): timespec, timeval, itimerval,
// itimerspec and an amount of time to pass, decoded for sim/trace/decode.ts.

import { checkKeys, int, obj, type At } from "./decode.js";
import type { Itimerspec, Itimerval, Timespec, Timeval } from "./types.js";

/** The nanoseconds in a second: a valid timespec's tv_nsec is below it. */
const NSEC_PER_SEC = 1_000_000_000;

/** A {sec, <sub>} pair; each field an integer, 0 when left out. Any values: a call's EINVAL for
 * a bad tv_nsec or a negative tv_sec is the kernel's to give. */
function pairAt(v: unknown, at: At, sub: "nsec" | "usec"): { sec: number; sub: number } {
  const o = obj(v, at, `{"sec": S, "${sub}": N}`);
  checkKeys(o, ["sec", sub], at, `a time has sec, ${sub}`);
  const sec = o.sec === undefined ? 0 : int(o.sec, at.field("sec"));
  return { sec, sub: o[sub] === undefined ? 0 : int(o[sub], at.field(sub)) };
}

export function timespecAt(v: unknown, at: At): Timespec {
  const p = pairAt(v, at, "nsec");
  return { sec: p.sec, nsec: p.sub };
}

export function timevalAt(v: unknown, at: At): Timeval {
  const p = pairAt(v, at, "usec");
  return { sec: p.sec, usec: p.sub };
}

/** A struct itimerval or itimerspec: {interval, value}, each a pair (default zero). */
function timerPairAt<T>(
  v: unknown, at: At, sub: "nsec" | "usec", one: (v: unknown, at: At) => T,
): { interval: T; value: T } {
  const o = obj(v, at, `{"interval": {"sec", "${sub}"}, "value": {"sec", "${sub}"}}`);
  checkKeys(o, ["interval", "value"], at, "a timer value has interval, value");
  const part = (name: "interval" | "value") =>
    one(o[name] === undefined ? {} : o[name], at.field(name));
  return { interval: part("interval"), value: part("value") };
}

export function itimervalAt(v: unknown, at: At): Itimerval {
  return timerPairAt(v, at, "usec", timevalAt);
}

export function itimerspecAt(v: unknown, at: At): Itimerspec {
  return timerPairAt(v, at, "nsec", timespecAt);
}

/** An amount of time to pass (advance's `by`): a valid timespec, since no kernel checks it. */
export function amountAt(v: unknown, at: At): Timespec {
  const t = timespecAt(v, at);
  if (t.sec < 0) at.field("sec").expected("seconds >= 0", t.sec);
  if (t.nsec < 0 || t.nsec >= NSEC_PER_SEC) {
    at.field("nsec").expected(`nanoseconds 0..${NSEC_PER_SEC - 1}`, t.nsec);
  }
  return t;
}
