// The expectation decoders (decode.ts: results, statuses, events), through the parser.
import { describe, expect, test } from "vitest";
import { failure, FILE, oneStep, parse } from "./testdata/parse-helpers.js";
import { resultToJson } from "./serialise.js";
import { formatStep } from "./strace.js";

describe("expectations", () => {
  test("results with outputs", () => {
    const s = oneStep(
      '{"pid":2,"call":"msgrcv","msqid":0,"size":8,' +
        '"expect":{"ret":2,"mtype":7,"data":{"hex":"0001"}},"expect_events":[]}',
    );
    expect(s.expect).toEqual({ ret: 2, mtype: 7, data: new Uint8Array([0, 1]) });
    expect(s.expectEvents).toEqual([]);
  });

  test("absent expectations stay absent", () => {
    const s = oneStep('{"pid":2,"call":"fork"}');
    expect("expect" in s).toBe(false);
    expect("expectEvents" in s).toBe(false);
  });

  test("blocked, errors, statuses, stat with octal modes, sets", () => {
    const expectOf = (call: string, r: string) =>
      oneStep(`{"pid":2,${call},"expect":${r}}`).expect;
    const waitpid = '"call":"waitpid","target":-1';
    expect(expectOf('"call":"pause"', '"blocked"')).toBe("blocked");
    expect(expectOf('"call":"pause"', '{"ret":-1,"errno":"EINTR"}')).toEqual({
      ret: -1, errno: "EINTR",
    });
    expect(expectOf(waitpid, '{"ret":3,"status":{"signaled":"SIGPIPE"}}'))
      .toEqual({ ret: 3, status: { signaled: "SIGPIPE" } });
    expect(expectOf(waitpid, '{"ret":3,"status":{"signaled":11,"core":true}}'))
      .toEqual({ ret: 3, status: { signaled: "SIGSEGV", core: true } });
    expect(expectOf('"call":"shmctl","shmid":0,"cmd":"IPC_STAT"',
      '{"ret":0,"stat":{"shm_nattch":1,"shm_perm":{"mode":"01600"}}}'))
      .toEqual({ ret: 0, stat: { shm_nattch: 1, shm_perm: { mode: 0o1600 } } });
    expect(expectOf('"call":"sigpending"', '{"ret":0,"set":["SIGUSR2","SIGUSR1"]}'))
      .toEqual({ ret: 0, set: ["SIGUSR2", "SIGUSR1"] });
    expect(expectOf('"call":"pipe"', '{"ret":0,"fds":[3,4]}')).toEqual({ ret: 0, fds: [3, 4] });
    expect(expectOf('"call":"semctl","semid":0,"cmd":"GETALL"', '{"ret":0,"values":[1,0]}'))
      .toEqual({ ret: 0, values: [1, 0] });
  });

  test('"address" is a result of shmat and mmap only', () => {
    const ok = oneStep('{"pid":2,"call":"shmat","shmid":0,"expect":{"ret":"address"}}');
    expect(ok.expect).toEqual({ ret: "address" });
    expect(failure('{"pid":2,"call":"read","fd":3,"count":1,"expect":{"ret":"address"}}')).toBe(
      `${FILE}:2: field "expect.ret": "address" is only a result of shmat and mmap, not of read`,
    );
  });

  // Each row: the bad result, then the start of the message after "file:line: ".
  test.each([
    ['{"ret":0,"errno":"EAGAIN"}',
      'field "expect.ret": expected -1 (the result has an errno), got 0'],
    ['{"ret":-1,"errno":"EWOULDBLOCK"}',
      'field "expect.errno": expected an errno name (known: EPERM,'],
    ['{"errno":"EAGAIN"}', 'field "expect.ret": missing'],
    ['{"ret":0,"dat":"x"}', 'field "expect.dat": unknown field (a result has ret, errno, data,'],
    ['"blocked!"',
      'field "expect": expected a result like {"ret": 0} or "blocked", got "blocked!"'],
    ['{"ret":0,"fds":[3]}', 'field "expect.fds": expected two file descriptors [r, w], got [3]'],
    ['{"ret":0,"status":{"exited":256}}', 'field "expect.status.exited": expected an exit code'],
    ['{"ret":0,"status":{"exited":0,"core":true}}', 'field "expect.status.core": unknown field'],
    ['{"ret":0,"stat":{"msg_perm":{"mode":384}}}',
      'field "expect.stat.msg_perm.mode": expected an octal mode string'],
    ['{"ret":0,"set":["SIGUSR1",99]}',
      'field "expect.set[1]": expected a signal name like "SIGUSR1", got 99'],
  ])("bad result %s", (r, detail) => {
    expect(failure(`{"pid":2,"call":"pause","expect":${r}}`)).toContain(`${FILE}:2: ${detail}`);
  });

  test("events of every kind", () => {
    const t = parse(
      '{"pid":3,"call":"read","fd":3,"count":5}',
      '{"pid":2,"call":"kill","target":3,"sig":"SIGSTOP","expect_events":[' +
        '{"wake":3,"step":0,"result":{"ret":-1,"errno":"EINTR"}},{"signal":"SIGUSR1","pid":3},' +
        '{"exit":3,"status":{"signaled":"SIGKILL"}},{"stop":3},{"cont":4}]}',
    );
    expect(t.steps[1].expectEvents).toEqual([
      { wake: 3, step: 0, result: { ret: -1, errno: "EINTR" } },
      { signal: "SIGUSR1", pid: 3 },
      { exit: 3, status: { signaled: "SIGKILL" } },
      { stop: 3 },
      { cont: 4 },
    ]);
  });

  // Each row: the bad event, then its message after 'file:line: field "expect_events[0]'.
  test.each([
    ['{"wake":3,"step":1,"result":{"ret":0}}',
      '.step": expected an earlier step 0..0, got 1'],
    ['{"wake":2,"step":0,"result":{"ret":0}}', '.wake": step 0 was made by pid 3, not 2'],
    ['{"wake":3,"step":0}', '.result": missing'],
    ['{"wake":3,"step":0,"result":{"ret":"address"}}',
      '.result.ret": "address" is only a result of shmat and mmap, not of read'],
    ['{"exit":3}', '.status": missing'],
    ['{"stop":3,"cont":3}',
      '": expected one of wake, signal, exit, stop, cont, got {"stop":3,"cont":3}'],
    ['{"signal":"SIGUSR1","pid":3,"why":1}',
      '.why": unknown field (a signal event has signal, pid, value, frame, info)'],
    ['{"stop":-3}', '.stop": expected a positive integer pid, got -3'],
  ])("bad event %s", (e, detail) => {
    const read = '{"pid":3,"call":"read","fd":3,"count":5}';
    expect(failure(`{"pid":2,"call":"close","fd":4,"expect_events":[${e}]}`, read)).toBe(
      `${FILE}:3: field "expect_events[0]${detail}`,
    );
  });

  test("expect_events must be an array", () => {
    expect(failure('{"pid":2,"call":"fork","expect_events":{"stop":3}}')).toBe(
      `${FILE}:2: field "expect_events": expected an array of events, got {"stop":3}`,
    );
  });
});

// Issue 21: F_SETOWN_EX and F_GETOWN_EX took only an integer address; a trace could not fill the
// struct f_owner_ex or read it back.
describe("struct f_owner_ex (fcntl F_SETOWN_EX, F_GETOWN_EX)", () => {
  const fcntl = (cmd: string, arg: string, expect = "") =>
    oneStep(`{"pid":2,"call":"fcntl","fd":3,"cmd":"${cmd}","arg":${arg}${expect}}`);

  test("arg is the struct, type by name or any int; or 0 (NULL), not another address", () => {
    expect(fcntl("F_SETOWN_EX", '{"type":"F_OWNER_PGRP","pid":2}').args)
      .toMatchObject({ arg: { type: 2, pid: 2 } });
    expect(fcntl("F_SETOWN_EX", '{"type":7,"pid":-1}').args)
      .toMatchObject({ arg: { type: 7, pid: -1 } });
    expect(fcntl("F_GETOWN_EX", "{}").args).toMatchObject({ arg: { type: 0, pid: 0 } });
    expect(fcntl("F_GETOWN_EX", "0").args).toMatchObject({ arg: 0 });
    // Linux would write the struct at that address in the host bridge's own process.
    expect(failure('{"pid":2,"call":"fcntl","fd":3,"cmd":"F_GETOWN_EX","arg":4096}'))
      .toMatch(/field "arg": expected a struct f_owner_ex .* or 0, got 4096/);
    expect(failure('{"pid":2,"call":"fcntl","fd":3,"cmd":"F_SETOWN_EX","arg":{"tid":2}}'))
      .toMatch(/field "arg.tid": .*an f_owner_ex has type, pid/);
    expect(failure('{"pid":2,"call":"fcntl","fd":3,"cmd":"F_SETOWN_EX","arg":{"type":"X"}}'))
      .toMatch(/arg.type": unknown name "X" \(known: F_OWNER_TID, F_OWNER_PID, F_OWNER_PGRP\)/);
    expect(failure('{"pid":2,"call":"fcntl","fd":3,"cmd":"F_SETOWN_EX","arg":{"pid":2147483648}}'))
      .toMatch(/arg.pid": expected a C int, got 2147483648/);
  });

  test("F_GETOWN_EX's result has owner, written back by name", () => {
    const s = fcntl("F_GETOWN_EX", "{}", ',"expect":{"ret":0,"owner":{"type":1,"pid":3}}');
    expect(s.expect).toEqual({ ret: 0, owner: { type: 1, pid: 3 } });
    expect(resultToJson(s.expect!)).toEqual({ ret: 0, owner: { type: "F_OWNER_PID", pid: 3 } });
    expect(formatStep(s, s.expect)).toContain("{type=F_OWNER_PID, pid=3}");
  });
});
