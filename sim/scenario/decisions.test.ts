import { describe, expect, it } from "vitest";
import {
  DecisionError, DecisionLog, decodeDecisions, encodeDecisions, DECISION_PROC, DECISION_WOKEN,
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
  it("count a preemption only where the previous process could have continued", () => {
    const log = new DecisionLog();
    log.push(DECISION_PROC, 2, 1, true);
    log.push(DECISION_PROC, 2, 1, false);
    log.push(DECISION_WOKEN, 3, 2, false);
    log.push(DECISION_PROC, 3, 0, true);
    expect(log.preemptions()).toBe(1);
  });
});
