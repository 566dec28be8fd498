// Virtual time in the model engine: the advance step (issued for pid 0, the settle-and-continue
// loop within one outcome), the time calls' structs in and out of the I/O area, `rem` with
// EINTR, the header's realtime, SI_TIMER values and the IPC stat times.

import { describe, expect, test } from "vitest";
import { TIME } from "../../wasm/abi.js";
import { parseTrace } from "../trace/parse.js";
import type { Outcome, TraceEvent } from "../trace/types.js";
import { ModelReplay } from "./engine.js";

const Q = TIME.QUANTUM_NS;
const ms = (n: number) => ({ sec: Math.floor(n / 1000), nsec: (n % 1000) * 1e6 });
const advance = (n: number) => ({ call: "advance", by: ms(n) });
const sleep = (pid: number, n: number) => ({ pid, call: "nanosleep", req: ms(n) });
const catchSig = (pid: number, sig: string) =>
  ({ pid, call: "sigaction", sig, handler: "catch", flags: [], mask: [] });

/** Run the steps on the model (invariants checked after each); every step's outcomes. */
function runAll(header: object, ...steps: object[]): Outcome[][] {
  const lines = [{ trace: "ipcsim", version: 1, ...header }, ...steps];
  const trace = parseTrace(lines.map((s) => JSON.stringify(s)).join("\n"), "time.test");
  const model = new ModelReplay(trace, { check: true });
  return trace.steps.map((s) => {
    const outs = model.step(s);
    model.choose(() => true);
    return outs;
  });
}

/** Each step's one outcome. */
function run(...steps: object[]): Outcome[] {
  return runAll({}, ...steps).map((outs, i) => {
    expect(outs, `step ${i}`).toHaveLength(1);
    return outs[0];
  });
}

const sorted = (events: TraceEvent[]) =>
  events.map((e) => JSON.stringify(e)).sort();

describe("advance", () => {
  test("is made by pid 0, returns 0, and wakes a sleeper only once its deadline passed", () => {
    const out = run(sleep(2, 1000), advance(500), advance(400), advance(100));
    expect(out[0].result).toBe("blocked");
    expect(out[1]).toEqual({ step: 1, pid: 0, call: "advance", result: { ret: 0 }, events: [] });
    expect(out[2].events).toEqual([]);
    expect(out[3].events).toEqual([{ wake: 2, step: 0, result: { ret: 0 } }]);
  });

  test("every deadline within the amount fires, in one outcome", () => {
    const out = run(
      { pid: 2, call: "fork" }, { pid: 2, call: "fork" },
      sleep(2, 100), sleep(3, 200), sleep(4, 300), advance(1000),
      { pid: 2, call: "clock_gettime", clock: "CLOCK_MONOTONIC" },
    );
    expect(sorted(out[5].events)).toEqual(sorted([
      { wake: 2, step: 2, result: { ret: 0 } }, { wake: 3, step: 3, result: { ret: 0 } },
      { wake: 4, step: 4, result: { ret: 0 } },
    ]));
    expect(out[6].result).toEqual({ ret: 0, tp: { sec: 1, nsec: 0 } });
  });

  test("two sleepers of one deadline (two retry orders) and a later one: all in one step", () => {
    const outs = runAll(
      {}, { pid: 2, call: "fork" }, { pid: 2, call: "fork" },
      sleep(2, 100), sleep(3, 100), sleep(4, 200), advance(300),
    );
    expect(outs[5]).toHaveLength(1);
    expect(sorted(outs[5][0].events)).toEqual(sorted([
      { wake: 2, step: 2, result: { ret: 0 } }, { wake: 3, step: 3, result: { ret: 0 } },
      { wake: 4, step: 4, result: { ret: 0 } },
    ]));
  });

  test("the system settles between expiries: an interval timer's signals do not merge", () => {
    const out = run(
      catchSig(2, "SIGALRM"),
      {
        pid: 2, call: "setitimer", which: "ITIMER_REAL",
        value: { interval: { usec: Q / 1000 }, value: { usec: Q / 1000 } },
      },
      advance(300),
    );
    expect(out[1].result).toMatchObject({ ret: 0 });
    // ITIMER_REAL's SIGALRM is the kernel's (SI_KERNEL, si_pid 0).
    const info = { signo: "SIGALRM", code: "SI_KERNEL", pid: 0, uid: 0, status: 0, value: 0 };
    const alrm = { signal: "SIGALRM", pid: 2, info };
    expect(out[2].events).toEqual([alrm, alrm, alrm]);
  });

  test("an alarm's SIGALRM kills by default", () => {
    const out = run({ pid: 2, call: "fork" }, { pid: 3, call: "alarm", seconds: 1 }, advance(1000));
    expect(out[1].result).toEqual({ ret: 0 });
    expect(out[2].events).toEqual([{ exit: 3, status: { signaled: "SIGALRM" } }]);
  });
});

describe("the time calls", () => {
  test("a handler interrupts a relative sleep: EINTR with the time left", () => {
    const out = run(
      { pid: 2, call: "fork" }, catchSig(3, "SIGUSR1"), sleep(3, 1000), advance(400),
      { pid: 2, call: "kill", target: 3, sig: "SIGUSR1" },
    );
    expect(out[4].events).toContainEqual({
      wake: 3, step: 2, result: { ret: -1, errno: "EINTR", rem: { sec: 0, nsec: 6e8 } },
    });
  });

  test("an absolute sleep's EINTR has no rem", () => {
    const out = run(
      { pid: 2, call: "fork" }, catchSig(3, "SIGUSR1"),
      {
        pid: 3, call: "clock_nanosleep", clock: "CLOCK_MONOTONIC", flags: ["TIMER_ABSTIME"],
        req: { sec: 1 },
      },
      { pid: 2, call: "kill", target: 3, sig: "SIGUSR1" },
    );
    expect(out[2].result).toBe("blocked");
    expect(out[3].events).toContainEqual(
      { wake: 3, step: 2, result: { ret: -1, errno: "EINTR" } },
    );
  });

  test("the header's realtime is CLOCK_REALTIME at the start (time, gettimeofday)", () => {
    const [[tp], [time], [tv]] = runAll(
      { realtime: 1700000000 },
      { pid: 2, call: "clock_gettime", clock: "CLOCK_REALTIME" }, { pid: 2, call: "time" },
      { pid: 2, call: "gettimeofday" },
    );
    expect(tp.result).toEqual({ ret: 0, tp: { sec: 1700000000, nsec: 0 } });
    expect(time.result).toEqual({ ret: 1700000000 });
    expect(tv.result).toEqual({ ret: 0, tv: { sec: 1700000000, usec: 0 } });
  });

  test("a POSIX timer's signal carries its sigev_value; timer_gettime and settime's old", () => {
    const value = { interval: { sec: 0, nsec: 0 }, value: { sec: 0, nsec: 2 * Q } };
    const out = run(
      catchSig(2, "SIGUSR1"),
      {
        pid: 2, call: "timer_create", clock: "CLOCK_MONOTONIC",
        sevp: { notify: "SIGEV_SIGNAL", signo: "SIGUSR1", value: 7 },
      },
      { pid: 2, call: "timer_settime", timerid: 0, flags: [], value },
      advance(100),
      { pid: 2, call: "timer_gettime", timerid: 0 },
      { pid: 2, call: "timer_settime", timerid: 0, flags: [], value },
      advance(300),
    );
    expect(out[1].result).toEqual({ ret: 0, timerid: 0 });
    const zero = { interval: { sec: 0, nsec: 0 }, value: { sec: 0, nsec: 0 } };
    expect(out[2].result).toEqual({ ret: 0, old: zero });
    expect(out[4].result).toEqual({
      ret: 0, curr: { interval: { sec: 0, nsec: 0 }, value: { sec: 0, nsec: Q } },
    });
    expect(out[5].result).toEqual({
      ret: 0, old: { interval: { sec: 0, nsec: 0 }, value: { sec: 0, nsec: Q } },
    });
    const info = { signo: "SIGUSR1", code: "SI_TIMER", pid: 0, uid: 0, status: 0, value: 7 };
    expect(out[6].events).toEqual([{ signal: "SIGUSR1", pid: 2, value: 7, info }]);
  });

  test("getitimer reads the interval timer as an itimerval", () => {
    const out = run(
      {
        pid: 2, call: "setitimer", which: "ITIMER_REAL",
        value: { interval: { usec: 0 }, value: { sec: 1 } },
      },
      advance(300),
      { pid: 2, call: "getitimer", which: "ITIMER_REAL" },
    );
    expect(out[2].result).toEqual({
      ret: 0, curr: { interval: { sec: 0, usec: 0 }, value: { sec: 0, usec: 700000 } },
    });
  });

  test("IPC_STAT's times are CLOCK_REALTIME seconds", () => {
    const [, , , [stat]] = runAll(
      { realtime: 1700000000 },
      { pid: 2, call: "msgget", key: "IPC_PRIVATE", flags: [] },
      advance(2000),
      { pid: 2, call: "msgsnd", msqid: 0, mtype: 1, data: "x", flags: [] },
      { pid: 2, call: "msgctl", msqid: 0, cmd: "IPC_STAT" },
    );
    expect((stat.result as { stat: object }).stat).toMatchObject({
      msg_stime: 1700000002, msg_rtime: 0, msg_ctime: 1700000000,
    });
  });
});
