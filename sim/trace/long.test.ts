// C longs beyond 2^53 in traces (issue 21, "Numbers"): msgsnd's mtype and msgrcv's msgtyp and
// result mtype are read whole from a decimal string, refused as rounded JSON numbers, and
// written back as they were read. Before the fix "-9223372036854775808" was refused ("expected
// an integer") and no trace could name LONG_MIN or LONG_MAX.

import { describe, expect, it } from "vitest";
import { outcomeKey } from "./compare.js";
import { parseTrace } from "./parse.js";
import { resultToJson, traceToJsonl } from "./serialise.js";

const HEADER = '{"trace": "ipcsim", "version": 1, "name": "long"}';
const parse = (...steps: object[]) =>
  parseTrace([HEADER, ...steps.map((s) => JSON.stringify(s))].join("\n"), "<test>");
const rcv = (msgtyp: unknown) => ({ pid: 2, call: "msgrcv", msqid: 0, size: 8, msgtyp });

describe("C longs beyond 2^53", () => {
  it("reads LONG_MIN and LONG_MAX whole from decimal strings", () => {
    const t = parse(rcv("-9223372036854775808"), rcv("9223372036854775807"),
      { pid: 2, call: "msgsnd", msqid: 0, mtype: "9223372036854775807", data: "x" });
    expect(t.steps.map((s) => (s.args as { msgtyp?: unknown }).msgtyp)).toEqual(
      [-(2n ** 63n), 2n ** 63n - 1n, undefined]);
    expect((t.steps[2].args as { mtype: unknown }).mtype).toBe(2n ** 63n - 1n);
  });

  it("reads a string within 2^53 as the same number as the integer", () => {
    expect(parse(rcv("-5")).steps[0].args).toEqual(parse(rcv(-5)).steps[0].args);
  });

  it("refuses a rounded JSON number, a long out of range and a non-decimal string", () => {
    for (const bad of [2 ** 63, "9223372036854775808", "-9223372036854775809", "0x10", "1e3"]) {
      expect(() => parse(rcv(bad))).toThrow(/msgtyp.*C long/);
    }
  });

  it("writes a result's mtype back as the string it was read from", () => {
    const t = parse({
      ...rcv(0), expect: { ret: 1, data: "x", mtype: "-9223372036854775807" }, expect_events: [],
    });
    const r = t.steps[0].expect!;
    expect(resultToJson(r)).toEqual({ ret: 1, data: "x", mtype: "-9223372036854775807" });
    expect(traceToJsonl(t)).toContain('"mtype":"-9223372036854775807"');
    const o = { step: 0, pid: 2, call: "msgrcv" as const, result: r, events: [] };
    expect(outcomeKey(o)).toContain("-9223372036854775807");
  });
});
