// Scenarios at the process table's scale (issue 22, "valid traces never panic the kernel"):
// on main one call logging more than 4,096 events (a group signal killing thousands of
// processes) ended the run with the verdict "kernel panic (a bug in ipcsim)".

import { describe, expect, it } from "vitest";
import { run } from "./run.js";
import { pauseAndKill } from "./testdata/pause-and-kill.js";

describe("scenarios with thousands of processes", () => {
  it("16,000 processes killed by one kill(-1, SIGTERM) and reaped: verdict ok", async () => {
    const n = Number(process.env.SCALE_N ?? 16_000);
    const r = await run(pauseAndKill(n), {
      seed: 1, maxSteps: 200_000, expect: { signals: ["SIGTERM"] },
    });
    expect(r.verdict).toEqual({ kind: "ok" });
  }, 600_000);
});
