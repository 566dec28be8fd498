// Virtual time through the raw ABI, continued: the POSIX timers, semtimedop's timeout,
// advance, fork and exit, and the IPC objects' times from the virtual CLOCK_REALTIME.

import { describe, expect, test } from "vitest";
import { CALLS, ERRNO, EVENT, SI_CODE, SIGNALS, TIME } from "../../wasm/abi.js";
import { BADCALLER, BLOCKED } from "../../wasm/kernel.js";
import { CLOCK, MS, NS, SIGEV, T, brief, ev, signalEvents } from "./time-harness.js";

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

  test("ids per process from 0; a refused sigevent still uses an id (posix_timer_add " +
    "first)", () => {
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

  test("a periodic timer: overruns counted at delivery; getoverrun reports the last " +
    "delivered", () => {
    const t = new T();
    t.step('{"pid": 2, "call": "sigaction", "sig": "SIGUSR1", "handler": "catch"}');
    t.sys(2, "timer_create", CLOCK.MONOTONIC, sigevent(t, 2, SIGEV.SIGNAL, SIGNALS.SIGUSR1, 7),
      t.b);
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
    t.sys(2, "timer_create", CLOCK.MONOTONIC, sigevent(t, 2, SIGEV.SIGNAL, SIGNALS.SIGUSR1, 1),
      t.b);
    t.sys(2, "timer_create", CLOCK.MONOTONIC, sigevent(t, 2, SIGEV.SIGNAL, SIGNALS.SIGUSR2, 2),
      t.b);
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
    t.sys(2, "timer_create", CLOCK.MONOTONIC, sigevent(t, 2, SIGEV.SIGNAL, SIGNALS.SIGUSR1, 1),
      t.b);
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
    t.step('{"pid": 2, "call": "semget", "key": "IPC_PRIVATE", "nsems": 1, "flags": [], ' +
      '"mode": "0600"}');
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
    t.step('{"pid": 2, "call": "semget", "key": "IPC_PRIVATE", "nsems": 1, "flags": [], ' +
      '"mode": "0600"}');
    t.step('{"pid": 2, "call": "fork"}');
    t.step('{"pid": 3, "call": "semtimedop", "semid": 0, "sops": [{"num": 0, "op": -1}], ' +
      '"timeout": {"sec": 5, "nsec": 0}}');
    t.step('{"pid": 2, "call": "semop", "semid": 0, "sops": [{"num": 0, "op": 1}]}');
    expect(brief(t.take())).toEqual([ev(EVENT.WAKE, 3, 0)]);
    expect(t.k.timeNext()).toBe(-1);
  });
});

describe("advance", () => {
  test("1 at a deadline within `by`, 0 past it; nsec of a second or more is EINVAL; pid 0 makes " +
    "no other call", () => {
    const t = new T();
    expect(t.k.syscall(0, CALLS.advance, 0, NS)).toBe(-ERRNO.EINVAL);
    expect(t.k.syscall(0, CALLS.time, 0)).toBe(BADCALLER);
    expect(t.sys(2, "advance", 1, 0)).toBe(-ERRNO.ENOSYS);
    t.sys(2, "alarm", 1);
    expect(t.k.syscall(0, CALLS.advance, 1, 0)).toBe(1); // exactly at the deadline
    expect(t.k.syscall(0, CALLS.advance, 0, 0)).toBe(0);
    expect(t.k.timeNow()).toBe(NS);
  });

  test("timers due at one deadline fire one a call: in arm order, the order picked, or all", () => {
    const fired = (pick: number | null): number[][] => {
      const t = new T();
      t.step('{"pid": 2, "call": "sigaction", "sig": "SIGUSR1", "handler": "catch"}');
      t.step('{"pid": 2, "call": "sigaction", "sig": "SIGUSR2", "handler": "catch"}');
      t.sys(2, "timer_create", CLOCK.MONOTONIC, sigevent2(t, SIGNALS.SIGUSR2, 2), t.b);
      t.sys(2, "timer_create", CLOCK.MONOTONIC, sigevent2(t, SIGNALS.SIGUSR1, 1), t.b);
      t.put(2, t.a, 0, 0, 1, 0);
      t.sys(2, "timer_settime", 0, 0, t.a, 0);
      t.sys(2, "timer_settime", 1, 0, t.a, 0);
      expect(t.k.timeTies()).toBe(2);
      const out: number[][] = [];
      for (let left = 5; t.k.timeNext() >= 0; left = 0) {
        if (pick !== null) t.k.timePick(pick);
        expect(t.k.syscall(0, CALLS.advance, left, 0)).toBe(1);
        out.push(signalEvents(t.k.drainEvents()).map((e) => e.value));
      }
      expect(t.k.syscall(0, CALLS.advance, 0, 0)).toBe(0);
      return out;
    };
    expect(fired(null)).toEqual([[2], [1]]);
    expect(fired(1)).toEqual([[1], [2]]);
    expect(fired(-1)).toEqual([[2, 1]]);
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
    t.step('{"pid": 2, "call": "semget", "key": "IPC_PRIVATE", "nsems": 2, "flags": [], ' +
      '"mode": "0600"}');
    expect(statTimes(t, "semctl", "semid", [48, 64])).toEqual([0, S0]);
    t.advance(2 * NS);
    t.step('{"pid": 2, "call": "semop", "semid": 0, "sops": [{"num": 1, "op": 1}]}');
    t.advance(NS);
    t.step('{"pid": 2, "call": "semctl", "semid": 0, "semnum": 0, "cmd": "SETVAL", "arg": 3}');
    expect(statTimes(t, "semctl", "semid", [48, 64])).toEqual([S0 + 2, S0 + 3]);
  });

  test("shm_atime at an attach, shm_dtime at a detach, shm_ctime at creation", () => {
    const t = new T();
    t.step('{"pid": 2, "call": "shmget", "key": "IPC_PRIVATE", "size": 4096, "flags": [], ' +
      '"mode": "0600"}');
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
