// Syscall entry points for time: the clocks (clock_gettime, clock_getres, gettimeofday, time),
// the sleeps (nanosleep, clock_nanosleep), the interval timers (alarm, setitimer, getitimer),
// the POSIX timers (timer_create, timer_settime, timer_gettime, timer_getoverrun,
// timer_delete), and the clock's own step, advance. They check and copy the user structs; the
// clock is time.ts, the queue timer.ts, what timers do itimer.ts.
//
// Linux: kernel/time/posix-timers.c (SYSCALL_DEFINE clock_gettime, clock_getres,
// clock_nanosleep, timer_*), kernel/time/hrtimer.c (nanosleep), kernel/time/itimer.c
// (alarm, setitimer, getitimer: get_itimerval, put_itimerval), kernel/time/time.c
// (gettimeofday, time).
//
// advance (not a syscall: the trace's "time passes", pid 0): the clock moves to the earliest
// deadline within `by` and fires every timer due then, in arm order (ret 1: the engine lets
// the system settle and advances again by what is left), or to now + by (ret 0).

import {
  CLOCK_REALTIME, CLOCK_THREAD_CPUTIME_ID, EFAULT, EINVAL, ENOSYS, EOPNOTSUPP, ITIMER_PROF,
  ITIMER_REAL, ITIMER_VIRTUAL, ERESTART_RESTARTBLOCK, ERESTARTNOHAND, SYS_nanosleep,
  TIMER_ABSTIME,
} from "./abi";
import {
  cpuOld, cpuOldIncr, getInterval, getValue, itimerCpuSet, itimerRealRemaining,
  itimerRealSet, posixTimerCreate, posixTimerDelete, posixTimerFind, posixTimerGet,
  posixTimerOverrun, posixTimerSet, sleepForever, sleepRemaining, sleepUntil, timerExpire,
} from "./itimer";
import { CALL_STATE_BYTES, Proc, callState } from "./proc";
import {
  KCLOCK_ALARM, KCLOCK_CPU, KCLOCK_HRTIMER, KCLOCK_NONE, KCLOCK_READ, NSEC_PER_SEC,
  NSEC_PER_USEC,
  clockNowNs, clockResNs, cpuClockOwnThread,
  cpuClockValid, kclockOf, ktimeAddSafe, timeAbsToMono, timeAdvanceTo, timeNow,
  timeRealSeconds, timespecToNs, timespecValid,
} from "./time";
import { timerCancel, timerNext, timerPopDue, timerTieAt, timerTies } from "./timer";
import { copyFromUser, copyToUser } from "./vm";

const USEC_PER_SEC: i64 = 1000000;
/** struct sigevent (wasm/abi.ts UAPI.sigevent), as copied in. */
const SIGEVENT_BYTES: u32 = 64;

/** The kernel's copy of a user struct: a timespec, a timeval, an itimerval/itimerspec, a
 * sigevent (the largest). */
const buf: usize = memory.data(<i32>SIGEVENT_BYTES, 16);

// ---- user structs: | sec i64 | nsec or usec i64 |, pairs of them for interval and value ----

/** Write ns as a timespec (usec: a timeval) at va + at in buf. */
function putTime(at: usize, ns: i64, usec: bool): void {
  store<i64>(buf + at, ns / NSEC_PER_SEC);
  store<i64>(buf + at, usec ? (ns % NSEC_PER_SEC) / NSEC_PER_USEC : ns % NSEC_PER_SEC, 8);
}

/** Copy buf's first len bytes to va: 0, or -EFAULT. */
function out(p: Proc, va: u32, len: u32): i32 {
  return copyToUser(p, va, buf, len) == len ? 0 : -EFAULT;
}

/** Copy len bytes at va into buf: 0, or -EFAULT. */
function into(p: Proc, va: u32, len: u32): i32 {
  return copyFromUser(p, buf, va, len) == len ? 0 : -EFAULT;
}

@inline function sec(at: usize): i64 { return load<i64>(buf + at); }
@inline function frac(at: usize): i64 { return load<i64>(buf + at, 8); }

/** The struct timespec at va, copied in and checked (get_timespec64, timespec64_valid): its ns,
 * or -EFAULT, or -EINVAL. */
export function timespecFromUser(p: Proc, va: u32): i64 {
  if (into(p, va, 16) < 0) return -EFAULT;
  const ns = timespecAt(0);
  return ns < 0 ? -EINVAL : ns;
}

/** The pair at `at` as a valid timespec's ns (timespec64_valid), or -1. */
function timespecAt(at: usize): i64 {
  return timespecValid(sec(at), frac(at)) ? timespecToNs(sec(at), frac(at)) : -1;
}

/** The pair at `at` as a valid timeval's ns (timeval_valid: sec >= 0, usec < 1e6 unsigned), or
 * -1. */
function timevalAt(at: usize): i64 {
  if (sec(at) < 0 || <u64>frac(at) >= <u64>USEC_PER_SEC) return -1;
  return timespecToNs(sec(at), frac(at) * NSEC_PER_USEC);
}

// ---- clocks ----

/** A readable clock (posix_clock_realtime_get etc.; a CPU clock's pid must be valid). */
function clockReadable(p: Proc, clock: i32): bool {
  const kc = kclockOf(clock);
  if (kc == KCLOCK_CPU) return cpuClockValid(clock, p.pid);
  return kc == KCLOCK_HRTIMER || kc == KCLOCK_READ;
}

export function sysClockGettime(p: Proc, clock: i32, tp: u32): i32 {
  if (!clockReadable(p, clock)) return -EINVAL;
  putTime(0, clockNowNs(clock), false);
  return out(p, tp, 16);
}

/** clock_getres: res NULL is allowed (nothing written). */
export function sysClockGetres(p: Proc, clock: i32, res: u32): i32 {
  if (!clockReadable(p, clock)) return -EINVAL;
  if (res == 0) return 0;
  putTime(0, clockResNs(clock), false);
  return out(p, res, 16);
}

/** gettimeofday: tv NULL writes nothing; a timezone is struct timezone {0, 0} (sys_tz). */
export function sysGettimeofday(p: Proc, tv: u32, tz: u32): i32 {
  if (tv != 0) {
    putTime(0, clockNowNs(CLOCK_REALTIME), true);
    if (out(p, tv, 16) < 0) return -EFAULT;
  }
  if (tz == 0) return 0;
  store<i64>(buf, 0);
  return out(p, tz, 8);
}

/** time: CLOCK_REALTIME's seconds, also stored at tloc when it is not NULL. */
export function sysTime(p: Proc, tloc: u32): i32 {
  const t = timeRealSeconds();
  store<i64>(buf, t);
  if (tloc != 0 && out(p, tloc, 8) < 0) return -EFAULT;
  return <i32>t;
}

// ---- sleeps ----

/** What a sleep keeps across it: whether it is on a CPU clock (no deadline queued; its
 * expiry in CPU ns is Proc.sleepDeadline). */
@unmanaged class NanosleepWait {
  cpu: i32;
}

@inline function nanosleepWait(p: Proc): NanosleepWait {
  assert(offsetof<NanosleepWait>() <= CALL_STATE_BYTES, "NanosleepWait overflows call state");
  return changetype<NanosleepWait>(callState(p));
}

/** hrtimer_nanosleep on monotonic deadline `deadline`. */
function sleepMono(p: Proc, deadline: i64): i32 {
  nanosleepWait(p).cpu = 0;
  return sleepUntil(p, deadline);
}

/** do_cpu_nanosleep: the CPU time never reaches a non-zero expiry. */
function sleepCpu(p: Proc, expires: i64): i32 {
  if (expires == 0) return 0;
  nanosleepWait(p).cpu = 1;
  p.sleepDeadline = expires;
  return sleepForever(p);
}

/** The sleep was woken (its deadline passed: the only wake-up of sleepQ) or restarted
 * (restart_syscall -> hrtimer_nanosleep_restart: on to the deadline it had). */
@inline function sleepResumes(p: Proc): bool {
  return p.woke != 0 || p.restartArmed != 0;
}

function sleepResume(p: Proc): i32 {
  if (p.woke != 0) {
    assert(p.timedOut != 0, "a sleep woken before its deadline");
    return 0;
  }
  if (p.restartArmed == 2) return sleepCpu(p, p.restartDeadline);
  return sleepMono(p, p.restartDeadline);
}

/** nanosleep(req, rem): a relative CLOCK_MONOTONIC sleep. */
export function sysNanosleep(p: Proc, req: u32, rem: u32): i32 {
  if (sleepResumes(p)) return sleepResume(p);
  const ns = timespecFromUser(p, req);
  if (ns < 0) return <i32>ns;
  return sleepMono(p, ktimeAddSafe(timeNow(), ns));
}

/** clock_nanosleep(clock, flags, req, rem) (the raw syscall's -errno): the clock must have an
 * nsleep (EOPNOTSUPP), then req is copied and checked, then the clock's own rules. */
export function sysClockNanosleep(p: Proc, clock: i32, flags: i32, req: u32, rem: u32): i32 {
  if (sleepResumes(p)) return sleepResume(p);
  const kc = kclockOf(clock);
  if (kc == KCLOCK_NONE) return -EINVAL;
  const nsleep = kc == KCLOCK_HRTIMER || kc == KCLOCK_ALARM ||
    (kc == KCLOCK_CPU && clock != CLOCK_THREAD_CPUTIME_ID);
  if (!nsleep) return -EOPNOTSUPP;
  const ns = timespecFromUser(p, req);
  if (ns < 0) return <i32>ns;
  const absolute = (flags & TIMER_ABSTIME) != 0;
  if (kc == KCLOCK_ALARM) return -EOPNOTSUPP; // alarm_timer_nsleep: no RTC device
  if (kc == KCLOCK_CPU) {
    // posix_cpu_nsleep: not the caller's own thread clock; then the clock's pid.
    if (cpuClockOwnThread(clock, p.pid) || !cpuClockValid(clock, p.pid)) return -EINVAL;
    return sleepCpu(p, ns);
  }
  return sleepMono(p, absolute ? timeAbsToMono(clock, ns) : ktimeAddSafe(timeNow(), ns));
}

/** A signal ended the sleep (syscall.ts interruptCode; do_nanosleep, hrtimer_nanosleep): an
 * absolute sleep returns -ERESTARTNOHAND (restarted as it was, or EINTR); a relative one
 * writes what is left to rem (nanosleep_copyout: EFAULT if it cannot) and returns
 * -ERESTART_RESTARTBLOCK, its deadline kept for the restart. */
export function nanosleepInterrupt(p: Proc): i32 {
  const plain = p.callNr == SYS_nanosleep;
  if (!plain && (p.a1 & TIMER_ABSTIME) != 0) return -ERESTARTNOHAND;
  const cpu = nanosleepWait(p).cpu != 0;
  p.restartDeadline = p.sleepDeadline;
  p.restartArmed = cpu ? 2 : 1;
  const rem = <u32>(plain ? p.a1 : p.a3);
  if (rem == 0) return -ERESTART_RESTARTBLOCK;
  const left = cpu ? p.sleepDeadline : sleepRemaining(p);
  if (left <= 0) return 0;
  putTime(0, left, false);
  if (out(p, rem, 16) < 0) {
    p.restartArmed = 0;
    return -EFAULT;
  }
  return -ERESTART_RESTARTBLOCK;
}

// ---- interval timers ----

/** alarm(seconds): alarm_setitimer: do_setitimer(ITIMER_REAL) with no interval; the old
 * value's seconds, rounded up when it has under a second or half a second or more. */
export function sysAlarm(p: Proc, seconds: i32): i32 {
  const old = itimerRealRemaining(p);
  // seconds is an unsigned int (alarm_setitimer: no clamp on 64-bit). Masked explicitly: with
  // `<i64><u32>seconds` the optimised build sign-extended the inlined p.a0, so 2^31 and more
  // armed a negative time that ktime_add_safe saturated (the fix sys_ipc.ts sysMsgrcv needed).
  const sec: i64 = <i64>seconds & 0xffffffff;
  itimerRealSet(p, sec * NSEC_PER_SEC, 0);
  let s = old / NSEC_PER_SEC;
  const ns = old % NSEC_PER_SEC;
  if ((s == 0 && ns != 0) || ns >= NSEC_PER_SEC / 2) s++;
  return <i32>s;
}

/** setitimer(which, value, old): value is copied and checked first (NULL: disarm, the
 * "misfeature" Linux keeps), then which (EINVAL); old is written last. */
export function sysSetitimer(p: Proc, which: i32, value: u32, old: u32): i32 {
  let interval: i64 = 0;
  let v: i64 = 0;
  if (value != 0) {
    if (into(p, value, 32) < 0) return -EFAULT;
    interval = timevalAt(0);
    v = timevalAt(16);
    if (interval < 0 || v < 0) return -EINVAL;
  }
  let oldValue: i64 = 0;
  let oldInterval: i64 = 0;
  if (which == ITIMER_REAL) {
    oldValue = itimerRealRemaining(p);
    oldInterval = p.realIncr;
    itimerRealSet(p, v, interval);
  } else if (which == ITIMER_VIRTUAL || which == ITIMER_PROF) {
    itimerCpuSet(p, which == ITIMER_VIRTUAL, v, interval);
    oldValue = cpuOld;
    oldInterval = cpuOldIncr;
  } else {
    return -EINVAL;
  }
  if (old == 0) return 0;
  putTime(0, oldInterval, true);
  putTime(16, oldValue, true);
  return out(p, old, 32);
}

/** getitimer(which, curr): which first (EINVAL), then the copy (EFAULT). */
export function sysGetitimer(p: Proc, which: i32, curr: u32): i32 {
  if (which == ITIMER_REAL) {
    putTime(0, p.realIncr, true);
    putTime(16, itimerRealRemaining(p), true);
  } else if (which == ITIMER_VIRTUAL) {
    putTime(0, p.virtIncr, true);
    putTime(16, p.virtExpires, true);
  } else if (which == ITIMER_PROF) {
    putTime(0, p.profIncr, true);
    putTime(16, p.profExpires, true);
  } else {
    return -EINVAL;
  }
  return out(p, curr, 32);
}

// ---- POSIX timers ----

/** timer_create(clock, sevp, timerid): sevp NULL is SIGEV_SIGNAL, SIGALRM, the id as value. */
export function sysTimerCreate(p: Proc, clock: i32, sevp: u32, id: u32): i32 {
  if (sevp == 0) return posixTimerCreate(p, clock, false, 0, 0, 0, 0, id);
  if (into(p, sevp, SIGEVENT_BYTES) < 0) return -EFAULT;
  const value = load<i32>(buf);
  const signo = load<i32>(buf, 8);
  const notify = load<i32>(buf, 12);
  const tid = load<i32>(buf, 16);
  return posixTimerCreate(p, clock, true, notify, signo, value, tid, id);
}

/** timer_settime(id, flags, value, old): value NULL is EINVAL, then the copy (EFAULT), the
 * timespecs (EINVAL), the id (EINVAL); old is written last. */
export function sysTimerSettime(p: Proc, id: i32, flags: i32, value: u32, old: u32): i32 {
  if (value == 0) return -EINVAL;
  if (into(p, value, 32) < 0) return -EFAULT;
  const interval = timespecAt(0);
  const v = timespecAt(16);
  if (interval < 0 || v < 0) return -EINVAL;
  const i = posixTimerFind(p, id);
  if (i == 0) return -EINVAL;
  posixTimerSet(i, (flags & TIMER_ABSTIME) != 0, v, interval, old != 0);
  if (old == 0) return 0;
  putTime(0, getInterval, false);
  putTime(16, getValue, false);
  return out(p, old, 32);
}

export function sysTimerGettime(p: Proc, id: i32, curr: u32): i32 {
  const i = posixTimerFind(p, id);
  if (i == 0) return -EINVAL;
  posixTimerGet(i);
  putTime(0, getInterval, false);
  putTime(16, getValue, false);
  return out(p, curr, 32);
}

export function sysTimerGetoverrun(p: Proc, id: i32): i32 {
  const i = posixTimerFind(p, id);
  return i == 0 ? -EINVAL : posixTimerOverrun(i);
}

export function sysTimerDelete(p: Proc, id: i32): i32 {
  const i = posixTimerFind(p, id);
  if (i == 0) return -EINVAL;
  posixTimerDelete(p, i);
  return 0;
}

// ---- the clock's step ----

/** advance(by): no process makes it (k_syscall pid 0; a process gets ENOSYS). nsec must be
 * under a second. 1: the clock stopped at a deadline, whose timers fired; 0: it moved by
 * `by` and no deadline was within it. */
export function sysAdvance(p: Proc, sec: u32, nsec: u32): i32 {
  if (p.pid != 0) return -ENOSYS;
  if (<i64>nsec >= NSEC_PER_SEC) return -EINVAL;
  const target = ktimeAddSafe(timeNow(), <i64>sec * NSEC_PER_SEC + <i64>nsec);
  const next = timerNext();
  // One timer a call (advancePick): the engine settles the system between two expiries, as
  // processes run between them on Linux, and returns for the next.
  if (next < 0 || next > target) {
    timeAdvanceTo(target);
    return 0;
  }
  timeAdvanceTo(next);
  const pick = advancePick;
  advancePick = 0;
  if (pick < 0) {
    for (let h = timerPopDue(next); h != 0; h = timerPopDue(next)) timerExpire(h);
    return 1;
  }
  const n = timerTies();
  const h = timerTieAt(pick < n ? pick : 0);
  timerCancel(h);
  timerExpire(h);
  return 1;
}

/** Which of the timers due at the same deadline the next advance fires (timerTies' order);
 * -1 fires them all at once. On Linux two timers armed by different calls are never due at
 * exactly the same instant: which fires first, and whether the second fires before the
 * first's signal is handled, is a race the engine explores (k_time_pick). */
let advancePick: i32 = 0;

export function timePick(pick: i32): void {
  advancePick = pick;
}
