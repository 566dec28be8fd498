// IPC_STAT's fields in glibc's or the kernel's spelling (issue 21, "names as C programmers
// write them"): accepted either way in a trace, written in glibc's everywhere.
import { describe, expect, test } from "vitest";
import { describeDifference, outcomeKey, outcomesMatch, resultsMatch } from "./compare.js";
import { formatStep } from "./strace.js";
import { resultToJson, statToJson } from "./serialise.js";
import { canonicalStat, statFieldName } from "./stat-names.js";
import { failure, oneStep } from "./testdata/parse-helpers.js";
import type { Outcome, Result } from "./types.js";

const STAT_STEP = '{"pid":2,"call":"msgctl","msqid":0,"cmd":"IPC_STAT","expect":';
const expectOf = (stat: string) => oneStep(`${STAT_STEP}{"ret":0,"stat":${stat}}}`).expect;

/** What the model and the host bridge report (glibc's spelling). */
const reported: Result = {
  ret: 0,
  stat: {
    msg_perm: { __key: 4660, uid: 0, gid: 0, cuid: 0, cgid: 0, mode: 0o600, __seq: 1 },
    msg_cbytes: 5, msg_qnum: 1, msg_qbytes: 16384, msg_lspid: 2, msg_lrpid: 0,
    msg_stime: 1767225601, msg_rtime: 0, msg_ctime: 1767225600,
  },
};

describe("the spellings", () => {
  test("glibc's name is the output one; the kernel's maps to it; others are themselves", () => {
    expect(statFieldName("key")).toBe("__key");
    expect(statFieldName("seq")).toBe("__seq");
    expect(statFieldName("__msg_cbytes")).toBe("msg_cbytes");
    for (const same of ["__key", "__seq", "msg_cbytes", "uid", "sem_nsems", "shm_segsz"]) {
      expect(statFieldName(same)).toBe(same);
    }
    expect(canonicalStat({ msg_perm: { key: 1, seq: 2 }, __msg_cbytes: 3 }))
      .toEqual({ msg_perm: { __key: 1, __seq: 2 }, msg_cbytes: 3 });
  });
});

// Defect (issue 21): an expectation in glibc's names (`msg_perm.__key`) or the kernel's
// (`seq`, `__msg_cbytes`) named a field no output had, so it never matched.
describe("an expectation", () => {
  test("in the kernel's names, glibc's, or a mix, matches what is reported", () => {
    for (const stat of [
      '{"msg_perm":{"key":4660,"seq":1},"__msg_cbytes":5}',
      '{"msg_perm":{"__key":4660,"__seq":1},"msg_cbytes":5}',
      '{"msg_perm":{"__key":4660,"seq":1},"__msg_cbytes":5,"msg_stime":1767225601}',
    ]) {
      const e = expectOf(stat) as Result;
      expect(e).toEqual({ ret: 0, stat: canonicalStat(JSON.parse(stat)) });
      expect(resultsMatch(e, reported), stat).toBe(true);
    }
  });

  test("in either spelling is compared: a wrong value fails, named in glibc's spelling", () => {
    const e = expectOf('{"msg_perm":{"key":4661},"__msg_cbytes":6}') as Result;
    expect(resultsMatch(e, reported)).toBe(false);
    const o = (result: Result): Outcome =>
      ({ step: 0, pid: 2, call: "msgctl", result, events: [] });
    expect(describeDifference(o(e), o(reported))).toBe(
      "result.stat.msg_perm.__key: expected 4661, got 4660; " +
        "result.stat.msg_cbytes: expected 6, got 5");
  });

  test("an actual result in the kernel's spelling (built by hand) compares the same", () => {
    const kernelSpelled: Result = { ret: 0, stat: { msg_perm: { key: 4660, seq: 1 } } };
    expect(resultsMatch({ ret: 0, stat: { msg_perm: { __key: 4660, __seq: 1 } } },
      kernelSpelled)).toBe(true);
  });

  test("with both spellings of one field is refused", () => {
    expect(failure(`${STAT_STEP}{"ret":0,"stat":{"msg_perm":{"key":1,"__key":1}}}}`)).toBe(
      'traces/x.jsonl:2: field "expect.stat.msg_perm.key": also written in its other ' +
        "spelling: write one");
  });

  test("an IPC_SET buffer takes either spelling too", () => {
    const s = oneStep('{"pid":2,"call":"msgctl","msqid":0,"cmd":"IPC_SET",' +
      '"buf":{"msg_perm":{"key":5,"mode":"0600"}}}');
    expect(s.args).toMatchObject({ buf: { msg_perm: { __key: 5, mode: 0o600 } } });
  });
});

describe("outputs use glibc's spelling", () => {
  test("written results and outcome keys", () => {
    expect(statToJson({ msg_perm: { key: 1, seq: 2, mode: 0o600 }, __msg_cbytes: 3 })).toEqual(
      { msg_cbytes: 3, msg_perm: { __key: 1, __seq: 2, mode: "0600" } });
    const o = (stat: Record<string, unknown>): Outcome =>
      ({ step: 0, pid: 2, call: "msgctl", result: { ret: 0, stat }, events: [] });
    const a = o({ msg_perm: { key: 1 } });
    const b = o({ msg_perm: { __key: 1 } });
    expect(outcomeKey(a)).toBe(outcomeKey(b));
    expect(outcomesMatch(a, b)).toBe(true);
    expect(JSON.stringify(resultToJson(reported))).toContain('"msg_perm":{"__key":4660,"__seq":1');
  });

  test("the strace view", () => {
    const s = oneStep(`${STAT_STEP}{"ret":0,"stat":{"msg_perm":{"key":7},"__msg_cbytes":1}}}`);
    expect(formatStep(s, s.expect)).toBe(
      "[pid 2] msgctl(0, IPC_STAT, NULL) = 0 {msg_perm={__key=7}, msg_cbytes=1}");
  });
});
