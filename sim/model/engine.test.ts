// Issue 22: seven of the model's errors said `line N` without the file, and the engine's own
// (advance, kernel events) neither.

import { describe, expect, it } from "vitest";
import { parseTrace } from "../trace/parse.js";
import { replayTrace } from "../replay.js";

const HEADER = '{"trace": "ipcsim", "version": 1}';

function replayError(...steps: string[]): string {
  try {
    replayTrace(parseTrace([HEADER, ...steps].join("\n"), "dir/t.jsonl"), 0);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected the replay to fail");
}

describe("every model error names the trace's file and the step's line", () => {
  it("a ref to a step with no successful return", () => {
    expect(replayError('{"pid": 2, "call": "close", "fd": 9}',
      '{"pid": 2, "call": "load", "addr": {"ref": 0}, "count": 1}'))
      .toMatch(/^dir\/t\.jsonl:3: ref 0 names a step with no successful return/);
  });

  it("a count past the model's 32-bit arguments", () => {
    expect(replayError('{"pid": 2, "call": "read", "fd": 0, "count": 4294967295}'))
      .toMatch(/^dir\/t\.jsonl:2: field "count"/);
  });
});
