// Issue 22: input that broke the reader instead of being refused with the file and line.

import { describe, expect, it } from "vitest";
import { errorOf, failure, FILE, HEADER } from "./testdata/parse-helpers.js";
import { parseTrace } from "./parse.js";

describe("hostile trace lines are refused with the file and line", () => {
  it("JSON nested 100,000 deep (was: an internal stack overflow)", () => {
    const nested = `${"[".repeat(1e5)}${"]".repeat(1e5)}`;
    const deep = `{"pid": 2, "call": "write", "fd": 1, "data": ${nested}}`;
    expect(failure(deep)).toBe(`${FILE}:2: JSON nested more than 64 levels deep`);
    // Brackets inside strings do not count.
    const text = `{"pid": 2, "call": "write", "fd": 1, "data": "${"[{".repeat(200)}"}`;
    expect(parseTrace([HEADER, text].join("\n"), FILE).steps).toHaveLength(1);
  });

  it("a lone surrogate in a path or data (was: replaced by U+FFFD, exit 0)", () => {
    expect(failure('{"pid": 2, "call": "mkfifo", "path": "a\\ud800b", "mode": "0600"}')).toBe(
      `${FILE}:2: field "path": invalid Unicode: a lone surrogate \\ud800 in "a\\ud800b"`);
    expect(failure('{"pid": 2, "call": "write", "fd": 1, "data": "\\udc00"}')).toContain(
      'field "data": invalid Unicode: a lone surrogate \\udc00');
    // A pair is one character, escaped or not.
    const pair = '{"pid": 2, "call": "mkfifo", "path": "\\ud83d\\ude00", "mode": "0600"}';
    expect(parseTrace([HEADER, pair].join("\n"), FILE).steps[0].args).toMatchObject(
      { path: "\u{1f600}" });
  });

  it("absolute paths and paths through . or .. are paths like any other (the tree)", () => {
    for (const path of ["/tmp/f", ".", "..", "./f", "../f", "/", "..f", "f.", "a/b", "a/.."]) {
      const line = `{"pid": 2, "call": "unlink", "path": ${JSON.stringify(path)}}`;
      expect(parseTrace([HEADER, line].join("\n"), FILE).steps).toHaveLength(1);
    }
  });
});
