// The event log at scale (issue 22, "the event log overflows on valid traces"): one call may
// log any number of events. On main the log held 4,096 records and the loader threw
// "kernel panic: event log overflowed" past that: 4,096 forks then kill(0, SIGKILL), or 4,097
// queued realtime signals released at once. kernel/event.ts now chains overflow pages.
//
// kernel_check() runs at the end of each trace (after every one of 100,000 steps it would walk
// every table), and once in the middle of the big step's log (eventCheck: the page chain).

import { describe, expect, test } from "vitest";
import { ModelReplay } from "../../sim/model/engine.js";
import { meetsExpectation } from "../../sim/replay.js";
import { parseTrace } from "../../sim/trace/parse.js";
import { groupKillTrace, rtReleaseTrace } from "./event-log-traces.js";

function replayAll(text: string, name: string): void {
  const trace = parseTrace(text, name);
  const model = new ModelReplay(trace, {});
  for (const step of trace.steps) {
    const allowed = model.step(step);
    if (!model.choose((o) => meetsExpectation(step, o))) {
      const got = JSON.stringify(allowed).slice(0, 2000);
      expect.fail(`step ${step.index} (${step.call} by pid ${step.pid}): ${got}`);
    }
  }
  model.kernel.check();
}

describe("the event log grows past its static buffer", () => {
  test("20,000 forks then kill(0, SIGKILL): 20,001 exit events in one step", () => {
    replayAll(groupKillTrace(20_000), "event-log-group-kill");
  }, 300_000);

  test("100,000 sigqueues (96,365 queued, RLIMIT_SIGPENDING) released at once", () => {
    replayAll(rtReleaseTrace(100_000), "event-log-rt-release");
  }, 300_000);

  test("the overflow pages go back to the pool when the log is drained", () => {
    const trace = parseTrace(rtReleaseTrace(10_000), "event-log-rt-release");
    const model = new ModelReplay(trace, {});
    const used = () => model.kernel.x.k_pages_used();
    let before = 0;
    for (const step of trace.steps) {
      if (step.index === trace.steps.length - 1) before = used();
      model.step(step);
      expect(model.choose((o) => meetsExpectation(step, o))).toBe(true);
    }
    expect(model.kernel.x.k_event_page_head()).toBe(0);
    expect(used()).toBeLessThanOrEqual(before);
    model.kernel.check();
  }, 120_000);
});
