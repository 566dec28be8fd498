// Virtual time in the trace codec (docs/trace-format.md "Time"): the advance step without pid,
// the header's realtime, the time kinds and outputs through parse, serialise, strace and
// compare (by relation).

import { describe, expect, test } from "vitest";
import { FLAGS, SIGNALS, TIME } from "../../wasm/abi.js";
import { describeDifference, outcomeKey, outcomesMatch, resultsMatch } from "./compare.js";
import { outcomeFromJson, parseTrace, TraceError } from "./parse.js";
import { outcomeToJson, resultToJson, stepToJson, traceToJsonl } from "./serialise.js";
import { formatOutcome, formatStep } from "./strace.js";
import type { Outcome, Result, Step } from "./types.js";

const FILE = "t.jsonl";
const HEADER = '{"trace":"ipcsim","version":1}';
const trace = (...lines: string[]) => parseTrace([HEADER, ...lines].join("\n"), FILE);
const one = (line: string): Step => trace(line).steps[0];
/** A step's arguments as a plain record (tests read fields of any call). */
const argsOf = (line: string) => one(line).args as Record<string, unknown>;

function errorOf(f: () => unknown): TraceError {
  try {
    f();
  } catch (e) {
    if (e instanceof TraceError) return e;
    throw e;
  }
  throw new Error("no TraceError");
}

describe("the advance step", () => {
  test("is written without pid and made by pid 0", () => {
    const s = one('{"call":"advance","by":{"sec":1,"nsec":500000000}}');
    expect(s).toMatchObject({ pid: 0, call: "advance", args: { by: { sec: 1, nsec: 5e8 } } });
    expect(one('{"call":"advance","by":{"nsec":7}}').args).toEqual({ by: { sec: 0, nsec: 7 } });
  });

  test("a pid on an advance is an error; every other step still needs one", () => {
    expect(errorOf(() => one('{"pid":2,"call":"advance","by":{"sec":1}}')).message).toBe(
      `${FILE}:2: field "pid": advance is made by no process: write it without "pid"`,
    );
    expect(errorOf(() => one('{"call":"nanosleep","req":null}')).message)
      .toBe(`${FILE}:2: field "pid": missing`);
  });

  test("its amount is a valid timespec (file, line, field)", () => {
    const NSEC = "expected nanoseconds 0..999999999, got";
    const cases: [string, string][] = [
      ['{"sec":-1}', 'field "by.sec": expected seconds >= 0, got -1'],
      ['{"nsec":1000000000}', `field "by.nsec": ${NSEC} 1000000000`],
      ['{"nsec":-1}', `field "by.nsec": ${NSEC} -1`],
      ['{"usec":1}', 'field "by.usec": unknown field (a time has sec, nsec)'],
      ['{"sec":"1"}', 'field "by.sec": expected an integer, got "1"'],
      ["null", 'field "by": expected {"sec": S, "nsec": N}, got null'],
    ];
    for (const [by, message] of cases) {
      expect(errorOf(() => one(`{"call":"advance","by":${by}}`)).message)
        .toBe(`${FILE}:2: ${message}`);
    }
    expect(errorOf(() => one('{"call":"advance"}')).message)
      .toBe(`${FILE}:2: field "by": missing (advance takes by)`);
  });

  test("round trip: no pid in the step, nor in its outcome", () => {
    const line = '{"call":"advance","by":{"sec":2,"nsec":0},"expect":{"ret":0},' +
      '"expect_events":[{"exit":3,"status":{"signaled":"SIGALRM"}}]}';
    const t = trace('{"pid":2,"call":"fork"}', line);
    expect(traceToJsonl(t).split("\n")[2]).toBe(line);
    const o: Outcome = {
      step: 1, pid: 0, call: "advance", result: { ret: 0 },
      events: [{ exit: 3, status: { signaled: "SIGALRM" } }],
    };
    const json = outcomeToJson(o, t.steps[1]);
    expect(JSON.stringify(json)).toBe('{"step":1,"call":"advance","by":{"sec":2,"nsec":0},' +
      '"result":{"ret":0},"events":[{"exit":3,"status":{"signaled":"SIGALRM"}}]}');
    expect(outcomeFromJson(json)).toEqual(o);
    expect(outcomeFromJson({ ...json, pid: 0 })).toEqual(o);
  });
});

describe("the header's realtime", () => {
  test("is whole seconds since the epoch, written back after the description", () => {
    const t = parseTrace(
      '{"trace":"ipcsim","version":1,"realtime":1700000000,"description":"d"}', FILE,
    );
    expect(t.header.realtime).toBe(1700000000);
    expect(traceToJsonl(t)).toBe(
      '{"trace":"ipcsim","version":1,"description":"d","realtime":1700000000}\n',
    );
    expect(parseTrace(HEADER, FILE).header.realtime).toBeUndefined();
  });

  test("anything else is an error", () => {
    for (const v of ["-1", "1.5", '"1700000000"']) {
      expect(errorOf(() => parseTrace(`{"trace":"ipcsim","version":1,"realtime":${v}}`, FILE))
        .message).toBe(`${FILE}:1: field "realtime": expected whole seconds since the epoch ` +
        `(an integer >= 0), got ${v}`);
    }
  });
});

describe("the time kinds", () => {
  test("timeout: a timespec or null; required for a sleep's req, absent is null elsewhere", () => {
    expect(one('{"pid":2,"call":"nanosleep","req":{"sec":1}}').args)
      .toEqual({ req: { sec: 1, nsec: 0 } });
    expect(one('{"pid":2,"call":"nanosleep","req":null}').args).toEqual({ req: null });
    expect(one('{"pid":2,"call":"nanosleep","req":{"nsec":-5}}').args)
      .toEqual({ req: { sec: 0, nsec: -5 } }); // EINVAL is the kernel's to give
    expect(errorOf(() => one('{"pid":2,"call":"nanosleep"}')).message)
      .toBe(`${FILE}:2: field "req": missing (nanosleep takes req)`);
    expect(one('{"pid":2,"call":"semtimedop","semid":0,"sops":[]}').args)
      .toMatchObject({ timeout: null });
  });

  test("clock names, TIMER_ABSTIME, ITIMER_ names; raw numbers too", () => {
    const s = one('{"pid":2,"call":"clock_nanosleep","clock":"CLOCK_BOOTTIME",' +
      '"flags":["TIMER_ABSTIME"],"req":{"sec":3}}');
    expect(s.args).toEqual({
      clock: FLAGS.clock.CLOCK_BOOTTIME, flags: 1, req: { sec: 3, nsec: 0 },
    });
    expect(one('{"pid":2,"call":"clock_gettime","clock":10}').args).toEqual({ clock: 10 });
    expect(one('{"pid":2,"call":"getitimer","which":"ITIMER_PROF"}').args).toEqual({ which: 2 });
    expect(errorOf(() => one('{"pid":2,"call":"clock_gettime","clock":"CLOCK_MONOTONE"}'))
      .message).toMatch(/^t\.jsonl:2: field "clock": unknown name "CLOCK_MONOTONE" \(known: /);
  });

  test("itimerval and itimerspec: sub-fields default to 0; null is NULL", () => {
    expect(one('{"pid":2,"call":"setitimer","which":"ITIMER_REAL","value":{"value":{"sec":1}}}')
      .args).toEqual({
      which: 0, value: { interval: { sec: 0, usec: 0 }, value: { sec: 1, usec: 0 } },
    });
    expect(one('{"pid":2,"call":"setitimer","which":"ITIMER_REAL"}').args)
      .toEqual({ which: 0, value: null });
    expect(one('{"pid":2,"call":"timer_settime","timerid":0,"value":null}').args)
      .toEqual({ timerid: 0, flags: 0, value: null });
    expect(argsOf('{"pid":2,"call":"timer_settime","timerid":0,"value":{"interval":{"nsec":5}}}')
      .value).toEqual({ interval: { sec: 0, nsec: 5 }, value: { sec: 0, nsec: 0 } });
    expect(errorOf(() => one('{"pid":2,"call":"timer_settime","timerid":0}')).message)
      .toBe(`${FILE}:2: field "value": missing (timer_settime takes timerid, flags, value)`);
    expect(errorOf(() => one('{"pid":2,"call":"setitimer","which":0,' +
      '"value":{"value":{"sec":1,"nsec":2}}}')).message)
      .toBe(`${FILE}:2: field "value.value.nsec": unknown field (a time has sec, usec)`);
    expect(errorOf(() => one('{"pid":2,"call":"setitimer","which":0,"value":{"it_value":{}}}'))
      .message).toBe(`${FILE}:2: field "value.it_value": unknown field ` +
      "(a timer value has interval, value)");
  });

  test("sigevent: notify by name or number, signo (default SIGALRM), value; null", () => {
    expect(one('{"pid":2,"call":"timer_create","clock":"CLOCK_MONOTONIC",' +
      '"sevp":{"notify":"SIGEV_SIGNAL","signo":"SIGUSR1","value":7}}').args).toEqual({
      clock: 1, sevp: { notify: 0, signo: SIGNALS.SIGUSR1, value: 7 },
    });
    expect(argsOf('{"pid":2,"call":"timer_create","clock":0,"sevp":{}}').sevp)
      .toEqual({ notify: 0, signo: SIGNALS.SIGALRM, value: 0 });
    expect(argsOf('{"pid":2,"call":"timer_create","clock":0,"sevp":{"notify":99,"signo":65}}')
      .sevp).toEqual({ notify: 99, signo: 65, value: 0 });
    expect(argsOf('{"pid":2,"call":"timer_create","clock":0}').sevp).toBeNull();
    expect(errorOf(() => one('{"pid":2,"call":"timer_create","clock":0,' +
      '"sevp":{"notify":"SIGEV_SIGNALS"}}')).message).toBe(`${FILE}:2: field "sevp.notify": ` +
      'unknown name "SIGEV_SIGNALS" (known: SIGEV_SIGNAL, SIGEV_NONE, SIGEV_THREAD, ' +
      "SIGEV_THREAD_ID)");
    expect(errorOf(() => one('{"pid":2,"call":"timer_create","clock":0,"sevp":{"sig":1}}'))
      .message).toBe(`${FILE}:2: field "sevp.sig": unknown field ` +
      "(a sigevent has notify, signo, value)");
  });
});

describe("the time outputs", () => {
  const results: [string, string, Result][] = [
    ["clock_gettime", '{"ret":0,"tp":{"sec":1,"nsec":2}}', { ret: 0, tp: { sec: 1, nsec: 2 } }],
    ["clock_getres", '{"ret":0,"res":{"sec":0,"nsec":1}}', { ret: 0, res: { sec: 0, nsec: 1 } }],
    ["gettimeofday", '{"ret":0,"tv":{"sec":5,"usec":6}}', { ret: 0, tv: { sec: 5, usec: 6 } }],
    [
      "nanosleep", '{"ret":-1,"errno":"EINTR","rem":{"sec":0,"nsec":500000000}}',
      { ret: -1, errno: "EINTR", rem: { sec: 0, nsec: 5e8 } },
    ],
    [
      "getitimer",
      '{"ret":0,"curr":{"interval":{"sec":0,"usec":100000},"value":{"sec":1,"usec":0}}}',
      { ret: 0, curr: { interval: { sec: 0, usec: 1e5 }, value: { sec: 1, usec: 0 } } },
    ],
    [
      "timer_settime",
      '{"ret":0,"old":{"interval":{"sec":0,"nsec":0},"value":{"sec":0,"nsec":200000000}}}',
      { ret: 0, old: { interval: { sec: 0, nsec: 0 }, value: { sec: 0, nsec: 2e8 } } },
    ],
    ["timer_create", '{"ret":0,"timerid":1}', { ret: 0, timerid: 1 }],
  ];

  test.each(results)("%s: decoded and written back in a fixed key order", (call, json, r) => {
    const o = outcomeFromJson({ step: 0, pid: 2, call, result: JSON.parse(json), events: [] });
    expect(o.result).toEqual(r);
    expect(JSON.stringify(resultToJson(r))).toBe(json);
  });

  test("outputs are written after the others, in the order tp res tv rem curr old timerid", () => {
    const r: Result = {
      timerid: 3, old: { interval: { sec: 0, nsec: 0 }, value: { sec: 0, nsec: 0 } },
      rem: { sec: 0, nsec: 1 }, tv: { usec: 2, sec: 1 }, tp: { nsec: 4, sec: 3 }, ret: 0,
    };
    expect(Object.keys(resultToJson(r) as object))
      .toEqual(["ret", "tp", "tv", "rem", "old", "timerid"]);
    expect(JSON.stringify((resultToJson(r) as { tv: unknown }).tv)).toBe('{"sec":1,"usec":2}');
  });

  test("a wake's curr/old of an unknown call is read by its inner fields", () => {
    const o = outcomeFromJson({
      step: 1, pid: 2, call: "fork", result: { ret: 3 },
      events: [{
        wake: 4, step: 0,
        result: { ret: 0, old: { value: { sec: 1, usec: 0 }, interval: {} } },
      }],
    });
    const wake = o.events[0] as { result: Result };
    expect(wake.result).toEqual({
      ret: 0, old: { interval: { sec: 0, usec: 0 }, value: { sec: 1, usec: 0 } },
    });
  });

  test("errors name the field", () => {
    expect(() => outcomeFromJson({
      step: 0, pid: 2, call: "clock_gettime", result: { ret: 0, tp: { sec: 1, usec: 2 } },
    })).toThrow('field "result.tp.usec": unknown field (a time has sec, nsec)');
  });
});

describe("comparison by relation", () => {
  const Q = TIME.QUANTUM_NS;
  const tp = (sec: number, nsec: number): Result => ({ ret: 0, tp: { sec, nsec } });

  test("tp, tv, rem, curr, old: every field within less than a quantum", () => {
    expect(resultsMatch(tp(1, 0), tp(1, Q - 1))).toBe(true);
    expect(resultsMatch(tp(1, 0), tp(0, 1e9 - Q + 1))).toBe(true);
    expect(resultsMatch(tp(1, 0), tp(1, Q))).toBe(false);
    expect(resultsMatch(tp(1, 0), tp(2, 0))).toBe(false);
    const tv = (usec: number): Result => ({ ret: 0, tv: { sec: 7, usec } });
    expect(resultsMatch(tv(0), tv(Q / 1000 - 1))).toBe(true);
    expect(resultsMatch(tv(0), tv(Q / 1000))).toBe(false);
    const eintr = (nsec: number): Result =>
      ({ ret: -1, errno: "EINTR", rem: { sec: 0, nsec } });
    expect(resultsMatch(eintr(5e8), eintr(5e8 + 4e4))).toBe(true);
    expect(resultsMatch(eintr(5e8), { ret: -1, errno: "EINTR" })).toBe(false);
    const curr = (i: number, v: number): Result =>
      ({ ret: 0, curr: { interval: { sec: 0, usec: i }, value: { sec: 0, usec: v } } });
    expect(resultsMatch(curr(1e5, 2e5), curr(1e5 + 10, 2e5 - 90_000))).toBe(true);
    expect(resultsMatch(curr(1e5, 2e5), curr(2e5, 2e5))).toBe(false);
  });

  test("res and timerid exactly", () => {
    const res = (nsec: number): Result => ({ ret: 0, res: { sec: 0, nsec } });
    expect(resultsMatch(res(1), res(2))).toBe(false);
    expect(resultsMatch(res(1), res(1))).toBe(true);
    expect(resultsMatch({ ret: 0, timerid: 0 }, { ret: 0, timerid: 1 })).toBe(false);
  });

  test("time and alarm's ret: both 0, or both non-zero within a second", () => {
    const o = (call: "time" | "alarm" | "getppid", ret: number): Outcome =>
      ({ step: 0, pid: 2, call, result: { ret }, events: [] });
    expect(outcomesMatch(o("time", 1767225600), o("time", 1767225601))).toBe(true);
    expect(outcomesMatch(o("time", 1767225600), o("time", 1767225602))).toBe(false);
    expect(outcomesMatch(o("alarm", 0), o("alarm", 1))).toBe(false);
    expect(outcomesMatch(o("alarm", 2), o("alarm", 1))).toBe(true);
    expect(outcomesMatch(o("alarm", 0), o("alarm", 0))).toBe(true);
    expect(outcomesMatch(o("getppid", 2), o("getppid", 1))).toBe(false); // not a time
    expect(describeDifference(o("time", 5), o("time", 7)))
      .toBe("result.ret: expected 5, got 7");
  });

  test("IPC_STAT times: both 0, or both non-zero within a second", () => {
    const stat = (msg_stime: number, msg_qnum = 0): Result =>
      ({ ret: 0, stat: { msg_stime, msg_qnum } });
    expect(resultsMatch(stat(100), stat(101))).toBe(true);
    expect(resultsMatch(stat(0), stat(1))).toBe(false);
    expect(resultsMatch(stat(100), stat(102))).toBe(false);
    expect(resultsMatch(stat(0, 1), stat(0, 2))).toBe(false); // not a time: exact
    expect(resultsMatch({ ret: 0, stat: { shm_atime: 9, shm_dtime: 0 } },
      { ret: 0, stat: { shm_atime: 10, shm_dtime: 0 } })).toBe(true);
  });

  test("outcomeKey stays exact", () => {
    const o = (nsec: number): Outcome =>
      ({ step: 0, pid: 2, call: "clock_gettime", result: tp(1, nsec), events: [] });
    expect(outcomesMatch(o(0), o(1))).toBe(true);
    expect(outcomeKey(o(0))).not.toBe(outcomeKey(o(1)));
  });
});

describe("the strace view", () => {
  test("an advance is time passing, with the virtual time after it", () => {
    const t = trace(
      '{"call":"advance","by":{"sec":1}}', '{"pid":2,"call":"fork"}',
      '{"call":"advance","by":{"sec":1,"nsec":500000000}}',
    );
    expect(formatStep(t.steps[2], { ret: 0 }, t.steps))
      .toBe("--- time passes: +1.500000000 s (t=2.500000000 s) ---");
    expect(formatStep(t.steps[0], { ret: 0 })).toBe("--- time passes: +1.000000000 s ---");
    const o: Outcome = {
      step: 2, pid: 0, call: "advance", result: { ret: 0 },
      events: [{ signal: "SIGUSR1", pid: 3, value: 7 }],
    };
    expect(formatOutcome(t.steps[2], o, t.steps)).toEqual([
      "--- time passes: +1.500000000 s (t=2.500000000 s) ---",
      "[pid 3] --- SIGUSR1 {si_value=7} ---",
    ]);
  });

  test("the time kinds and outputs", () => {
    const cases: [string, Result, string][] = [
      ['{"pid":2,"call":"clock_gettime","clock":"CLOCK_MONOTONIC"}',
        { ret: 0, tp: { sec: 1, nsec: 5 } },
        "[pid 2] clock_gettime(CLOCK_MONOTONIC) = 0 tp={tv_sec=1, tv_nsec=5}"],
      ['{"pid":2,"call":"gettimeofday"}', { ret: 0, tv: { sec: 1, usec: 5 } },
        "[pid 2] gettimeofday() = 0 tv={tv_sec=1, tv_usec=5}"],
      ['{"pid":2,"call":"nanosleep","req":{"sec":1}}',
        { ret: -1, errno: "EINTR", rem: { sec: 0, nsec: 3 } },
        "[pid 2] nanosleep({tv_sec=1, tv_nsec=0}) = -1 EINTR (Interrupted system call)"],
      ['{"pid":2,"call":"clock_nanosleep","clock":0,"flags":["TIMER_ABSTIME"],"req":null}',
        "blocked", "[pid 2] clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, NULL) <unfinished ...>"],
      ['{"pid":2,"call":"setitimer","which":"ITIMER_REAL","value":{"value":{"sec":1}}}',
        { ret: 0, old: { interval: { sec: 0, usec: 0 }, value: { sec: 0, usec: 0 } } },
        "[pid 2] setitimer(ITIMER_REAL, {it_interval={tv_sec=0, tv_usec=0}, " +
        "it_value={tv_sec=1, tv_usec=0}}) = 0 old={it_interval={tv_sec=0, tv_usec=0}, " +
        "it_value={tv_sec=0, tv_usec=0}}"],
      ['{"pid":2,"call":"timer_create","clock":1,"sevp":{"signo":"SIGUSR1","value":7}}',
        { ret: 0, timerid: 0 },
        "[pid 2] timer_create(CLOCK_MONOTONIC, {sigev_value={sival_int=7}, " +
        "sigev_signo=SIGUSR1, sigev_notify=SIGEV_SIGNAL}) = 0 timerid=0"],
      ['{"pid":2,"call":"timer_create","clock":1}', { ret: 0, timerid: 0 },
        "[pid 2] timer_create(CLOCK_MONOTONIC, NULL) = 0 timerid=0"],
      ['{"pid":2,"call":"timer_settime","timerid":0,"value":null}',
        { ret: -1, errno: "EINVAL" },
        "[pid 2] timer_settime(0, 0, NULL) = -1 EINVAL (Invalid argument)"],
    ];
    for (const [line, r, text] of cases) expect(formatStep(one(line), r)).toBe(text);
  });
});

describe("serialising steps", () => {
  test("a step of every time call round-trips as written", () => {
    const lines = [
      '{"pid":2,"call":"nanosleep","req":{"sec":0,"nsec":100000000}}',
      '{"pid":2,"call":"clock_nanosleep","clock":"CLOCK_REALTIME","flags":["TIMER_ABSTIME"],' +
        '"req":{"sec":1767225601}}',
      '{"pid":2,"call":"setitimer","which":"ITIMER_REAL","value":null}',
      '{"pid":2,"call":"timer_create","clock":"CLOCK_MONOTONIC","sevp":{"notify":"SIGEV_NONE"}}',
      '{"pid":2,"call":"timer_settime","timerid":0,"flags":[],' +
        '"value":{"interval":{"sec":0,"nsec":0},"value":{"sec":1,"nsec":0}}}',
      '{"call":"advance","by":{"sec":0,"nsec":300000000}}',
    ];
    const t = trace(...lines);
    t.steps.forEach((s, i) => expect(JSON.stringify(stepToJson(s))).toBe(lines[i]));
  });
});
