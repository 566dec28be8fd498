// Virtual time through the raw ABI (kernel/time.ts, timer.ts, itimer.ts, sys_time.ts): the
// clocks, the sleeps, alarm and the interval timers, the POSIX timers, semtimedop's timeout,
// advance, fork and exit, and the IPC objects' times. The time calls are issued as registers
// with their structs in the caller's I/O area (the trace codec for them is another part);
// the other calls go through the trace engine (sim/model/calls.ts issue). Expectations follow
// Linux 6.18's source, cited where a rule is decided.

import { describe, expect, test } from "vitest";
import { CALLS, ERRNO, EVENT, SI_CODE, SIGNALS, TIME } from "../../wasm/abi.js";
import { BADCALLER, BLOCKED, Kernel, type KernelEvent } from "../../wasm/kernel.js";
import { issue } from "../../sim/model/calls.js";
import { parseTrace } from "../../sim/trace/parse.js";
import type { CallName } from "../../wasm/calls.js";

const NS = 1_000_000_000;
const MS = 1_000_000;
const HEADER = '{"trace": "ipcsim", "version": 1, "name": "time"}';
const CLOCK = {
  REALTIME: 0, MONOTONIC: 1, PROCESS_CPUTIME_ID: 2, THREAD_CPUTIME_ID: 3, MONOTONIC_RAW: 4,
  REALTIME_COARSE: 5, MONOTONIC_COARSE: 6, BOOTTIME: 7, REALTIME_ALARM: 8, TAI: 11,
} as const;
const SIGEV = { SIGNAL: 0, NONE: 1, THREAD: 2, THREAD_ID: 4 } as const;

/** A kernel with its I/O area's addresses: a struct in, another out. */
class T {
  readonly k = new Kernel();
  readonly io = this.k.ioBase;
  readonly a = this.io; // input struct
  readonly b = this.io + 256; // output struct
  events: KernelEvent[] = [];

  sys(pid: number, call: CallName, ...regs: number[]): number {
    const r = this.k.syscall(pid, CALLS[call], ...regs);
    this.events.push(...this.k.drainEvents());
    this.k.check();
    return r;
  }

  /** A non-time call as a trace step (`{"pid": 2, "call": ...}` without the header). */
  step(line: string): number {
    const s = parseTrace(`${HEADER}\n${line}\n`, "time").steps[0];
    const r = issue(this.k, s).ret;
    this.events.push(...this.k.drainEvents());
    this.k.check();
    return r;
  }

  /** Time passes by ns: advance until it returns 0, retrying woken processes in between
   * (the engine's loop). */
  advance(ns: number): number[] {
    const rets: number[] = [];
    let left = ns;
    for (;;) {
      const before = this.k.timeNow();
      const r = this.k.syscall(0, CALLS.advance, Math.floor(left / NS), left % NS);
      rets.push(r);
      this.events.push(...this.k.drainEvents());
      for (const pid of this.k.woken()) this.wake(pid, this.k.retry(pid));
      this.k.check();
      left -= this.k.timeNow() - before;
      if (r !== 1) return rets;
    }
  }

  private wake(pid: number, ret: number): void {
    this.events.push({ kind: EVENT.WAKE, pid, a: ret, b: 0, c: 0, d: 0 });
    this.events.push(...this.k.drainEvents());
  }

  take(): KernelEvent[] {
    const e = this.events;
    this.events = [];
    return e;
  }

  put(pid: number, va: number, ...words: number[]): void {
    const buf = new DataView(new ArrayBuffer(words.length * 8));
    words.forEach((w, i) => buf.setBigInt64(i * 8, BigInt(w), true));
    expect(this.k.poke(pid, va, new Uint8Array(buf.buffer))).toBe(true);
  }

  get(pid: number, va: number, n: number): number[] {
    const bytes = this.k.peek(pid, va, n * 8);
    if (!bytes) throw new Error("peek failed");
    const v = new DataView(bytes.buffer);
    return Array.from({ length: n }, (_, i) => Number(v.getBigInt64(i * 8, true)));
  }

  /** A timespec written at a; its address. */
  ts(pid: number, sec: number, nsec: number): number {
    this.put(pid, this.a, sec, nsec);
    return this.a;
  }
}

const ev = (kind: number, pid: number, a: number) => ({ kind, pid, a });
const brief = (es: KernelEvent[]) => es.map((e) => ev(e.kind, e.pid, e.a));
const signalEvents = (es: KernelEvent[]) => es.filter((e) => e.kind === EVENT.SIGNAL)
  .map((e) => ({ pid: e.pid, sig: e.a, code: e.c, value: e.d }));

describe("clocks", () => {
  test("CLOCK_MONOTONIC starts at 0, CLOCK_REALTIME at the realtime start; advance moves both", () => {
    const t = new T();
    expect(t.sys(2, "clock_gettime", CLOCK.MONOTONIC, t.b)).toBe(0);
    expect(t.get(2, t.b, 2)).toEqual([0, 0]);
    expect(t.sys(2, "clock_gettime", CLOCK.REALTIME, t.b)).toBe(0);
    expect(t.get(2, t.b, 2)).toEqual([TIME.REALTIME_START_SEC, 0]);
    expect(t.advance(1.5 * NS)).toEqual([0]);
    for (const c of [CLOCK.MONOTONIC, CLOCK.BOOTTIME, CLOCK.MONOTONIC_RAW, CLOCK.MONOTONIC_COARSE]) {
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

  test("the CPU-time clocks read 0; a process's clock by pid, a thread clock only the caller's", () => {
    const t = new T();
    t.advance(2 * NS);
    const cpu = (pid: number, which: number, thread: boolean) => (~pid << 3) | (thread ? 4 : 0) | which;
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

  test("clock ids without a clock are EINVAL: 10, past CLOCK_TAI, the alarm clocks (no RTC), an fd clock", () => {
    const t = new T();
    for (const c of [10, 12, 1000, CLOCK.REALTIME_ALARM, 9, -1, -5, -9]) {
      expect(t.sys(2, "clock_gettime", c, t.b), `clock ${c}`).toBe(-ERRNO.EINVAL);
      expect(t.sys(2, "clock_getres", c, t.b), `clock ${c}`).toBe(-ERRNO.EINVAL);
    }
  });

  test("clock_getres: 1 ns, a jiffy for the COARSE and the PROF/VIRT CPU clocks; NULL res is fine", () => {
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

  test("bad requests: EFAULT, EINVAL (nsec out of range, negative sec); zero returns at once", () => {
    const t = new T();
    expect(t.sys(2, "nanosleep", 0, 0)).toBe(-ERRNO.EFAULT);
    expect(t.sys(2, "nanosleep", t.ts(2, 0, NS), 0)).toBe(-ERRNO.EINVAL);
    expect(t.sys(2, "nanosleep", t.ts(2, 0, -1), 0)).toBe(-ERRNO.EINVAL);
    expect(t.sys(2, "nanosleep", t.ts(2, -1, 0), 0)).toBe(-ERRNO.EINVAL);
    expect(t.sys(2, "nanosleep", t.ts(2, 0, 0), 0)).toBe(0);
    expect(t.sys(2, "clock_nanosleep", CLOCK.MONOTONIC, 0, t.ts(2, 0, NS), 0)).toBe(-ERRNO.EINVAL);
  });

  test("clock_nanosleep's clock: EINVAL without one, EOPNOTSUPP without nsleep (checked before req)", () => {
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

  test("TIMER_ABSTIME: a CLOCK_MONOTONIC or CLOCK_REALTIME time; one already past returns at once", () => {
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
    t.step('{"pid": 2, "call": "sigaction", "sig": "SIGUSR1", "handler": "catch", "flags": ["SA_RESTART"]}');
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

describe("POSIX timers", () => {
  /** A sigevent at a. */
  function sigevent(t: T, pid: number, notify: number, signo: number, value: number, tid = 0) {
    t.put(pid, t.a, value, signo + notify * 2 ** 32, tid, 0, 0, 0, 0, 0);
    return t.a;
  }
  /** An itimerspec at a. */
  function spec(t: T, pid: number, isec: number, insec: number, sec: number, nsec: number) {
    t.put(pid, t.a, isec, insec, sec, nsec);
    return t.a;
  }
  const id = (t: T, pid: number) => t.get(pid, t.b, 1)[0] & 0xffffffff;

  test("ids per process from 0; a refused sigevent still uses an id (posix_timer_add first)", () => {
    const t = new T();
    expect(t.sys(2, "timer_create", CLOCK.MONOTONIC, 0, t.b)).toBe(0);
    expect(id(t, 2)).toBe(0);
    expect(t.sys(2, "timer_create", CLOCK.MONOTONIC, sigevent(t, 2, 3, 10, 0), t.b))
      .toBe(-ERRNO.EINVAL);
    expect(t.sys(2, "timer_create", CLOCK.MONOTONIC, sigevent(t, 2, SIGEV.SIGNAL, 0, 0), t.b))
      .toBe(-ERRNO.EINVAL);
    expect(t.sys(2, "timer_create", CLOCK.MONOTONIC, sigevent(t, 2, SIGEV.SIGNAL, 65, 0), t.b))
      .toBe(-ERRNO.EINVAL);
    expect(t.sys(2, "timer_create", CLOCK.MONOTONIC,
      sigevent(t, 2, SIGEV.THREAD_ID, 10, 0, 1), t.b)).toBe(-ERRNO.EINVAL);
    expect(t.sys(2, "timer_create", CLOCK.MONOTONIC,
      sigevent(t, 2, SIGEV.THREAD_ID, 10, 0, 2), t.b)).toBe(0);
    expect(id(t, 2)).toBe(5);
    expect(t.sys(2, "timer_create", CLOCK.REALTIME, sigevent(t, 2, SIGEV.NONE, 0, 0), t.b))
      .toBe(0);
    expect(id(t, 2)).toBe(6);
    // Clocks: none (EINVAL) before anything; no timer_create (EOPNOTSUPP) before an id.
    expect(t.sys(2, "timer_create", 10, 0, t.b)).toBe(-ERRNO.EINVAL);
    expect(t.sys(2, "timer_create", CLOCK.MONOTONIC_RAW, 0, t.b)).toBe(-ERRNO.EOPNOTSUPP);
    // An alarm clock has a timer_create, which fails for want of an RTC after the id is out.
    expect(t.sys(2, "timer_create", CLOCK.REALTIME_ALARM, 0, t.b)).toBe(-ERRNO.EOPNOTSUPP);
    expect(id(t, 2)).toBe(7);
    expect(t.sys(2, "timer_create", CLOCK.PROCESS_CPUTIME_ID, 0, t.b)).toBe(0);
    expect(id(t, 2)).toBe(8);
    expect(t.sys(2, "timer_create", -1, 0, t.b)).toBe(-ERRNO.EINVAL); // CPUCLOCK_MAX
    expect(t.sys(2, "timer_create", -5, 0, t.b)).toBe(-ERRNO.EOPNOTSUPP); // an fd clock
    expect(t.sys(2, "timer_create", CLOCK.MONOTONIC, 0, 0x10)).toBe(-ERRNO.EFAULT);
    expect(t.sys(2, "timer_delete", 10)).toBe(-ERRNO.EINVAL); // the EFAULT's timer is gone
    expect(t.sys(2, "timer_delete", 0)).toBe(0);
    expect(t.sys(2, "timer_delete", 0)).toBe(-ERRNO.EINVAL);
    expect(t.sys(2, "timer_delete", -1)).toBe(-ERRNO.EINVAL);
  });

  test("settime checks: NULL value, bad timespecs, a bad id, all EINVAL", () => {
    const t = new T();
    t.sys(2, "timer_create", CLOCK.MONOTONIC, 0, t.b);
    expect(t.sys(2, "timer_settime", 0, 0, 0, 0)).toBe(-ERRNO.EINVAL);
    expect(t.sys(2, "timer_settime", 0, 0, spec(t, 2, 0, NS, 1, 0), 0)).toBe(-ERRNO.EINVAL);
    expect(t.sys(2, "timer_settime", 0, 0, spec(t, 2, 0, 0, -1, 0), 0)).toBe(-ERRNO.EINVAL);
    expect(t.sys(2, "timer_settime", 1, 0, spec(t, 2, 0, 0, 1, 0), 0)).toBe(-ERRNO.EINVAL);
    expect(t.sys(2, "timer_gettime", 1, t.b)).toBe(-ERRNO.EINVAL);
    expect(t.sys(2, "timer_getoverrun", 1)).toBe(-ERRNO.EINVAL);
  });

  test("the default sigevent: SIGALRM, SI_TIMER, si_value the id; one-shot, then disarmed", () => {
    const t = new T();
    t.step('{"pid": 2, "call": "sigaction", "sig": "SIGALRM", "handler": "catch"}');
    t.sys(2, "timer_create", CLOCK.MONOTONIC, 0, t.b);
    t.sys(2, "timer_create", CLOCK.MONOTONIC, 0, t.b);
    expect(t.sys(2, "timer_settime", 1, 0, spec(t, 2, 0, 0, 1, 0), t.b)).toBe(0);
    expect(t.get(2, t.b, 4)).toEqual([0, 0, 0, 0]);
    t.take();
    t.advance(2 * NS);
    expect(signalEvents(t.take())).toEqual([
      { pid: 2, sig: SIGNALS.SIGALRM, code: SI_CODE.SI_TIMER, value: 1 },
    ]);
    expect(t.sys(2, "timer_gettime", 1, t.b)).toBe(0);
    expect(t.get(2, t.b, 4)).toEqual([0, 0, 0, 0]);
  });

  test("a periodic timer: overruns counted at delivery; getoverrun reports the last delivered", () => {
    const t = new T();
    t.step('{"pid": 2, "call": "sigaction", "sig": "SIGUSR1", "handler": "catch"}');
    t.sys(2, "timer_create", CLOCK.MONOTONIC, sigevent(t, 2, SIGEV.SIGNAL, SIGNALS.SIGUSR1, 7), t.b);
    expect(t.sys(2, "timer_settime", 0, 0, spec(t, 2, 1, 0, 1, 0), 0)).toBe(0);
    expect(t.advance(NS)).toEqual([1, 0]);
    expect(signalEvents(t.take())).toEqual([
      { pid: 2, sig: SIGNALS.SIGUSR1, code: SI_CODE.SI_TIMER, value: 7 },
    ]);
    expect(t.sys(2, "timer_getoverrun", 0)).toBe(0);
    t.step('{"pid": 2, "call": "sigprocmask", "how": "SIG_BLOCK", "set": ["SIGUSR1"]}');
    // Expires at 2 s (queued); while the signal is queued the timer is not rearmed.
    expect(t.advance(3.5 * NS)).toEqual([1, 0]);
    expect(t.k.timeNext()).toBe(-1);
    expect(t.sys(2, "timer_gettime", 0, t.b)).toBe(0);
    expect(t.get(2, t.b, 4)).toEqual([1, 0, 0, 500 * MS]); // at 4.5 s, as if requeued: next 5 s
    t.step('{"pid": 2, "call": "sigprocmask", "how": "SIG_UNBLOCK", "set": ["SIGUSR1"]}');
    expect(signalEvents(t.take()).length).toBe(1);
    expect(t.sys(2, "timer_getoverrun", 0)).toBe(2); // the expiries at 3 and 4 s were missed
    expect(t.k.timeNext()).toBe(5 * NS);
    t.advance(NS);
    t.take();
    expect(t.sys(2, "timer_getoverrun", 0)).toBe(0);
    // settime resets the overrun and returns the old setting.
    expect(t.sys(2, "timer_settime", 0, 0, spec(t, 2, 0, 0, 0, 0), t.b)).toBe(0);
    expect(t.get(2, t.b, 4)).toEqual([1, 0, 0, 500 * MS]); // at 5.5 s, next 6 s
    expect(t.k.timeNext()).toBe(-1);
  });

  test("a timer set again or deleted while its signal is queued: the signal is dropped", () => {
    const t = new T();
    t.step('{"pid": 2, "call": "sigaction", "sig": "SIGUSR1", "handler": "catch"}');
    t.step('{"pid": 2, "call": "sigprocmask", "how": "SIG_BLOCK", "set": ["SIGUSR1"]}');
    t.sys(2, "timer_create", CLOCK.MONOTONIC, sigevent(t, 2, SIGEV.SIGNAL, SIGNALS.SIGUSR1, 1), t.b);
    t.sys(2, "timer_create", CLOCK.MONOTONIC, sigevent(t, 2, SIGEV.SIGNAL, SIGNALS.SIGUSR2, 2), t.b);
    t.step('{"pid": 2, "call": "sigaction", "sig": "SIGUSR2", "handler": "catch"}');
    t.step('{"pid": 2, "call": "sigprocmask", "how": "SIG_BLOCK", "set": ["SIGUSR2"]}');
    t.sys(2, "timer_settime", 0, 0, spec(t, 2, 0, 0, 1, 0), 0);
    t.sys(2, "timer_settime", 1, 0, spec(t, 2, 0, 0, 1, 0), 0);
    t.advance(NS);
    t.sys(2, "timer_settime", 0, 0, spec(t, 2, 0, 0, 5, 0), 0);
    t.sys(2, "timer_delete", 1);
    t.take();
    t.step('{"pid": 2, "call": "sigprocmask", "how": "SIG_SETMASK", "set": []}');
    expect(signalEvents(t.take())).toEqual([]);
  });

  test("an absolute expiry already past fires within timer_settime", () => {
    const t = new T();
    t.step('{"pid": 2, "call": "sigaction", "sig": "SIGALRM", "handler": "catch"}');
    t.advance(2 * NS);
    t.sys(2, "timer_create", CLOCK.REALTIME, 0, t.b);
    t.take();
    expect(t.sys(2, "timer_settime", 0, 1, spec(t, 2, 0, 0, TIME.REALTIME_START_SEC + 1, 0), 0))
      .toBe(0);
    expect(signalEvents(t.take()).length).toBe(1);
    // A future CLOCK_REALTIME absolute time is its monotonic instant.
    t.sys(2, "timer_settime", 0, 1, spec(t, 2, 0, 0, TIME.REALTIME_START_SEC + 4, 0), 0);
    expect(t.k.timeNext()).toBe(4 * NS);
  });

  test("SIGEV_NONE never fires; gettime counts down to 0", () => {
    const t = new T();
    t.sys(2, "timer_create", CLOCK.MONOTONIC, sigevent(t, 2, SIGEV.NONE, 0, 0), t.b);
    t.sys(2, "timer_settime", 0, 0, spec(t, 2, 0, 0, 2, 0), 0);
    expect(t.k.timeNext()).toBe(-1);
    t.advance(NS / 2);
    t.sys(2, "timer_gettime", 0, t.b);
    expect(t.get(2, t.b, 4)).toEqual([0, 0, 1, 500 * MS]);
    t.advance(2 * NS);
    t.sys(2, "timer_gettime", 0, t.b);
    expect(t.get(2, t.b, 4)).toEqual([0, 0, 0, 0]);
    expect(t.take()).toEqual([]);
  });

  test("an ignored periodic timer is parked, and runs again when the signal is caught", () => {
    const t = new T();
    t.step('{"pid": 2, "call": "sigaction", "sig": "SIGUSR1", "handler": "SIG_IGN"}');
    t.sys(2, "timer_create", CLOCK.MONOTONIC, sigevent(t, 2, SIGEV.SIGNAL, SIGNALS.SIGUSR1, 1), t.b);
    t.sys(2, "timer_settime", 0, 0, spec(t, 2, 1, 0, 1, 0), 0);
    t.advance(NS);
    expect(t.k.timeNext()).toBe(-1);
    t.advance(NS + NS / 2);
    t.take();
    t.step('{"pid": 2, "call": "sigaction", "sig": "SIGUSR1", "handler": "catch"}');
    expect(signalEvents(t.take()).length).toBe(1);
    expect(t.sys(2, "timer_getoverrun", 0)).toBe(1); // 2 s missed
    expect(t.k.timeNext()).toBe(3 * NS);
  });
});

describe("semtimedop's timeout", () => {
  test("it expires: advance stops at the deadline and the retry fails with EAGAIN", () => {
    const t = new T();
    t.step('{"pid": 2, "call": "semget", "key": "IPC_PRIVATE", "nsems": 1, "flags": [], "mode": "0600"}');
    const op = '{"pid": 2, "call": "semtimedop", "semid": 0, "sops": [{"num": 0, "op": -1}], ' +
      '"timeout": {"sec": 1, "nsec": 500000000}}';
    expect(t.step(op)).toBe(BLOCKED);
    expect(t.k.procDeadline(2)).toBe(1.5 * NS);
    expect(t.advance(2 * NS)).toEqual([1, 0]);
    expect(brief(t.take())).toEqual([ev(EVENT.WAKE, 2, -ERRNO.EAGAIN)]);
    expect(t.step('{"pid": 2, "call": "semctl", "semid": 0, "semnum": 0, "cmd": "GETNCNT"}'))
      .toBe(0);
  });

  test("completed before its deadline, the deadline leaves the queue", () => {
    const t = new T();
    t.step('{"pid": 2, "call": "semget", "key": "IPC_PRIVATE", "nsems": 1, "flags": [], "mode": "0600"}');
    t.step('{"pid": 2, "call": "fork"}');
    t.step('{"pid": 3, "call": "semtimedop", "semid": 0, "sops": [{"num": 0, "op": -1}], ' +
      '"timeout": {"sec": 5, "nsec": 0}}');
    t.step('{"pid": 2, "call": "semop", "semid": 0, "sops": [{"num": 0, "op": 1}]}');
    expect(brief(t.take())).toEqual([ev(EVENT.WAKE, 3, 0)]);
    expect(t.k.timeNext()).toBe(-1);
  });
});

describe("advance", () => {
  test("1 at a deadline within `by`, 0 past it; nsec of a second or more is EINVAL; pid 0 makes no other call", () => {
    const t = new T();
    expect(t.k.syscall(0, CALLS.advance, 0, NS)).toBe(-ERRNO.EINVAL);
    expect(t.k.syscall(0, CALLS.time, 0)).toBe(BADCALLER);
    expect(t.sys(2, "advance", 1, 0)).toBe(-ERRNO.ENOSYS);
    t.sys(2, "alarm", 1);
    expect(t.k.syscall(0, CALLS.advance, 1, 0)).toBe(1); // exactly at the deadline
    expect(t.k.syscall(0, CALLS.advance, 0, 0)).toBe(0);
    expect(t.k.timeNow()).toBe(NS);
  });

  test("timers with one deadline fire together, in the order they were armed", () => {
    const t = new T();
    t.step('{"pid": 2, "call": "sigaction", "sig": "SIGUSR1", "handler": "catch"}');
    t.step('{"pid": 2, "call": "sigaction", "sig": "SIGUSR2", "handler": "catch"}');
    t.step('{"pid": 2, "call": "sigaction", "sig": "SIGUSR1", "handler": "catch", "mask": ["SIGUSR2"]}');
    t.sys(2, "timer_create", CLOCK.MONOTONIC, sigevent2(t, SIGNALS.SIGUSR2, 2), t.b);
    t.sys(2, "timer_create", CLOCK.MONOTONIC, sigevent2(t, SIGNALS.SIGUSR1, 1), t.b);
    t.put(2, t.a, 0, 0, 1, 0);
    t.sys(2, "timer_settime", 0, 0, t.a, 0);
    t.sys(2, "timer_settime", 1, 0, t.a, 0);
    expect(t.k.syscall(0, CALLS.advance, 5, 0)).toBe(1);
    expect(t.k.timeNext()).toBe(-1);
    expect(signalEvents(t.k.drainEvents()).map((e) => e.value)).toEqual([2, 1]);
  });
});

function sigevent2(t: T, signo: number, value: number): number {
  t.put(2, t.a, value, signo, 0, 0, 0, 0, 0, 0);
  return t.a;
}

describe("fork and exit", () => {
  test("the child inherits no ITIMER_REAL and no POSIX timers; its ids start at 0", () => {
    const t = new T();
    t.sys(2, "alarm", 5);
    t.sys(2, "timer_create", CLOCK.MONOTONIC, 0, t.b);
    t.sys(2, "timer_create", CLOCK.MONOTONIC, 0, t.b);
    t.step('{"pid": 2, "call": "fork"}');
    expect(t.sys(3, "getitimer", 0, t.b)).toBe(0);
    expect(t.get(3, t.b, 4)).toEqual([0, 0, 0, 0]);
    expect(t.sys(3, "timer_gettime", 0, t.b)).toBe(-ERRNO.EINVAL);
    expect(t.sys(3, "timer_create", CLOCK.MONOTONIC, 0, t.b)).toBe(0);
    expect(t.get(3, t.b, 1)[0] & 0xffffffff).toBe(0);
  });

  test("at exit the process's timers go", () => {
    const t = new T();
    t.step('{"pid": 2, "call": "fork"}');
    t.sys(3, "alarm", 5);
    t.sys(3, "timer_create", CLOCK.MONOTONIC, 0, t.b);
    t.put(3, t.a, 0, 0, 3, 0);
    t.sys(3, "timer_settime", 0, 0, t.a, 0);
    expect(t.k.timeNext()).toBe(3 * NS);
    t.step('{"pid": 3, "call": "exit", "status": 0}');
    expect(t.k.timeNext()).toBe(-1);
  });
});

describe("IPC times come from the virtual CLOCK_REALTIME", () => {
  const S0 = TIME.REALTIME_START_SEC;

  test("msg_ctime at creation, msg_stime at a send, msg_rtime at a receive", () => {
    const t = new T();
    t.advance(NS);
    t.step('{"pid": 2, "call": "msgget", "key": "IPC_PRIVATE", "flags": [], "mode": "0600"}');
    t.advance(2 * NS);
    t.step('{"pid": 2, "call": "msgsnd", "msqid": 0, "mtype": 1, "data": "x"}');
    t.advance(3 * NS);
    t.step('{"pid": 2, "call": "msgrcv", "msqid": 0, "size": 8, "msgtyp": 0}');
    expect(statTimes(t, "msgctl", "msqid", [48, 56, 64])).toEqual([S0 + 3, S0 + 6, S0 + 1]);
  });

  test("sem_otime at a completed semop, sem_ctime at creation and SETVAL", () => {
    const t = new T();
    t.step('{"pid": 2, "call": "semget", "key": "IPC_PRIVATE", "nsems": 2, "flags": [], "mode": "0600"}');
    expect(statTimes(t, "semctl", "semid", [48, 64])).toEqual([0, S0]);
    t.advance(2 * NS);
    t.step('{"pid": 2, "call": "semop", "semid": 0, "sops": [{"num": 1, "op": 1}]}');
    t.advance(NS);
    t.step('{"pid": 2, "call": "semctl", "semid": 0, "semnum": 0, "cmd": "SETVAL", "arg": 3}');
    expect(statTimes(t, "semctl", "semid", [48, 64])).toEqual([S0 + 2, S0 + 3]);
  });

  test("shm_atime at an attach, shm_dtime at a detach, shm_ctime at creation", () => {
    const t = new T();
    t.step('{"pid": 2, "call": "shmget", "key": "IPC_PRIVATE", "size": 4096, "flags": [], "mode": "0600"}');
    t.advance(NS);
    const addr = t.step('{"pid": 2, "call": "shmat", "shmid": 0}');
    t.advance(NS);
    expect(t.sys(2, "shmdt", addr)).toBe(0);
    expect(statTimes(t, "shmctl", "shmid", [56, 64, 72])).toEqual([S0 + 1, S0 + 2, S0]);
  });
});

/** The i64 fields at the given offsets of call's IPC_STAT struct (read raw from the I/O area
 * the engine used: the codec does not decode the times yet). */
function statTimes(t: T, call: "msgctl" | "semctl" | "shmctl", id: string, at: number[]): number[] {
  const sem = call === "semctl";
  const nr = CALLS[call];
  const buf = t.io + 4096;
  const r = sem ? t.k.syscall(2, nr, 0, 0, 2, buf) : t.k.syscall(2, nr, 0, 2, buf);
  expect(r, `${call} IPC_STAT (${id})`).toBe(0);
  return at.map((o) => t.get(2, buf + o, 1)[0]);
}
