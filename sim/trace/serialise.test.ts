import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { outcomeFromJson, parseTrace, readTraceFile } from "./parse.js";
import {
  canonicalJson, eventToJson, headerToJson, octal, outcomeToJson, resultToJson, stepToJson,
  traceToJsonl,
} from "./serialise.js";
import type { Outcome, Result } from "./types.js";

const text = (s: string) => new TextEncoder().encode(s);
const json = (v: unknown) => JSON.stringify(v);
const testdata = (name: string) => join(import.meta.dirname, "testdata", name);

describe("results", () => {
  test("keys in spec order: ret, errno, then outputs", () => {
    const r: Result = {
      oldset: ["SIGUSR1"], values: [1], stat: { b: 1 }, status: { exited: 0 }, fds: [3, 4],
      mtype: 2, data: text("x"), ret: 0,
    };
    expect(json(resultToJson(r))).toBe(
      '{"ret":0,"data":"x","mtype":2,"fds":[3,4],"status":{"exited":0},"stat":{"b":1},' +
        '"values":[1],"oldset":["SIGUSR1"]}',
    );
  });

  test("blocked, errors, addresses", () => {
    expect(resultToJson("blocked")).toBe("blocked");
    expect(json(resultToJson({ errno: "EAGAIN", ret: -1 }))).toBe('{"ret":-1,"errno":"EAGAIN"}');
    expect(json(resultToJson({ ret: "address" }))).toBe('{"ret":"address"}');
  });

  test("data in its most readable form", () => {
    expect(json(resultToJson({ ret: 2, data: new Uint8Array([0, 1]) }))).toBe(
      '{"ret":2,"data":{"hex":"0001"}}',
    );
    expect(json(resultToJson({ ret: 0, data: new Uint8Array() }))).toBe('{"ret":0,"data":""}');
  });

  test("stat keys sorted at every level, modes in octal", () => {
    const stat = { shm_segsz: 4096, shm_perm: { uid: 0, mode: 0o1600 }, shm_nattch: 1 };
    expect(json(resultToJson({ ret: 0, stat }))).toBe(
      '{"ret":0,"stat":{"shm_nattch":1,"shm_perm":{"mode":"01600","uid":0},"shm_segsz":4096}}',
    );
  });

  test("signal sets sorted by number, without repeats", () => {
    expect(json(resultToJson({ ret: 0, set: ["SIGTERM", "SIGHUP", "SIGUSR1", "SIGHUP"] }))).toBe(
      '{"ret":0,"set":["SIGHUP","SIGUSR1","SIGTERM"]}',
    );
  });

  test("wait statuses", () => {
    const status = (s: Exclude<Result, "blocked">["status"]) =>
      json((resultToJson({ ret: 3, status: s }) as { status: unknown }).status);
    expect(status({ signaled: "SIGSEGV", core: true })).toBe('{"signaled":"SIGSEGV","core":true}');
    expect(status({ signaled: "SIGKILL", core: false })).toBe('{"signaled":"SIGKILL"}');
    expect(status({ stopped: "SIGSTOP" })).toBe('{"stopped":"SIGSTOP"}');
    expect(status({ continued: true })).toBe('{"continued":true}');
  });

  test("octal modes have a leading 0 and at least three digits", () => {
    expect([octal(0o600), octal(0), octal(0o1777)]).toEqual(["0600", "0000", "01777"]);
  });
});

describe("events", () => {
  test.each([
    [{ wake: 3, step: 4, result: { ret: 2 } }, '{"wake":3,"step":4,"result":{"ret":2}}'],
    [{ signal: "SIGUSR1", pid: 3 }, '{"signal":"SIGUSR1","pid":3}'],
    [{ exit: 3, status: { exited: 1 } }, '{"exit":3,"status":{"exited":1}}'],
    [{ stop: 3 }, '{"stop":3}'],
    [{ cont: 3 }, '{"cont":3}'],
  ] as const)("%j", (e, expected) => {
    expect(json(eventToJson(e))).toBe(expected);
  });
});

describe("outcomes", () => {
  const trace = parseTrace(
    [
      '{"trace":"ipcsim","version":1}',
      '{"pid":3,"call":"read","fd":3,"count":5}',
      '{"pid":2,"call":"close","fd":3}',
      '{"pid":2,"call":"pipe"}',
      '{"pid":3,"call":"read","fd":3,"count":2}',
      '{"data":"hi","fd":4,"call":"write","pid":2,"comment":"order differs"}',
    ].join("\n"),
    "o.jsonl",
  );
  const write: Outcome = {
    step: 4, pid: 2, call: "write", result: { ret: 2 },
    events: [{ wake: 3, step: 3, result: { ret: 2, data: text("hi") } }],
  };

  test("the spec's form, with the step's raw arguments", () => {
    expect(json(outcomeToJson(write, trace.steps[4]))).toBe(
      '{"step":4,"pid":2,"call":"write","fd":4,"data":"hi","result":{"ret":2},' +
        '"events":[{"wake":3,"step":3,"result":{"ret":2,"data":"hi"}}]}',
    );
  });

  test("without the step, no arguments; without a result, no result key", () => {
    const exit: Outcome = { step: 9, pid: 3, call: "exit", events: [] };
    expect(json(outcomeToJson(exit))).toBe('{"step":9,"pid":3,"call":"exit","events":[]}');
  });

  test("an outcome given the wrong step is a programmer error", () => {
    expect(() => outcomeToJson(write, trace.steps[0])).toThrow(/assertion: outcome of step 4/);
  });

  test("outcomeFromJson reads what outcomeToJson writes", () => {
    const back = outcomeFromJson(JSON.parse(json(outcomeToJson(write, trace.steps[4]))));
    expect(back).toEqual(write);
  });
});

describe("steps and traces", () => {
  test("a trace written without outcomes parses back to the same steps", () => {
    for (const name of ["every-call.jsonl", "pipe-eof.jsonl"]) {
      const t = readTraceFile(testdata(name));
      const again = parseTrace(traceToJsonl(t), t.file);
      // Only file lines differ: the source has comment lines, the copy has none.
      const lineless = (steps: typeof t.steps) => steps.map((s) => ({ ...s, line: 0 }));
      expect(again.header).toEqual(t.header);
      expect(lineless(again.steps)).toEqual(lineless(t.steps));
    }
  });

  test("raw arguments are kept exactly, in calls.ts order, meta fields after", () => {
    const t = parseTrace(
      '{"trace":"ipcsim","version":1}\n' +
        '{"expect":{"ret":0},"mode":"600","flags":["IPC_CREAT"],"key":"IPC_PRIVATE","call":' +
        '"msgget","pid":2,"comment":"c"}\n',
      "k.jsonl",
    );
    expect(json(stepToJson(t.steps[0]))).toBe(
      '{"pid":2,"call":"msgget","key":"IPC_PRIVATE","flags":["IPC_CREAT"],"mode":"600",' +
        '"comment":"c","expect":{"ret":0}}',
    );
  });

  test("outcomes fill in expect and expect_events, replacing the old ones", () => {
    const t = readTraceFile(testdata("pipe-eof.jsonl"));
    const outcomes: Outcome[] = [
      { step: 1, pid: 2, call: "fork", result: { ret: 4 }, events: [] },
      { step: 7, pid: 3, call: "exit", events: [{ exit: 3, status: { signaled: "SIGKILL" } }] },
    ];
    const lines = traceToJsonl(t, outcomes).split("\n");
    expect(lines[2]).toBe('{"pid":2,"call":"fork","expect":{"ret":4},"expect_events":[]}');
    expect(lines[8]).toBe(
      '{"pid":3,"call":"exit","status":0,' +
        '"expect_events":[{"exit":3,"status":{"signaled":"SIGKILL"}}]}',
    );
    // Steps without an outcome keep their own expectation.
    expect(lines[1]).toBe(
      '{"pid":2,"call":"pipe","expect":{"ret":0,"fds":[3,4]},"expect_events":[]}',
    );
    expect(lines.length).toBe(t.steps.length + 2); // header, steps, and the final newline
    expect(lines.at(-1)).toBe("");
  });

  test("programmatic expectations (not in raw) are written too", () => {
    const t = parseTrace('{"trace":"ipcsim","version":1}\n{"pid":2,"call":"fork"}', "p.jsonl");
    t.steps[0].expect = { ret: 3 };
    t.steps[0].expectEvents = [];
    expect(json(stepToJson(t.steps[0]))).toBe(
      '{"pid":2,"call":"fork","expect":{"ret":3},"expect_events":[]}',
    );
  });

  test("an outcome for another call, or two for one step, is a programmer error", () => {
    const t = readTraceFile(testdata("pipe-eof.jsonl"));
    const fork: Outcome = { step: 1, pid: 2, call: "fork", result: { ret: 3 }, events: [] };
    expect(() => traceToJsonl(t, [{ ...fork, call: "pipe" }])).toThrow(/assertion/);
    expect(() => traceToJsonl(t, [fork, fork])).toThrow(/two outcomes for step 1/);
  });

  test("the header: params in spec order, empty params left out", () => {
    const h = headerToJson({
      trace: "ipcsim", version: 1, name: "n",
      params: { "fs.pipe-max-size": 4096, "kernel.sem": [1, 2, 3, 4], "kernel.msgmax": 8 },
    });
    expect(json(h)).toBe(
      '{"trace":"ipcsim","version":1,"name":"n","params":{"kernel.msgmax":8,' +
        '"kernel.sem":[1,2,3,4],"fs.pipe-max-size":4096}}',
    );
    expect(json(headerToJson({ trace: "ipcsim", version: 1, params: {} }))).toBe(
      '{"trace":"ipcsim","version":1}',
    );
  });
});

test("canonicalJson sorts keys at every level", () => {
  expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[{"c":2,"d":1}]}');
  expect(canonicalJson({ b: 1, a: 2 })).toBe(canonicalJson({ a: 2, b: 1 }));
});
