// The trace generator's entries for virtual time (spliced into CALL_TABLE, call-table.ts):
// clock reads, sleeps, alarms, interval timers, POSIX timers, and `advance`, the step in which
// time passes (docs/trace-format.md "Time").
//
// Everything drawn means the same on Linux, where the host bridge replays durations in real
// time and refuses a valid duration that is not a multiple of the quantum (TIME.QUANTUM_NS):
// every valid duration, interval, absolute time and advance here is a whole number of quanta,
// mostly 0 to 3 (an advance 1 to 3), so that timers expire within a few advances. Invalid
// values (tv_nsec out of range, negative seconds, a bad clock id, NULL) test the EINVAL and
// EFAULT paths, which need no clock. Clocks whose readings differ between hosts are left out:
// the CPU-time clocks (the model's never advance), the alarm clocks (they need an RTC) and
// CLOCK_TAI (its offset is the host's); clock_getres draws only the high-resolution clocks
// (a coarse clock's resolution is the host's tick), since resolutions compare exactly.
//
// Absolute times (TIMER_ABSTIME) are the shadow's clock (the sum of the advances so far) plus
// some quanta, on the clock the sleep or timer names; a timer's id is one the caller's
// timer_create returned (shadow.ts), now and then one that is not (EINVAL).

import fc from "fast-check";
import { FLAGS, TIME } from "../wasm/abi.js";
import { kind, pick, type BuildContext, type CallKind, type StepFields } from "./call-kind.js";
import { nsTimespec } from "../sim/trace/timespec.js";

const Q = TIME.QUANTUM_NS;
const { CLOCK_REALTIME, CLOCK_MONOTONIC } = FLAGS.clock;

/** `common` most of the time, `rare` now and then. */
function mostly<T>(common: fc.Arbitrary<T>, rare: fc.Arbitrary<T>, odds = 10): fc.Arbitrary<T> {
  return fc.oneof({ weight: odds, arbitrary: common }, { weight: 1, arbitrary: rare });
}

// ---- draws ----

/** Clocks that read alike on the model and on any host. */
const READ_CLOCKS = [
  "CLOCK_MONOTONIC", "CLOCK_REALTIME", "CLOCK_BOOTTIME", "CLOCK_MONOTONIC_COARSE",
  "CLOCK_REALTIME_COARSE",
] as const;
/** Ids no clock has (EINVAL): 10 is unused, 12 past the last. */
const BAD_CLOCKS = [10, 12] as const;
const clockArb = mostly<string | number>(pick(READ_CLOCKS), pick(BAD_CLOCKS), 12);
const resClockArb = mostly<string | number>(
  pick(["CLOCK_MONOTONIC", "CLOCK_REALTIME", "CLOCK_BOOTTIME"]), pick(BAD_CLOCKS), 12,
);
/** Clocks a sleep or a POSIX timer may name (the model has timers on these two). */
const TIMER_CLOCKS = ["CLOCK_MONOTONIC", "CLOCK_REALTIME"] as const;
const timerClockArb = mostly<string | number>(pick(TIMER_CLOCKS), pick(BAD_CLOCKS), 12);

/** Quanta: 0 to 3, mostly 1 or 2. */
const quantaArb = fc.oneof(
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 3 }) },
);

/** A duration of k quanta as {sec, nsec}. */
function spec(k: number): { sec: number; nsec: number } {
  return nsTimespec(k * Q);
}

/** A duration of k quanta as {sec, usec}. */
function val(k: number): { sec: number; usec: number } {
  const t = spec(k);
  return { sec: t.sec, usec: t.nsec / 1000 };
}

/** Timespecs the kernel refuses (EINVAL): tv_nsec out of range, negative seconds. */
const BAD_SPECS = [{ sec: 0, nsec: 1e9 }, { sec: 0, nsec: -1 }, { sec: -1, nsec: 0 }];
const BAD_VALS = [{ sec: 0, usec: 1e6 }, { sec: 0, usec: -1 }, { sec: -1, usec: 0 }];

type SpecDraw = { k: number } | { bad: number } | { nil: true };
/** A relative duration: quanta; rarely invalid, or NULL. */
const specArb: fc.Arbitrary<SpecDraw> = fc.oneof(
  { weight: 14, arbitrary: quantaArb.map((k) => ({ k })) },
  { weight: 1, arbitrary: fc.nat({ max: BAD_SPECS.length - 1 }).map((bad) => ({ bad })) },
  { weight: 1, arbitrary: fc.constant({ nil: true as const }) },
);

/** A timespec for a draw: relative, or absolute on `clock` (now + k quanta: the shadow's
 * monotonic clock, plus the realtime start on CLOCK_REALTIME; the generator's header leaves
 * `realtime` at its default). */
function specOf(d: SpecDraw, ctx: BuildContext, absClock?: string | number) {
  if ("nil" in d) return null;
  if ("bad" in d) return BAD_SPECS[d.bad];
  if (absClock === undefined) return spec(d.k);
  const t = spec(ctx.shadow.clockNs / Q + d.k);
  const realtime = absClock === "CLOCK_REALTIME" || absClock === CLOCK_REALTIME;
  return realtime ? { sec: t.sec + TIME.REALTIME_START_SEC, nsec: t.nsec } : t;
}

/** A sigevent: NULL (SIGALRM with the timer id), a signal with a value, or none; rarely an
 * unknown notify (EINVAL). */
const sigeventArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant(null) },
  {
    weight: 4,
    arbitrary: fc.record({
      notify: fc.constant("SIGEV_SIGNAL"),
      signo: pick(["SIGALRM", "SIGUSR1", "SIGUSR2", "SIGRTMIN"]),
      value: fc.integer({ min: 0, max: 9 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ notify: "SIGEV_NONE" }) },
  { weight: 1, arbitrary: pick([{ notify: 99 }, { notify: "SIGEV_SIGNAL", signo: 65 }]) },
);

/** A timer id: the caller's n-th timer, or now and then one it does not have. */
type IdDraw = { own: number } | { raw: number };
const timerIdArb: fc.Arbitrary<IdDraw> = mostly<IdDraw>(
  fc.nat({ max: 3 }).map((own) => ({ own })), pick([7, -1]).map((raw) => ({ raw })), 8,
);

/** The id a draw names, with its clock; null (skip) when the caller has no timer, three times
 * in four. */
function pickTimer(ctx: BuildContext, d: IdDraw): { id: number; clock: number } | null {
  if ("raw" in d) return { id: d.raw, clock: CLOCK_MONOTONIC };
  const timers = [...(ctx.shadow.procs.get(ctx.pid)?.timers ?? new Map<number, number>())];
  if (timers.length === 0) return d.own % 4 === 0 ? { id: d.own, clock: CLOCK_MONOTONIC } : null;
  const [id, clock] = timers.sort((a, b) => a[0] - b[0])[d.own % timers.length];
  return { id, clock };
}

/** setitimer's and getitimer's `which`: mostly ITIMER_REAL; the CPU-time ones (they never
 * fire: no process here runs long) and a bad one (EINVAL) now and then. */
const whichArb = mostly<string | number>(
  fc.constant("ITIMER_REAL"), pick(["ITIMER_VIRTUAL", "ITIMER_PROF", 3]), 8,
);

/** An itimerval: value and interval in quanta (value 0 disarms); rarely invalid or NULL. */
const itimervalArb = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record({ interval: quantaArb, value: quantaArb })
      .map(({ interval, value }) => ({ interval: val(interval), value: val(value) })),
  },
  { weight: 1, arbitrary: pick(BAD_VALS).map((bad) => ({ value: bad })) },
  { weight: 1, arbitrary: fc.constant(null) },
);

type TimerSetDraw = { interval: number; value: SpecDraw; abs: boolean };
const timerSetArb: fc.Arbitrary<TimerSetDraw> = fc.record({
  interval: quantaArb,
  value: specArb,
  abs: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
});

function timerSetFields(d: TimerSetDraw, ctx: BuildContext, id: IdDraw): StepFields | null {
  const t = pickTimer(ctx, id);
  if (t === null) return null;
  const flags = d.abs ? ["TIMER_ABSTIME"] : [];
  // An absolute zero disarms as a relative one does; else now + k quanta on the timer's clock.
  const zero = "k" in d.value && d.value.k === 0;
  const value = specOf(d.value, ctx, d.abs && !zero ? t.clock : undefined);
  const it = value === null ? null : { interval: spec(d.interval), value };
  return { call: "timer_settime", timerid: t.id, flags, value: it };
}

// ---- the entries ----

const timerCall = (call: "timer_gettime" | "timer_getoverrun" | "timer_delete") =>
  kind(call, timerIdArb, (id, ctx) => {
    const t = pickTimer(ctx, id);
    return t && { call, timerid: t.id };
  });

export const TIME_TABLE: readonly CallKind[] = [
  kind("clock_gettime", clockArb, (clock) => ({ call: "clock_gettime", clock })),
  kind("clock_getres", resClockArb, (clock) => ({ call: "clock_getres", clock })),
  kind("gettimeofday", fc.constant(null), () => ({ call: "gettimeofday" })),
  kind("time", fc.constant(null), () => ({ call: "time" })),
  kind("nanosleep", specArb, (d, ctx) => ({ call: "nanosleep", req: specOf(d, ctx) })),
  kind(
    "clock_nanosleep",
    fc.tuple(timerClockArb, fc.boolean(), specArb),
    ([clock, abs, d], ctx) => {
      const req = specOf(d, ctx, abs ? clock : undefined);
      if (req === null) return null; // NULL req is nanosleep's case
      return { call: "clock_nanosleep", clock, flags: abs ? ["TIMER_ABSTIME"] : [], req };
    },
  ),
  kind("alarm", mostly(fc.integer({ min: 0, max: 2 }), fc.constant(5)), (seconds) => ({
    call: "alarm", seconds,
  })),
  kind("setitimer", fc.tuple(whichArb, itimervalArb), ([which, value]) => ({
    call: "setitimer", which, value,
  })),
  kind("getitimer", whichArb, (which) => ({ call: "getitimer", which })),
  kind("timer_create", fc.tuple(timerClockArb, sigeventArb), ([clock, sevp]) => ({
    call: "timer_create", clock, sevp,
  })),
  kind("timer_settime", fc.tuple(timerIdArb, timerSetArb), ([id, d], ctx) =>
    timerSetFields(d, ctx, id)),
  timerCall("timer_gettime"),
  timerCall("timer_getoverrun"),
  timerCall("timer_delete"),
  kind("advance", fc.integer({ min: 1, max: 3 }), (k) => ({ call: "advance", by: spec(k) })),
];
