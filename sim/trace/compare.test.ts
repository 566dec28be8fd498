import { fc, test as prop } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import {
  describeDifference, eventsMatch, outcomeKey, outcomesMatch, resultsMatch,
} from "./compare.js";
import type { Outcome, Result, TraceEvent } from "./types.js";

const text = (s: string) => new TextEncoder().encode(s);

describe("resultsMatch", () => {
  test("equal results match; any differing field does not", () => {
    const r: Result = { ret: 5, data: text("hello") };
    expect(resultsMatch(r, { ret: 5, data: text("hello") })).toBe(true);
    expect(resultsMatch(r, { ret: 5, data: text("hellO") })).toBe(false);
    expect(resultsMatch(r, { ret: 4, data: text("hello") })).toBe(false);
    expect(resultsMatch(r, { ret: 5 })).toBe(false);
    expect(resultsMatch({ ret: 5 }, r)).toBe(false);
  });

  test("blocked matches only blocked", () => {
    expect(resultsMatch("blocked", "blocked")).toBe(true);
    expect(resultsMatch("blocked", { ret: 0 })).toBe(false);
    expect(resultsMatch({ ret: 0 }, "blocked")).toBe(false);
  });

  test("errno must agree", () => {
    expect(resultsMatch({ ret: -1, errno: "EAGAIN" }, { ret: -1, errno: "EAGAIN" })).toBe(true);
    expect(resultsMatch({ ret: -1, errno: "EAGAIN" }, { ret: -1, errno: "EINTR" })).toBe(false);
  });

  test('"address" matches any non-negative ret, and not an error', () => {
    expect(resultsMatch({ ret: "address" }, { ret: 0x7f0000001000 })).toBe(true);
    expect(resultsMatch({ ret: "address" }, { ret: 0 })).toBe(true);
    expect(resultsMatch({ ret: "address" }, { ret: "address" })).toBe(true);
    expect(resultsMatch({ ret: 4096 }, { ret: "address" })).toBe(true);
    expect(resultsMatch({ ret: "address" }, { ret: -1, errno: "EINVAL" })).toBe(false);
  });

  test("stat: only the listed fields, recursively; modes as strings or numbers", () => {
    const actual: Result = {
      ret: 0,
      stat: { shm_nattch: 1, shm_segsz: 4096, shm_perm: { mode: 0o600, uid: 0 } },
    };
    expect(resultsMatch({ ret: 0, stat: { shm_nattch: 1 } }, actual)).toBe(true);
    expect(resultsMatch({ ret: 0, stat: { shm_perm: { mode: 0o600 } } }, actual)).toBe(true);
    expect(resultsMatch({ ret: 0, stat: { shm_perm: { mode: "0600" } } }, actual)).toBe(true);
    expect(resultsMatch({ ret: 0, stat: { shm_perm: { mode: 0o644 } } }, actual)).toBe(false);
    expect(resultsMatch({ ret: 0, stat: { shm_nattch: 2 } }, actual)).toBe(false);
    expect(resultsMatch({ ret: 0, stat: { shm_natch: 1 } }, actual)).toBe(false);
    expect(resultsMatch({ ret: 0, stat: { shm_nattch: 1 } }, { ret: 0 })).toBe(false);
    expect(resultsMatch({ ret: 0 }, actual)).toBe(true); // no stat listed: not compared
  });

  // Issue 21: an expectation naming an IPC_STAT time is compared by relation, never skipped.
  test.each([
    "msg_stime", "msg_rtime", "msg_ctime", "sem_otime", "sem_ctime", "shm_atime", "shm_dtime",
    "shm_ctime",
  ])("stat time %s: 0 only matches 0 (never set); non-zero matches within a second", (f) => {
    const r = (v?: number): Result => ({ ret: 0, stat: v === undefined ? {} : { [f]: v } });
    const T = 1767225600;
    expect(resultsMatch(r(0), r(0))).toBe(true);
    expect(resultsMatch(r(0), r(T))).toBe(false); // "0 before the event", but it happened
    expect(resultsMatch(r(T), r(0))).toBe(false); // expected after the event: still 0
    expect(resultsMatch(r(T), r(T + 1))).toBe(true);
    expect(resultsMatch(r(T + 1), r(T))).toBe(true);
    expect(resultsMatch(r(T), r(T + 2))).toBe(false);
    expect(resultsMatch(r(0), r())).toBe(false); // the result has no such field
    const o = (result: Result): Outcome =>
      ({ step: 0, pid: 2, call: "msgctl", result, events: [] });
    expect(describeDifference(o(r(0)), o(r(T)))).toBe(`result.stat.${f}: expected 0, got ${T}`);
  });

  // Issue 16: a file's stat times are timespecs of CLOCK_REALTIME, compared as `tp` is.
  test.each(["st_atim", "st_mtim", "st_ctim"])(
    "file stat time %s: within a quantum matches, a quantum apart does not", (f) => {
      const T = 1767225600;
      const r = (sec: number, nsec: number): Result =>
        ({ ret: 0, stat: { st_mode: 0o100644, [f]: { sec, nsec } } });
      const e = r(T + 1, 0);
      expect(resultsMatch(e, r(T + 1, 0))).toBe(true);
      expect(resultsMatch(e, r(T + 1, 99_999_999))).toBe(true);
      expect(resultsMatch(e, r(T, 900_000_001))).toBe(true);
      expect(resultsMatch(e, r(T + 1, 100_000_000))).toBe(false);
      expect(resultsMatch(e, r(T, 0))).toBe(false);
      expect(resultsMatch(e, { ret: 0, stat: { st_mode: 0o100644 } })).toBe(false);
      expect(resultsMatch({ ret: 0, stat: { st_mode: "0100644" } }, r(T, 0))).toBe(true);
      const o = (result: Result): Outcome =>
        ({ step: 0, pid: 2, call: "stat", result, events: [] });
      expect(describeDifference(o(e), o(r(T, 0)))).toBe(
        `result.stat.${f}: expected {"sec":${T + 1},"nsec":0}, got {"sec":${T},"nsec":0}`,
      );
    },
  );

  test("signal sets compare as sets; fds, values and mtype exactly", () => {
    const set = (...s: ("SIGUSR1" | "SIGUSR2")[]): Result => ({ ret: 0, set: s });
    expect(resultsMatch(set("SIGUSR2", "SIGUSR1"), set("SIGUSR1", "SIGUSR2"))).toBe(true);
    expect(resultsMatch({ ret: 0, oldset: ["SIGUSR1"] }, { ret: 0, oldset: [] })).toBe(false);
    expect(resultsMatch({ ret: 0, fds: [3, 4] }, { ret: 0, fds: [4, 3] })).toBe(false);
    expect(resultsMatch({ ret: 0, values: [1, 0] }, { ret: 0, values: [1, 0] })).toBe(true);
    expect(resultsMatch({ ret: 0, values: [1, 0] }, { ret: 0, values: [1] })).toBe(false);
    expect(resultsMatch({ ret: 2, mtype: 1 }, { ret: 2, mtype: 2 })).toBe(false);
  });

  test("statuses: core false is the same as no core", () => {
    const killed = (core?: boolean): Result => ({ ret: 3, status: { signaled: "SIGSEGV", core } });
    expect(resultsMatch(killed(false), killed())).toBe(true);
    expect(resultsMatch(killed(true), killed())).toBe(false);
    const exited = (code: number): Result => ({ ret: 3, status: { exited: code } });
    expect(resultsMatch(exited(0), exited(1))).toBe(false);
  });
});

describe("eventsMatch", () => {
  const wake = (pid: number, step: number, result: Result): TraceEvent => ({
    wake: pid, step, result,
  });

  test("events are a multiset: order does not matter, counts do", () => {
    const a: TraceEvent[] = [{ stop: 3 }, { signal: "SIGCHLD", pid: 2 }, { stop: 3 }];
    expect(eventsMatch(a, [{ stop: 3 }, { stop: 3 }, { signal: "SIGCHLD", pid: 2 }])).toBe(true);
    const chld: TraceEvent = { signal: "SIGCHLD", pid: 2 };
    expect(eventsMatch(a, [{ stop: 3 }, chld, chld])).toBe(false);
    expect(eventsMatch(a, a.slice(1))).toBe(false);
    expect(eventsMatch([], [])).toBe(true);
  });

  test("each kind compares its own fields", () => {
    expect(eventsMatch([{ stop: 3 }], [{ cont: 3 }])).toBe(false);
    expect(eventsMatch([{ exit: 3, status: { exited: 0 } }], [{ exit: 3, status: { exited: 1 } }]))
      .toBe(false);
    const usr1 = (pid: number): TraceEvent => ({ signal: "SIGUSR1", pid });
    expect(eventsMatch([usr1(3)], [usr1(4)])).toBe(false);
    expect(eventsMatch([wake(3, 1, { ret: 1 })], [wake(3, 2, { ret: 1 })])).toBe(false);
  });

  test("a pairing is found even where a greedy scan would take the wrong partner", () => {
    // The first expected wake lists no stat, so it fits both actual wakes; the second fits only
    // the first actual one. A greedy scan pairs expected[0] with actual[0] and fails.
    const full: Result = { ret: 0, stat: { msg_qnum: 1 } };
    const other: Result = { ret: 0, stat: { msg_qnum: 2 } };
    const expected = [wake(3, 1, { ret: 0 }), wake(3, 1, { ret: 0, stat: { msg_qnum: 1 } })];
    expect(eventsMatch(expected, [wake(3, 1, full), wake(3, 1, other)])).toBe(true);
    expect(eventsMatch(expected, [wake(3, 1, other), wake(3, 1, other)])).toBe(false);
  });
});

describe("outcomes", () => {
  const write: Outcome = {
    step: 5, pid: 2, call: "write", result: { ret: 2 },
    events: [{ wake: 3, step: 4, result: { ret: 2, data: text("hi") } }, { stop: 4 }],
  };

  test("outcomesMatch: results, events, and who made which call", () => {
    expect(outcomesMatch(write, { ...write, events: [...write.events].reverse() })).toBe(true);
    expect(outcomesMatch(write, { ...write, pid: 3 })).toBe(false);
    expect(outcomesMatch(write, { ...write, result: undefined })).toBe(false);
    const killed: Outcome = { ...write, result: undefined };
    expect(outcomesMatch(killed, { ...killed })).toBe(true);
  });

  test("outcomeKey: equal outcomes give equal keys, different ones different keys", () => {
    const shuffled: Outcome = {
      ...write, events: [{ stop: 4 }, { wake: 3, step: 4, result: { data: text("hi"), ret: 2 } }],
    };
    expect(outcomeKey(shuffled)).toBe(outcomeKey(write));
    expect(outcomeKey({ ...write, result: { ret: 1 } })).not.toBe(outcomeKey(write));
    expect(outcomeKey({ ...write, result: undefined })).not.toBe(outcomeKey(write));
    expect(outcomeKey({ ...write, result: "blocked" })).not.toBe(outcomeKey(write));
  });

  test("outcomeKey treats a shmat or mmap address as opaque, but not an error", () => {
    const shmat = (ret: number): Outcome => ({
      step: 1, pid: 2, call: "shmat", result: { ret }, events: [],
    });
    expect(outcomeKey(shmat(0x7f00_0000_0000))).toBe(outcomeKey(shmat(0x1000)));
    expect(outcomeKey(shmat(0x1000))).toBe(
      outcomeKey({ ...shmat(0), result: { ret: "address" } }),
    );
    expect(outcomeKey({ ...shmat(-1), result: { ret: -1, errno: "EINVAL" } }))
      .not.toBe(outcomeKey(shmat(0x1000)));
  });

  prop.prop([fc.array(fc.integer({ min: 2, max: 6 }), { maxLength: 6 }), fc.integer()])(
    "outcomeKey does not depend on the order of events",
    (pids, seed) => {
      const events: TraceEvent[] = pids.map((p) => (p % 2 ? { stop: p } : { cont: p }));
      const rotated = events.map((_, i) => events[(i + Math.abs(seed)) % events.length]);
      const o: Outcome = { step: 0, pid: 2, call: "kill", result: { ret: 0 }, events };
      expect(outcomeKey({ ...o, events: rotated })).toBe(outcomeKey(o));
    },
  );
});

describe("describeDifference", () => {
  const base: Outcome = {
    step: 5, pid: 2, call: "read", result: { ret: 5, data: text("hello") }, events: [],
  };

  test("empty when the outcomes match", () => {
    expect(describeDifference(base, { ...base })).toBe("");
  });

  test("names the fields that differ with both values", () => {
    const got: Outcome = { ...base, result: { ret: -1, errno: "EAGAIN" } };
    expect(describeDifference(base, got)).toBe(
      'result.ret: expected 5, got -1; result.errno: expected nothing, got "EAGAIN"; ' +
        'result.data: expected "hello", got nothing',
    );
  });

  test("blocked and missing results are described in words", () => {
    expect(describeDifference(base, { ...base, result: "blocked" })).toBe(
      'result: expected {"ret":5,"data":"hello"}, got "blocked"',
    );
    expect(describeDifference(base, { ...base, result: undefined })).toBe(
      'result: expected {"ret":5,"data":"hello"}, got no result (the caller did not return)',
    );
  });

  test("stat differences name the nested field", () => {
    const stat = (mode: number) => ({ ret: 0, stat: { msg_perm: { mode }, msg_qnum: 0 } });
    const listed = { ret: 0, stat: { msg_perm: { mode: 0o600 } } };
    const e: Outcome = { ...base, call: "msgctl", result: listed };
    const a: Outcome = { ...e, result: stat(0o644) };
    expect(describeDifference(e, a)).toBe(
      'result.stat.msg_perm.mode: expected "0600", got "0644"',
    );
  });

  test("missing and unexpected events", () => {
    const e: Outcome = { ...base, events: [{ stop: 3 }, { exit: 4, status: { exited: 0 } }] };
    const a: Outcome = { ...base, events: [{ exit: 4, status: { exited: 0 } }, { cont: 3 }] };
    expect(describeDifference(e, a)).toBe('missing event {"stop":3}; unexpected event {"cont":3}');
  });

  test("a different caller or call", () => {
    expect(describeDifference(base, { ...base, pid: 3, call: "write" })).toBe(
      'pid: expected 2, got 3; call: expected "read", got "write"',
    );
  });
});
