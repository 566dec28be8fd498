// Virtual time through the raw ABI (kernel/time.ts, timer.ts, itimer.ts, sys_time.ts): the
// clocks, nanosleep and clock_nanosleep, alarm and the interval timers. Expectations follow
// Linux 6.18's source (cited where a rule is decided) and, for the clock ids, this machine.

import { describe, expect, test } from "vitest";
import { CALLS, ERRNO, EVENT, SI_CODE, SIGNALS, TIME } from "../../wasm/abi.js";
import { BADCALLER, BLOCKED } from "../../wasm/kernel.js";
import { CLOCK, MS, NS, SIGEV, T, brief, ev, signalEvents } from "./time-harness.js";

describe("clocks", () => {
  test("CLOCK_MONOTONIC starts at 0, CLOCK_REALTIME at the realtime start; advance moves " +
    "both", () => {
    const t = new T();
    expect(t.sys(2, "clock_gettime", CLOCK.MONOTONIC, t.b)).toBe(0);
    expect(t.get(2, t.b, 2)).toEqual([0, 0]);
    expect(t.sys(2, "clock_gettime", CLOCK.REALTIME, t.b)).toBe(0);
    expect(t.get(2, t.b, 2)).toEqual([TIME.REALTIME_START_SEC, 0]);
    expect(t.advance(1.5 * NS)).toEqual([0]);
    for (const c of [CLOCK.MONOTONIC, CLOCK.BOOTTIME, CLOCK.MONOTONIC_RAW,
      CLOCK.MONOTONIC_COARSE]) {
      expect(t.sys(2, "clock_gettime", c, t.b)).toBe(0);
      expect(t.get(2, t.b, 2)).toEqual([1, 500 * MS]);
    }
    for (const c of [CLOCK.REALTIME, CLOCK.REALTIME_COARSE, CLOCK.TAI]) {
      expect(t.sys(2, "clock_gettime", c, t.b)).toBe(0);
      expect(t.get(2, t.b, 2)).toEqual([TIME.REALTIME_START_SEC + 1, 500 * MS]);
    }
    expect(t.sys(2, "gettimeofday", t.b, 0)).toBe(0);
    expect(t.get(2, t.b, 2)).toEqual([TIME.REALTIME_START_SEC + 1, 500_000]);
    expect(t.sys(2, "time", 0)).toBe(TIME.REALTIME_START_SEC + 1);
    expect(t.sys(2, "time", t.b)).toBe(TIME.REALTIME_START_SEC + 1);
    expect(t.get(2, t.b, 1)).toEqual([TIME.REALTIME_START_SEC + 1]);
  });

  test("the realtime start is settable before the first step", () => {
    const t = new T();
    t.k.setRealtime(1_000_000_000);
    expect(t.sys(2, "time", 0)).toBe(1_000_000_000);
  });

  test("the CPU-time clocks read 0; a process's clock by pid, a thread clock only the " +
    "caller's", () => {
    const t = new T();
    t.advance(2 * NS);
    const cpu = (pid: number, which: number,
      thread: boolean) => (~pid << 3) | (thread ? 4 : 0) | which;
    for (const c of [CLOCK.PROCESS_CPUTIME_ID, CLOCK.THREAD_CPUTIME_ID, cpu(0, 2, false),
      cpu(2, 0, false), cpu(1, 1, false), cpu(2, 2, true)]) {
      expect(t.sys(2, "clock_gettime", c, t.b), `clock ${c}`).toBe(0);
      expect(t.get(2, t.b, 2)).toEqual([0, 0]);
    }
    // pid_for_clock: a thread of another process, a pid that does not exist, CPUCLOCK_MAX.
    for (const c of [cpu(1, 2, true), cpu(99, 2, false), (~0 << 3) | 7]) {
      expect(t.sys(2, "clock_gettime", c, t.b), `clock ${c}`).toBe(-ERRNO.EINVAL);
    }
  });

  test("clock ids without a clock are EINVAL: 10, past CLOCK_TAI, the alarm clocks (no RTC), an " +
    "fd clock", () => {
    const t = new T();
    for (const c of [10, 12, 1000, CLOCK.REALTIME_ALARM, 9, -1, -5, -9]) {
      expect(t.sys(2, "clock_gettime", c, t.b), `clock ${c}`).toBe(-ERRNO.EINVAL);
      expect(t.sys(2, "clock_getres", c, t.b), `clock ${c}`).toBe(-ERRNO.EINVAL);
    }
  });

  test("clock_getres: 1 ns, a jiffy for the COARSE and the PROF/VIRT CPU clocks; NULL res is " +
    "fine", () => {
    const t = new T();
    const res = (c: number) => (t.sys(2, "clock_getres", c, t.b), t.get(2, t.b, 2));
    expect(res(CLOCK.MONOTONIC)).toEqual([0, 1]);
    expect(res(CLOCK.PROCESS_CPUTIME_ID)).toEqual([0, 1]);
    expect(res(CLOCK.REALTIME_COARSE)).toEqual([0, 4 * MS]);
    expect(res(-3)).toEqual([0, 4 * MS]); // the caller's thread VIRT clock
    expect(t.sys(2, "clock_getres", CLOCK.MONOTONIC, 0)).toBe(0);
  });

  test("an output struct at an unmapped address is EFAULT", () => {
    const t = new T();
    expect(t.sys(2, "clock_gettime", CLOCK.MONOTONIC, 0)).toBe(-ERRNO.EFAULT);
    expect(t.sys(2, "gettimeofday", 0, 0)).toBe(0); // tv NULL: nothing to write
    expect(t.sys(2, "gettimeofday", 0x10, 0)).toBe(-ERRNO.EFAULT);
    expect(t.sys(2, "time", 0x10)).toBe(-ERRNO.EFAULT);
  });
});

describe("nanosleep, clock_nanosleep", () => {
  test("a sleep blocks until its deadline: advance stops there (1) and the retry returns 0", () => {
    const t = new T();
    expect(t.sys(2, "nanosleep", t.ts(2, 1, 0), 0)).toBe(BLOCKED);
    expect(t.k.timeNext()).toBe(NS);
    expect(t.k.procDeadline(2)).toBe(NS);
    expect(t.advance(NS / 2)).toEqual([0]);
    expect(t.take()).toEqual([]);
    expect(t.advance(NS)).toEqual([1, 0]);
    expect(brief(t.take())).toEqual([ev(EVENT.WAKE, 2, 0)]);
    expect(t.k.timeNow()).toBe(1.5 * NS);
    expect(t.k.timeNext()).toBe(-1);
    expect(t.k.procDeadline(2)).toBe(-1);
  });

  test("bad requests: EFAULT, EINVAL (nsec out of range, negative sec); zero returns at " +
    "once", () => {
    const t = new T();
    expect(t.sys(2, "nanosleep", 0, 0)).toBe(-ERRNO.EFAULT);
    expect(t.sys(2, "nanosleep", t.ts(2, 0, NS), 0)).toBe(-ERRNO.EINVAL);
    expect(t.sys(2, "nanosleep", t.ts(2, 0, -1), 0)).toBe(-ERRNO.EINVAL);
    expect(t.sys(2, "nanosleep", t.ts(2, -1, 0), 0)).toBe(-ERRNO.EINVAL);
    expect(t.sys(2, "nanosleep", t.ts(2, 0, 0), 0)).toBe(0);
    expect(t.sys(2, "clock_nanosleep", CLOCK.MONOTONIC, 0, t.ts(2, 0, NS), 0)).toBe(-ERRNO.EINVAL);
  });

  test("clock_nanosleep's clock: EINVAL without one, EOPNOTSUPP without nsleep (checked before " +
    "req)", () => {
    const t = new T();
    expect(t.sys(2, "clock_nanosleep", 10, 0, 0, 0)).toBe(-ERRNO.EINVAL);
    // -5 is an fd clock ((~fd << 3) | 3, fd 0: the model has no POSIX clock devices).
    for (const c of [CLOCK.MONOTONIC_RAW, CLOCK.REALTIME_COARSE, CLOCK.THREAD_CPUTIME_ID, -5]) {
      expect(t.sys(2, "clock_nanosleep", c, 0, 0, 0), `clock ${c}`).toBe(-ERRNO.EOPNOTSUPP);
    }
    // The alarm clocks have an nsleep that needs an RTC: req is checked first.
    expect(t.sys(2, "clock_nanosleep", CLOCK.REALTIME_ALARM, 0, 0, 0)).toBe(-ERRNO.EFAULT);
    expect(t.sys(2, "clock_nanosleep", CLOCK.REALTIME_ALARM, 0, t.ts(2, 1, 0), 0))
      .toBe(-ERRNO.EOPNOTSUPP);
    // posix_cpu_nsleep: the caller's own thread clock is EINVAL (-1: CPUCLOCK_MAX, a thread's).
    expect(t.sys(2, "clock_nanosleep", -2, 0, t.ts(2, 1, 0), 0)).toBe(-ERRNO.EINVAL);
    expect(t.sys(2, "clock_nanosleep", -1, 0, 0, 0)).toBe(-ERRNO.EFAULT);
    expect(t.sys(2, "clock_nanosleep", -1, 0, t.ts(2, 0, 0), 0)).toBe(-ERRNO.EINVAL);
    // A CPU clock never advances: 0 returns at once, anything else sleeps until a signal.
    expect(t.sys(2, "clock_nanosleep", CLOCK.PROCESS_CPUTIME_ID, 0, t.ts(2, 0, 0), 0)).toBe(0);
    expect(t.sys(2, "clock_nanosleep", CLOCK.PROCESS_CPUTIME_ID, 0, t.ts(2, 1, 0), 0))
      .toBe(BLOCKED);
    expect(t.k.timeNext()).toBe(-1);
  });

  test("TIMER_ABSTIME: a CLOCK_MONOTONIC or CLOCK_REALTIME time; one already past returns at " +
    "once", () => {
    const t = new T();
    t.advance(NS);
    expect(t.sys(2, "clock_nanosleep", CLOCK.MONOTONIC, 1, t.ts(2, 0, 500 * MS), 0)).toBe(0);
    expect(t.sys(2, "clock_nanosleep", CLOCK.MONOTONIC, 1, t.ts(2, 3, 0), 0)).toBe(BLOCKED);
    expect(t.k.timeNext()).toBe(3 * NS);
    t.advance(2 * NS);
    expect(brief(t.take())).toEqual([ev(EVENT.WAKE, 2, 0)]);
    const at = TIME.REALTIME_START_SEC + 5;
    expect(t.sys(2, "clock_nanosleep", CLOCK.REALTIME, 1, t.ts(2, at, 0), 0)).toBe(BLOCKED);
    expect(t.k.timeNext()).toBe(5 * NS);
  });

  test("a handler interrupts it: EINTR with what is left in rem (relative only)", () => {
    const t = new T();
    t.step('{"pid": 2, "call": "sigaction", "sig": "SIGUSR1", "handler": "catch", ' +
      '"flags": ["SA_RESTART"]}');
    expect(t.step('{"pid": 2, "call": "fork"}')).toBe(3);
    expect(t.sys(3, "nanosleep", t.ts(3, 2, 0), t.b)).toBe(BLOCKED);
    t.advance(NS / 2 + 250 * MS);
    expect(t.step('{"pid": 2, "call": "kill", "target": 3, "sig": "SIGUSR1"}')).toBe(0);
    // hrtimer_nanosleep: -ERESTART_RESTARTBLOCK, which a handler turns into EINTR (SA_RESTART
    // or not).
    expect(brief(t.take()).filter((e) => e.kind === EVENT.WAKE)).toEqual([
      ev(EVENT.WAKE, 3, -ERRNO.EINTR),
    ]);
    expect(t.get(3, t.b, 2)).toEqual([1, 250 * MS]);
    expect(t.k.timeNext()).toBe(-1);
    // An absolute sleep leaves rem alone.
    t.put(3, t.b, 7, 7);
    expect(t.sys(3, "clock_nanosleep", CLOCK.MONOTONIC, 1, t.ts(3, 5, 0), t.b)).toBe(BLOCKED);
    t.step('{"pid": 2, "call": "kill", "target": 3, "sig": "SIGUSR1"}');
    expect(brief(t.take()).filter((e) => e.kind === EVENT.WAKE)).toEqual([
      ev(EVENT.WAKE, 3, -ERRNO.EINTR),
    ]);
    expect(t.get(3, t.b, 2)).toEqual([7, 7]);
  });

  test("after SIGSTOP and SIGCONT the sleep goes on to the same deadline", () => {
    const t = new T();
    t.step('{"pid": 2, "call": "fork"}');
    expect(t.sys(3, "nanosleep", t.ts(3, 2, 0), t.b)).toBe(BLOCKED);
    t.advance(NS / 2);
    t.step('{"pid": 2, "call": "kill", "target": 3, "sig": "SIGSTOP"}');
    expect(t.k.timeNext()).toBe(-1);
    t.advance(NS / 2);
    t.step('{"pid": 2, "call": "kill", "target": 3, "sig": "SIGCONT"}');
    expect(t.k.timeNext()).toBe(2 * NS);
    expect(t.k.procDeadline(3)).toBe(2 * NS);
    t.take();
    expect(t.advance(NS)).toEqual([1, 0]);
    expect(brief(t.take())).toEqual([ev(EVENT.WAKE, 3, 0)]);
    expect(t.k.timeNow()).toBe(2 * NS);
  });

  test("a deadline that passes while stopped: SIGCONT's restart returns 0 at once", () => {
    const t = new T();
    t.step('{"pid": 2, "call": "fork"}');
    expect(t.sys(3, "nanosleep", t.ts(3, 1, 0), 0)).toBe(BLOCKED);
    t.step('{"pid": 2, "call": "kill", "target": 3, "sig": "SIGSTOP"}');
    t.advance(3 * NS);
    t.take();
    t.step('{"pid": 2, "call": "kill", "target": 3, "sig": "SIGCONT"}');
    expect(brief(t.take()).filter((e) => e.kind === EVENT.WAKE)).toEqual([ev(EVENT.WAKE, 3, 0)]);
  });

  test("a sleeper killed leaves the queue", () => {
    const t = new T();
    t.step('{"pid": 2, "call": "fork"}');
    expect(t.sys(3, "nanosleep", t.ts(3, 1, 0), 0)).toBe(BLOCKED);
    t.step('{"pid": 2, "call": "kill", "target": 3, "sig": "SIGKILL"}');
    expect(t.k.timeNext()).toBe(-1);
  });
});

describe("alarm, setitimer, getitimer", () => {
  test("alarm returns the seconds left, rounded as alarm_setitimer does; alarm(0) cancels", () => {
    const t = new T();
    t.step('{"pid": 2, "call": "sigaction", "sig": "SIGALRM", "handler": "catch"}');
    expect(t.sys(2, "alarm", 2)).toBe(0);
    t.advance(NS / 2);
    expect(t.sys(2, "alarm", 5)).toBe(2); // 1.5 s left: half a second or more rounds up
    t.advance(NS / 2 + 100 * MS);
    expect(t.sys(2, "alarm", 1)).toBe(4); // 4.4 s left
    t.advance(900 * MS);
    expect(t.sys(2, "alarm", 0)).toBe(1); // 0.1 s: under a second is never 0
    expect(t.k.timeNext()).toBe(-1);
    expect(t.sys(2, "alarm", 0)).toBe(0);
    expect(t.take()).toEqual([]);
  });

  test("SIGALRM's default action kills; a handler's delivery says SI_KERNEL", () => {
    const t = new T();
    t.step('{"pid": 2, "call": "fork"}');
    expect(t.sys(3, "alarm", 1)).toBe(0);
    t.advance(NS);
    expect(brief(t.take()).filter((e) => e.kind === EVENT.EXIT)).toEqual([
      ev(EVENT.EXIT, 3, SIGNALS.SIGALRM),
    ]);
    t.step('{"pid": 2, "call": "sigaction", "sig": "SIGALRM", "handler": "catch"}');
    expect(t.sys(2, "alarm", 1)).toBe(0);
    t.take();
    t.advance(NS);
    expect(signalEvents(t.take())).toEqual([
      { pid: 2, sig: SIGNALS.SIGALRM, code: SI_CODE.SI_KERNEL, value: 0 },
    ]);
  });

  test("pause is interrupted by the alarm's handler (EINTR)", () => {
    const t = new T();
    t.step('{"pid": 2, "call": "sigaction", "sig": "SIGALRM", "handler": "catch"}');
    t.sys(2, "alarm", 1);
    expect(t.step('{"pid": 2, "call": "pause"}')).toBe(BLOCKED);
    t.take();
    t.advance(NS);
    expect(brief(t.take()).map((e) => e.kind)).toEqual([EVENT.SIGNAL, EVENT.WAKE]);
  });

  test("ITIMER_REAL reloads by its interval when SIGALRM is dequeued; blocked, it waits", () => {
    const t = new T();
    t.step('{"pid": 2, "call": "sigaction", "sig": "SIGALRM", "handler": "catch"}');
    t.put(2, t.a, 1, 0, 0, 500_000); // interval 1 s, value 0.5 s
    expect(t.sys(2, "setitimer", 0, t.a, t.b)).toBe(0);
    expect(t.get(2, t.b, 4)).toEqual([0, 0, 0, 0]);
    t.advance(NS / 2);
    expect(signalEvents(t.take()).length).toBe(1);
    expect(t.k.timeNext()).toBe(1.5 * NS);
    t.advance(NS / 4);
    expect(t.sys(2, "getitimer", 0, t.b)).toBe(0);
    expect(t.get(2, t.b, 4)).toEqual([1, 0, 0, 750_000]);
    t.step('{"pid": 2, "call": "sigprocmask", "how": "SIG_BLOCK", "set": ["SIGALRM"]}');
    t.advance(NS);
    expect(t.take()).toEqual([]);
    expect(t.k.timeNext()).toBe(-1); // not reloaded until the signal is dequeued
    t.sys(2, "getitimer", 0, t.b);
    expect(t.get(2, t.b, 4)).toEqual([1, 0, 0, 0]);
    t.advance(1.7 * NS);
    t.step('{"pid": 2, "call": "sigprocmask", "how": "SIG_UNBLOCK", "set": ["SIGALRM"]}');
    expect(signalEvents(t.take()).length).toBe(1);
    // hrtimer_forward from the expiry (1.5 s) past now (3.45 s): 3.5 s.
    expect(t.k.timeNext()).toBe(3.5 * NS);
    // Several expiries in one advance: each deadline is its own stop.
    expect(t.advance(2 * NS)).toEqual([1, 1, 0]);
    expect(signalEvents(t.take()).length).toBe(2);
  });

  test("setitimer: timevals checked first (EINVAL), then which; NULL value disarms", () => {
    const t = new T();
    t.put(2, t.a, 0, 0, 0, 1_000_000);
    expect(t.sys(2, "setitimer", 0, t.a, 0)).toBe(-ERRNO.EINVAL);
    t.put(2, t.a, 0, 0, -1, 0);
    expect(t.sys(2, "setitimer", 0, t.a, 0)).toBe(-ERRNO.EINVAL);
    t.put(2, t.a, 0, 0, 1, 0);
    expect(t.sys(2, "setitimer", 3, t.a, 0)).toBe(-ERRNO.EINVAL);
    expect(t.sys(2, "setitimer", 0, 0x10, 0)).toBe(-ERRNO.EFAULT);
    expect(t.sys(2, "setitimer", 0, t.a, 0)).toBe(0);
    expect(t.sys(2, "setitimer", 0, 0, t.b)).toBe(0);
    expect(t.get(2, t.b, 4)).toEqual([0, 0, 1, 0]);
    expect(t.k.timeNext()).toBe(-1);
    expect(t.sys(2, "getitimer", 3, t.b)).toBe(-ERRNO.EINVAL);
    expect(t.sys(2, "getitimer", 0, 0x10)).toBe(-ERRNO.EFAULT);
  });

  test("ITIMER_VIRTUAL and ITIMER_PROF keep their value (plus a jiffy) and never fire", () => {
    const t = new T();
    t.put(2, t.a, 1, 0, 2, 0);
    expect(t.sys(2, "setitimer", 1, t.a, 0)).toBe(0);
    expect(t.sys(2, "setitimer", 2, t.a, 0)).toBe(0);
    expect(t.k.timeNext()).toBe(-1);
    t.advance(5 * NS);
    for (const which of [1, 2]) {
      expect(t.sys(2, "getitimer", which, t.b)).toBe(0);
      expect(t.get(2, t.b, 4)).toEqual([1, 0, 2, 4000]);
    }
    expect(t.take()).toEqual([]);
  });
});

