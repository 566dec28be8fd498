// The event log's scale traces (kernel/test/event-log-traces.ts) on real Linux, step by step
// (issue 22: `diff` died on the model side of traces Linux runs fine, "kernel panic: event log
// overflowed"). Where the host allows: the agent runs at most 1,022 traced processes
// (host-bridge/agent/procs.c PROCS_MAX), so the group kill uses 1,020 forks; the host's
// RLIMIT_SIGPENDING counts every pending entry of the user (about 96,360 here), so 90,000
// realtime signals are queued and released in one step, all of which Linux queues.

import { describe, expect, test } from "vitest";
import { groupKillTrace, rtReleaseTrace } from "../kernel/test/event-log-traces.js";
import { parseTrace } from "../sim/trace/parse.js";
import { diffText, diffTrace } from "./diff.js";
import { hostSupport } from "./host.js";

const support = hostSupport();
const skipped = support.ok ? "" : ` (skipped: ${support.reason})`;

async function agree(text: string, name: string): Promise<void> {
  const trace = parseTrace(text, name);
  const r = await diffTrace(trace);
  expect(r.disagreement, diffText(trace, r, `ipcsim diff ${name}`).join("\n")).toBeUndefined();
  expect(r.agreed).toBe(trace.steps.length);
}

describe.skipIf(!support.ok)(`model and Linux agree on events at scale${skipped}`, () => {
  test("90,000 queued SIGRTMIN released at once: 90,000 handler runs in one step", async () => {
    await agree(rtReleaseTrace(90_000), "event-log-rt-release");
  }, 600_000);

  test("1,020 forks then kill(0, SIGKILL): 1,021 exits in one step", async () => {
    await agree(groupKillTrace(1_020), "event-log-group-kill");
  }, 600_000);
});
