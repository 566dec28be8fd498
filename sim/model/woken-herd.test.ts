// A herd of woken processes: one caught signal to 2,000 processes blocked in read puts all of
// them on the woken list, and every retry (one per process) looked for a doomed one among
// them with kernel/proc.ts wokenAt(i), a walk from the head: O(n^2) per retry, O(n^3) for the
// step. 1,000 readers took 35 s to replay; the walk is now linear (wokenAfter) and 2,000 take
// about 2 s. The timeout below is far above that and far below what the old walk took (about
// 280 s), so it fails on a regression without timing anything closely.

import { describe, expect, it } from "vitest";
import { parseTrace } from "../trace/parse.js";
import { ModelReplay } from "./engine.js";

const N = 2000;

function herd(): string {
  const lines = ['{"trace": "ipcsim", "version": 1}', '{"pid": 2, "call": "pipe"}',
    '{"pid": 2, "call": "sigaction", "sig": "SIGUSR1", "handler": "catch"}'];
  for (let i = 0; i < N; i++) lines.push('{"pid": 2, "call": "fork"}');
  for (let i = 0; i < N; i++) lines.push(`{"pid": ${3 + i}, "call": "read", "fd": 3, "count": 1}`);
  lines.push('{"pid": 2, "call": "kill", "target": 0, "sig": "SIGUSR1"}');
  return lines.join("\n");
}

describe("a signal that wakes a herd", () => {
  it(`ends each of ${N} blocked reads with EINTR, in every retry order kept`, () => {
    const trace = parseTrace(herd(), "herd.jsonl");
    const model = new ModelReplay(trace);
    let last: ReturnType<ModelReplay["step"]> = [];
    for (const step of trace.steps) {
      last = model.step(step);
      model.chooseAll();
    }
    expect(last.length).toBeGreaterThan(0);
    for (const outcome of last) {
      const wakes = outcome.events.filter((e) => "wake" in e);
      expect(wakes).toHaveLength(N);
      expect(wakes.every((e) => "wake" in e && e.result !== "blocked" &&
        e.result.errno === "EINTR")).toBe(true);
      expect(new Set(wakes.map((e) => "wake" in e && e.wake)).size).toBe(N);
    }
  }, 60_000);
});
