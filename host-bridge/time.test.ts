// Virtual time on the real kernel (docs/host-bridge.md "Time"): the agent paces advances in real
// time, shifts inputs so that timers expire at their ideal instants and normalises outputs back
// onto the trace's timeline. Each case is a trace with expectations checked against what Linux
// did (compared by relation, sim/trace/compare.ts); the last ones also run on the model (diff).

import { describe, expect } from "vitest";
import { TIME } from "../wasm/abi.js";
import { diffText, diffTrace } from "./diff.js";
import {
  HostInconclusive, HostSession, QuantumError, retryInconclusive, runOnHost,
} from "./host.js";
import {
  blocked, caught, check, expecting, fail, hostIt, killed, ok, skipReason, trace, wake,
} from "./testing.js";

const S = TIME.REALTIME_START_SEC;
const advance = (sec: number, nsec = 0) => ({ call: "advance", by: { sec, nsec } });
const ts = (sec: number, nsec = 0) => ({ sec, nsec });
const tv = (sec: number, usec = 0) => ({ sec, usec });
const none = { expect: { ret: 0 }, expect_events: [] };

describe(`host bridge: clocks${skipReason}`, () => {
  hostIt("reads every clock on the trace's timeline (monotonic from 0, realtime from the " +
    "header), and refuses the clocks this host has not", async () => {
    const gettime = (clock: string | number, tp: object) =>
      ({ pid: 2, call: "clock_gettime", clock, ...ok(0, { tp }) });
    await check(trace([
      gettime("CLOCK_MONOTONIC", ts(0)),
      gettime("CLOCK_REALTIME", ts(86400)),
      gettime("CLOCK_BOOTTIME", ts(0)),
      gettime("CLOCK_MONOTONIC_COARSE", ts(0)),
      gettime("CLOCK_TAI", ts(86400)),
      { pid: 2, call: "gettimeofday", ...ok(0, { tv: tv(86400) }) },
      { pid: 2, call: "time", ...ok(86400) },
      advance(2, 300000000),
      gettime("CLOCK_MONOTONIC", ts(2, 300000000)),
      gettime("CLOCK_REALTIME", ts(86402, 300000000)),
      gettime("CLOCK_MONOTONIC_RAW", ts(2, 300000000)),
      { pid: 2, call: "gettimeofday", ...ok(0, { tv: tv(86402, 300000) }) },
      { pid: 2, call: "time", ...ok(86402) },
      gettime("CLOCK_PROCESS_CPUTIME_ID", ts(0)),
      { pid: 2, call: "clock_gettime", clock: "CLOCK_REALTIME_ALARM", ...fail("EINVAL") },
      { pid: 2, call: "clock_gettime", clock: 10, ...fail("EINVAL") },
      { pid: 2, call: "clock_gettime", clock: 12, ...fail("EINVAL") },
    ], '{"trace": "ipcsim", "version": 1, "name": "clocks", "realtime": 86400}'));
  });

  hostIt("gives 1 ns resolutions, a jiffy (4 ms) for the COARSE clocks", async () => {
    const res = (clock: string, r: object) =>
      ({ pid: 2, call: "clock_getres", clock, ...ok(0, { res: r }) });
    await check(trace([
      res("CLOCK_MONOTONIC", ts(0, 1)), res("CLOCK_REALTIME", ts(0, 1)),
      res("CLOCK_BOOTTIME", ts(0, 1)), res("CLOCK_PROCESS_CPUTIME_ID", ts(0, 1)),
      res("CLOCK_REALTIME_COARSE", ts(0, 4000000)), res("CLOCK_MONOTONIC_COARSE", ts(0, 4000000)),
    ]));
  });
});

describe(`host bridge: sleeps${skipReason}`, () => {
  hostIt("wakes a nanosleep exactly at its instant, not a quantum before", async () => {
    await check(trace([
      { pid: 2, call: "nanosleep", req: ts(1), ...blocked },
      { ...advance(0, 900000000), ...none },
      { ...advance(0, 100000000), ...expecting({ ret: 0 }, wake(2, 0, { ret: 0 })) },
      { pid: 2, call: "clock_nanosleep", clock: "CLOCK_MONOTONIC", flags: ["TIMER_ABSTIME"],
        req: ts(1, 500000000), ...blocked },
      { ...advance(0, 400000000), ...none },
      { ...advance(0, 100000000), ...expecting({ ret: 0 }, wake(2, 3, { ret: 0 })) },
      { pid: 2, call: "clock_nanosleep", clock: "CLOCK_REALTIME", flags: ["TIMER_ABSTIME"],
        req: ts(S + 1), comment: "in the past: at once", ...ok(0) },
      { pid: 2, call: "nanosleep", req: ts(0), ...ok(0) },
    ]));
  });

  hostIt("gives EINTR with the time left to a relative sleep a handler interrupts, also at " +
    "a deadline inside an advance", async () => {
    const usr1 = { pid: 2, call: "kill", target: 3, sig: "SIGUSR1" };
    const eintr = (rem?: object) => ({ ret: -1, errno: "EINTR", ...(rem ? { rem } : {}) });
    await check(trace([
      { pid: 2, call: "sigaction", sig: "SIGUSR1", handler: "catch", ...ok(0) },
      { pid: 2, call: "sigaction", sig: "SIGALRM", handler: "catch", ...ok(0) },
      { pid: 2, call: "fork", ...ok(3) },
      { pid: 3, call: "nanosleep", req: ts(5), ...blocked },
      { ...advance(1, 200000000), ...none },
      { ...usr1,
        ...expecting({ ret: 0 }, caught("SIGUSR1", 3), wake(3, 3, eintr(ts(3, 800000000)))) },
      { pid: 3, call: "clock_nanosleep", clock: "CLOCK_MONOTONIC", flags: [], req: ts(3),
        ...blocked },
      { ...advance(0, 500000000), ...none },
      { ...usr1,
        ...expecting({ ret: 0 }, caught("SIGUSR1", 3), wake(3, 6, eintr(ts(2, 500000000)))) },
      { pid: 3, call: "clock_nanosleep", clock: "CLOCK_MONOTONIC", flags: ["TIMER_ABSTIME"],
        req: ts(9), ...blocked },
      { ...usr1, comment: "an absolute sleep has no rem",
        ...expecting({ ret: 0 }, caught("SIGUSR1", 3), wake(3, 9, eintr())) },
      { pid: 3, call: "alarm", seconds: 1, ...ok(0) },
      { pid: 3, call: "nanosleep", req: ts(5), ...blocked },
      { ...advance(2), comment: "SIGALRM at t=2.7 s, inside the advance",
        ...expecting({ ret: 0 }, caught("SIGALRM", 3), wake(3, 12, eintr(ts(4)))) },
    ]));
  });

  hostIt("rejects bad timespecs (EINVAL), NULL (EFAULT) and clocks without sleeps", async () => {
    await check(trace([
      { pid: 2, call: "nanosleep", req: ts(0, 1000000000), ...fail("EINVAL") },
      { pid: 2, call: "nanosleep", req: ts(-1), ...fail("EINVAL") },
      { pid: 2, call: "nanosleep", req: null, ...fail("EFAULT") },
      { pid: 2, call: "clock_nanosleep", clock: "CLOCK_MONOTONIC_RAW", flags: [], req: ts(1),
        ...fail("EOPNOTSUPP") },
      { pid: 2, call: "clock_nanosleep", clock: "CLOCK_THREAD_CPUTIME_ID", flags: [],
        req: ts(1), ...fail("EOPNOTSUPP") },
      { pid: 2, call: "clock_nanosleep", clock: 12, flags: [], req: ts(1), ...fail("EINVAL") },
    ]));
  });

  hostIt("expires a semtimedop timeout with EAGAIN at its instant", async () => {
    await check(trace([
      { pid: 2, call: "semget", key: "IPC_PRIVATE", nsems: 1, flags: [], mode: "0600", ...ok(0) },
      { pid: 2, call: "semtimedop", semid: 0, sops: [{ num: 0, op: -1, flags: [] }],
        timeout: ts(0, 300000000), ...blocked },
      { ...advance(0, 200000000), ...none },
      { ...advance(0, 100000000),
        ...expecting({ ret: 0 }, wake(2, 1, { ret: -1, errno: "EAGAIN" })) },
    ]));
  });
});

describe(`host bridge: alarms and timers${skipReason}`, () => {
  hostIt("kills with SIGALRM at the alarm's instant; alarm(0) cancels and says what was " +
    "left", async () => {
    await check(trace([
      { pid: 2, call: "fork", ...ok(3) },
      { pid: 3, call: "alarm", seconds: 2, ...ok(0) },
      { pid: 3, call: "alarm", seconds: 3, comment: "2 s were left", ...ok(2) },
      { ...advance(1, 600000000), ...none },
      { pid: 3, call: "alarm", seconds: 0, comment: "1.4 s left: 1 (alarm_setitimer)",
        ...ok(1) },
      { pid: 3, call: "alarm", seconds: 1, ...ok(0) },
      { pid: 3, call: "pause", ...blocked },
      { ...advance(0, 900000000), ...none },
      { ...advance(0, 100000000), ...expecting({ ret: 0 }, killed(3, "SIGALRM")) },
    ]));
  });

  hostIt("reloads an interval timer from its previous expiry", async () => {
    await check(trace([
      { pid: 2, call: "sigaction", sig: "SIGALRM", handler: "catch", ...ok(0) },
      { pid: 2, call: "setitimer", which: "ITIMER_REAL",
        value: { interval: tv(0, 300000), value: tv(0, 500000) },
        ...ok(0, { old: { interval: tv(0), value: tv(0) } }) },
      { ...advance(0, 500000000), ...expecting({ ret: 0 }, caught("SIGALRM", 2)) },
      { ...advance(0, 700000000),
        ...expecting({ ret: 0 }, caught("SIGALRM", 2), caught("SIGALRM", 2)) },
      { pid: 2, call: "getitimer", which: "ITIMER_REAL",
        ...ok(0, { curr: { interval: tv(0, 300000), value: tv(0, 200000) } }) },
      { pid: 2, call: "setitimer", which: "ITIMER_REAL", value: null,
        ...ok(0, { old: { interval: tv(0, 300000), value: tv(0, 200000) } }) },
      { ...advance(1), ...none },
    ]));
  });

  hostIt("sends a POSIX timer's signal with its value (SI_TIMER) and counts overruns",
    async () => {
      const spec = (i: number, v: number) =>
        ({ interval: ts(0, i * 100000000), value: ts(0, v * 100000000) });
      const usr1 = { signal: "SIGUSR1", pid: 2, value: 7 };
      await check(trace([
        { pid: 2, call: "sigaction", sig: "SIGUSR1", handler: "catch", ...ok(0) },
        { pid: 2, call: "sigaction", sig: "SIGALRM", handler: "catch", ...ok(0) },
        { pid: 2, call: "timer_create", clock: "CLOCK_MONOTONIC",
          sevp: { notify: "SIGEV_SIGNAL", signo: "SIGUSR1", value: 7 },
          ...ok(0, { timerid: 0 }) },
        { pid: 2, call: "timer_create", clock: "CLOCK_REALTIME", sevp: null,
          ...ok(0, { timerid: 1 }) },
        { pid: 2, call: "timer_settime", timerid: 0, flags: [], value: spec(0, 2),
          ...ok(0, { old: spec(0, 0) }) },
        { pid: 2, call: "timer_gettime", timerid: 0, ...ok(0, { curr: spec(0, 2) }) },
        { ...advance(0, 200000000), ...expecting({ ret: 0 }, usr1) },
        { pid: 2, call: "sigprocmask", how: "SIG_BLOCK", set: ["SIGUSR1"] },
        { pid: 2, call: "timer_settime", timerid: 0, flags: [], value: spec(1, 1),
          ...ok(0, { old: spec(0, 0) }) },
        { ...advance(0, 500000000), ...none },
        { pid: 2, call: "sigprocmask", how: "SIG_UNBLOCK", set: ["SIGUSR1"],
          comment: "expired at 0.3 s; 0.4 .. 0.7 s missed while it was queued",
          ...expecting({ ret: 0, oldset: ["SIGUSR1"] }, usr1) },
        { pid: 2, call: "timer_getoverrun", timerid: 0, ...ok(4) },
        { pid: 2, call: "timer_delete", timerid: 0, ...ok(0) },
        { pid: 2, call: "timer_settime", timerid: 1, flags: ["TIMER_ABSTIME"],
          value: { interval: ts(0), value: ts(S + 2) }, ...ok(0, { old: spec(0, 0) }) },
        { ...advance(1, 300000000),
          ...expecting({ ret: 0 }, { signal: "SIGALRM", pid: 2, value: 1 }) },
      ]));
    });
});

describe(`host bridge: time stamps, the quantum and the budget${skipReason}`, () => {
  hostIt("stamps IPC objects with the trace's CLOCK_REALTIME (0 until set)", async () => {
    const outcomes = await retryInconclusive(() => runOnHost(trace([
      { pid: 2, call: "msgget", key: "IPC_PRIVATE", flags: [], mode: "0600" },
      { ...advance(2) },
      { pid: 2, call: "msgsnd", msqid: 0, mtype: 1, data: "x", flags: [] },
      { pid: 2, call: "msgctl", msqid: 0, cmd: "IPC_STAT" },
    ], '{"trace": "ipcsim", "version": 1, "name": "stamps", "realtime": 1000}')));
    const got = (outcomes[3].result as { stat: Record<string, number> }).stat;
    expect(got.msg_rtime).toBe(0);
    expect(Math.abs(got.msg_stime - 1002)).toBeLessThanOrEqual(1);
    expect(Math.abs(got.msg_ctime - 1000)).toBeLessThanOrEqual(1);
  });

  hostIt("refuses, before running, a trace whose times are not whole quanta", async () => {
    const t = trace([
      { pid: 2, call: "fork" },
      { pid: 2, call: "nanosleep", req: ts(0, 50000000) },
    ]);
    await expect(runOnHost(t)).rejects.toThrow(QuantumError);
    await expect(runOnHost(t)).rejects.toThrow(/<test>:3: step 1 \(nanosleep\) field req/);
  });

  hostIt("calls a run inconclusive when an instant's steps overrun its budget", async () => {
    const t = trace([{ pid: 2, call: "clock_gettime", clock: "CLOCK_MONOTONIC" }]);
    const host = await HostSession.start(t.header, { testCalls: true });
    try {
      await host.step(t.steps[0]);
      expect(host.worstLateNs).toBeGreaterThanOrEqual(TIME.QUANTUM_NS / 2);
      const spin = host.testSpin(1, 2, 100);
      await expect(spin).rejects.toThrow(HostInconclusive);
      await expect(spin).rejects.toThrow(/the host fell behind: instant t=0.000000000 s/);
    } finally {
      await host.close();
    }
  });

  hostIt("agrees with the model on sleeps, timers, signals and readings", async () => {
    const t = trace([
      { pid: 2, call: "sigaction", sig: "SIGALRM", handler: "catch" },
      { pid: 2, call: "sigaction", sig: "SIGUSR1", handler: "catch" },
      { pid: 2, call: "fork" },
      { pid: 3, call: "nanosleep", req: ts(2) },
      { pid: 2, call: "setitimer", which: "ITIMER_REAL",
        value: { interval: tv(0, 400000), value: tv(0, 300000) } },
      { pid: 2, call: "timer_create", clock: "CLOCK_MONOTONIC",
        sevp: { notify: "SIGEV_SIGNAL", signo: "SIGUSR1", value: 9 } },
      { pid: 2, call: "timer_settime", timerid: 0, flags: ["TIMER_ABSTIME"],
        value: { interval: ts(0), value: ts(1, 500000000) } },
      advance(1),
      { pid: 2, call: "getitimer", which: "ITIMER_REAL" },
      { pid: 2, call: "timer_gettime", timerid: 0 },
      { pid: 2, call: "clock_gettime", clock: "CLOCK_MONOTONIC" },
      { pid: 2, call: "kill", target: 3, sig: "SIGALRM" },
      { pid: 3, call: "clock_nanosleep", clock: "CLOCK_REALTIME", flags: ["TIMER_ABSTIME"],
        req: ts(S + 3) },
      advance(2, 100000000),
      { pid: 2, call: "semget", key: "IPC_PRIVATE", nsems: 1, flags: [], mode: "0600" },
      { pid: 2, call: "semtimedop", semid: 0, sops: [{ num: 0, op: -1, flags: [] }],
        timeout: ts(0, 200000000) },
      advance(0, 300000000),
      { pid: 2, call: "semctl", semid: 0, semnum: 0, cmd: "IPC_STAT" },
      { pid: 2, call: "gettimeofday" },
      { pid: 2, call: "clock_getres", clock: "CLOCK_REALTIME_COARSE" },
    ]);
    const r = await retryInconclusive(() => diffTrace(t, { file: "<time>" }));
    expect(diffText(t, r, "(test)").join("\n")).toMatch(/^ok: all 20 steps agree/);
  });
});
