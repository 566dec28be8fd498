// The virtual clock: what every clock id reads, and timespec validation. Time passes only
// when the clock is advanced (sys_time.ts sysAdvance, the trace's `advance` step): a call
// takes no time, so two readings with no advance between them are equal.
//
// Linux: kernel/time/timekeeping.c (ktime_get, ktime_get_real, ktime_get_real_seconds),
// kernel/time/posix-timers.c (clockid_to_kclock, the k_clock table), kernel/time/
// posix-cpu-timers.c (pid_for_clock, posix_cpu_clock_getres), include/linux/time64.h
// (timespec64_valid), include/uapi/linux/time.h (the clock ids).
//
// Model: `now` is CLOCK_MONOTONIC in nanoseconds from the trace's start (0). CLOCK_BOOTTIME
// is the same (the model never suspends), CLOCK_MONOTONIC_RAW and the COARSE clocks read it
// too (no frequency adjustment, no tick granularity). CLOCK_REALTIME is the realtime start
// (the trace header's `realtime`, seconds since the epoch) plus `now`; nothing sets it, so an
// absolute CLOCK_REALTIME time t is the monotonic instant t - start. CLOCK_TAI reads as
// CLOCK_REALTIME (the TAI offset is 0 until NTP sets it, as on the host).
//
// Differences: the CPU-time clocks (CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID, and a
// process's clock by pid) read 0 and never advance: the model has no CPU time. The alarm
// clocks (CLOCK_REALTIME_ALARM, CLOCK_BOOTTIME_ALARM) need an RTC device, which the host has
// not: EINVAL to read, EOPNOTSUPP to sleep on or to make a timer with, as there.
//
// Invariant (timeCheck): the clock never goes backwards (it only moves in timeAdvanceTo).

import {
  CLOCK_BOOTTIME, CLOCK_BOOTTIME_ALARM, CLOCK_MONOTONIC, CLOCK_MONOTONIC_COARSE,
  CLOCK_MONOTONIC_RAW, CLOCK_PROCESS_CPUTIME_ID, CLOCK_REALTIME, CLOCK_REALTIME_ALARM,
  CLOCK_REALTIME_COARSE, CLOCK_TAI, CLOCK_THREAD_CPUTIME_ID, TIME_REALTIME_START_SEC,
} from "./abi";
import { HZ } from "./param";
import { validPid } from "./proc";

export const NSEC_PER_SEC: i64 = 1000000000;
export const NSEC_PER_USEC: i64 = 1000;
/** One jiffy (TICK_NSEC): the COARSE clocks' and the CPU itimers' granularity. */
export const TICK_NSEC: i64 = (NSEC_PER_SEC + <i64>HZ / 2) / <i64>HZ;


// What a clock id names (clockid_to_kclock and the k_clock it returns).
/** No clock: EINVAL everywhere (10, CLOCK_SGI_CYCLE, is gone; ids past CLOCK_TAI). */
export const KCLOCK_NONE: i32 = 0;
/** hrtimer-based: readable, sleeps and timers (REALTIME MONOTONIC BOOTTIME TAI). */
export const KCLOCK_HRTIMER: i32 = 1;
/** Readable only: no nsleep, no timer_create (MONOTONIC_RAW, the COARSE clocks). */
export const KCLOCK_READ: i32 = 2;
/** A CPU-time clock (posix-cpu-timers.c): process or thread, by pid (0: the caller). */
export const KCLOCK_CPU: i32 = 3;
/** The alarm clocks without an RTC device. */
export const KCLOCK_ALARM: i32 = 4;
/** A dynamic POSIX clock (a file descriptor, CLOCKFD): the model has none. */
const KCLOCK_FD: i32 = 5;

/** CPUCLOCK_WHICH's values (include/linux/posix-timers_types.h) and the clock id layout. */
const CPUCLOCK_SCHED: i32 = 2;
const CPUCLOCK_MAX: i32 = 3;
const CPUCLOCK_PERTHREAD_MASK: i32 = 4;
const CLOCKFD: i32 = 3;
const CLOCKFD_MASK: i32 = 7;

@unmanaged class Clock {
  /** CLOCK_MONOTONIC, ns since the trace started. */
  now: i64;
  /** CLOCK_REALTIME at the start, ns since the epoch. */
  realtimeStart: i64;
  /** The last timeRealSeconds: realNs / NSEC_PER_SEC is realSec, always a matching pair (an
   * i64 division per semop or msgsnd was a tenth of a semop's cost). */
  realNs: i64;
  realSec: i64;
}

const C = changetype<Clock>(memory.data(offsetof<Clock>(), 16));

export function timeInit(): void {
  C.now = 0;
  C.realtimeStart = <i64>TIME_REALTIME_START_SEC * NSEC_PER_SEC;
  C.realNs = 0;
  C.realSec = 0;
}

/** ktime_get(): CLOCK_MONOTONIC now. */
@inline export function timeNow(): i64 {
  return C.now;
}

/** The realtime start, in seconds since the epoch (before the first step). */
export function timeSetRealtime(sec: i64): void {
  C.realtimeStart = sec * NSEC_PER_SEC;
}

/** The clock moves forward to t (sys_time.ts advance: never backwards). */
export function timeAdvanceTo(t: i64): void {
  assert(t >= C.now, "the clock went backwards");
  C.now = t;
}

/** ktime_get_real(): CLOCK_REALTIME now, ns since the epoch. */
function timeReal(): i64 {
  return C.realtimeStart + C.now;
}

/** CLOCK_REALTIME, ns since the epoch, at monotonic instant t (nothing sets the clock, so the
 * two differ by the realtime start: the file times are kept as instants, inode.ts). */
export function timeRealAt(t: i64): i64 {
  return C.realtimeStart + t;
}

/** ktime_get_real_seconds(): the IPC objects' time fields, time(2). */
export function timeRealSeconds(): i64 {
  const ns = timeReal();
  if (ns != C.realNs) {
    C.realNs = ns;
    C.realSec = ns / NSEC_PER_SEC;
  }
  return C.realSec;
}

/** The monotonic instant of an absolute time t on clock `clock` (hrtimer-based clocks). */
export function timeAbsToMono(clock: i32, t: i64): i64 {
  if (clock == CLOCK_REALTIME || clock == CLOCK_TAI) return t - C.realtimeStart;
  return t;
}

/** clockid_to_kclock: what clock id `id` names. */
export function kclockOf(id: i32): i32 {
  if (id < 0) return (id & CLOCKFD_MASK) == CLOCKFD ? KCLOCK_FD : KCLOCK_CPU;
  if (id == CLOCK_REALTIME || id == CLOCK_MONOTONIC || id == CLOCK_BOOTTIME) return KCLOCK_HRTIMER;
  if (id == CLOCK_TAI) return KCLOCK_HRTIMER;
  if (id == CLOCK_PROCESS_CPUTIME_ID || id == CLOCK_THREAD_CPUTIME_ID) return KCLOCK_CPU;
  if (id == CLOCK_MONOTONIC_RAW || id == CLOCK_REALTIME_COARSE) return KCLOCK_READ;
  if (id == CLOCK_MONOTONIC_COARSE) return KCLOCK_READ;
  if (id == CLOCK_REALTIME_ALARM || id == CLOCK_BOOTTIME_ALARM) return KCLOCK_ALARM;
  return KCLOCK_NONE;
}

/** A negative CPU clock id's target pid (CPUCLOCK_PID: ~(id >> 3)); 0 is the caller. The
 * named CLOCK_*_CPUTIME_ID are the caller's (MAKE_PROCESS/THREAD_CPUCLOCK(0, SCHED)). */
function cpuClockPid(id: i32): i32 {
  return id >= 0 ? 0 : ~(id >> 3);
}

function cpuClockPerThread(id: i32): bool {
  return id == CLOCK_THREAD_CPUTIME_ID || (id < 0 && (id & CPUCLOCK_PERTHREAD_MASK) != 0);
}

/** posix-cpu-timers.c pid_for_clock(): does CPU clock `id` name a process caller `self` may
 * use? A thread clock must be one of the caller's threads (the model's processes have one,
 * their own pid); a process clock any process (a zombie too: its pid is still attached). */
export function cpuClockValid(id: i32, self: i32): bool {
  if (id < 0 && (id & 3) >= CPUCLOCK_MAX) return false;
  const pid = cpuClockPid(id);
  if (pid == 0) return true;
  if (!validPid(pid)) return false;
  return !cpuClockPerThread(id) || pid == self;
}

/** posix_cpu_nsleep(): a thread clock of the caller itself cannot be slept on (EINVAL). */
export function cpuClockOwnThread(id: i32, self: i32): bool {
  if (!cpuClockPerThread(id)) return false;
  const pid = cpuClockPid(id);
  return pid == 0 || pid == self;
}

/** The resolution of a readable clock (posix_get_hrtimer_res: 1 ns with high-resolution
 * timers; posix_get_coarse_res: a jiffy; posix_cpu_clock_getres: 1 ns for the SCHED clocks,
 * a jiffy, rounded up, for PROF and VIRT). */
export function clockResNs(id: i32): i64 {
  if (id == CLOCK_REALTIME_COARSE || id == CLOCK_MONOTONIC_COARSE) return TICK_NSEC;
  if (id < 0 && (id & 3) != CPUCLOCK_SCHED) return (NSEC_PER_SEC + <i64>HZ - 1) / <i64>HZ;
  return 1;
}

/** A readable clock's value in ns (the caller checked it names a clock). */
export function clockNowNs(id: i32): i64 {
  if (kclockOf(id) == KCLOCK_CPU) return 0;
  if (id == CLOCK_REALTIME || id == CLOCK_REALTIME_COARSE || id == CLOCK_TAI) return timeReal();
  return C.now;
}

/** timespec64_valid(): sec >= 0 and 0 <= nsec < 1e9. */
export function timespecValid(sec: i64, nsec: i64): bool {
  return sec >= 0 && nsec >= 0 && nsec < NSEC_PER_SEC;
}

/** timespec64_to_ktime(), saturating at KTIME_MAX as it does (KTIME_SEC_MAX). */
export function timespecToNs(sec: i64, nsec: i64): i64 {
  if (sec >= i64.MAX_VALUE / NSEC_PER_SEC) return i64.MAX_VALUE;
  return sec * NSEC_PER_SEC + nsec;
}

/** ktime_add_safe(): a + b, saturating at KTIME_MAX (a, b >= 0). */
export function ktimeAddSafe(a: i64, b: i64): i64 {
  return a > i64.MAX_VALUE - b ? i64.MAX_VALUE : a + b;
}

export function timeCheck(): void {
  assert(C.now >= 0, "the clock is before the trace's start");
}
