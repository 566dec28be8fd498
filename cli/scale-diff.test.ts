// A scenario at the process table's scale, diffed on Linux (issue 22: "a scenario with 16,000
// processes passes on the model and, where the host allows, in `diff`"). The scenario is
// sim/scenario/scale.test.ts's: main forks 16,000 children that pause, kill(-1, SIGTERM) ends
// them all in one step, main reaps every one. Its trace (what `ipcsim run --trace-out` saves)
// is replayed by the host bridge step by step. Here in cli/: host-bridge/ does not import
// scenarios (cli/architecture.test.ts).

import { describe, expect, it } from "vitest";
import { diffText, diffTrace } from "../host-bridge/diff.js";
import { hostSupport } from "../host-bridge/host.js";
import { lockTimeline } from "../host-bridge/timeline-lock.js";
import { run } from "../sim/scenario/run.js";
import { parseTrace } from "../sim/trace/parse.js";
import { pauseAndKill } from "../sim/scenario/testdata/pause-and-kill.js";

const support = hostSupport();
const skipped = support.ok ? "" : ` (skipped: ${support.reason})`;

describe.skipIf(!support.ok)(`a scenario at scale on Linux${skipped}`, () => {
  it("16,000 processes killed by one kill(-1, SIGTERM) and reaped: model and Linux agree",
    async () => {
      const r = await run(pauseAndKill(16_000), {
        seed: 1, maxSteps: 200_000, expect: { signals: ["SIGTERM"] },
      });
      expect(r.verdict).toEqual({ kind: "ok" });
      const trace = parseTrace(r.trace(), "scale-16000");
      const unlock = await lockTimeline(); // paced replays elsewhere would starve meanwhile
      const d = await diffTrace(trace).finally(unlock);
      expect(d.disagreement, diffText(trace, d, "ipcsim diff scale-16000").join("\n"))
        .toBeUndefined();
      expect(d.agreed).toBe(trace.steps.length);
    }, 600_000);
});
