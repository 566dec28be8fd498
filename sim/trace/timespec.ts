// Times as the trace writes them ({sec, nsec} or {sec, usec}) and as nanoseconds, one
// conversion each way for the codec's comparison, the engine, the scheduler and the generator.
// A double holds nanoseconds exactly below 2^53 (104 days), far past any trace's time.

import type { Timespec, Timeval } from "./types.js";

const NS_PER_S = 1e9;

/** A timespec's or timeval's nanoseconds. */
export function timeNs(t: Timespec | Timeval): number {
  return t.sec * NS_PER_S + ("nsec" in t ? t.nsec : t.usec * 1000);
}

/** Nanoseconds as a timespec (nsec in [0, 1e9)). */
export function nsTimespec(ns: number): Timespec {
  const sec = Math.floor(ns / NS_PER_S);
  return { sec, nsec: ns - sec * NS_PER_S };
}
