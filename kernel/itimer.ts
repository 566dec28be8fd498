// Timers that act: a sleeper's deadline (nanosleep, clock_nanosleep, semtimedop), the interval
// timers (setitimer, getitimer, alarm) and the POSIX timers (timer_create, timer_settime,
// timer_gettime, timer_getoverrun, timer_delete), and what each does when the clock reaches
// it (timerExpire, called by sys_time.ts advance). The queue itself is timer.ts; the entry
// points are sys_time.ts.
//
// Linux: kernel/time/hrtimer.c (do_nanosleep, hrtimer_nanosleep, hrtimer_nanosleep_restart,
// nanosleep_copyout, hrtimer_forward), kernel/time/itimer.c (do_setitimer, do_getitimer,
// itimer_get_remtime, it_real_fn, set_cpu_itimer, get_cpu_itimer, posixtimer_rearm_itimer),
// kernel/time/posix-timers.c (do_timer_create, good_sigevent, common_timer_set,
// common_timer_get, posix_timer_fn, posix_timer_queue_signal, __posixtimer_deliver_signal,
// posix_timer_delete, exit_itimers), kernel/signal.c (posixtimer_send_sigqueue,
// dequeue_signal), kernel/time/posix-cpu-timers.c (the CPU clocks).
//
// A sleeper sleeps on a wait queue as any call does (nanosleep on sleepQ, semtimedop on its
// semaphore's) and its deadline is its entry's Timer: at the deadline it is woken with
// timedOut set, and its retry ends the call (nanosleep 0, semtimedop EAGAIN). Whatever else
// ends the sleep (a hand-off, a signal, death) takes the deadline off the queue
// (timerSleepEnd).
//
// ITIMER_REAL sends SIGALRM with si_code SI_KERNEL (kill_pid_info, SEND_SIG_PRIV) and is not
// reloaded then: its interval restarts it when a SIGALRM is dequeued (dequeue_signal ->
// posixtimer_rearm_itimer), forward past now. A POSIX timer's signal is its own preallocated
// entry (SI_TIMER, si_value): while it is queued a new expiry queues nothing; its delivery
// rearms a periodic timer and counts the intervals missed since (it_overrun_last, which
// timer_getoverrun returns); timer_settime or timer_delete meanwhile makes the queued signal
// be dropped at delivery (it_signal_seq).
//
// Differences: no CPU time (time.ts): ITIMER_VIRTUAL and ITIMER_PROF keep what they are set to
// (plus the jiffy set_cpu_itimer adds) and never fire; a timer on a CPU clock never fires and
// a sleep on one ends only by a signal (or at once when it asks for 0). SIGEV_THREAD is the
// kernel's (a signal, as SIGEV_SIGNAL: glibc's helper thread is not modelled); SIGEV_THREAD_ID
// names the caller's pid (one thread a process). At most NPOSIXTIMER POSIX timers at once.
//
// Invariants (itimerCheck): every queued deadline is in the future; a queued sleeper's
// process is asleep; a queued ITIMER_REAL's or POSIX timer's owner is alive; the POSIX timers
// on the processes' lists are exactly those in use.

import {
  EAGAIN, EFAULT, EINVAL, EOPNOTSUPP, PROC_BLOCKED, PROC_UNUSED, PROC_ZOMBIE, SI_KERNEL,
  SIGALRM, SIGEV_NONE, SIGEV_SIGNAL, SIGEV_THREAD, SIGEV_THREAD_ID, SI_TIMER, SI_USER,
} from "./abi";
import { PID_INIT } from "./param";
import { Proc, nextPid, proc } from "./proc";
import {
  complete, ignoredNow, sigActionsPage, sigBit, sigListHead, sigPrepare, sigQueuedFull,
  sigSendInfo, sigTimerCount,
} from "./signal";
import { sigResumeAs } from "./siginfo";
import { sq, sqAlloc } from "./sigqueue";
import {
  KCLOCK_ALARM, KCLOCK_CPU, KCLOCK_HRTIMER, KCLOCK_NONE, NSEC_PER_USEC, TICK_NSEC,
  cpuClockValid, kclockOf, ktimeAddSafe, timeAbsToMono, timeNow,
} from "./time";
import {
  PosixTimer, TIMER_REAL, TIMER_SLEEPER, handleIndex, handleKind, posixAlloc, posixFree,
  posixHandle, posixTimer, posixUsed, realHandle, sleeperHandle, timerArm, timerCancel,
  timerCheck, timerNext, timerQueued,
} from "./timer";
import { copyToUser } from "./vm";
import { sleepOn, waitCheck, waitInit, wakeProc } from "./wait";

const SIGRTMAX: i32 = 64;
/** The first realtime signal (signal.ts SIGRT_FIRST). */
const SIGRT_FIRST: i32 = 32;

// it_status (include/linux/posix-timers.h)
const POSIX_TIMER_DISARMED: i32 = 0;
const POSIX_TIMER_ARMED: i32 = 1;
const POSIX_TIMER_REQUEUE_PENDING: i32 = 2;

/** nanosleep and clock_nanosleep sleep here; only their deadline or a signal ends the sleep. */
const sleepQ: usize = memory.data(8, 8);

export function itimerInit(): void {
  waitInit(sleepQ);
}

/** hrtimer_forward(): move an expiry `expires` (<= now) past now by whole intervals. Returns
 * the new expiry; `forwardOverruns` holds how many intervals it moved (0 when not due). */
let forwardOverruns: i64 = 0;
function hrtimerForward(expires: i64, now: i64, interval: i64): i64 {
  forwardOverruns = 0;
  if (now < expires) return expires;
  if (interval < 1) interval = 1; // hrtimer_resolution
  const orun = (now - expires) / interval + 1;
  forwardOverruns = orun;
  return expires + orun * interval;
}

// ---- sleepers ----

/** Sleep until `deadline` (monotonic ns; do_nanosleep): 0 at once when it has passed (the
 * hrtimer fires as it starts), else BLOCKED on sleepQ with the deadline queued. */
export function sleepUntil(p: Proc, deadline: i64): i32 {
  if (deadline <= timeNow()) return 0;
  sleeperArm(p, deadline);
  return sleepOn(p, sleepQ, false);
}

/** Sleep with no deadline (a CPU clock, which never advances): only a signal ends it. */
export function sleepForever(p: Proc): i32 {
  return sleepOn(p, sleepQ, false);
}

/** Queue p's deadline, for a call that sleeps on its own wait queue (semtimedop). */
function sleeperArm(p: Proc, deadline: i64): void {
  timerArm(sleeperHandle(p), p.pid, deadline);
}

/** The sleep of p's call ends otherwise than by its deadline (a hand-off, a signal, death,
 * the call's end): its deadline leaves the queue. */
export function timerSleepEnd(p: Proc): void {
  timerCancel(sleeperHandle(p));
}

/** The monotonic ns p still has to sleep (its deadline minus now), for rem. */
export function sleepRemaining(p: Proc): i64 {
  return p.sleepDeadline - timeNow();
}

/** The deadline blocked process p sleeps until, or -1 (k_proc_deadline). */
export function sleepDeadlineOf(p: Proc): i64 {
  return p.state == PROC_BLOCKED && timerQueued(sleeperHandle(p)) ? p.sleepDeadline : -1;
}

// ---- expiry ----

/** Timer h's deadline is now (sys_time.ts advance has taken it off the queue). */
export function timerExpire(h: i32): void {
  const kind = handleKind(h);
  if (kind == TIMER_SLEEPER) {
    const p = proc(handleIndex(h));
    assert(p.state == PROC_BLOCKED, "a sleeper's deadline passed while it was not asleep");
    p.timedOut = 1;
    wakeProc(p);
  } else if (kind == TIMER_REAL) {
    // it_real_fn: kill_pid_info(SIGALRM, SEND_SIG_PRIV, ...): si_code SI_KERNEL; no reload
    // here (posixtimer_rearm_itimer does it when the SIGALRM is dequeued).
    sigSendInfo(proc(handleIndex(h)), SIGALRM, SI_KERNEL, 0);
  } else {
    posixTimerQueueSignal(handleIndex(h));
  }
}

// ---- ITIMER_REAL, alarm ----

/** itimer_get_remtime(): what is left of ITIMER_REAL (1 us if due, 0 when not armed). */
export function itimerRealRemaining(p: Proc): i64 {
  if (!timerQueued(realHandle(p))) return 0;
  const rem = p.realDeadline - timeNow();
  return rem <= 0 ? NSEC_PER_USEC : rem;
}

/** do_setitimer(ITIMER_REAL) after the old value was read: cancel, then start `value` ns from
 * now with `interval` (value 0 disarms and clears the interval). */
export function itimerRealSet(p: Proc, value: i64, interval: i64): void {
  timerCancel(realHandle(p));
  if (value == 0) {
    p.realIncr = 0;
    return;
  }
  p.realIncr = interval;
  timerArm(realHandle(p), p.pid, ktimeAddSafe(timeNow(), value));
}

/** dequeue_signal -> posixtimer_rearm_itimer(): a SIGALRM was dequeued; an interval timer
 * not queued restarts, forward past now. */
export function itimerRealRearm(p: Proc): void {
  if (timerQueued(realHandle(p)) || p.realIncr == 0) return;
  timerArm(realHandle(p), p.pid, hrtimerForward(p.realDeadline, timeNow(), p.realIncr));
}

/** set_cpu_itimer(): ITIMER_VIRTUAL (virt) or ITIMER_PROF. CPU time is 0 and stays so: an
 * armed value is kept plus the jiffy Linux adds (nval += TICK_NSEC) and never fires. The old
 * value and interval are left in cpuOld / cpuOldIncr. */
export let cpuOld: i64 = 0;
export let cpuOldIncr: i64 = 0;
export function itimerCpuSet(p: Proc, virt: bool, value: i64, interval: i64): void {
  cpuOld = virt ? p.virtExpires : p.profExpires;
  cpuOldIncr = virt ? p.virtIncr : p.profIncr;
  const expires = value > 0 ? value + TICK_NSEC : 0;
  if (virt) {
    p.virtExpires = expires;
    p.virtIncr = interval;
  } else {
    p.profExpires = expires;
    p.profIncr = interval;
  }
}

// ---- POSIX timers ----

/** The pool index of p's timer `id`, or 0 (__lock_timer: ids outside 0..INT_MAX fail too). */
export function posixTimerFind(p: Proc, id: i32): i32 {
  if (id < 0) return 0;
  for (let i = p.posixHead; i != 0; i = posixTimer(i).next) {
    if (posixTimer(i).id == id) return i;
  }
  return 0;
}

/** good_sigevent(): the sigevent names a target and a signal the caller may use. */
function goodSigevent(p: Proc, notify: i32, signo: i32, tid: i32): bool {
  if (notify == SIGEV_THREAD_ID) {
    if (tid != p.pid) return false; // find_vpid + same_thread_group: one thread a process
  } else if (notify == SIGEV_NONE) {
    return true;
  } else if (notify != SIGEV_SIGNAL && notify != SIGEV_THREAD) {
    return false;
  }
  return signo > 0 && signo <= SIGRTMAX;
}

/** do_timer_create(): the clock, a pool entry (counted against RLIMIT_SIGPENDING, EAGAIN), an
 * id (consumed even when the sigevent is then refused), the sigevent, the id copied to idVa,
 * then the clock's own timer_create: a CPU clock's pid (posix_cpu_timer_create: EINVAL), an
 * alarm clock's RTC (alarm_timer_create: EOPNOTSUPP). `event` false: SIGEV_SIGNAL, SIGALRM,
 * si_value the id. */
export function posixTimerCreate(
  p: Proc, clock: i32, event: bool, notify: i32, signo: i32, value: i32, tid: i32, idVa: u32,
): i32 {
  const kc = kclockOf(clock);
  if (kc == KCLOCK_NONE) return -EINVAL;
  if (kc != KCLOCK_HRTIMER && kc != KCLOCK_CPU && kc != KCLOCK_ALARM) return -EOPNOTSUPP;
  if (sigQueuedFull()) return -EAGAIN;
  const i = posixAlloc();
  if (i == 0) return -EAGAIN;
  sigTimerCount(1);
  const t = posixTimer(i);
  t.id = p.posixNextId;
  p.posixNextId = (p.posixNextId + 1) & 0x7fffffff;
  t.clock = clock;
  t.overrun = -1;
  t.heap = -1;
  if (event && !goodSigevent(p, notify, signo, tid)) return posixTimerUndo(i, -EINVAL);
  t.notify = event ? notify : SIGEV_SIGNAL;
  t.signo = event ? signo : SIGALRM;
  t.value = event ? value : t.id;
  t.owner = p.pid;
  store<i32>(scratchId, t.id);
  if (copyToUser(p, idVa, scratchId, 4) != 4) return posixTimerUndo(i, -EFAULT);
  if (kc == KCLOCK_CPU && !cpuClockValid(clock, p.pid)) return posixTimerUndo(i, -EINVAL);
  if (kc == KCLOCK_ALARM) return posixTimerUndo(i, -EOPNOTSUPP);
  t.next = p.posixHead;
  p.posixHead = i;
  return 0;
}

const scratchId: usize = memory.data(4, 4);

function posixTimerUndo(i: i32, err: i32): i32 {
  posixFree(i);
  sigTimerCount(-1);
  return err;
}

/** The timer's current setting (common_timer_get; posix_cpu_timer_get for a CPU clock, whose
 * time is 0): value and interval in ns, left in getValue / getInterval. */
export let getValue: i64 = 0;
export let getInterval: i64 = 0;
export function posixTimerGet(i: i32): void {
  const t = posixTimer(i);
  getValue = 0;
  getInterval = t.interval;
  if (kclockOf(t.clock) == KCLOCK_CPU) {
    if (t.status != POSIX_TIMER_DISARMED) getValue = t.deadline > 0 ? t.deadline : 1;
    return;
  }
  const sigNone = t.notify == SIGEV_NONE;
  if (t.interval == 0 && t.status == POSIX_TIMER_DISARMED && !sigNone) return;
  const now = timeNow();
  if (t.interval != 0 && t.status != POSIX_TIMER_ARMED) {
    t.deadline = hrtimerForward(t.deadline, now, t.interval);
    t.overrun += forwardOverruns;
  }
  const remaining = t.deadline - now;
  if (remaining <= 0) {
    if (!sigNone) getValue = 1;
  } else {
    getValue = remaining;
  }
}

/** do_timer_settime() + common_timer_set() after the checks: the old setting (if wanted) is
 * left in getValue / getInterval; the queued signal of the old setting will be dropped. */
export function posixTimerSet(
  i: i32, absolute: bool, value: i64, interval: i64, wantOld: bool,
): void {
  const t = posixTimer(i);
  if (wantOld) posixTimerGet(i);
  t.signalSeq++;
  timerCancel(posixHandle(i));
  t.status = POSIX_TIMER_DISARMED;
  t.interval = value != 0 ? interval : 0;
  t.overrunLast = 0;
  t.overrun = -1;
  if (value == 0) return;
  if (kclockOf(t.clock) == KCLOCK_CPU) {
    t.deadline = value; // CPU time is 0: relative and absolute agree
    t.status = POSIX_TIMER_ARMED;
    return;
  }
  // common_hrtimer_arm(): a relative CLOCK_REALTIME timer runs on CLOCK_MONOTONIC.
  const expires = absolute ? timeAbsToMono(t.clock, value) : ktimeAddSafe(timeNow(), value);
  t.deadline = expires;
  if (t.notify == SIGEV_NONE) return;
  t.status = POSIX_TIMER_ARMED;
  if (expires <= timeNow()) {
    // An expiry already past fires as the hrtimer starts.
    posixTimerQueueSignal(i);
    return;
  }
  timerArm(posixHandle(i), t.owner, expires);
}

/** timer_getoverrun(): the overruns of the last delivered signal, clamped to INT_MAX. */
export function posixTimerOverrun(i: i32): i32 {
  const o = posixTimer(i).overrunLast;
  return o > <i64>i32.MAX_VALUE ? i32.MAX_VALUE : <i32>o;
}

/** posix_timer_delete() + posix_timer_unhash_and_free(): a queued signal stays pending but
 * is dropped at delivery (the entry is no longer the timer's: signal.ts). */
export function posixTimerDelete(p: Proc, i: i32): void {
  let link = changetype<usize>(p) + offsetof<Proc>("posixHead");
  while (load<i32>(link) != i) link = changetype<usize>(posixTimer(load<i32>(link))) +
    offsetof<PosixTimer>("next");
  store<i32>(link, posixTimer(i).next);
  timerCancel(posixHandle(i));
  posixTimer(i).sigq = 0;
  posixFree(i);
  sigTimerCount(-1);
}

/** posix_timer_fn -> posix_timer_queue_signal(): the timer expired. */
function posixTimerQueueSignal(i: i32): void {
  const t = posixTimer(i);
  t.status = t.interval != 0 ? POSIX_TIMER_REQUEUE_PENDING : POSIX_TIMER_DISARMED;
  posixtimerSendSigqueue(i);
}

/** posixtimer_send_sigqueue() (kernel/signal.c): the timer's own entry is queued unless it
 * still is; an ignored signal parks a periodic timer on the ignored list (its delivery, once
 * the signal is no longer ignored, rearms it) and drops a one-shot's. */
function posixtimerSendSigqueue(i: i32): void {
  const t = posixTimer(i);
  t.sigqueueSeq = t.signalSeq;
  t.sigPeriodic = t.status == POSIX_TIMER_REQUEUE_PENDING ? 1 : 0;
  sigSendTimer(proc(t.owner), t.signo, i);
}

/** dequeue_signal -> posixtimer_deliver_signal(): timer i's signal is being delivered. False:
 * drop it (the timer was set again since it was queued). A periodic timer is rearmed past now
 * and the intervals it missed become the overrun timer_getoverrun reports. */
export function posixtimerDeliver(i: i32): bool {
  const t = posixTimer(i);
  if (t.signalSeq != t.sigqueueSeq) return false;
  if (t.interval == 0 || t.status != POSIX_TIMER_REQUEUE_PENDING) return true;
  t.deadline = hrtimerForward(t.deadline, timeNow(), t.interval);
  t.overrun += forwardOverruns;
  timerArm(posixHandle(i), t.owner, t.deadline);
  t.status = POSIX_TIMER_ARMED;
  t.overrunLast = t.overrun;
  t.overrun = -1;
  t.signalSeq++;
  return true;
}

// ---- a timer's signal (kernel/signal.c) ----

/** posixtimer_send_sigqueue(): POSIX timer i (owned by p) expired (itimer.ts has set its
 * sigqueue seq and periodic flag). prepare_signal as for any signal; ignored, a periodic
 * timer is parked on the ignored list (a one-shot's signal is dropped); its entry still
 * queued, nothing more is queued; else the timer's own entry is queued and the signal
 * completed. */
function sigSendTimer(p: Proc, sig: i32, i: i32): void {
  const t = posixTimer(i);
  const resume = sigPrepare(p, sig);
  const queued = t.sigq != 0;
  if (ignoredNow(p, sig)) {
    if (!queued) t.ignored = t.sigPeriodic;
  } else if (!queued) {
    t.ignored = 0;
    queueTimerEntry(p, sig, i);
  }
  if (resume) {
    sigResumeAs(p);
    return;
  }
  if (!queued && t.sigq != 0) complete(p, sig);
}

/** posixtimer_queue_sigqueue(): timer i's entry goes at the end of sig's list (a standard
 * signal pending without an entry gets its SI_USER one first, to keep the order). Without a
 * free entry or signal page the signal is lost (Linux preallocates; the model's pool has one
 * per timer, so only stale entries of deleted timers can fill it). */
function queueTimerEntry(p: Proc, sig: i32, i: i32): void {
  if (sigActionsPage(p) == 0) return;
  const t = posixTimer(i);
  const head = sigListHead(p, sig);
  if (sig < SIGRT_FIRST && (p.sigPending & sigBit(sig)) != 0 && load<i32>(head) == 0) {
    const u = sqAlloc(SI_USER, 0);
    if (u != 0) store<i32>(head, u);
  }
  const e = sqAlloc(SI_TIMER, t.value);
  if (e == 0) return;
  sq(e).timer = i;
  t.sigq = e;
  let last = load<i32>(head);
  if (last == 0) store<i32>(head, e);
  else {
    while (sq(last).next != 0) last = sq(last).next;
    sq(last).next = e;
  }
  if (sig >= SIGRT_FIRST) store<i32>(head, e, 4);
  p.sigPending |= sigBit(sig);
}

/** posixtimer_sig_unignore(): sig stopped being ignored (SIG_IGN before): p's timers parked
 * for it have their entries queued again; their delivery rearms them. */
export function timersUnignore(p: Proc, sig: i32): void {
  for (let i = p.posixHead; i != 0; i = posixTimer(i).next) {
    const t = posixTimer(i);
    if (t.signo != sig || t.ignored == 0) continue;
    t.ignored = 0;
    if (t.sigq != 0) continue;
    queueTimerEntry(p, sig, i);
    if (t.sigq != 0) complete(p, sig);
  }
}

// ---- fork, exit ----

/** fork: the child has no interval timers and no POSIX timers (copy_signal starts from a
 * zeroed signal_struct; its timer ids start again at 0). The process entry was zeroed. */
export function itimerFork(c: Proc): void {
  c.sleepHeap = -1;
  c.realHeap = -1;
}

/** do_exit: ITIMER_REAL is cancelled, the POSIX timers are deleted (exit_itimers). */
export function itimerExit(p: Proc): void {
  timerCancel(realHandle(p));
  timerSleepEnd(p);
  while (p.posixHead != 0) posixTimerDelete(p, p.posixHead);
}

// ---- invariants ----

export function itimerCheck(): void {
  timerCheck();
  waitCheck(sleepQ);
  const next = timerNext();
  // A deadline equal to now is one of several due at once, between two advance calls (one
  // timer a call: sys_time.ts sysAdvance); an earlier one would have been missed.
  assert(next < 0 || next >= timeNow(), "a deadline passed without firing");
  let timers = 0;
  for (let pid = PID_INIT; pid < nextPid(); pid++) {
    const p = proc(pid);
    if (p.state == PROC_UNUSED) continue;
    const dead = p.state == PROC_ZOMBIE;
    if (timerQueued(sleeperHandle(p))) assert(p.state == PROC_BLOCKED, "a queued sleeper awake");
    assert(!dead || !timerQueued(realHandle(p)), "a zombie's ITIMER_REAL still queued");
    for (let i = p.posixHead; i != 0; i = posixTimer(i).next) {
      assert(!dead, "a zombie owns a POSIX timer");
      assert(posixTimer(i).inUse == 1 && posixTimer(i).owner == pid, "POSIX timer list broken");
      if (timerQueued(posixHandle(i))) assert(posixTimer(i).status == 1, "queued, not armed");
      timers++;
    }
  }
  assert(timers == posixUsed(), "POSIX timers in use differ from the processes' lists");
}
