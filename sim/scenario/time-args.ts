// The time arguments of the `os` calls as a scenario writes them (a field left out is 0) and
// their trace-model values (sim/trace/types.ts): checked integers, out-of-range values kept so
// that EINVAL can be tested.

import { FLAGS, SIGNALS } from "../../wasm/abi.js";
import type { Itimerspec, Itimerval, Sigevent, Timespec, Timeval } from "../trace/types.js";

function int(v: unknown, what: string): number {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  throw new TypeError(`${what}: expected an integer, got ${String(v)}`);
}

/** A time argument as a scenario may write it: fields left out are 0. */
export type TimespecLike = { sec?: number; nsec?: number };
/** An itimerval argument (setitimer): fields left out are 0. */
export type ItimervalLike = { interval?: { sec?: number; usec?: number };
  value?: { sec?: number; usec?: number } };
/** An itimerspec argument (timer_settime): fields left out are 0. */
export type ItimerspecLike = { interval?: TimespecLike; value?: TimespecLike };
/** notify defaults to SIGEV_SIGNAL, signo to SIGALRM, value to 0. */
export type SigeventLike = { notify?: number; signo?: number; value?: number };

const { SIGALRM } = SIGNALS;
const { SIGEV_SIGNAL } = FLAGS.sigev;

export function timespec(t: TimespecLike, what: string): Timespec {
  return { sec: int(t.sec ?? 0, `${what} sec`), nsec: int(t.nsec ?? 0, `${what} nsec`) };
}

function timeval(t: { sec?: number; usec?: number } | undefined, what: string): Timeval {
  return { sec: int(t?.sec ?? 0, `${what} sec`), usec: int(t?.usec ?? 0, `${what} usec`) };
}

export function itimerval(v: ItimervalLike, what: string): Itimerval {
  return { interval: timeval(v.interval, `${what} interval`), value: timeval(v.value, what) };
}

export function itimerspec(v: ItimerspecLike, what: string): Itimerspec {
  return {
    interval: timespec(v.interval ?? {}, `${what} interval`),
    value: timespec(v.value ?? {}, `${what} value`),
  };
}

export function sigevent(v: SigeventLike): Sigevent {
  return {
    notify: int(v.notify ?? SIGEV_SIGNAL, "sigev_notify"),
    signo: int(v.signo ?? SIGALRM, "sigev_signo"), value: int(v.value ?? 0, "sigev_value"),
  };
}
