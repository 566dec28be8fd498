// Wording helpers of the text views (issue 13: plurals right, "1 preemption"; names suggested
// for a misspelt one).

import { describe, expect, test } from "vitest";
import { didYouMean, editDistance, nearest, plural } from "./text.js";

describe("plural", () => {
  test("1 takes the singular, anything else the plural", () => {
    expect([0, 1, 2].map((n) => plural(n, "preemption"))).toEqual([
      "0 preemptions", "1 preemption", "2 preemptions",
    ]);
    expect(plural(1, "process", "processes")).toBe("1 process");
    expect(plural(3, "process", "processes")).toBe("3 processes");
  });
});

describe("nearest", () => {
  test("edits, swaps of neighbours included, count 1 each", () => {
    expect(editDistance("reed", "read")).toBe(1);
    expect(editDistance("icp", "ipc")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
  });

  test("the closest known name within a third of the length, else none", () => {
    expect(nearest("kernel.msgmnx", ["kernel.msgmax", "kernel.msgmnb"])).toBe("kernel.msgmax");
    expect(nearest("zzz", ["read", "write"])).toBeUndefined();
    expect(didYouMean("wirte", ["read", "write"])).toBe(' (did you mean "write"?)');
    expect(didYouMean("zzz", ["read"])).toBe("");
  });
});
