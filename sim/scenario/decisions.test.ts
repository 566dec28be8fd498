import { describe, expect, it } from "vitest";
import {
  DecisionError, DecisionLog, decodeDecisions, encodeDecisions, DECISION_PROC, DECISION_WOKEN,
  RUN_MIN,
} from "./decisions.js";

describe("decision strings", () => {
  it("write one base-36 digit per decision and drop trailing zeros", () => {
    expect(encodeDecisions([0, 1, 0, 35, 2, 0, 0])).toBe("010z2");
    expect(encodeDecisions([0, 0])).toBe("");
  });
  it("write values of 36 and more in parentheses", () => {
    expect(encodeDecisions([1, 40, 0])).toBe("1(40)");
    expect(decodeDecisions("1(40)")).toEqual([1, 40]);
  });
  it("read back what they write, ignoring grouping characters and case", () => {
    const v = [3, 0, 0, 12, 35, 100, 1];
    expect(decodeDecisions(encodeDecisions(v))).toEqual(v);
    expect(decodeDecisions("01.2-3 Z")).toEqual([0, 1, 2, 3, 35]);
  });
  it("name a bad character", () => {
    expect(() => decodeDecisions("01!")).toThrow(DecisionError);
    expect(() => decodeDecisions("01!")).toThrow(/bad character "!" at 2/);
    expect(() => decodeDecisions("(x)")).toThrow(/followed by a number/);
  });
  // Issue 12: a bug found after 600 calls printed a 601-character decision string.
  it("compress runs of RUN_MIN or more equal values as v*N, a comma ending a count", () => {
    const long = [...Array(600).fill(0), 1];
    expect(encodeDecisions(long)).toBe("0*600,1");
    expect(encodeDecisions([2, ...Array(RUN_MIN).fill(1)])).toBe(`21*${RUN_MIN}`);
    expect(encodeDecisions([...Array(RUN_MIN - 1).fill(1), 0, 1])).toBe("111111101");
    expect(encodeDecisions([...Array(9).fill(40), 3])).toBe("(40)*9,3");
  });
  it("read the long and the compressed form alike", () => {
    const long = [...Array(600).fill(0), 1];
    expect(decodeDecisions("0*600,1")).toEqual(long);
    expect(decodeDecisions(`${"0".repeat(600)}1`)).toEqual(long);
    expect(decodeDecisions("0*6001")).toEqual(Array(6001).fill(0)); // the count is greedy
    expect(decodeDecisions("1*2 0*3,2")).toEqual([1, 1, 0, 0, 0, 2]);
    expect(decodeDecisions("(40)*2,1")).toEqual([40, 40, 1]);
    expect(decodeDecisions("0,1")).toEqual([0, 1]); // a comma alone only groups
  });
  it("read back every list they write", () => {
    for (let seed = 1; seed <= 200; seed++) {
      let x = seed;
      const next = () => (x = (x * 1103515245 + 12345) % 2147483648) >> 16;
      const v = Array.from({ length: next() % 40 }, () => (next() % 4 === 0 ? next() % 50 : 0));
      const back = decodeDecisions(encodeDecisions(v));
      let end = v.length;
      while (end > 0 && v[end - 1] === 0) end--;
      expect(back).toEqual(v.slice(0, end));
    }
  });
  it("refuse a * without a value before it or a count of 1 or more after it", () => {
    for (const bad of ["*3", "0*", "0*0", "0*x", "0*3*2", "0 *3"]) {
      expect(() => decodeDecisions(bad), bad).toThrow(/"\*" at \d+ must follow a value/);
    }
    expect(() => decodeDecisions("0*99999999999")).toThrow(/more than/);
  });
  it("count a preemption only where the previous process could have continued", () => {
    const log = new DecisionLog();
    log.push(DECISION_PROC, 2, 1, true);
    log.push(DECISION_PROC, 2, 1, false);
    log.push(DECISION_WOKEN, 3, 2, false);
    log.push(DECISION_PROC, 3, 0, true);
    expect(log.preemptions()).toBe(1);
  });
});
